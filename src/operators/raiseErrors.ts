import { filter, type MonoTypeOperatorFunction } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { NLMSG_ERROR } from '../netlink/constants.js';
import { ackError, readAck } from '../netlink/control.js';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';

/** Options of {@link raiseErrors}. */
export interface RaiseErrorsOptions {
  /**
   * What to do with a plain acknowledgement (NLMSG_ERROR with errno 0): `'pass'` (default)
   * emits it like any message, `'drop'` leaves it out.
   */
  acks?: 'pass' | 'drop' | undefined;
}

/**
 * Turns a failed acknowledgement into an error: an NLMSG_ERROR message with errno ≠ 0
 * errors the stream with a `NetlinkError` (op `request`; `errno` and its name in `code`,
 * the request's `seq`, the kernel's extended-ack `extack` text and `offset` when it sent
 * them). Plain acknowledgements (errno 0) pass or are dropped as `acks` says; every other
 * value passes through untouched and in order. A malformed NLMSG_ERROR errors the stream
 * with a `DecodeError`. Completes with its source.
 *
 * Throws a TypeError at once for an unknown `acks` option.
 *
 * @example
 * declare const replies$: Observable<Frame | Overrun>;
 * replies$.pipe(parseMessages(), raiseErrors({ acks: 'drop' })).subscribe({
 *   error: (e: NetlinkError) => console.log(e.code, e.extack),
 * });
 */
export function raiseErrors<T>(options?: RaiseErrorsOptions): MonoTypeOperatorFunction<T> {
  const check = argumentChecker('raiseErrors');
  const acks = check.oneOf('options.acks', check.options(options).acks, ['pass', 'drop']);
  const passAcks = acks !== 'drop';
  // filter() sends what its predicate throws to the error channel.
  return filter((value) => {
    if (!(value instanceof NetlinkMessage) || value.type !== NLMSG_ERROR) return true;
    const ack = readAck(value.view, value.offset);
    if (ack.errno !== 0) throw ackError(ack, 'request');
    return passAcks;
  });
}
