import { type MonoTypeOperatorFunction, map } from 'rxjs';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';

/**
 * Detaches each {@link NetlinkMessage} from its frame: emits `message.copy()`, which owns
 * its bytes (one nlmsghdr at offset 0) and never goes stale, so it may be kept past
 * `next()` (`toArray()`, `delay()`, a cache) while the frame goes back to the producer.
 * Every other value passes through untouched and in order. Completes and errors with its
 * source; a message whose frame was already released errors the stream.
 *
 * @example
 * declare const dump$: Observable<Frame | Overrun>;
 * declare function onAll(messages: Array<NetlinkMessage | Overrun>): void;
 * dump$.pipe(parseMessages(), takeDump(), copyMessages(), toArray()).subscribe(onAll);
 */
export function copyMessages<T>(): MonoTypeOperatorFunction<T> {
  return map((value) => (value instanceof NetlinkMessage ? (value.copy() as T) : value));
}
