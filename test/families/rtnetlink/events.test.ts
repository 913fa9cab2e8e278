import { describe, expect, it } from 'vitest';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELNEIGH,
  RTM_DELROUTE,
  RTM_GETROUTE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWROUTE,
  RTM_NEWRULE,
  RTM_SETLINK,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_ROUTE,
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
} from '../../../src/families/rtnetlink/constants.js';
import { classifyRtnetlink, rtnetlinkGroups } from '../../../src/families/rtnetlink/events.js';
import { NLMSG_DONE, NLMSG_ERROR } from '../../../src/netlink/constants.js';

describe('classifyRtnetlink', () => {
  it.each([
    { name: 'RTM_NEWLINK', type: RTM_NEWLINK, event: { kind: 'link', action: 'new' } },
    { name: 'RTM_DELLINK', type: RTM_DELLINK, event: { kind: 'link', action: 'del' } },
    { name: 'RTM_NEWADDR', type: RTM_NEWADDR, event: { kind: 'address', action: 'new' } },
    { name: 'RTM_DELADDR', type: RTM_DELADDR, event: { kind: 'address', action: 'del' } },
    { name: 'RTM_NEWROUTE', type: RTM_NEWROUTE, event: { kind: 'route', action: 'new' } },
    { name: 'RTM_DELROUTE', type: RTM_DELROUTE, event: { kind: 'route', action: 'del' } },
    { name: 'RTM_NEWNEIGH', type: RTM_NEWNEIGH, event: { kind: 'neighbour', action: 'new' } },
    { name: 'RTM_DELNEIGH', type: RTM_DELNEIGH, event: { kind: 'neighbour', action: 'del' } },
    { name: 'RTM_GETROUTE (a request)', type: RTM_GETROUTE, event: undefined },
    { name: 'RTM_SETLINK', type: RTM_SETLINK, event: undefined },
    { name: 'RTM_NEWRULE', type: RTM_NEWRULE, event: { kind: 'rule', action: 'new' } },
    { name: 'NLMSG_DONE', type: NLMSG_DONE, event: undefined },
    { name: 'NLMSG_ERROR', type: NLMSG_ERROR, event: undefined },
  ])('classifies $name', ({ type, event }) => {
    expect(classifyRtnetlink(type)).toEqual(event);
  });

  it('returns shared frozen objects', () => {
    const event = classifyRtnetlink(RTM_NEWROUTE);
    expect(classifyRtnetlink(RTM_NEWROUTE)).toBe(event);
    expect(Object.isFrozen(event)).toBe(true);
  });
});

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
    { name: 'neighbours', kind: 'neighbour', family: AF_INET6, groups: [RTNLGRP_NEIGH] },
  ] as const)('gives the group numbers for $name', ({ kind, family, groups }) => {
    expect(rtnetlinkGroups(kind, family)).toEqual(groups);
  });

  it('uses group numbers (for NETLINK_ADD_MEMBERSHIP), not RTMGRP_* masks', () => {
    // <linux/rtnetlink.h>: RTMGRP_IPV6_ROUTE is 0x400, the bit of group 11.
    expect(rtnetlinkGroups('route', AF_INET6)).toEqual([11]);
    expect(Object.isFrozen(rtnetlinkGroups('route'))).toBe(true);
  });

  it.each([
    { name: 'an unknown kind', kind: 'mroute', family: AF_INET, message: /kind must be/ },
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
