import { describe, expect, it } from 'vitest';
import { conntrackView } from '../../src/cli/conntrack.js';
import { addressView, linkView, neighbourView, routeView } from '../../src/cli/views.js';
import { type netfilter, rtnetlink } from '../../src/index.js';

const attrs = rtnetlink.RawAttributes.empty;

describe('table rows and event lines', () => {
  it.each([
    {
      name: 'a veth whose peer is in another namespace',
      row: linkView.row({
        ifindex: 3,
        ifname: 'v0',
        link_index: 7,
        link_netnsid: 0,
        flags: ['BROADCAST', 'MULTICAST', 'UP'],
        mtu: 1500,
        operstate: 'LOWERLAYERDOWN',
        link_type: 'ether',
        address: '02:00:00:00:00:01',
        linkinfo: { info_kind: 'veth' },
        attrs,
      }),
      cells: [
        '3',
        'v0@if7',
        'veth',
        'LOWERLAYERDOWN',
        '1500',
        '02:00:00:00:00:01',
        '',
        'BROADCAST,MULTICAST,UP',
      ],
    },
    {
      name: 'a point-to-point address with flags',
      row: addressView.row({
        ifindex: 4,
        ifname: 'ppp0',
        family: 'inet',
        local: '10.0.0.1',
        address: '10.0.0.2',
        prefixlen: 32,
        scope: 'global',
        secondary: true,
        noprefixroute: true,
        attrs,
      }),
      cells: [
        '4',
        'ppp0',
        'inet',
        '10.0.0.1 peer 10.0.0.2/32',
        'global',
        'secondary,noprefixroute',
      ],
    },
    {
      name: 'a multipath route: each path’s gateway and device',
      row: routeView.row({
        type: 'unicast',
        dst: '10.6.0.0/24',
        table: 'main',
        protocol: 'static',
        scope: 'global',
        flags: [],
        family: 'inet',
        nexthops: [
          { gateway: '10.1.0.2', dev: 'v0', ifindex: 3, weight: 1, flags: [] },
          { gateway: '10.1.0.3', dev: 'v1', ifindex: 4, weight: 2, flags: [] },
        ],
        attrs,
      }),
      cells: [
        'main',
        'unicast',
        '10.6.0.0/24',
        '10.1.0.2,10.1.0.3',
        'v0,v1',
        'static',
        'global',
        '',
        '',
      ],
    },
    {
      name: 'a router neighbour',
      row: neighbourView.row({
        dst: 'fe80::1',
        dev: 'eth0',
        lladdr: '02:00:00:00:00:09',
        router: null,
        state: ['REACHABLE'],
        family: 'inet6',
        ifindex: 2,
        attrs,
      }),
      cells: ['fe80::1', 'eth0', '02:00:00:00:00:09', 'REACHABLE', 'router'],
    },
  ])('$name', ({ row, cells }) => {
    expect(row).toEqual(cells);
  });

  const icmp: netfilter.ConntrackEntry = {
    type: 'new',
    family: 2,
    protocol: 'icmp',
    orig: {
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 'icmp',
      protoNumber: 1,
      icmpType: 8,
      icmpCode: 0,
      icmpId: 5,
    },
    reply: {
      src: '10.0.0.2',
      dst: '10.0.0.1',
      proto: 'icmp',
      protoNumber: 1,
      icmpType: 0,
      icmpCode: 0,
      icmpId: 5,
    },
    statusNames: ['CONFIRMED'],
    timeout: 30,
    mark: 7,
  };
  const tcp6: netfilter.ConntrackEntry = {
    type: 'destroy',
    family: 10,
    protocol: 'tcp',
    orig: { src: 'fd00::1', dst: 'fd00::2', proto: 'tcp', protoNumber: 6, sport: 40000, dport: 22 },
    reply: {
      src: 'fd00::2',
      dst: 'fd00::1',
      proto: 'tcp',
      protoNumber: 6,
      sport: 22,
      dport: 40000,
    },
    statusNames: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED'],
    protoinfo: { state: 'TIME_WAIT', stateNumber: 7 },
  };

  it.each([
    {
      name: 'an ICMP entry: type, code and id, UNREPLIED, the mark',
      text: conntrackView.line(icmp),
      line: '[new] icmp 10.0.0.1 > 10.0.0.2 type 8 code 0 id 5 reply 10.0.0.2 > 10.0.0.1 type 0 code 0 id 5 timeout 30 UNREPLIED mark 7',
    },
    {
      name: 'an IPv6 TCP entry: bracketed addresses, its state, ASSURED',
      text: conntrackView.line(tcp6),
      line: '[destroy] tcp TIME_WAIT [fd00::1]:40000 > [fd00::2]:22 reply [fd00::2]:22 > [fd00::1]:40000 ASSURED',
    },
    {
      name: 'a route that is not unicast, with its source and metric',
      text: routeView.line({
        type: 'local',
        dst: '10.0.0.1',
        dev: 'v0',
        table: 'local',
        protocol: 'kernel',
        scope: 'host',
        prefsrc: '10.0.0.1',
        metric: 5,
        flags: [],
        family: 'inet',
        attrs,
      }),
      line: 'local 10.0.0.1 dev v0 table local proto kernel scope host src 10.0.0.1 metric 5',
    },
    {
      name: 'a bridge FDB entry, without an address',
      text: neighbourView.line({
        dev: 'br0',
        lladdr: '02:00:00:00:00:0a',
        state: ['PERMANENT'],
        family: 'bridge',
        ifindex: 5,
        attrs,
      }),
      line: 'dev br0 lladdr 02:00:00:00:00:0a PERMANENT',
    },
  ])('$name', ({ text, line }) => {
    expect(text).toBe(line);
  });

  it('a conntrack row: empty state and mark print as -', () => {
    expect(conntrackView.row({ ...icmp, mark: undefined })).toEqual([
      'icmp',
      '',
      '30',
      '10.0.0.1 > 10.0.0.2 type 8 code 0 id 5',
      '10.0.0.2 > 10.0.0.1 type 0 code 0 id 5',
      'UNREPLIED',
      '',
    ]);
  });
});
