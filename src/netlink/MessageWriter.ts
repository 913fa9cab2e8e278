import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { NLA_F_NESTED, NLA_HDRLEN, NLMSG_HDRLEN } from './constants.js';

const utf8 = new TextEncoder();

/** The largest `nla_len`: a u16. */
const NLA_MAX_LEN = 0xffff;
/** The largest `nlmsg_len`: a u32. */
const NLMSG_MAX_LEN = 0xffffffff;

/** EMSGSIZE: what does not fit its length field is refused, never wrapped. */
function tooLong(what: string, length: number, max: number): NetlinkError {
  return new NetlinkError({
    op: 'encode',
    errno: errnos.EMSGSIZE,
    detail: `${what} of ${length} bytes does not fit its length field (at most ${max})`,
  });
}

/**
 * Builds netlink messages: a header, a family header written field by field, then
 * attributes (nested ones too), aligned as the kernel expects. Several messages may be
 * written one after another (a batch). The buffer grows as needed.
 *
 * Lengths are never wrapped: an attribute whose `nla_len` (u16) would exceed 65,535 bytes
 * (a payload over 65,531), a nest that grows past it, or a message past `nlmsg_len`'s u32
 * throws a {@link NetlinkError} EMSGSIZE (op `encode`); start over with {@link reset}.
 *
 * @example
 * const bytes = new MessageWriter()
 *   .begin(rtnetlink.RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 1)
 *   .u8(AF_UNSPEC).zeros(15)          // struct ifinfomsg
 *   .attrU32(rtnetlink.IFLA_EXT_MASK, 1)
 *   .end()
 *   .finish();
 */
export class MessageWriter {
  private buf: Uint8Array;
  private view: DataView;
  private pos = 0;
  private start = -1;

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  private ensure(more: number): void {
    if (this.pos + more <= this.buf.byteLength) return;
    let size = this.buf.byteLength * 2;
    while (size < this.pos + more) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  private pad(): void {
    const aligned = (this.pos + 3) & ~3;
    this.ensure(aligned - this.pos);
    this.buf.fill(0, this.pos, aligned);
    this.pos = aligned;
  }

  /** Starts a message: writes an nlmsghdr whose length {@link end} fills in. */
  begin(type: number, flags: number, seq = 0, pid = 0): this {
    this.pad();
    this.ensure(NLMSG_HDRLEN);
    this.start = this.pos;
    this.view.setUint32(this.pos, 0, true);
    this.view.setUint16(this.pos + 4, type, true);
    this.view.setUint16(this.pos + 6, flags, true);
    this.view.setUint32(this.pos + 8, seq >>> 0, true);
    this.view.setUint32(this.pos + 12, pid >>> 0, true);
    this.pos += NLMSG_HDRLEN;
    return this;
  }

  /** Ends the current message: sets its nlmsg_len. */
  end(): this {
    if (this.start < 0) {
      throw new NetlinkError({
        op: 'encode',
        errno: errnos.EINVAL,
        detail: 'MessageWriter.end() without begin()',
      });
    }
    const length = this.pos - this.start;
    if (length > NLMSG_MAX_LEN) throw tooLong('a message', length, NLMSG_MAX_LEN);
    this.view.setUint32(this.start, this.pos - this.start, true);
    this.start = -1;
    return this;
  }

  u8(v: number): this {
    this.ensure(1);
    this.view.setUint8(this.pos, v);
    this.pos += 1;
    return this;
  }

  u16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }

