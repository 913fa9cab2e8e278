// NflogBatch: the packets of one NFLOG datagram, read in place (the batch form of nflog()).

import { DecodeError, FrameReleasedError } from '../../errors/NetlinkError.js';
import {
  NFGENMSG_LEN,
  NFULA_PACKET_HDR,
  NFULA_PAYLOAD,
  NFULA_SEQ,
  NFULNL_MSG_PACKET_HDR_LEN,
} from '../../families/netfilter/constants.js';
import { type NflogPacket, readNflogPacket } from '../../families/netfilter/nflogPacket.js';
import { checkNfgenmsg } from '../../families/netfilter/nfnetlink.js';
import { attrBe32, attributeHeader } from '../../netlink/attributeReader.js';
import { NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN } from '../../netlink/constants.js';
import type { Frame } from '../../ring/Frame.js';

/** Numbers kept per packet in a batch's table: message offset, payload start and length, seq. */
export const SLOT = 4;

/**
 * The packets of one NFLOG datagram (or of its part between two loss notifications), read
 * in place from the ring frame: what {@link nflogBatches} emits. Its packets are indexed
 * `0 .. length - 1` in the order the kernel logged them.
 *
 * Each message was walked once when the datagram arrived — its nfgenmsg and every attribute
 * header checked, its sequence number and payload located — and nothing else was decoded:
 * {@link seq}, {@link payloadOffset} and {@link payloadLength} cost a table read,
 * {@link payload} that and a view, {@link packet} decodes the whole `NflogPacket` when
 * asked. An attribute whose own length is wrong for its type (a 2-byte NFULA_MARK) throws
 * its `DecodeError` from `packet(i)`.
 *
 * **Valid only during the `next()` that delivers it**, like the frame under it: after that
 * every accessor throws a {@link FrameReleasedError}, and views taken from it (`payload(i)`,
 * a packet's byte fields) go stale. `slice()` the bytes, or `detachPacket(batch.packet(i))`,
 * to keep them. An index outside `0 .. length - 1` throws a RangeError.
 *
 * @example
 * declare const batches: Observable<NflogBatch | Overrun>;
 * batches.subscribe((b) => {
 *   if (b instanceof Overrun) return console.warn(`lost ${b.lost}`);
 *   for (let i = 0; i < b.length; i++) console.log(b.seq(i), b.payload(i)?.length);
 *   // The same payloads with no view per packet: the IP protocol byte of each.
 *   const bytes = b.bytes;
 *   for (let i = 0; i < b.length; i++) {
 *     const at = b.payloadOffset(i);
 *     if (at >= 0 && b.payloadLength(i) > 9) console.log(bytes[at + 9]);
 *   }
 * });
 */
export class NflogBatch {
  /** Packets in the batch (at least one). */
  declare readonly length: number;
  declare private readonly frame: Frame;
  declare private readonly view: DataView;
  /** `view.buffer`, taken once (a builtin getter) for the payload views. */
  declare private readonly buffer: ArrayBufferLike;
  declare private readonly slots: Float64Array;
  declare private readonly base: number;
  /** {@link bytes}, made on first use. */
  declare private whole: Uint8Array | undefined;

  /**
   * Built by `nflogBatches` over the table its walk filled: packet `i`'s numbers are
   * `slots[(first + i) * SLOT ..]`.
   */
  constructor(frame: Frame, view: DataView, slots: Float64Array, first: number, length: number) {
    this.frame = frame;
    this.view = view;
    this.buffer = view.buffer;
    this.slots = slots;
    this.base = first * SLOT;
    this.length = length;
    this.whole = undefined;
  }

  /** NFULA_SEQ of packet `i` (the instance's sequence number), or undefined when not numbered. */
  seq(i: number): number | undefined {
    const seq = this.slots[this.slot(i) + 3];
    return seq < 0 ? undefined : seq;
  }

  /**
   * NFULA_PAYLOAD of packet `i`: the packet from its network header, cut to the copy range,
   * as a zero-copy view into the ring (valid during this `next()`); undefined without one
   * (`copyMode` `'meta'` or `'none'`).
   */
  payload(i: number): Uint8Array | undefined {
    const at = this.slot(i);
    const start = this.slots[at + 1];
    if (start < 0) return undefined;
    return new Uint8Array(this.buffer, start, this.slots[at + 2]);
  }

  /** Bytes of packet `i`'s payload (without making a view of them); -1 without one. */
  payloadLength(i: number): number {
    const at = this.slot(i);
    return this.slots[at + 1] < 0 ? -1 : this.slots[at + 2];
  }

