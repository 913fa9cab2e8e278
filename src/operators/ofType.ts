import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { keepMessages } from './keepMessages.js';
import { MessageStream } from './MessageStream.js';

/**
 * Keeps the netlink messages whose `nlmsg_type` is one of `types` and drops the other
 * messages. Values that are not messages (an `Overrun`, a `Frame`) pass through untouched
 * and in order. Completes and errors with its source.
 *
 * Throws a TypeError at once unless `types` holds at least one integer in [0, 65535].
 *
 * @example
 * fromRing(open).pipe(parseMessages(), ofType(RTM_NEWLINK, RTM_DELLINK)).subscribe(onLink);
 */
export function ofType<T>(...types: number[]): MonoTypeOperatorFunction<T> {
  if (types.length === 0) throw new TypeError('types: expected at least one message type');
  for (const type of types) {
    if (!Number.isInteger(type) || type < 0 || type > 0xffff) {
      throw new TypeError(`types: ${String(type)} is not a u16 nlmsg_type`);
    }
  }
  // One bit per nlmsg_type: a lookup costs the same for one type or fifty.
  const wanted = new Uint8Array(8192);
  for (const type of types) wanted[type >>> 3] |= 1 << (type & 7);
  return (source) =>
    source instanceof MessageStream
      ? (source.narrow({ types: wanted }) as Observable<T>)
      : keepMessages<T>((m) => (wanted[m.type >>> 3] & (1 << (m.type & 7))) !== 0)(source);
}