  u32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, true);
    this.pos += 4;
    return this;
  }

  s32(v: number): this {
    this.ensure(4);
    this.view.setInt32(this.pos, v, true);
    this.pos += 4;
    return this;
  }

  be16(v: number): this {
    this.ensure(2);
    this.view.setUint16(this.pos, v, false);
    this.pos += 2;
    return this;
  }

  be32(v: number): this {
    this.ensure(4);
    this.view.setUint32(this.pos, v >>> 0, false);
    this.pos += 4;
    return this;
  }

  /** Raw bytes, unaligned. */
  bytes(data: Uint8Array): this {
    this.ensure(data.byteLength);
    this.buf.set(data, this.pos);
    this.pos += data.byteLength;
    return this;
  }

  /** `n` zero bytes. */
  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.pos, this.pos + n);
    this.pos += n;
    return this;
  }

  /** An attribute with a raw payload. */
  attr(type: number, payload: Uint8Array): this {
    const length = NLA_HDRLEN + payload.byteLength;
    if (length > NLA_MAX_LEN) throw tooLong(`attribute type ${type}`, length, NLA_MAX_LEN);
    this.pad();
    this.ensure(NLA_HDRLEN + payload.byteLength);
    this.view.setUint16(this.pos, NLA_HDRLEN + payload.byteLength, true);
    this.view.setUint16(this.pos + 2, type, true);
    this.buf.set(payload, this.pos + NLA_HDRLEN);
    this.pos += NLA_HDRLEN + payload.byteLength;
    this.pad();
    return this;
  }

  private header(type: number, payloadLength: number): void {
    const length = NLA_HDRLEN + payloadLength;
    if (length > NLA_MAX_LEN) throw tooLong(`attribute type ${type}`, length, NLA_MAX_LEN);
    this.pad();
    this.ensure(NLA_HDRLEN + payloadLength + 3);
    this.view.setUint16(this.pos, NLA_HDRLEN + payloadLength, true);
    this.view.setUint16(this.pos + 2, type, true);
    this.pos += NLA_HDRLEN;
  }

  attrFlag(type: number): this {
    this.header(type, 0);
    return this;
  }

  attrU8(type: number, v: number): this {
    this.header(type, 1);
    this.u8(v);
    this.pad();
    return this;
  }

  attrU16(type: number, v: number): this {
    this.header(type, 2);
    this.u16(v);
    this.pad();
    return this;
  }

  attrBe16(type: number, v: number): this {
    this.header(type, 2);
    this.be16(v);
    this.pad();
    return this;
  }

  attrU32(type: number, v: number): this {
    this.header(type, 4);
    return this.u32(v);
  }

  attrS32(type: number, v: number): this {
    this.header(type, 4);
    return this.s32(v);
  }

  attrBe32(type: number, v: number): this {
    this.header(type, 4);
    return this.be32(v);
  }

  attrU64(type: number, v: bigint): this {
    this.header(type, 8);
    this.ensure(8);
    this.view.setBigUint64(this.pos, v, true);
    this.pos += 8;
    return this;
  }

  attrBe64(type: number, v: bigint): this {
    this.header(type, 8);
    this.ensure(8);
    this.view.setBigUint64(this.pos, v, false);
    this.pos += 8;
    return this;
  }

  /** A NUL-terminated string attribute (NLA_NUL_STRING). */
  attrString(type: number, s: string): this {
    const encoded = utf8.encode(s);
    this.header(type, encoded.byteLength + 1);
    this.buf.set(encoded, this.pos);
    this.buf[this.pos + encoded.byteLength] = 0;
    this.pos += encoded.byteLength + 1;
    this.pad();
    return this;
  }

  /** Opens a nested attribute (NLA_F_NESTED set); returns a token for {@link endNest}. */
  nest(type: number): number {
    this.header(type | NLA_F_NESTED, 0);
    return this.pos - NLA_HDRLEN;
  }

  /** Closes the nested attribute opened at `token`. */
  endNest(token: number): this {
    const length = this.pos - token;
    if (length > NLA_MAX_LEN) {
      throw tooLong(
        `nested attribute type ${this.view.getUint16(token + 2, true) & 0x3fff}`,
        length,
        NLA_MAX_LEN,
      );
    }
    this.view.setUint16(token, length, true);
    return this;
  }

  /** A copy of everything written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }

  /** A view (no copy) of everything written; valid until the next write. */
  peek(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets everything written, keeping the buffer. */
  reset(): this {
    this.pos = 0;
    this.start = -1;
    return this;
  }
}
