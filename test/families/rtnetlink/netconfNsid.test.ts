import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import {
  NETCONFA_FORWARDING,
  NETCONFA_IFINDEX,
  NETCONFA_PROXY_NEIGH,
  NETCONFA_RP_FILTER,
  NETNSA_CURRENT_NSID,
  NETNSA_NSID,
} from '../../../src/families/rtnetlink/configureConstants.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTM_DELNETCONF,
  RTM_DELNSID,
  RTM_NEWNETCONF,
  RTM_NEWNSID,
  RTM_NEWROUTE,
  RTNLGRP_IPV4_NETCONF,
  RTNLGRP_IPV6_NETCONF,
  RTNLGRP_NSID,
} from '../../../src/families/rtnetlink/constants.js';
import { classifyRtnetlink, rtnetlinkGroups } from '../../../src/families/rtnetlink/events.js';
import { decodeNetconf } from '../../../src/families/rtnetlink/netconf.js';
import { decodeNsid } from '../../../src/families/rtnetlink/nsid.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';

/** A message as the kernel writes it: the one-byte family header padded to 4, then attributes. */
function message(type: number, family: number, attrs: Array<[number, number]>): NetlinkMessage {
  const w = new MessageWriter().begin(type, 0).u8(family).zeros(3);
  for (const [t, v] of attrs) w.attrS32(t, v);
  return NetlinkMessage.from(w.end().finish());
}

describe('decodeNetconf', () => {
  it.each([
    {
      name: 'a forwarding change on an interface',
      msg: message(RTM_NEWNETCONF, AF_INET, [
        [NETCONFA_IFINDEX, 3],
        [NETCONFA_FORWARDING, 1],
      ]),
      netconf: { family: 'inet', interface: 'v0', forwarding: true, ifindex: 3 },
    },
    {
      name: 'all, with rp_filter loose and proxy_neigh',
      msg: message(RTM_NEWNETCONF, AF_INET, [
        [NETCONFA_IFINDEX, -1],
        [NETCONFA_RP_FILTER, 2],
        [NETCONFA_PROXY_NEIGH, 0],
      ]),
      netconf: {
        family: 'inet',
        interface: 'all',
        rp_filter: 'loose',
        proxy_neigh: false,
        ifindex: -1,
      },
    },
    {
      name: 'default, deleted (IPv6)',
      msg: message(RTM_DELNETCONF, AF_INET6, [[NETCONFA_IFINDEX, -2]]),
      netconf: { deleted: true, family: 'inet6', interface: 'default', ifindex: -2 },
    },
  ])('decodes $name as ip netconf names it', ({ msg, netconf }) => {
    expect(decodeNetconf(msg, { ifname: new Map([[3, 'v0']]) })).toEqual(netconf);
  });

  it.each([
    {
      name: 'another type',
      msg: message(RTM_NEWROUTE, AF_INET, []),
      text: /is not RTM_NEWNETCONF/,
    },
    {
      name: 'a short payload',
      msg: NetlinkMessage.from(new MessageWriter().begin(RTM_NEWNETCONF, 0).u8(2).end().finish()),
      text: /shorter than struct netconfmsg/,
    },
    {
      name: 'a short attribute',
      msg: NetlinkMessage.from(
        new MessageWriter()
          .begin(RTM_NEWNETCONF, 0)
          .u8(2)
          .zeros(3)
          .attrU16(NETCONFA_FORWARDING, 1)
          .end()
          .finish(),
      ),
      text: /./,
    },
  ])('throws a DecodeError for $name', ({ msg, text }) => {
    expect(() => decodeNetconf(msg)).toThrow(DecodeError);
    expect(() => decodeNetconf(msg)).toThrow(text);
  });
});

describe('decodeNsid', () => {
  it.each([
    { msg: message(RTM_NEWNSID, AF_UNSPEC, [[NETNSA_NSID, 17]]), nsid: { nsid: 17 } },
    {
      msg: message(RTM_DELNSID, AF_UNSPEC, [
        [NETNSA_NSID, 17],
        [NETNSA_CURRENT_NSID, 2],
      ]),
      nsid: { deleted: true, nsid: 17, current_nsid: 2 },
    },
  ])('decodes $nsid', ({ msg, nsid }) => {
    expect(decodeNsid(msg)).toEqual(nsid);
  });

  it('throws a DecodeError for another type', () => {
    expect(() => decodeNsid(message(RTM_NEWNETCONF, 0, []))).toThrow(DecodeError);
  });
});

describe('netconf and nsid events', () => {
  it.each([
    { type: RTM_NEWNETCONF, event: { kind: 'netconf', action: 'new' } },
    { type: RTM_DELNETCONF, event: { kind: 'netconf', action: 'del' } },
    { type: RTM_NEWNSID, event: { kind: 'nsid', action: 'new' } },
    { type: RTM_DELNSID, event: { kind: 'nsid', action: 'del' } },
  ])('classifies message type $type', ({ type, event }) => {
    expect(classifyRtnetlink(type)).toEqual(event);
  });

  it.each([
    { kind: 'netconf', family: AF_UNSPEC, groups: [RTNLGRP_IPV4_NETCONF, RTNLGRP_IPV6_NETCONF] },
    { kind: 'netconf', family: AF_INET6, groups: [RTNLGRP_IPV6_NETCONF] },
    { kind: 'nsid', family: AF_INET, groups: [RTNLGRP_NSID] },
  ] as const)('joins $groups for $kind in family $family', ({ kind, family, groups }) => {
    expect(rtnetlinkGroups(kind, family)).toEqual(groups);
  });
});