  /**
   * Where packet `i`'s payload starts in {@link bytes}, or -1 without one: with
   * {@link payloadLength}, the payload with no view made per packet (a view costs an
   * allocation, most of what reading a packet costs at large batches). Read
   * `bytes[payloadOffset(i) + k]` for `k < payloadLength(i)`, during this `next()` only.
   */
  payloadOffset(i: number): number {
    return this.slots[this.slot(i) + 1];
  }

  /**
   * The memory the payloads lie in (the ring, or a COPY frame's own buffer), whole: the
   * array {@link payloadOffset} indexes. Valid only during the `next()` that delivers the
   * batch; throws a {@link FrameReleasedError} after it.
   */
  get bytes(): Uint8Array {
    if (!this.frame.live) throw new FrameReleasedError(this.frame.index);
    let bytes = this.whole;
    if (bytes === undefined) {
      bytes = new Uint8Array(this.buffer);
      this.whole = bytes;
    }
    return bytes;
  }

  /** Packet `i` decoded whole, as `nflog()` emits it (byte fields are views into the ring). */
  packet(i: number): NflogPacket {
    return readNflogPacket(this.view, this.slots[this.slot(i)], false);
  }

  /** The packets decoded whole, in order (`packet(0)`, `packet(1)`, …). */
  *[Symbol.iterator](): IterableIterator<NflogPacket> {
    for (let i = 0; i < this.length; i++) yield this.packet(i);
  }

  /** Where packet `i`'s numbers start in the table; throws for a bad index or a released frame. */
  private slot(i: number): number {
    if (!(i >= 0 && i < this.length && Number.isInteger(i))) {
      throw new RangeError(`NflogBatch index ${String(i)} is outside 0..${this.length - 1}`);
    }
    if (!this.frame.live) throw new FrameReleasedError(this.frame.index);
    return this.base + i * SLOT;
  }
}

/**
 * Walks the NFULNL_MSG_PACKET whose nlmsghdr starts at `offset` (inside `view`, as
 * `walkMessages` checked; `base` is `view.byteOffset`) once, with the checks of
 * `readNflogPacket` on its structure (the nfgenmsg, each attribute header, NFULA_PACKET_HDR
 * present and long enough, NFULA_SEQ long enough; the same DecodeErrors at the same
 * offsets), and records it at `slots[k * SLOT ..]`: message offset, payload start in the
 * view's buffer (-1 if none) and length, seq (-1 if none). Returns the seq (-1 if none).
 *
 * Internal to the NFLOG source.
 *
 * @example
 * declare const view: DataView;
 * const slots = new Float64Array(64 * SLOT);
 * const seq = scanNflogPacket(view, view.byteOffset, 0, slots, 0);
 */
export function scanNflogPacket(
  view: DataView,
  base: number,
  offset: number,
  slots: Float64Array,
  k: number,
): number {
  const end = offset + view.getUint32(offset, true);
  // The walk checked that the message lies in the view; `byteLength` is a builtin call, so
  // the full check (checkNfgenmsg) runs only when the payload is short of an nfgenmsg.
  if (end - offset < NLMSG_HDRLEN + NFGENMSG_LEN) checkNfgenmsg(view, offset);
  let hook = false;
  let seq = -1;
  let payload = -1;
  let payloadLength = 0;
  for (let at = offset + 20; at < end; ) {
    const header = attributeHeader(view, at, end);
    const len = header & 0xffff;
    const type = (header >>> 16) & NLA_TYPE_MASK;
    if (type === NFULA_PAYLOAD) {
      payload = base + at + NLA_HDRLEN;
      payloadLength = len - NLA_HDRLEN;
    } else if (type === NFULA_SEQ) {
      seq = attrBe32(view, at, len - NLA_HDRLEN);
    } else if (type === NFULA_PACKET_HDR) {
      if (len - NLA_HDRLEN < NFULNL_MSG_PACKET_HDR_LEN) {
        throw new DecodeError(
          `NFULA_PACKET_HDR: ${len - NLA_HDRLEN} bytes, want ${NFULNL_MSG_PACKET_HDR_LEN}`,
          at,
        );
      }
      hook = true;
    }
    at += (len + 3) & ~3;
  }
  if (!hook) throw new DecodeError('NFULNL_MSG_PACKET without NFULA_PACKET_HDR', offset);
  const s = k * SLOT;
  slots[s] = offset;
  slots[s + 1] = payload;
  slots[s + 2] = payloadLength;
  slots[s + 3] = seq;
  return seq;
}
