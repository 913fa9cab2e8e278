import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELNEIGH,
  RTM_DELNETCONF,
  RTM_DELNEXTHOP,
  RTM_DELNSID,
  RTM_DELROUTE,
  RTM_DELRULE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWNETCONF,
  RTM_NEWNEXTHOP,
  RTM_NEWNSID,
  RTM_NEWROUTE,
  RTM_NEWRULE,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_NETCONF,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV4_RULE,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_NETCONF,
  RTNLGRP_IPV6_ROUTE,
  RTNLGRP_IPV6_RULE,
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
  RTNLGRP_NEXTHOP,
  RTNLGRP_NSID,
} from './constants.js';

/**
 * What an rtnetlink notification is about, from its message type alone.
 *
 * @example
 * const event = classifyRtnetlink(message.type); // { kind: 'route', action: 'del' }
 */
export interface RtnetlinkEvent {
  /**
   * RTM_*LINK → link, RTM_*ADDR → address, RTM_*ROUTE → route, RTM_*NEIGH → neighbour,
   * RTM_*RULE → rule, RTM_*NEXTHOP → nexthop, RTM_*NETCONF → netconf, RTM_*NSID → nsid.
   */
  readonly kind:
    | 'link'
    | 'address'
    | 'route'
    | 'neighbour'
    | 'rule'
    | 'nexthop'
    | 'netconf'
    | 'nsid';
  /** RTM_NEW* → new (added or changed), RTM_DEL* → del. */
  readonly action: 'new' | 'del';
}

const EVENTS = new Map<number, RtnetlinkEvent>(
  (
    [
      [RTM_NEWLINK, 'link', 'new'],
      [RTM_DELLINK, 'link', 'del'],
      [RTM_NEWADDR, 'address', 'new'],
      [RTM_DELADDR, 'address', 'del'],
      [RTM_NEWROUTE, 'route', 'new'],
      [RTM_DELROUTE, 'route', 'del'],
      [RTM_NEWNEIGH, 'neighbour', 'new'],
      [RTM_DELNEIGH, 'neighbour', 'del'],
      [RTM_NEWRULE, 'rule', 'new'],
      [RTM_DELRULE, 'rule', 'del'],
      [RTM_NEWNEXTHOP, 'nexthop', 'new'],
      [RTM_DELNEXTHOP, 'nexthop', 'del'],
      [RTM_NEWNETCONF, 'netconf', 'new'],
      [RTM_DELNETCONF, 'netconf', 'del'],
      [RTM_NEWNSID, 'nsid', 'new'],
      [RTM_DELNSID, 'nsid', 'del'],
    ] as const
  ).map(([type, kind, action]) => [type, Object.freeze({ kind, action })]),
);

/**
 * Classifies an rtnetlink message type for a monitor: which kind of object it is about and
 * whether it announces a new (or changed) one or a deletion; undefined for any other type
 * (RTM_GET*, rules, qdiscs, NLMSG_* control messages, …). Returns shared frozen objects, so
 * it allocates nothing. The kind tells which decoder applies: link → {@link decodeLink},
 * address → {@link decodeAddress}, route → {@link decodeRoute}, neighbour → {@link decodeNeighbour}.
 *
 * @example
 * classifyRtnetlink(RTM_DELROUTE); // { kind: 'route', action: 'del' }
 * classifyRtnetlink(NLMSG_DONE); // undefined
 */
export function classifyRtnetlink(type: number): RtnetlinkEvent | undefined {
  return EVENTS.get(type);
}

const GROUPS: Record<RtnetlinkEvent['kind'], Record<number, readonly number[]>> = {
  link: { [AF_UNSPEC]: [RTNLGRP_LINK], [AF_INET]: [RTNLGRP_LINK], [AF_INET6]: [RTNLGRP_LINK] },
  address: {
    [AF_UNSPEC]: [RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR],
    [AF_INET]: [RTNLGRP_IPV4_IFADDR],
    [AF_INET6]: [RTNLGRP_IPV6_IFADDR],
  },
  route: {
    [AF_UNSPEC]: [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE],
    [AF_INET]: [RTNLGRP_IPV4_ROUTE],
    [AF_INET6]: [RTNLGRP_IPV6_ROUTE],
  },
  neighbour: {
    [AF_UNSPEC]: [RTNLGRP_NEIGH],
    [AF_INET]: [RTNLGRP_NEIGH],
    [AF_INET6]: [RTNLGRP_NEIGH],
  },
  rule: {
    [AF_UNSPEC]: [RTNLGRP_IPV4_RULE, RTNLGRP_IPV6_RULE],
    [AF_INET]: [RTNLGRP_IPV4_RULE],
    [AF_INET6]: [RTNLGRP_IPV6_RULE],
  },
  nexthop: {
    [AF_UNSPEC]: [RTNLGRP_NEXTHOP],
    [AF_INET]: [RTNLGRP_NEXTHOP],
    [AF_INET6]: [RTNLGRP_NEXTHOP],
  },
  netconf: {
    [AF_UNSPEC]: [RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF],
    [AF_INET]: [RTNLGRP_IPV4_NETCONF],
    [AF_INET6]: [RTNLGRP_IPV6_NETCONF],
  },
  // Namespace ids are not per address family.
  nsid: {
    [AF_UNSPEC]: [RTNLGRP_NSID],
    [AF_INET]: [RTNLGRP_NSID],
    [AF_INET6]: [RTNLGRP_NSID],
  },
};
for (const byFamily of Object.values(GROUPS)) {
  for (const groups of Object.values(byFamily)) Object.freeze(groups);
}

/**
 * The rtnetlink multicast groups to join (group *numbers*, for
 * `setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP)`, not the legacy RTMGRP_* bind masks)
 * to hear about `kind` in address family `family`: AF_UNSPEC (default) gives IPv4 and
 * IPv6. Links and neighbours have one group for every family. Other kinds or families
 * throw a `TypeError`. The arrays are frozen.
 *
 * @example
 * rtnetlinkGroups('route'); // [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE] = [7, 11]
 * rtnetlinkGroups('address', AF_INET6); // [RTNLGRP_IPV6_IFADDR] = [9]
 */
export function rtnetlinkGroups(
  kind: RtnetlinkEvent['kind'],
  family: number = AF_UNSPEC,
): readonly number[] {
  const byFamily = Object.hasOwn(GROUPS, kind) ? GROUPS[kind] : undefined;
  if (byFamily === undefined) {
    throw new TypeError(
      `rtnetlinkGroups: kind must be link, address, route, neighbour, rule, nexthop, netconf or nsid, got ${JSON.stringify(kind)}`,
    );
  }
  const groups = Object.hasOwn(byFamily, family) ? byFamily[family] : undefined;
  if (groups === undefined) {
    throw new TypeError(
      `rtnetlinkGroups: family must be AF_UNSPEC, AF_INET or AF_INET6, got ${String(family)}`,
    );
  }
  return groups;
}
