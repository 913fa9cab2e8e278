/**
 * The text form of an IPv4 (4 bytes) or IPv6 (16 bytes) address read in place at `offset`
 * of `view`: dotted quad, or RFC 5952 (lowercase, the longest run of two or more zero groups
 * as `::`, the first on a tie, IPv4-mapped addresses as `::ffff:a.b.c.d`) — what inet_ntop
 * and conntrack(8) print. Any other length gives the bytes in hex joined by `:`.
 *
 * @example
 * formatAddress(new DataView(new Uint8Array([127, 0, 0, 1]).buffer), 0, 4); // '127.0.0.1'
 */
export function formatAddress(view: DataView, offset: number, length: number): string {
  if (length === 4) return dotted(view, offset);
  if (length !== 16) {
    const parts: string[] = [];
    for (let i = 0; i < length; i++) parts.push(hex2(view.getUint8(offset + i)));
    return parts.join(':');
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(view.getUint16(offset + i * 2, false));
  // ::ffff:a.b.c.d (IPv4-mapped).
  if (groups[5] === 0xffff && groups.slice(0, 5).every((g) => g === 0)) {
    return `::ffff:${dotted(view, offset + 12)}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

function dotted(view: DataView, offset: number): string {
  return `${view.getUint8(offset)}.${view.getUint8(offset + 1)}.${view.getUint8(offset + 2)}.${view.getUint8(offset + 3)}`;
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}

/**
 * The bytes of an IPv4 address (`a.b.c.d`, 4 bytes) or an IPv6 address (any RFC 4291 text
 * form, including `::` and a trailing dotted quad, 16 bytes) — the inverse of
 * {@link formatAddress}. Throws a TypeError for text that is neither.
 *
 * @example
 * parseAddress('::1'); // Uint8Array(16) [0, ..., 0, 1]
 */
export function parseAddress(text: string): Uint8Array {
  const v4 = parseDotted(text);
  if (v4 !== undefined) return v4;
  const out = new Uint8Array(16);
  let rest = text;
  // A trailing dotted quad stands for the last two groups.
  let tail: Uint8Array | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon >= 0 && rest.includes('.', lastColon)) {
    tail = parseDotted(rest.slice(lastColon + 1));
    if (tail === undefined) throw new TypeError(`not an IP address: ${text}`);
    rest = `${rest.slice(0, lastColon + 1)}0:0`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) throw new TypeError(`not an IP address: ${text}`);
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const back = halves.length === 2 ? groups(halves[1]) : [];
  const total = head.length + back.length;
  if (halves.length === 2 ? total > 7 : total !== 8) {
    throw new TypeError(`not an IP address: ${text}`);
  }
  const all = [...head, ...new Array<string>(8 - total).fill('0'), ...back];
  for (const [i, g] of all.entries()) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new TypeError(`not an IP address: ${text}`);
    const value = Number.parseInt(g, 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  }
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

function parseDotted(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (const [i, p] of parts.entries()) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}

/**
 * The bytes of a hardware address written as hex bytes joined by `:` (`52:54:00:12:34:56`),
 * at most 8 — the inverse of what the packet decoders return in `hwaddr`. Throws a
 * TypeError otherwise.
 *
 * @example
 * parseHwaddr('52:54:00:12:34:56'); // Uint8Array(6)
 */
export function parseHwaddr(text: string): Uint8Array {
  const parts = text === '' ? [] : text.split(':');
  if (parts.length > 8 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new TypeError(`not a hardware address of at most 8 bytes: ${text}`);
  }
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}
