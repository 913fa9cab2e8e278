import { DecodeError } from '../errors/NetlinkError.js';
import { NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_HDRLEN, NLA_TYPE_MASK } from './constants.js';

const utf8 = new TextDecoder();

/**
 * `#define NLA_ALIGN(len) (((len) + NLA_ALIGNTO - 1) & ~(NLA_ALIGNTO - 1))`
 *
 * Exact for every u32 `len` (no 32-bit overflow: the rounding is done in doubles).
 *
 * @example
 * nlaAlign(5); // 8
 */
export function nlaAlign(length: number): number {
  return length + ((4 - (length & 3)) & 3);
}

/** Throws unless `[start, end)` lies inside the view: a cursor never reads past its buffer. */
function checkRange(view: DataView, start: number, end: number): void {
  if (!(start >= 0 && start <= end && end <= view.byteLength)) {
    throw new DecodeError(
      `attribute range [${start}, ${end}) is outside the ${view.byteLength}-byte buffer`,
      Math.max(0, Math.min(start, view.byteLength)),
    );
  }
}

/**
 * A cursor over the netlink attributes (TLVs) in `[start, end)` of a DataView, decoding in
 * place. Call {@link next} until it returns false; after each call {@link type},
 * {@link offset} and {@link length} describe the current attribute and the typed getters
 * read its payload.
 *
 * ```
 *  <------- NLA_HDRLEN ------> <-- NLA_ALIGN(payload)-->
 * +---------------------+- - -+- - - - - - - - - -+- - -+
 * |        Header       | Pad |     Payload       | Pad |
 * |   (struct nlattr)   | ing |                   | ing |
 * +---------------------+- - -+- - - - - - - - - -+- - -+
 *  nla_len (u16) | nla_type (u16: N flag, O flag, type)
 * ```
 *
 * Malformed input (a range outside the view, an `nla_len` below 4 or past the end, a payload
 * too short for the getter used, a getter called before {@link next}) throws a
 * {@link DecodeError} with the byte offset, never a RangeError. Callers skip types they do not
 * know: an old application may run on a newer kernel.
 *
 * @example
 * const a = new Attributes(msg.view, msg.payloadOffset + 16, msg.end);
 * let mtu = 0;
 * while (a.next()) if (a.type === rtnetlink.IFLA_MTU) mtu = a.u32();
 */
export class Attributes {
  private view: DataView;
  private end: number;
  private cursor: number;
  /** The attribute type, without the NLA_F_NESTED and NLA_F_NET_BYTEORDER bits. */
  type = 0;
  /** Whether the NLA_F_NESTED bit is set. */
  nestedFlag = false;
  /** Whether the NLA_F_NET_BYTEORDER bit is set. */
  netByteOrder = false;
  /** Offset of the current attribute's payload in the view. */
  offset = 0;
  /** Payload length of the current attribute (nla_len - 4). */
  length = 0;
  /** Offset of the current attribute's header. */
  headerOffset = 0;

  constructor(view: DataView, start: number, end: number) {
    checkRange(view, start, end);
    this.view = view;
    this.cursor = start;
    this.end = end;
  }

  /** Points the cursor at another range, so one instance serves many messages. */
  reset(view: DataView, start: number, end: number): this {
    checkRange(view, start, end);
    this.view = view;
    this.cursor = start;
    this.end = end;
    this.length = 0;
    return this;
  }

  /** Advances to the next attribute; false at the end of the range. */
  next(): boolean {
    const remaining = this.end - this.cursor;
    if (remaining <= 0) return false;
    if (remaining < NLA_HDRLEN) {
      throw new DecodeError(`${remaining} trailing bytes are too short for an nlattr`, this.cursor);
    }
    const len = this.view.getUint16(this.cursor, true);
    const rawType = this.view.getUint16(this.cursor + 2, true);
    if (len < NLA_HDRLEN || len > remaining) {
      throw new DecodeError(
        `attribute type ${rawType & NLA_TYPE_MASK}: nla_len ${len} is outside [4, ${remaining}]`,
        this.cursor,
      );
    }
    this.headerOffset = this.cursor;
    this.type = rawType & NLA_TYPE_MASK;
    this.nestedFlag = (rawType & NLA_F_NESTED) !== 0;
    this.netByteOrder = (rawType & NLA_F_NET_BYTEORDER) !== 0;
    this.offset = this.cursor + NLA_HDRLEN;
    this.length = len - NLA_HDRLEN;
    this.cursor += Math.min(nlaAlign(len), remaining);
    return true;
  }

  private need(bytes: number, what: string): void {
    if (this.length < bytes) {
      throw new DecodeError(
        `attribute type ${this.type}: ${this.length}-byte payload is too short for ${what}`,
        this.headerOffset,
      );
    }
  }

  /** The payload as u8. */
  u8(): number {
    this.need(1, 'u8');
    return this.view.getUint8(this.offset);
  }

  /** The payload as host-order u16. */
  u16(): number {
    this.need(2, 'u16');
    return this.view.getUint16(this.offset, true);
  }

  /** The payload as host-order u32. */
  u32(): number {
    this.need(4, 'u32');
    return this.view.getUint32(this.offset, true);
  }

  /** The payload as host-order s32. */
  s32(): number {
    this.need(4, 's32');
    return this.view.getInt32(this.offset, true);
  }

  /** The payload as host-order u64. */
  u64(): bigint {
    this.need(8, 'u64');
    return this.view.getBigUint64(this.offset, true);
  }

  /** The payload as big-endian (network order) u16. */
  be16(): number {
    this.need(2, 'be16');
    return this.view.getUint16(this.offset, false);
  }

  /** The payload as big-endian (network order) u32. */
  be32(): number {
    this.need(4, 'be32');
    return this.view.getUint32(this.offset, false);
  }

  /** The payload as big-endian (network order) u64. */
  be64(): bigint {
    this.need(8, 'be64');
    return this.view.getBigUint64(this.offset, false);
  }

  /** The payload as a string, up to the first NUL (NLA_NUL_STRING / NLA_STRING). */
  string(): string {
    const bytes = new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset, this.length);
    const nul = bytes.indexOf(0);
    return utf8.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
  }

  /** The payload as a view (no copy) into the underlying memory. */
  bytes(): Uint8Array {
    return new Uint8Array(this.view.buffer, this.view.byteOffset + this.offset, this.length);
  }

  /** The payload as a fresh copy. */
  copyBytes(): Uint8Array {
    return this.bytes().slice();
  }

  /** A new cursor over the attributes nested in this one's payload. */
  nested(): Attributes {
    return new Attributes(this.view, this.offset, this.offset + this.length);
  }

  /** The end offset of the current attribute's payload (for nested walks without allocating). */
  get payloadEnd(): number {
    return this.offset + this.length;
  }
}
