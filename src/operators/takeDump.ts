import { type MonoTypeOperatorFunction, Observable, type Subscriber } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import {
  type ControlCounters,
  type ControlState,
  checkControlCounters,
  controlState,
  MESSAGE_DATA,
  MESSAGE_DONE,
  routeMessage,
} from '../netlink/control.js';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { MessageStream, OperatorObserver } from './MessageStream.js';

/** Options of {@link takeDump}. */
export interface TakeDumpOptions {
  /** Only the replies with this `nlmsg_seq` (the dump request's); other messages are dropped. */
  seq?: number | undefined;
  /**
   * Our port id (`socket.portid`): replies whose `nlmsg_pid` is neither 0 nor this are not
   * answers to us and are dropped (counted as `foreign`). 0 or absent: not checked.
   */
  portId?: number | undefined;
  /** What was asked (`getRoutes table main`): leads the message of the errors. */
  request?: string | undefined;
  /** Counters the dump updates in place (DUMP_INTR replies, dropped messages by reason). */
  counters?: ControlCounters | undefined;
}

/**
 * The replies of one multipart dump: emits each data message as it arrives (no buffering)
 * and completes at NLMSG_DONE, which is not emitted. Values that are not messages (an
 * `Overrun`) pass through untouched and in order. Every message goes through the one
 * control-message router (`routeMessage`): with `seq`, messages of other sequence numbers
 * are dropped; with `portId`, messages from another port are dropped; other control
 * messages (NLMSG_NOOP, NLMSG_OVERRUN, a plain ack with errno 0) are dropped, as libmnl's
 * callback loop does. Each drop is counted in `counters` when given.
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
 * Throws a TypeError at once for a bad option (`seq` or `portId` not a u32, `request` not a
 * string, `counters` not an object).
 *
 * @example
 * declare const dump$: Observable<Frame | Overrun>;
 * const seq = 1;
 * dump$.pipe(
 *   parseMessages(),
 *   takeDump({ seq }),
 *   copyMessages(),
 *   toArray(),
 *   retry({ count: 3, delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)) }),
 * );
 */
export function takeDump<T>(options?: TakeDumpOptions): MonoTypeOperatorFunction<T> {
  const check = argumentChecker('takeDump');
  const o = check.options(options);
  const dump = {
    seq: check.uint('options.seq', o.seq, 32),
    portId: check.uint('options.portId', o.portId, 32),
    request: check.string('options.request', o.request, 4096),
    counters: checkControlCounters(check, o.counters),
  };
  return (source) =>
    // Right after parseMessages (nothing filtered yet), the dump logic fuses into the parser.
    source instanceof MessageStream && source.unfiltered
      ? (source.dump(dump) as Observable<T>)
      : new Observable<T>((subscriber) => {
          source.subscribe(new DumpTaker<T>(subscriber, controlState({ op: 'dump', ...dump })));
        });
}

/**
 * The per-subscription state of {@link takeDump}: one observer between source and
 * subscriber (it runs once per dump message, so no chain of rxjs operators).
 */
class DumpTaker<T> extends OperatorObserver<T, T> {
  private readonly control: ControlState;

  constructor(destination: Subscriber<T>, control: ControlState) {
    super(destination);
    this.control = control;
  }

  next(value: T): void {
    if (this.closed) return;
    if (!(value instanceof NetlinkMessage)) {
      this.destination.next(value);
      return;
    }
    let routed: number;
    try {
      routed = routeMessage(this.control, value.view, value.offset);
    } catch (error) {
      this.error(error);
      return;
    }
    if (routed === MESSAGE_DATA) this.destination.next(value);
    else if (routed === MESSAGE_DONE) this.complete();
  }
}
