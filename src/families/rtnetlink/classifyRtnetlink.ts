import {
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELNEIGH,
  RTM_DELROUTE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWROUTE,
} from './constants.js';
import type { RtnetlinkEvent } from './RtnetlinkEvent.js';

const EVENTS = new Map<number, RtnetlinkEvent>(
  (
    [
      [RTM_NEWLINK, 'link', 'new'],
      [RTM_DELLINK, 'link', 'del'],
      [RTM_NEWADDR, 'address', 'new'],
      [RTM_DELADDR, 'address', 'del'],
      [RTM_NEWROUTE, 'route', 'new'],
      [RTM_DELROUTE, 'route', 'del'],
      [RTM_NEWNEIGH, 'neigh', 'new'],
      [RTM_DELNEIGH, 'neigh', 'del'],
    ] as const
  ).map(([type, kind, action]) => [type, Object.freeze({ kind, action })]),
);

/**
 * Classifies an rtnetlink message type for a monitor: which kind of object it is about and
 * whether it announces a new (or changed) one or a deletion; undefined for any other type
 * (RTM_GET*, rules, qdiscs, NLMSG_* control messages, …). Returns shared frozen objects, so
 * it allocates nothing. The kind tells which decoder applies: link → {@link decodeLink},
 * address → {@link decodeAddress}, route → {@link decodeRoute}, neigh → {@link decodeNeighbour}.
 *
 * @example
 * classifyRtnetlink(RTM_DELROUTE); // { kind: 'route', action: 'del' }
 * classifyRtnetlink(NLMSG_DONE); // undefined
 */
export function classifyRtnetlink(type: number): RtnetlinkEvent | undefined {
  return EVENTS.get(type);
}
