import type { MonoTypeOperatorFunction, Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { keepMessages, MessageStream } from './MessageStream.js';

/**
 * Keeps the netlink messages that arrived on one of the multicast `groups` (group numbers
 * as in `nm_group`, e.g. `RTNLGRP_LINK`; 0 is unicast) and drops the other messages. Values
 * that are not messages (an `Overrun`, a `Frame`) pass through untouched and in order.
 * Completes and errors with its source.
 *
 * Throws a TypeError at once unless `groups` holds at least one non-negative u32 integer.
 *
 * @example
 * declare function onRoute(m: NetlinkMessage | Overrun): void;
 * fromRing(open).pipe(parseMessages(), ofGroup(rtnetlink.RTNLGRP_IPV4_ROUTE)).subscribe(onRoute);
 */
export function ofGroup<T>(...groups: number[]): MonoTypeOperatorFunction<T> {
  const check = argumentChecker('ofGroup');
  if (groups.length === 0) check.fail('groups', 'at least one group number', groups);
  for (const [i, group] of groups.entries()) check.uint(`groups[${i}]`, group, 32);
  const wanted = new Set(groups);
  return (source) =>
    source instanceof MessageStream
      ? (source.narrow({ groups: wanted }) as Observable<T>)
      : keepMessages<T>((m) => wanted.has(m.group))(source);
}
