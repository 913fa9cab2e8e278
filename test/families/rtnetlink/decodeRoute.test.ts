import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/DecodeError.js';
import { NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  AF_INET,
  AF_INET6,
  RTA_CACHEINFO,
  RTA_DST,
  RTA_ENCAP_TYPE,
  RTA_GATEWAY,
  RTA_IIF,
  RTA_MARK,
  RTA_MULTIPATH,
  RTA_NH_ID,
  RTA_SRC,
  RTA_VIA,
  RTM_DELROUTE,
  RTM_F_CLONED,
  RTM_NEWROUTE,
} from '../../../src/families/rtnetlink/constants.js';
import { decodeRoute } from '../../../src/families/rtnetlink/decodeRoute.js';
import type { Route } from '../../../src/families/rtnetlink/Route.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import {
  ifname,
  message,
  patched,
  routeDefault,
  routeHost6,
  routeLocal,
  routeMetrics,
  routeMultipath,
  routeStatic,
  truncated,
  withAttribute,
} from './fixtures.js';

function fields(route: Route): Omit<Route, 'attrs'> {
  const { attrs: _attrs, ...rest } = route;
  return rest;
}

describe('decodeRoute', () => {
  it.each([
    {
      name: 'a default route',
      bytes: routeDefault,
      route: {
        type: 'unicast',
        dst: 'default',
        gateway: '10.1.0.254',
        dev: 'v0',
        table: 'main',
        protocol: 'boot',
        scope: 'global',
        flags: [],
        family: 'inet',
        ifindex: 3,
      },
    },
    {
      name: 'a static route with a metric',
      bytes: routeStatic,
      route: {
        type: 'unicast',
        dst: '10.9.0.0/16',
        gateway: '10.1.0.2',
        dev: 'v1',
        table: 'main',
        protocol: 'static',
        scope: 'global',
        metric: 50,
        flags: [],
        family: 'inet',
        ifindex: 2,
      },
    },
    {
      name: 'a multipath route',
      bytes: routeMultipath,
      route: {
        type: 'unicast',
        dst: '10.20.0.0/16',
        table: 'main',
        protocol: 'boot',
        scope: 'global',
        flags: [],
        nexthops: [
          { gateway: '10.1.0.2', dev: 'v1', weight: 2, flags: [], ifindex: 2 },
          { gateway: '10.1.0.5', dev: 'v0', weight: 1, flags: [], ifindex: 3 },
        ],
        family: 'inet',
      },
    },
    {
      name: 'TOS and metrics (RTT in 1/8 ms, a locked MTU, a congestion control name)',
      bytes: routeMetrics,
      route: {
        type: 'unicast',
        dst: '10.70.0.0/16',
        tos: '0x10',
        gateway: '10.1.0.2',
        dev: 'v1',
        table: 'main',
        protocol: 'boot',
        scope: 'global',
        flags: [],
        metrics: [{ mtu: 1300, rtt: 100, congestion: 'cubic' }],
        family: 'inet',
        ifindex: 2,
      },
    },
    {
      name: 'a local host route (no /32, as ip prints it)',
      bytes: routeLocal,
      route: {
        type: 'local',
        dst: '10.1.0.1',
        dev: 'v0',
        table: 'local',
        protocol: 'kernel',
        scope: 'host',
        prefsrc: '10.1.0.1',
        flags: [],
        family: 'inet',
        ifindex: 3,
      },
    },
    {
      name: 'an IPv6 host route with a router preference and cacheinfo',
      bytes: routeHost6,
      route: {
        type: 'unicast',
        dst: '2001:db8:5::5',
        dev: 'v0',
        table: 'main',
        protocol: 'boot',
        scope: 'global',
        metric: 1024,
        flags: [],
        pref: 'high',
        family: 'inet6',
        ifindex: 3,
      },
    },
    {
      name: 'RTM_DELROUTE',
      bytes: patched(routeStatic, { 4: RTM_DELROUTE }),
      route: {
        deleted: true,
        type: 'unicast',
        dst: '10.9.0.0/16',
        gateway: '10.1.0.2',
        dev: 'v1',
        table: 'main',
        protocol: 'static',
        scope: 'global',
        metric: 50,
        flags: [],
        family: 'inet',
        ifindex: 2,
      },
    },
    {
      name: 'a cloned route (no protocol or scope, as ip prints it) with flags',
      bytes: patched(routeStatic, { 24: 0x04, 25: RTM_F_CLONED >> 8 }),
      route: {
        type: 'unicast',
        dst: '10.9.0.0/16',
        gateway: '10.1.0.2',
        dev: 'v1',
        table: 'main',
        metric: 50,
        flags: ['onlink'],
        family: 'inet',
        ifindex: 2,
      },
    },
  ])('decodes $name', ({ bytes, route }) => {
    const decoded = decodeRoute(message(bytes), { ifname });
    expect(fields(decoded)).toEqual(route);
    expect(decoded.attrs.size).toBe(0);
    // ip's key order, so JSON output reads like ip's.
    expect(Object.keys(decoded)).toEqual([...Object.keys(route), 'attrs']);
  });

  it('names interfaces it cannot look up as ip does (if<N>)', () => {
    const route = decodeRoute(message(routeStatic));
    expect(route.dev).toBe('if2');
    expect(decodeRoute(message(routeStatic), { ifname: (i) => `dev${i}` }).dev).toBe('dev2');
  });

  it('keeps attributes it does not map, as a copy detached from the message', () => {
    const bytes = withAttribute(routeStatic, RTA_MARK, Uint8Array.of(0x2a, 0, 0, 0));
    const route = decodeRoute(NetlinkMessage.from(bytes), { ifname });
    bytes.fill(0xee); // the frame is reused
    expect(route.attrs.types()).toEqual([RTA_MARK]);
    expect(route.attrs.get(RTA_MARK)).toEqual(Uint8Array.of(0x2a, 0, 0, 0));
    expect([...route.attrs]).toEqual([
      { type: RTA_MARK, nested: false, data: Uint8Array.of(0x2a, 0, 0, 0) },
    ]);
    expect(route.gateway).toBe('10.1.0.2');
  });

  it('is plain data that outlives its frame; decoding a released frame throws', () => {
    let live = true;
    const bytes = routeStatic.slice();
    const borrowed = NetlinkMessage.at(bytes, new DataView(bytes.buffer), 0, 0, {
      get live() {
        return live;
      },
    });
    const route = decodeRoute(borrowed, { ifname });
    live = false;
    bytes.fill(0);
    expect(route.dst).toBe('10.9.0.0/16');
    expect(JSON.parse(JSON.stringify(route)).gateway).toBe('10.1.0.2');
    expect(() => decodeRoute(borrowed)).toThrow(NetlinkError);
  });

  it.each([
    {
      name: 'RTA_SRC, RTA_IIF, RTA_NH_ID, RTA_VIA and a non-zero rta_expires / rta_error',
      family: AF_INET,
      write: (w: MessageWriter) =>
        w
          .attr(RTA_DST, Uint8Array.of(10, 0, 0, 0))
          .attr(RTA_SRC, Uint8Array.of(192, 0, 2, 0))
          .attrU32(RTA_IIF, 1)
          .attrU32(RTA_NH_ID, 7)
          .attr(RTA_VIA, Uint8Array.of(AF_INET6, 0, 0xfe, 0x80, ...new Array(13).fill(0), 1))
          .attr(RTA_CACHEINFO, cacheinfo(1234, -113)),
      dstLen: 8,
      srcLen: 24,
      expected: {
        dst: '10.0.0.0/8',
        from: '192.0.2.0/24',
        nhid: 7,
        via: { family: 'inet6', host: 'fe80::1' },
        iif: 'lo',
        expires: 12,
        error: -113,
      },
    },
    {
      name: 'a prefix length without RTA_DST, and a host source',
      family: AF_INET6,
      write: (w: MessageWriter) =>
        w.attr(RTA_SRC, Uint8Array.of(0x20, 0x01, 0x0d, 0xb8, ...new Array(11).fill(0), 9)),
      dstLen: 16,
      srcLen: 128,
      expected: { dst: '0/16', from: '2001:db8::9' },
    },
  ])('decodes $name', ({ family, write, dstLen, srcLen, expected }) => {
    const w = new MessageWriter().begin(RTM_NEWROUTE, 0).u8(family).u8(dstLen).u8(srcLen);
    w.zeros(9);
    const route = decodeRoute(NetlinkMessage.from(write(w).end().finish()), { ifname });
    expect(route).toMatchObject(expected);
    expect(route.type).toBe('none');
    expect(route.table).toBeUndefined(); // table 0 is not printed
  });

  it('keeps RTA_MULTIPATH raw as well when a next hop carries attributes nexthops does not show', () => {
    const hop = new MessageWriter().u16(24).u8(0).u8(0).u32(3);
    hop.attr(RTA_GATEWAY, Uint8Array.of(10, 1, 0, 2)).attrU16(RTA_ENCAP_TYPE, 1);
    const bytes = withAttribute(truncated(routeStatic, 44), RTA_MULTIPATH, hop.finish());
    const route = decodeRoute(NetlinkMessage.from(bytes), { ifname });
    expect(route.nexthops).toEqual([
      { gateway: '10.1.0.2', dev: 'v0', weight: 1, flags: [], ifindex: 3 },
    ]);
    expect(route.attrs.types()).toEqual([RTA_MULTIPATH]);
  });

  it.each([
    {
      name: 'a message of another type',
      bytes: patched(routeStatic, { 4: 16 }),
      at: 0,
    },
    { name: 'a payload shorter than struct rtmsg', bytes: truncated(routeStatic, 24), at: 0 },
    {
      name: 'RTA_GATEWAY whose nla_len runs past the message',
      bytes: patched(routeStatic, { 52: 0x20 }),
      at: 52,
    },
    { name: 'RTA_DST with nla_len 2', bytes: patched(routeStatic, { 36: 2 }), at: 36 },
    {
      name: 'RTA_DST with a 3-byte IPv4 address',
      bytes: patched(routeStatic, { 36: 7 }),
      at: 36,
    },
    { name: 'RTA_OIF with a 2-byte payload', bytes: patched(routeStatic, { 60: 6 }), at: 60 },
    {
      name: '2 trailing bytes after the last attribute',
      bytes: patched(withAttribute(routeStatic, 0, new Uint8Array(0)).slice(0, 70), { 0: 70 }),
      at: 68,
    },
    {
      name: 'an rtnexthop whose rtnh_len runs past RTA_MULTIPATH',
      bytes: patched(routeMultipath, { 48: 0x40 }),
      at: 48,
    },
    {
      name: 'an rtnexthop with rtnh_len below 8',
      bytes: patched(routeMultipath, { 48: 4 }),
      at: 48,
    },
  ])('throws a DecodeError with the offset for $name', ({ bytes, at }) => {
    const decode = () => decodeRoute(message(bytes));
    expect(decode).toThrow(DecodeError);
    try {
      decode();
    } catch (error) {
      expect((error as DecodeError).at).toBe(at);
      expect((error as DecodeError).code).toBe('EBADMSG');
    }
  });
});

function cacheinfo(expires: number, error: number): Uint8Array {
  const out = new Uint8Array(32);
  const view = new DataView(out.buffer);
  view.setInt32(8, expires, true);
  view.setInt32(12, error, true);
  return out;
}
