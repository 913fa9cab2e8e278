import { DecodeError } from '../errors/NetlinkError.js';
import { Attributes } from './Attributes.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from './constants.js';

/**
 * The DecodeError `Attributes` gives for an attribute (header at `at`, payload `length`
 * bytes) too short for `what`: the same text, at the header's offset.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (length < 4) throw attributeTooShort(view, at, length, 'be32');
 */
export function attributeTooShort(
  view: DataView,
  at: number,
  length: number,
  what: string,
): DecodeError {
  const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
  return new DecodeError(
    `attribute type ${type}: ${length}-byte payload is too short for ${what}`,
    at,
  );
}

/**
 * The DecodeError `Attributes.next()` gives for a malformed attribute header at `at`, with
 * attributes ending at `end`: too few bytes left for an nlattr, or an `nla_len` outside
 * `[4, bytes left]` — the same text, at the same offset.
 *
 * Internal to the netfilter decoders, which walk attributes without a cursor object.
 *
 * @example
 * if (len < NLA_HDRLEN || len > end - at) throw attributeHeaderError(view, at, end);
 */
export function attributeHeaderError(view: DataView, at: number, end: number): DecodeError {
  const remaining = end - at;
  if (remaining < NLA_HDRLEN) {
    return new DecodeError(`${remaining} trailing bytes are too short for an nlattr`, at);
  }
  const len = view.getUint16(at, true);
  const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
  return new DecodeError(`attribute type ${type}: nla_len ${len} is outside [4, ${remaining}]`, at);
}

/**
 * The header of the attribute at `at`, with attributes ending at `end`, as one u32:
 * `nla_len` in the low 16 bits, `nla_type` (flags included) in the high 16 (little-endian,
 * one load). Throws the {@link attributeHeaderError} of a malformed header; so `nla_len`
 * is in `[4, end - at]`. For the decoders that walk attributes without a cursor object,
 * stepping `at += (len + 3) & ~3` (past `end` by at most 3 when the last one's padding is
 * cut: the walk ends).
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * const header = attributeHeader(view, at, end);
 * const len = header & 0xffff;
 * const type = (header >>> 16) & NLA_TYPE_MASK;
 */
export function attributeHeader(view: DataView, at: number, end: number): number {
  const remaining = end - at;
  if (remaining < NLA_HDRLEN) throw attributeHeaderError(view, at, end);
  const header = view.getUint32(at, true);
  const len = header & 0xffff;
  if (len < NLA_HDRLEN || len > remaining) throw attributeHeaderError(view, at, end);
  return header;
}

/**
 * The big-endian u16 payload of the attribute whose header starts at `at` and whose payload
 * is `length` bytes, as `Attributes.be16()` reads it (same DecodeError when too short).
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * declare const packet: netfilter.NflogPacket;
 * const type = view.getUint16(at - 2, true);
 * if (type === netfilter.NFULA_HWTYPE) packet.hwtype = attrBe16(view, at, len - 4);
 */
export function attrBe16(view: DataView, at: number, length: number): number {
  if (length < 2) throw attributeTooShort(view, at, length, 'be16');
  return view.getUint16(at + 4, false);
}

/**
 * The big-endian u32 payload of the attribute whose header starts at `at` and whose payload
 * is `length` bytes, as `Attributes.be32()` reads it — with its DecodeError (at the header)
 * when the payload is too short — for decoders that walk attributes without a cursor object.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * declare const packet: netfilter.NflogPacket;
 * const type = view.getUint16(at - 2, true);
 * if (type === netfilter.NFULA_SEQ) packet.seq = attrBe32(view, at, len - 4);
 */
export function attrBe32(view: DataView, at: number, length: number): number {
  if (length < 4) throw attributeTooShort(view, at, length, 'be32');
  return view.getUint32(at + 4, false);
}

/**
 * The payload of the attribute whose header starts at `at` and whose payload is `length`
 * bytes (already checked to lie inside `view`): a zero-copy view into `view`'s memory, or a
 * copy of it when `copy` is true — for decoders that walk attributes without a cursor object.
 *
 * A view is valid only while the memory under `view` is (a ring frame: until it is
 * released); a copy owns its bytes.
 *
 * `base` is `view.byteOffset`, for a caller that has read it once for many attributes
 * (it is a builtin call, not a load).
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * declare const packet: { payload?: Uint8Array | undefined };
 * const type = view.getUint16(at - 2, true);
 * const copy = false;
 * if (type === netfilter.NFQA_PAYLOAD) packet.payload = attrBytes(view, at, len - 4, copy);
 */
