import { map, type Observable } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import { DecodeError, NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  RTM_GETLINK,
  RTM_NEWROUTE,
  RTNLGRP_IPV4_IFADDR,
  RTNLGRP_IPV4_ROUTE,
  RTNLGRP_IPV6_IFADDR,
  RTNLGRP_IPV6_ROUTE,
  RTNLGRP_LINK,
  RTNLGRP_NEIGH,
} from '../../../src/families/rtnetlink/constants.js';
import type { Overrun } from '../../../src/ring/Overrun.js';
import { RingStats } from '../../../src/ring/RingStats.js';
import { monitor, type RtnetlinkChange } from '../../../src/sources/rtnetlink/monitor.js';
import { buildMessage } from '../../../src/testing/buildMessage.js';
import {
  buildAddressMessage,
  buildLinkMessage,
  buildNeighbourMessage,
  buildRouteMessage,
  rtnetlinkKernel,
  rtnetlinkWorld,
} from '../../../src/testing/index.js';
import { marbles } from '../../marbles.js';

/** A change as one short line, an Overrun as `!lost`. */
function line(x: RtnetlinkChange | Overrun): string {
  switch (x.kind) {
    case 'overrun':
      return `!${x.lost}`;
    case 'link':
      return `${x.action} link ${x.link.ifname} ${x.link.flags.includes('UP') ? 'up' : 'down'}`;
    case 'address':
      return `${x.action} address ${x.address.ifname} ${x.address.local}/${x.address.prefixlen}`;
    case 'route':
      return `${x.action} route ${x.route.dst} ${x.route.dev}`;
    case 'neighbour':
      return `${x.action} neigh ${x.neighbour.family} ${x.neighbour.dst ?? '-'} ${x.neighbour.dev}`;
    case 'rule':
      return `${x.action} rule ${x.rule.priority}`;
    case 'nexthop':
      return `${x.action} nexthop ${x.nexthop.id}`;
    case 'netconf':
      return `${x.action} netconf ${x.netconf.interface} ${x.netconf.forwarding}`;
    case 'nsid':
      return `${x.action} nsid ${x.nsid.nsid}`;
  }
}

const lines = (source: Observable<RtnetlinkChange | Overrun>) => source.pipe(map(line));

/** Notifications as a kernel sends them: `[group, message]`. */
type Notification = readonly [group: number, message: Uint8Array];
const route9 = buildRouteMessage({
  family: AF_INET,
  dst: [10, 9, 0, 0],
  dstLen: 16,
  table: 254,
  oif: 3,
});
const routeVia7 = buildRouteMessage({
  family: AF_INET,
  dst: [10, 7, 0, 0],
  dstLen: 16,
  table: 254,
  oif: 7,
});
const route6 = buildRouteMessage({
  family: AF_INET6,
  dst: [0xfd, ...new Array(15).fill(0)],
  dstLen: 8,
  table: 254,
  oif: 3,
});
const newLink7: Notification = [
  RTNLGRP_LINK,
  buildLinkMessage({ ifindex: 7, name: 'v7', up: true }),
];
const delLink7: Notification = [
  RTNLGRP_LINK,
  buildLinkMessage({ ifindex: 7, name: 'v7' }, { del: true }),
];
const address: Notification = [
  RTNLGRP_IPV4_IFADDR,
  buildAddressMessage({ ifindex: 3, family: AF_INET, local: [10, 1, 0, 5], prefixlen: 24 }),
];
const arp = buildNeighbourMessage({ family: AF_INET, ifindex: 3, dst: [10, 1, 0, 9], state: 0x80 });
const fdb = buildNeighbourMessage({ family: AF_BRIDGE, ifindex: 2, dst: [], state: 0x80 });

