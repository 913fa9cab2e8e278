import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { keepMessages } from './keepMessages.js';
import { MessageStream } from './MessageStream.js';

/**
 * Keeps the netlink messages that arrived on one of the multicast `groups` (group numbers
 * as in `nm_group`, e.g. `RTNLGRP_LINK`; 0 is unicast) and drops the other messages. Values
 * that are not messages (an `Overrun`, a `Frame`) pass through untouched and in order.
 * Completes and errors with its source.
 *
 * Throws a TypeError at once unless `groups` holds at least one non-negative u32 integer.
 *
 * @example
 * fromRing(open).pipe(parseMessages(), ofGroup(RTNLGRP_IPV4_ROUTE)).subscribe(onRoute);
 */
export function ofGroup<T>(...groups: number[]): MonoTypeOperatorFunction<T> {
  if (groups.length === 0) throw new TypeError('groups: expected at least one group number');
  for (const group of groups) {
    if (!Number.isInteger(group) || group < 0 || group > 0xffffffff) {
      throw new TypeError(`groups: ${String(group)} is not a u32 group number`);
    }
  }
  const wanted = new Set(groups);
  return (source) =>
    source instanceof MessageStream
      ? (source.narrow({ groups: wanted }) as Observable<T>)
      : keepMessages<T>((m) => wanted.has(m.group))(source);
}