export function attrBytes(
  view: DataView,
  at: number,
  length: number,
  copy: boolean,
  base = view.byteOffset,
): Uint8Array {
  const data = new Uint8Array(view.buffer, base + at + NLA_HDRLEN, length);
  return copy ? data.slice() : data;
}

/** Entries kept: a few rules' prefixes, a few peers' hardware addresses. */
const ENTRIES = 8;
/** Longer strings are decoded every time (NFULA_PREFIX is at most 128 bytes on the wire). */
const MAX_KEY = 128;

/**
 * Memoises the string made from a run of attribute bytes that tends to repeat from packet to
 * packet — a rule's log prefix, a peer's hardware address, a security context — so that a
 * repeat costs a byte comparison in place and no allocation. It keeps the last few distinct
 * byte runs (round robin) with their strings; a miss calls `make` and remembers the result.
 * Results are exactly what `make` returns for those bytes: the cache only skips the work.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * const utf8 = new TextDecoder();
 * const decodeUtf8 = (v: DataView, at: number, n: number) => utf8.decode(new Uint8Array(v.buffer, v.byteOffset + at, n));
 * const prefixes = new StringCache((view, at, length) => decodeUtf8(view, at, length));
 * prefixes.get(view, offset, length); // 'DROP-IN ' again and again, made once
 */
export class StringCache {
  private readonly make: (view: DataView, at: number, length: number) => string;
  private readonly keys: Uint8Array[] = [];
  private readonly values: string[] = [];
  private next = 0;

  constructor(make: (view: DataView, at: number, length: number) => string) {
    this.make = make;
  }

  /** The string for `view[at .. at + length)`. */
  get(view: DataView, at: number, length: number): string {
    const keys = this.keys;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k];
      if (key.length !== length) continue;
      let i = 0;
      while (i < length && view.getUint8(at + i) === key[i]) i++;
      if (i === length) return this.values[k];
    }
    const value = this.make(view, at, length);
    if (length <= MAX_KEY) {
      const key = new Uint8Array(length);
      for (let i = 0; i < length; i++) key[i] = view.getUint8(at + i);
      const slot = keys.length < ENTRIES ? keys.length : this.next;
      this.next = (slot + 1) % ENTRIES;
      keys[slot] = key;
      this.values[slot] = value;
    }
    return value;
  }
}

const utf8 = new TextDecoder();
/** Prefixes and security contexts repeat from packet to packet: decode each one once. */
const strings = new StringCache((view, at, length) =>
  utf8.decode(new Uint8Array(view.buffer, view.byteOffset + at, length)),
);

/**
 * The string payload of the attribute whose header starts at `at` (payload `length` bytes),
 * as `Attributes.string()` reads it — UTF-8 up to the first NUL or the end — but made once
 * per distinct value: a repeat costs a byte comparison in place.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * declare const packet: netfilter.NflogPacket;
 * const type = view.getUint16(at - 2, true);
 * if (type === netfilter.NFULA_PREFIX) packet.prefix = attrString(view, at, len - 4);
 */
export function attrString(view: DataView, at: number, length: number): string {
  const start = at + 4;
  const end = start + length;
  let nul = start;
  while (nul < end && view.getUint8(nul) !== 0) nul++;
  return strings.get(view, start, nul - start);
}

const NOTHING = new DataView(new ArrayBuffer(0));
/** One cursor for every call: decoding is synchronous, and `read` is done with it on return. */
const cursor = new Attributes(NOTHING, 0, 0);

/**
 * Calls `read` with an `Attributes` cursor standing on the attribute whose header starts at
 * `at` (its header already checked; `end` is the end of the enclosing message), and returns
 * what `read` returns. It lets the decoders that walk attributes in place use the
 * cursor-based readers (readPacketTimestamp, readPacketHwaddr, readPacketVlan) for the rare
 * attributes they handle, without allocating a cursor per call.
 *
 * Whatever `read` throws (a DecodeError for a malformed attribute) goes to the caller. The
 * cursor lets go of `view`'s memory before returning or throwing, so it never keeps a ring
 * frame reachable. `read` must not keep the cursor.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * declare const packet: netfilter.NflogPacket;
 * declare function readPacketTimestamp(view: DataView, a: Attributes): netfilter.PacketTimestamp;
 * const type = view.getUint16(at - 2, true);
 * if (type === netfilter.NFULA_TIMESTAMP) packet.timestamp = withAttributeCursor(view, at, end, readPacketTimestamp);
 */
export function withAttributeCursor<T>(
  view: DataView,
  at: number,
  end: number,
  read: (view: DataView, a: Attributes) => T,
): T {
  try {
    cursor.reset(view, at, end).next();
    return read(view, cursor);
  } finally {
    cursor.reset(NOTHING, 0, 0);
  }
}
