import { type MonoTypeOperatorFunction, Observable, type Subscriber } from 'rxjs';
import { NLM_F_DUMP_INTR, NLMSG_MIN_TYPE } from '../netlink/constants.js';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { endsDump } from './endsDump.js';
import { MessageStream } from './MessageStream.js';
import { OperatorObserver } from './OperatorObserver.js';

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
    // Right after parseMessages (nothing filtered yet), the dump logic fuses into the parser.
    source instanceof MessageStream && source.unfiltered
      ? (source.dump(seq) as Observable<T>)
      : new Observable<T>((subscriber) => {
          source.subscribe(new DumpTaker<T>(subscriber, seq));
        });
}

/**
 * The per-subscription state of {@link takeDump}: one observer between source and
 * subscriber (it runs once per dump message, so no chain of rxjs operators).
 */
class DumpTaker<T> extends OperatorObserver<T, T> {
  private readonly seq: number | undefined;
  private interrupted = 0;

  constructor(destination: Subscriber<T>, seq: number | undefined) {
    super(destination);
    this.seq = seq;
  }

  next(value: T): void {
    if (this.closed) return;
    if (!(value instanceof NetlinkMessage)) {
      this.destination.next(value);
      return;
    }
    if (this.seq !== undefined && value.seq !== this.seq) return;
    if (value.flags & NLM_F_DUMP_INTR) this.interrupted++;
    const type = value.type;
    // `< 0x10: reserved control messages` (<linux/netlink.h>): ERROR and DONE end the dump,
    // the rest (NOOP, OVERRUN) are dropped, as libmnl's callback loop does.
    if (type >= NLMSG_MIN_TYPE) {
      this.destination.next(value);
      return;
    }
    try {
      if (endsDump(value, this.interrupted)) this.complete();
    } catch (error) {
      this.error(error);
    }
  }
}
