import { describe, expect, it } from 'vitest';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_ROUTE,
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
} from '../../../src/families/rtnetlink/constants.js';
import { rtnetlinkGroups } from '../../../src/families/rtnetlink/rtnetlinkGroups.js';

describe('rtnetlinkGroups', () => {
  it.each([
    { name: 'links', kind: 'link', family: undefined, groups: [RTNLGRP_LINK] },
    { name: 'IPv6 links', kind: 'link', family: AF_INET6, groups: [RTNLGRP_LINK] },
    {
      name: 'addresses',
      kind: 'address',
      family: AF_UNSPEC,
      groups: [RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR],
    },
    { name: 'IPv4 addresses', kind: 'address', family: AF_INET, groups: [RTNLGRP_IPV4_IFADDR] },
    { name: 'IPv6 addresses', kind: 'address', family: AF_INET6, groups: [RTNLGRP_IPV6_IFADDR] },
    {
      name: 'routes',
      kind: 'route',
      family: undefined,
      groups: [RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE],
    },
    { name: 'IPv4 routes', kind: 'route', family: AF_INET, groups: [RTNLGRP_IPV4_ROUTE] },
    { name: 'IPv6 routes', kind: 'route', family: AF_INET6, groups: [RTNLGRP_IPV6_ROUTE] },
    { name: 'neighbours', kind: 'neigh', family: AF_INET6, groups: [RTNLGRP_NEIGH] },
  ] as const)('gives the group numbers for $name', ({ kind, family, groups }) => {
    expect(rtnetlinkGroups(kind, family)).toEqual(groups);
  });

  it('uses group numbers (for NETLINK_ADD_MEMBERSHIP), not RTMGRP_* masks', () => {
    // <linux/rtnetlink.h>: RTMGRP_IPV6_ROUTE is 0x400, the bit of group 11.
    expect(rtnetlinkGroups('route', AF_INET6)).toEqual([11]);
    expect(Object.isFrozen(rtnetlinkGroups('route'))).toBe(true);
  });

  it.each([
    { name: 'an unknown kind', kind: 'rule', family: AF_INET, message: /kind must be/ },
    {
      name: 'an inherited property as kind',
      kind: 'toString',
      family: AF_INET,
      message: /kind must be/,
    },
    { name: 'AF_BRIDGE', kind: 'route', family: AF_BRIDGE, message: /family must be/ },
  ])('throws a TypeError for $name', ({ kind, family, message }) => {
    const call = () => rtnetlinkGroups(kind as 'route', family);
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });
});