describe('monitor over the simulated kernel', () => {
  it(
    'emits decoded changes in time, naming devices from the link dump and link notifications',
    marbles((m) => {
      const k = rtnetlinkKernel(rtnetlinkWorld());
      const script = m.cold<Notification>('-a-b-c-d-e-f', {
        a: [RTNLGRP_IPV4_ROUTE, route9],
        b: [RTNLGRP_IPV4_ROUTE, routeVia7], // ifindex 7 is not known yet
        c: newLink7,
        d: [RTNLGRP_IPV4_ROUTE, routeVia7],
        e: address, // not asked for
        f: [
          RTNLGRP_IPV4_ROUTE,
          buildRouteMessage(
            { family: AF_INET, dst: [10, 9, 0, 0], dstLen: 16, table: 254, oif: 3 },
            { del: true },
          ),
        ],
      });
      m.scheduler.schedule(() =>
        script.subscribe(([group, data]) => k.kernel.multicast(group, data)),
      );
      const changes = monitor({ kinds: ['route'], family: 'inet', open: k.open });
      m.expect(lines(changes), '^-----------!').toBeObservable('-a-b---d---f', {
        a: 'new route 10.9.0.0/16 v0',
        b: 'new route 10.7.0.0/16 if7',
        d: 'new route 10.7.0.0/16 v7',
        f: 'del route 10.9.0.0/16 v0',
      });
      m.flush();
      expect(k.requests.map((r) => [r.type, r.seq])).toEqual([[RTM_GETLINK, 1]]);
      expect(k.opened).toHaveLength(1);
      expect(k.opened[0].groups).toEqual([RTNLGRP_LINK, RTNLGRP_IPV4_ROUTE]);
      expect(k.opened[0].closes).toBe(1);
    }),
  );

  it(
    'reports an overrun in the stream and goes on',
    marbles((m) => {
      const k = rtnetlinkKernel(rtnetlinkWorld());
      const stats = new RingStats();
      const script = m.cold<() => void>('-a-b-c', {
        a: () => k.kernel.multicast(...newLink7),
        b: () => k.opened[0].socket.setError(errnos.ENOBUFS),
        c: () => k.kernel.multicast(...delLink7),
      });
      m.scheduler.schedule(() => script.subscribe((step) => step()));
      const changes = monitor({ kinds: ['link'], open: k.open, stats });
      m.expect(lines(changes)).toBeObservable('-a-b-c', {
        a: 'new link v7 up',
        b: '!0',
        c: 'del link v7 down',
      });
      m.flush();
      expect(stats.overruns).toBe(1);
    }),
  );

  it('is hot while subscribed: one socket for every subscriber, closed with the last', () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const changes = monitor({ kinds: ['link'], open: k.open });
    const a: string[] = [];
    const b: string[] = [];
    const first = lines(changes).subscribe((x) => a.push(x));
    k.kernel.multicast(...newLink7);
    const second = lines(changes).subscribe((x) => b.push(x));
    k.kernel.multicast(...delLink7);
    expect(a).toEqual(['new link v7 up', 'del link v7 down']);
    expect(b).toEqual(['del link v7 down']);
    expect(k.opened).toHaveLength(1);
    first.unsubscribe();
    expect(k.opened[0].closes).toBe(0);
    second.unsubscribe();
    expect(k.opened[0].closes).toBe(1);
    // The next subscriber opens a new socket.
    const third = changes.subscribe();
    expect(k.opened).toHaveLength(2);
    third.unsubscribe();
    expect(k.opened[1].closes).toBe(1);
  });

  it.each([
    { name: 'links', kinds: ['link'], family: undefined, groups: [RTNLGRP_LINK], dump: true },
    {
      name: 'addresses of both families',
      kinds: ['address'],
      family: 'all',
      groups: [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR],
      dump: true,
    },
    {
      name: 'IPv6 routes and neighbours',
      kinds: ['route', 'neighbour'],
      family: 'inet6',
      groups: [RTNLGRP_LINK, RTNLGRP_NEIGH, RTNLGRP_IPV6_ROUTE],
      dump: true,
    },
    {
      name: 'addresses with names given (no link group, no dump)',
      kinds: ['address', 'address'],
      family: AF_INET,
      ifnames: new Map([[3, 'eth0']]),
      groups: [RTNLGRP_IPV4_IFADDR],
      dump: false,
    },
    {
      name: 'the bridge FDB',
      kinds: ['neighbour'],
      family: AF_BRIDGE,
      groups: [RTNLGRP_LINK, RTNLGRP_NEIGH],
      dump: true,
    },
  ] as const)('joins the groups of $name', ({ kinds, family, groups, dump, ...rest }) => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const ifnames = 'ifnames' in rest ? rest.ifnames : undefined;
    const subscription = monitor({ kinds, family, ifnames, open: k.open }).subscribe();
    expect(k.opened[0].groups).toEqual(groups);
    expect(k.requests.map((r) => r.type)).toEqual(dump ? [RTM_GETLINK] : []);
    subscription.unsubscribe();
  });

  it.each([
    {
      name: 'all: ARP and NDP, not the FDB',
      family: 'all',
      expected: ['new neigh inet 10.1.0.9 v0'],
    },
    {
      name: 'bridge: only the FDB',
      family: AF_BRIDGE,
      expected: ['new neigh bridge - v1'],
    },
    { name: 'inet6: nothing of these', family: 'inet6', expected: [] },
  ] as const)('keeps the neighbours of the family asked for: $name', ({ family, expected }) => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const seen: string[] = [];
    const subscription = lines(monitor({ kinds: ['neighbour'], family, open: k.open })).subscribe(
      (x) => seen.push(x),
    );
    k.kernel.multicast(RTNLGRP_NEIGH, arp);
    k.kernel.multicast(RTNLGRP_NEIGH, fdb);
    subscription.unsubscribe();
    expect(seen).toEqual(expected);
  });

  it('leaves out a bridge port’s AF_BRIDGE link copies, and they do not unname the device', () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const seen: string[] = [];
    const subscription = lines(monitor({ kinds: ['link', 'route'], open: k.open })).subscribe((x) =>
      seen.push(x),
    );
    k.kernel.multicast(
      RTNLGRP_LINK,
      buildLinkMessage({ ifindex: 3, name: 'v0', family: AF_BRIDGE }, { del: true }),
    );
    k.kernel.multicast(RTNLGRP_IPV4_ROUTE, route9);
    k.kernel.multicast(RTNLGRP_LINK, buildLinkMessage({ ifindex: 3, name: 'v0' }, { del: true }));
    k.kernel.multicast(RTNLGRP_IPV4_ROUTE, route9);
    k.kernel.multicast(RTNLGRP_IPV6_ROUTE, route6);
    subscription.unsubscribe();
    expect(seen).toEqual([
      'new route 10.9.0.0/16 v0',
      'del link v0 down',
      'new route 10.9.0.0/16 if3',
      'new route fd00::/8 if3',
    ]);
  });

  it('ignores unicast messages that are not its link dump', () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const seen: string[] = [];
    const subscription = lines(monitor({ kinds: ['route'], open: k.open })).subscribe((x) =>
      seen.push(x),
    );
    k.opened[0].socket.deliver(route9); // group 0, seq 0
    k.kernel.multicast(RTNLGRP_IPV4_ROUTE, route9);
    subscription.unsubscribe();
    expect(seen).toEqual(['new route 10.9.0.0/16 v0']);
  });

  it('errors with the kernel error when its link dump fails, closing the socket', () => {
    const k = rtnetlinkKernel({
      ...rtnetlinkWorld(),
      fail: { type: RTM_GETLINK, errno: errnos.EPERM, extack: 'no' },
    });
    let error: unknown;
    monitor({ kinds: ['route'], open: k.open }).subscribe({ error: (e) => (error = e) });
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'EPERM', extack: 'no', op: 'dump' });
    expect(k.opened[0].closes).toBe(1);
  });

  it('errors with a DecodeError for a malformed notification, closing the socket', () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    let error: unknown;
    monitor({ kinds: ['route'], open: k.open }).subscribe({ error: (e) => (error = e) });
    k.kernel.multicast(
      RTNLGRP_IPV4_ROUTE,
      buildMessage({ type: RTM_NEWROUTE, payload: new Uint8Array([2, 0, 0, 0]) }),
    );
    expect(error).toBeInstanceOf(DecodeError);
    expect(k.opened[0].closes).toBe(1);
  });

  it('errors with what open() throws', () => {
    const boom = new NetlinkError({ op: 'netns', errno: errnos.ENOENT });
    let error: unknown;
    monitor({
      kinds: ['link'],
      open: () => {
        throw boom;
      },
    }).subscribe({ error: (e) => (error = e) });
    expect(error).toBe(boom);
  });

  it.each([
    { name: 'no options', options: undefined, message: /options must be an object/ },
    { name: 'no kinds', options: {}, message: /options\.kinds/ },
    { name: 'empty kinds', options: { kinds: [] }, message: /options\.kinds/ },
    { name: 'unknown kind', options: { kinds: ['mroute'] }, message: /options\.kinds/ },
    { name: 'kinds not an array', options: { kinds: 'link' }, message: /options\.kinds/ },
    {
      name: 'zero receive buffer',
      options: { kinds: ['link'], receiveBufferSize: 0 },
      message: /receiveBufferSize/,
    },
    {
      name: 'fractional receive buffer',
      options: { kinds: ['link'], receiveBufferSize: 1.5 },
      message: /receiveBufferSize/,
    },
    {
      name: 'unknown family',
      options: { kinds: ['link'], family: 'ipx' },
      message: /options\.family/,
    },
    {
      name: 'routes of the bridge family',
      options: { kinds: ['route'], family: AF_BRIDGE },
      message: /options\.family/,
    },
    { name: 'bad netns', options: { kinds: ['link'], netns: '../x' }, message: /options\.netns/ },
  ])('throws a TypeError at once: $name', ({ options, message }) => {
    expect(() => monitor(options as never)).toThrow(TypeError);
    expect(() => monitor(options as never)).toThrow(message);
  });
});
