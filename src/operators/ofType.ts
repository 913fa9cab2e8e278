import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { keepMessages, MessageStream } from './MessageStream.js';

/**
 * Keeps the netlink messages whose `nlmsg_type` is one of `types` and drops the other
 * messages. Values that are not messages (an `Overrun`, a `Frame`) pass through untouched
 * and in order. Completes and errors with its source.
 *
 * Throws a TypeError at once unless `types` holds at least one integer in [0, 65535].
 *
 * @example
 * declare function onLink(m: NetlinkMessage | Overrun): void;
 * const { RTM_NEWLINK, RTM_DELLINK } = rtnetlink;
 * fromRing(open).pipe(parseMessages(), ofType(RTM_NEWLINK, RTM_DELLINK)).subscribe(onLink);
 */
export function ofType<T>(...types: number[]): MonoTypeOperatorFunction<T> {
  const check = argumentChecker('ofType');
  if (types.length === 0) check.fail('types', 'at least one nlmsg_type', types);
  for (const [i, type] of types.entries()) check.uint(`types[${i}]`, type, 16);
  // One bit per nlmsg_type: a lookup costs the same for one type or fifty.
  const wanted = new Uint8Array(8192);
  for (const type of types) wanted[type >>> 3] |= 1 << (type & 7);
  return (source) =>
    source instanceof MessageStream
      ? (source.narrow({ types: wanted }) as Observable<T>)
      : keepMessages<T>((m) => (wanted[m.type >>> 3] & (1 << (m.type & 7))) !== 0)(source);
}
