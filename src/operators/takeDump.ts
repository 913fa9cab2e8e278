import { defer, filter, type MonoTypeOperatorFunction, takeWhile } from 'rxjs';
import { DecodeError } from '../errors/DecodeError.js';
import { DumpInterruptedError } from '../errors/DumpInterruptedError.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { Attributes } from '../netlink/Attributes.js';
import {
  NLM_F_ACK_TLVS,
  NLM_F_DUMP_INTR,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_MIN_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from '../netlink/constants.js';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { ackError, readAck } from '../netlink/readAck.js';

/** Options of {@link takeDump}. */
export interface TakeDumpOptions {
  /** Only the replies with this `nlmsg_seq` (the dump request's); other messages are dropped. */
  seq?: number;
}

/**
 * The replies of one multipart dump: emits each data message as it arrives (no buffering)
 * and completes at NLMSG_DONE, which is not emitted. Values that are not messages (an
 * `Overrun`) pass through untouched and in order. With `seq`, messages of other sequence
 * numbers are dropped. Other control messages (NLMSG_NOOP, NLMSG_OVERRUN, a plain ack with
 * errno 0) are dropped, as libmnl's callback loop does.
 *
 * Errors:
 * - NLMSG_ERROR with errno ≠ 0 (say EOPNOTSUPP for a family that cannot dump) errors the
 *   stream with a `NetlinkError` (op `dump`, errno, seq, extended ack).
 * - NLMSG_DONE whose `int` payload is negative (the dump failed part way) errors it with a
 *   `NetlinkError` (op `dump`) carrying NLMSGERR_ATTR_MSG/OFFS when NLM_F_ACK_TLVS is set;
 *   a DONE too short for its `int` errors it with a `DecodeError`, as iproute2 does.
 * - **NLM_F_DUMP_INTR policy**: the kernel sets this flag on replies built while the table
 *   changed under the dump, so the whole result may be inconsistent. Messages are still
 *   emitted as they arrive; if any reply (DONE included) carried the flag, the stream
 *   errors at DONE with a `DumpInterruptedError` (a NetlinkError, op `dump`, errno EINTR)
 *   instead of completing — as libmnl returns EINTR and mdlayher/netlink
 *   ErrDumpInterrupted. A DONE errno takes precedence over it. Callers that collect
 *   (`toArray()`) retry the whole dump within a budget with rxjs `retry`.
 *
 * Throws a TypeError at once when `seq` is not a u32 integer.
 *
 * @example
 * dump$.pipe(
 *   parseMessages(),
 *   takeDump({ seq }),
 *   copyMessages(),
 *   toArray(),
 *   retry({ count: 3, delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)) }),
 * );
 */
export function takeDump<T>(options: TakeDumpOptions = {}): MonoTypeOperatorFunction<T> {
  const seq = options.seq;
  if (seq !== undefined && (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff)) {
    throw new TypeError(`seq: ${String(seq)} is not a u32 sequence number`);
  }
  return (source) =>
    defer(() => {
      let interrupted = 0;
      return source.pipe(
        // filter() sends what its predicate throws to the error channel.
        filter((value) => {
          if (!(value instanceof NetlinkMessage)) return true;
          if (seq !== undefined && value.seq !== seq) return false;
          if (value.flags & NLM_F_DUMP_INTR) interrupted++;
          switch (value.type) {
            case NLMSG_ERROR: {
              const ack = readAck(value.view, value.offset);
              if (ack.errno !== 0) throw ackError(ack, 'dump');
              return false;
            }
            case NLMSG_DONE: {
              const failure = doneError(value);
              if (failure !== null) throw failure;
              if (interrupted > 0) throw new DumpInterruptedError(value.seq, interrupted);
              return true; // to takeWhile, which completes on it
            }
            default:
              // `< 0x10: reserved control messages` (<linux/netlink.h>).
              return value.type >= NLMSG_MIN_TYPE;
          }
        }),
        takeWhile((value) => !(value instanceof NetlinkMessage && value.type === NLMSG_DONE)),
      );
    });
}

/**
 * The error an NLMSG_DONE reports, or null. The kernel's `netlink_dump_done()` writes
 * `int dump_done_errno` as the payload, then NLMSGERR_ATTR_* TLVs (NLM_F_ACK_TLVS).
 */
function doneError(done: NetlinkMessage): NetlinkError | null {
  if (done.payloadLength < 4) {
    throw new DecodeError(
      `NLMSG_DONE of ${done.length} bytes is too short for its int error`,
      done.offset,
    );
  }
  const view = done.view;
  const error = view.getInt32(done.payloadOffset, true);
  if (error >= 0) return null;
  let extack: string | undefined;
  let offset: number | undefined;
  if (done.flags & NLM_F_ACK_TLVS) {
    const a = new Attributes(view, done.payloadOffset + 4, done.end);
    while (a.next()) {
      if (a.type === NLMSGERR_ATTR_MSG) extack = a.string();
      else if (a.type === NLMSGERR_ATTR_OFFS) offset = a.u32();
    }
  }
  return new NetlinkError({ op: 'dump', errno: -error, seq: done.seq, extack, offset });
}
