import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { keepMessages, MessageStream } from './MessageStream.js';

/**
 * Keeps the netlink messages for which `predicate` returns true and drops the other
 * messages. Values that are not messages (an `Overrun`, a `Frame`) pass through untouched,
 * in order, without calling `predicate`. Completes and errors with its source; an exception
 * thrown by `predicate` errors the stream with it.
 *
 * The message is borrowed while `predicate` runs: it may read the payload in place.
 *
 * @example
 * declare const messages$: Observable<NetlinkMessage | Overrun>;
 * declare function onReply(m: NetlinkMessage | Overrun): void;
 * const requestSeq = 7;
 * messages$.pipe(filterMessages((m) => m.seq === requestSeq)).subscribe(onReply);
 */
export function filterMessages<T>(
  predicate: (message: NetlinkMessage) => boolean,
): MonoTypeOperatorFunction<T> {
  if (typeof predicate !== 'function') {
    argumentChecker('filterMessages').fail('predicate', 'a function', predicate);
  }
  return (source) =>
    source instanceof MessageStream
      ? (source.narrow({ predicates: [predicate] }) as Observable<T>)
      : keepMessages<T>(predicate)(source);
}
