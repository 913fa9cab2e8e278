// Mutations of real datagrams, as an adversary (or a bug in a producer) would damage them:
// bit flips, truncation, lying lengths in message headers and in (nested) attributes, short
// NLMSG_ERROR/NLMSG_DONE payloads, random headers. Deterministic for a given seed, so a
// failure found by `npm run fuzz` replays from the seed it prints.

/** A random number generator: [0, 1), like Math.random. */
export type Random = () => number;

/**
 * xorshift32 from a seed: fast and reproducible (not for anything but tests). The seed is
 * mixed first (murmur3's finalizer), so consecutive seeds start far apart.
 */
export function seededRandom(seed: number): Random {
  let x = seed >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  x = (x ^ (x >>> 16)) >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const below = (random: Random, n: number): number => Math.floor(random() * n);

/** A length that lies: 0, just below or above the truth, huge, or anything. */
function lyingLength(random: Random, truth: number, bits: 16 | 32): number {
  const max = bits === 16 ? 0xffff : 0xffffffff;
  switch (below(random, 6)) {
    case 0:
      return 0;
    case 1:
      return Math.max(0, truth - 1 - below(random, 8));
    case 2:
      return Math.min(max, truth + 1 + below(random, 64));
    case 3:
      return max - below(random, 4);
    case 4:
      return Math.min(max, 0x7ffffffd + below(random, 3));
    default:
      return below(random, max + 1);
  }
}

/** Offsets of the nlmsghdrs of a datagram, as far as they can be walked. */
function headerOffsets(bytes: Uint8Array, view: DataView): number[] {
  const offsets: number[] = [];
  let offset = 0;
  while (offset + 16 <= bytes.byteLength && offsets.length < 64) {
    offsets.push(offset);
    const len = view.getUint32(offset, true);
    if (len < 16) break;
    offset += len + ((4 - (len & 3)) & 3);
  }
  return offsets;
}

/** A 4-aligned offset past the first header where an nlattr header might be. */
function attributeOffset(random: Random, bytes: Uint8Array): number {
  if (bytes.byteLength < 24) return -1;
  return 16 + below(random, (bytes.byteLength - 20) >>> 2) * 4;
}

/** A short or odd control message: NLMSG_ERROR or NLMSG_DONE with 0–40 payload bytes. */
function shortControl(random: Random, seq: number): Uint8Array {
  const payload = below(random, 41);
  const out = new Uint8Array(16 + payload);
  const view = new DataView(out.buffer);
  for (let i = 16; i < out.byteLength; i++) out[i] = below(random, 256);
  view.setUint32(
    0,
    random() < 0.8 ? out.byteLength : lyingLength(random, out.byteLength, 32),
    true,
  );
  view.setUint16(4, random() < 0.5 ? 2 : 3, true);
  // NLM_F_MULTI, NLM_F_CAPPED, NLM_F_ACK_TLVS in every combination.
  view.setUint16(6, below(random, 8) === 0 ? below(random, 0x10000) : below(random, 4) << 8, true);
  view.setUint32(8, seq, true);
  if (payload >= 4 && random() < 0.7) view.setInt32(16, -below(random, 140), true);
  return out;
}

/**
 * One damaged copy of `seed` (never `seed` itself). `seq` is the sequence number the
 * receiver expects: control messages made from scratch carry it, so they reach the code
 * that decodes them instead of being dropped for their seq.
 */
export function mutate(seed: Uint8Array, random: Random, seq = 0): Uint8Array {
  const choice = below(random, 9);
  if (choice === 7) return shortControl(random, seq);
  if (choice === 8) {
    // A random header, then random bytes.
    const out = new Uint8Array(16 + below(random, 48));
    for (let i = 0; i < out.byteLength; i++) out[i] = below(random, 256);
    if (random() < 0.5) new DataView(out.buffer).setUint32(0, out.byteLength, true);
    return out;
  }
  const out = Uint8Array.from(seed);
  const view = new DataView(out.buffer);
  const rounds = 1 + below(random, 3);
  for (let r = 0; r < rounds && out.byteLength > 0; r++) {
    switch (choice) {
      case 0:
      case 1: {
        // Bit flips.
        const flips = 1 + below(random, 8);
        for (let i = 0; i < flips; i++) out[below(random, out.byteLength)] ^= 1 << below(random, 8);
        break;
      }
      case 2:
        // Truncation (the receiver may be told the old length in the header).
        return out.subarray(0, below(random, out.byteLength));
      case 3: {
        // A lying nlmsg_len.
        const headers = headerOffsets(out, view);
        if (headers.length === 0) break;
        const at = headers[below(random, headers.length)];
        view.setUint32(at, lyingLength(random, view.getUint32(at, true), 32), true);
        break;
      }
      case 4: {
        // A lying nla_len (top level or nested: any aligned offset may hold one).
        const at = attributeOffset(random, out);
        if (at < 0) break;
        view.setUint16(at, lyingLength(random, view.getUint16(at, true), 16), true);
        break;
      }
      case 5: {
        // A random type or flags word in a header.
        const headers = headerOffsets(out, view);
        if (headers.length === 0) break;
        const at = headers[below(random, headers.length)];
        view.setUint16(at + (random() < 0.5 ? 4 : 6), below(random, 0x10000), true);
        break;
      }
      default: {
        // An attribute's payload shortened: its nla_len says fewer bytes than its type needs.
        const at = attributeOffset(random, out);
        if (at < 0) break;
        view.setUint16(at, 4 + below(random, 4), true);
      }
    }
  }
  return out;
}
