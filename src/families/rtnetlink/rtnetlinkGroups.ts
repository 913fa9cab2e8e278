import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_ROUTE,
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
} from './constants.js';
import type { RtnetlinkEvent } from './RtnetlinkEvent.js';

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
  neigh: {
    [AF_UNSPEC]: [RTNLGRP_NEIGH],
    [AF_INET]: [RTNLGRP_NEIGH],
    [AF_INET6]: [RTNLGRP_NEIGH],
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
      `rtnetlinkGroups: kind must be link, address, route or neigh, got ${JSON.stringify(kind)}`,
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
