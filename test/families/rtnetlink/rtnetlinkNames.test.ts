import { describe, expect, it } from 'vitest';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_MPLS,
  AF_PACKET,
  AF_UNSPEC,
  ARPHRD_ETHER,
  ARPHRD_IEEE80211,
  ARPHRD_LOOPBACK,
  ARPHRD_NETROM,
  ARPHRD_NONE,
  ARPHRD_TUNNEL,
  IFF_BROADCAST,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_UP,
  NUD_FAILED,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_REACHABLE,
  RTM_F_CLONED,
  RTM_F_OFFLOAD,
  RTNH_F_LINKDOWN,
  RTNH_F_ONLINK,
} from '../../../src/families/rtnetlink/constants.js';
import { rtnetlinkNames as names } from '../../../src/families/rtnetlink/rtnetlinkNames.js';

describe('rtnetlinkNames', () => {
  it.each([
    { name: 'route type 1', call: () => names.routeType(1), value: 'unicast' },
    { name: 'route type 0', call: () => names.routeType(0), value: 'none' },
    { name: 'route type 6', call: () => names.routeType(6), value: 'blackhole' },
    { name: 'route type 12 (unnamed)', call: () => names.routeType(12), value: '12' },
    { name: 'protocol 2', call: () => names.protocol(2), value: 'kernel' },
    { name: 'protocol 186', call: () => names.protocol(186), value: 'bgp' },
    { name: "protocol 17 (not in ip's table)", call: () => names.protocol(17), value: '17' },
    { name: 'scope 0', call: () => names.scope(0), value: 'global' },
    { name: 'scope 253', call: () => names.scope(253), value: 'link' },
    { name: 'scope 100', call: () => names.scope(100), value: '100' },
    { name: 'table 254', call: () => names.table(254), value: 'main' },
    { name: 'table 253', call: () => names.table(253), value: 'default' },
    { name: 'table 100', call: () => names.table(100), value: '100' },
    { name: 'table 4294967295', call: () => names.table(4294967295), value: '4294967295' },
    { name: 'family AF_INET', call: () => names.family(AF_INET), value: 'inet' },
    { name: 'family AF_INET6', call: () => names.family(AF_INET6), value: 'inet6' },
    { name: 'family AF_PACKET', call: () => names.family(AF_PACKET), value: 'link' },
    { name: 'family AF_MPLS', call: () => names.family(AF_MPLS), value: 'mpls' },
    { name: 'family AF_BRIDGE', call: () => names.family(AF_BRIDGE), value: 'bridge' },
    { name: 'family AF_UNSPEC', call: () => names.family(AF_UNSPEC), value: 'unspec' },
    { name: 'family 42', call: () => names.family(42), value: '42' },
    { name: 'link type ether', call: () => names.linkType(ARPHRD_ETHER), value: 'ether' },
    { name: 'link type loopback', call: () => names.linkType(ARPHRD_LOOPBACK), value: 'loopback' },
    { name: 'link type none', call: () => names.linkType(ARPHRD_NONE), value: 'none' },
    { name: 'link type 0', call: () => names.linkType(ARPHRD_NETROM), value: 'generic' },
    { name: 'link type ipip', call: () => names.linkType(ARPHRD_TUNNEL), value: 'ipip' },
    { name: 'link type wifi', call: () => names.linkType(ARPHRD_IEEE80211), value: 'ieee802.11' },
    { name: 'link type fcfb12', call: () => names.linkType(799), value: 'fcfb12' },
    { name: 'link type 9999', call: () => names.linkType(9999), value: '[9999]' },
    { name: 'operstate 6', call: () => names.operstate(6), value: 'UP' },
    { name: 'operstate 3', call: () => names.operstate(3), value: 'LOWERLAYERDOWN' },
    { name: 'operstate 9', call: () => names.operstate(9), value: '9' },
    { name: 'linkmode 1', call: () => names.linkmode(1), value: 'DORMANT' },
    { name: 'group 0', call: () => names.group(0), value: 'default' },
    { name: 'group 7', call: () => names.group(7), value: '7' },
    { name: 'addr gen mode 2', call: () => names.addrGenMode(2), value: 'stable_secret' },
    { name: 'addr gen mode 9', call: () => names.addrGenMode(9), value: '0x09' },
    { name: 'route preference 0', call: () => names.routePreference(0), value: 'medium' },
    { name: 'route preference 3', call: () => names.routePreference(3), value: 'low' },
    { name: 'route preference 2', call: () => names.routePreference(2), value: 2 },
  ])('names $name', ({ call, value }) => {
    expect(call()).toBe(value);
  });

  it.each([
    { name: 'table main', call: () => names.tableId('main'), id: 254 },
    { name: 'table "1000"', call: () => names.tableId('1000'), id: 1000 },
    { name: 'table "4294967296"', call: () => names.tableId('4294967296'), id: undefined },
    { name: 'table "01"', call: () => names.tableId('01'), id: undefined },
    { name: 'table "unspec"', call: () => names.tableId('unspec'), id: 0 },
    { name: 'protocol static', call: () => names.protocolId('static'), id: 4 },
    { name: 'protocol "17"', call: () => names.protocolId('17'), id: 17 },
    { name: 'protocol "256"', call: () => names.protocolId('256'), id: undefined },
    { name: 'scope host', call: () => names.scopeId('host'), id: 254 },
    {
      name: "scope universe (not ip's name)",
      call: () => names.scopeId('universe'),
      id: undefined,
    },
    { name: 'type prohibit', call: () => names.routeTypeId('prohibit'), id: 8 },
    { name: 'type " unicast"', call: () => names.routeTypeId(' unicast'), id: undefined },
  ])('finds the id of $name', ({ call, id }) => {
    expect(call()).toBe(id);
  });

  it.each([
    {
      name: 'an Ethernet link that is up',
      flags: IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST | IFF_LOWER_UP,
      masterDown: false,
      names: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
    },
    {
      name: 'loopback',
      flags: IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP,
      masterDown: false,
      names: ['LOOPBACK', 'UP', 'LOWER_UP'],
    },
    {
      name: 'up without carrier, promiscuous, peer down',
      flags: IFF_UP | IFF_BROADCAST | IFF_NOARP | IFF_PROMISC,
      masterDown: true,
      names: ['NO-CARRIER', 'BROADCAST', 'NOARP', 'PROMISC', 'UP', 'M-DOWN'],
    },
    { name: 'down', flags: IFF_BROADCAST, masterDown: false, names: ['BROADCAST'] },
    {
      name: 'unnamed bits',
      flags: 0x180000 | IFF_BROADCAST,
      masterDown: false,
      names: ['BROADCAST', '180000'],
    },
  ])('lists link flags: $name', ({ flags, masterDown, names: expected }) => {
    expect(names.linkFlags(flags, masterDown)).toEqual(expected);
  });

  it('shares frozen flag arrays between equal values', () => {
    const a = names.linkFlags(IFF_UP | IFF_RUNNING, false);
    expect(names.linkFlags(IFF_UP | IFF_RUNNING, false)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(names.linkFlags(IFF_UP | IFF_RUNNING, true)).not.toBe(a);
    expect(names.routeFlags(0)).toBe(names.routeFlags(0));
    expect(names.neighbourState(NUD_REACHABLE)).toBe(names.neighbourState(NUD_REACHABLE));
  });

  it.each([
    { name: 'none', flags: 0, names: [] },
    { name: 'onlink', flags: RTNH_F_ONLINK, names: ['onlink'] },
    {
      name: 'linkdown and onlink',
      flags: RTNH_F_LINKDOWN | RTNH_F_ONLINK,
      names: ['onlink', 'linkdown'],
    },
    { name: 'rt_offload', flags: RTM_F_OFFLOAD, names: ['rt_offload'] },
    { name: 'cloned (not a flag ip lists)', flags: RTM_F_CLONED, names: [] },
  ])('lists route flags: $name', ({ flags, names: expected }) => {
    expect(names.routeFlags(flags)).toEqual(expected);
  });

  it.each([
    { name: 'REACHABLE', state: NUD_REACHABLE, names: ['REACHABLE'] },
    { name: 'NOARP', state: NUD_NOARP, names: ['NOARP'] },
    {
      name: 'FAILED and PERMANENT',
      state: NUD_FAILED | NUD_PERMANENT,
      names: ['FAILED', 'PERMANENT'],
    },
    { name: 'an unnamed bit', state: 0x100 | NUD_NOARP, names: ['NOARP', '0x100'] },
  ])('lists neighbour states: $name', ({ state, names: expected }) => {
    expect(names.neighbourState(state)).toEqual(expected);
  });
});
