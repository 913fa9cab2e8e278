// Routes with the rarer attributes against this machine's kernel, each test in its own
// network namespace: what addRoute / replaceRoute / deleteRoute write is read back by
// `ip -j -d route show` and by dumpRoutes, and the two agree field for field.
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { IFA_F_NODAD, RTA_ENCAP, RTA_ENCAP_TYPE } from '../../src/families/rtnetlink/constants.js';
import type { Route } from '../../src/families/rtnetlink/route.js';
import { dumpRoutes } from '../../src/sources/rtnetlink/dumps.js';
import { addNexthop } from '../../src/sources/rtnetlink/nexthops.js';
import {
  type AddRouteOptions,
  addAddress,
  addRoute,
  deleteRoute,
  replaceRoute,
} from '../../src/sources/rtnetlink/requests.js';
import { hasSeg6Tunnels, type Netns, useNetns } from './netns.js';

type Json = Record<string, unknown>;

const skipReason = process.getuid?.() === 0 ? undefined : 'needs root to create namespaces';
if (skipReason) console.warn(`rtnetlink.routes.test.ts skipped: ${skipReason}`);

async function run(source: Observable<void>): Promise<void> {
  expect(await lastValueFrom(source.pipe(toArray()))).toEqual([undefined]);
}

async function outcome(source: Observable<unknown>): Promise<unknown> {
  try {
    await lastValueFrom(source.pipe(toArray()));
    return undefined;
  } catch (error) {
    return error;
  }
}

/** A veth pair v0/v1, up, with addresses on both ends; addresses added by dev name. */
async function wire(ns: Netns): Promise<void> {
  ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
  ns.ip('link', 'set', 'v0', 'up');
  ns.ip('link', 'set', 'v1', 'up');
  await run(addAddress({ dev: 'v0', address: '10.1.0.1/24', netns: ns.name }));
  await run(addAddress({ dev: 'v1', address: '10.2.0.1/24', netns: ns.name }));
  await run(
    addAddress({ dev: 'v0', address: '2001:db8::1/64', flags: IFA_F_NODAD, netns: ns.name }),
  );
}

/** `ours` on ip's keys (next hops without nlring's `ifindex`). */
function onIpFields(ours: Route, theirs: Json): Json {
  const record = ours as unknown as Json;
  const out: Json = {};
  for (const key of Object.keys(theirs)) {
    out[key] =
      key === 'nexthops'
        ? ours.nexthops?.map(({ ifindex: _i, ...hop }) => hop)
        : key === 'nh_info'
          ? theirs[key] // ip looks the nexthop object up separately; nlring leaves it to dumpNexthops
          : record[key];
  }
  return out;
}

/** One route as ip and as dumpRoutes see it. */
async function both(ns: Netns, family: '-4' | '-6', dst: string): Promise<[Json, Route]> {
  const theirs = ns.ipJson<Json[]>(family, '-d', 'route', 'show', 'table', 'all', dst);
  expect(theirs).toHaveLength(1);
  const all = await lastValueFrom(
    dumpRoutes({ netns: ns.name, family: family === '-4' ? 'inet' : 'inet6' }).pipe(toArray()),
  );
  const ours = all.filter((r) => r.dst === dst && r.type === theirs[0].type);
  expect(ours).toHaveLength(1);
  return [theirs[0], ours[0]];
}

const ROUTES: Array<{ name: string; family: '-4' | '-6'; options: AddRouteOptions; ip: Json }> = [
  {
    name: 'multipath with weights and a device per hop',
    family: '-4',
    options: {
      dst: '10.9.9.0/24',
      nexthops: [
        { gateway: '10.1.0.2', dev: 'v0', weight: 2 },
        { gateway: '10.2.0.2', dev: 'v1', weight: 3 },
      ],
    },
    ip: {
      nexthops: [
        { gateway: '10.1.0.2', dev: 'v0', weight: 2, flags: [] },
        { gateway: '10.2.0.2', dev: 'v1', weight: 3, flags: [] },
      ],
    },
  },
  {
    name: 'an onlink gateway no prefix covers',
    family: '-4',
    options: { dst: '10.9.5.0/24', gateway: '10.3.0.2', dev: 'v0', onlink: true },
    ip: { gateway: '10.3.0.2', dev: 'v0', flags: ['onlink'] },
  },
  {
    name: 'metrics, every one',
    family: '-4',
    options: {
      dst: '10.9.4.0/24',
      gateway: '10.1.0.2',
      metrics: {
        mtu: 1400,
        window: 65535,
        rtt: 100,
        rttvar: 50,
        ssthresh: 20,
        cwnd: 10,
        advmss: 1360,
        reordering: 5,
        hoplimit: 32,
        initcwnd: 10,
        rto_min: 200,
        initrwnd: 20,
        quickack: 1,
        congestion: 'cubic',
        fastopen_no_cookie: 1,
      },
    },
    ip: { metrics: [{ mtu: 1400, advmss: 1360, rtt: 100, congestion: 'cubic' }] },
  },
  {
    name: 'a TOS',
    family: '-4',
    options: { dst: '10.9.2.0/24', tos: 0x10, gateway: '10.1.0.2' },
    ip: { tos: '0x10' },
  },
  {
    name: 'a source-specific IPv6 route (from)',
    family: '-6',
    options: {
      dst: '2001:db8:9::/48',
      from: '2001:db8:1::/48',
      gateway: '2001:db8::2',
      dev: 'v0',
    },
    ip: { from: '2001:db8:1::/48', gateway: '2001:db8::2' },
  },
  {
    name: 'an IPv6 router preference',
    family: '-6',
    options: { dst: '2001:db8:8::/48', gateway: '2001:db8::2', pref: 'high', dev: 'v0' },
    ip: { pref: 'high' },
  },
  {
    name: 'a seg6 encapsulation (encap mode)',
    family: '-6',
    options: {
      dst: '2001:db8:20::/48',
      encap: { type: 'seg6', mode: 'encap', segs: ['2001:db8::5', '2001:db8::6'] },
      dev: 'v0',
    },
    ip: { encap: 'seg6', mode: 'encap', segs: ['2001:db8::5', '2001:db8::6'] },
  },
  {
    name: 'a seg6 encapsulation (inline mode) with a gateway',
    family: '-6',
    options: {
      dst: '2001:db8:21::/48',
      gateway: '2001:db8::2',
      encap: { type: 'seg6', mode: 'inline', segs: ['2001:db8::7'] },
      dev: 'v0',
    },
    ip: { encap: 'seg6', mode: 'inline', segs: ['2001:db8::7', '::'] },
  },
  {
    name: 'IPv6 multipath',
    family: '-6',
    options: {
      dst: '2001:db8:7::/48',
      nexthops: [
        { gateway: '2001:db8::2', dev: 'v0', weight: 2 },
        { gateway: '2001:db8::3', dev: 'v0' },
      ],
    },
    ip: {
      nexthops: [
        { gateway: '2001:db8::2', dev: 'v0', weight: 2, flags: [] },
        { gateway: '2001:db8::3', dev: 'v0', weight: 1, flags: [] },
      ],
    },
  },
];

describe.skipIf(skipReason !== undefined)('routes with the rarer attributes', () => {
  const netns = useNetns();

  it.each(ROUTES)('$name: ip sees what was asked, dumpRoutes what ip sees', async (c) => {
    const ns = netns();
    await wire(ns);
    if (c.options.encap?.type === 'seg6' && !hasSeg6Tunnels()) {
      // A kernel built without seg6 tunnels: the request fails with its errno and its words.
      console.info(`${c.name}: this kernel has no seg6 tunnels; its refusal is checked`);
      const error = await outcome(addRoute({ ...c.options, netns: ns.name }));
      expect(error).toBeInstanceOf(NetlinkError);
      expect(error).toMatchObject({
        code: 'EOPNOTSUPP',
        extack: 'lwt encapsulation type not supported',
      });
      expect(ns.ipJson<Json[]>(c.family, 'route', 'show', c.options.dst)).toEqual([]);
      return;
    }
    await run(addRoute({ ...c.options, netns: ns.name }));
    const [theirs, ours] = await both(ns, c.family, c.options.dst);
    expect(theirs).toMatchObject(c.ip);
    expect(onIpFields(ours, theirs)).toEqual(theirs);
    const { dst, tos, from } = c.options;
    await run(deleteRoute({ dst, tos, from, netns: ns.name }));
    expect(ns.ipJson<Json[]>(c.family, 'route', 'show', c.options.dst)).toEqual([]);
  });

  it('an encap this decoder does not unpack (ip) is named, its bytes kept in attrs', async () => {
    const ns = netns();
    await wire(ns);
    ns.ip('route', 'add', '10.9.21.0/24', 'encap', 'ip', 'id', '5', 'dst', '10.1.0.9', 'dev', 'v0');
    const all = await lastValueFrom(dumpRoutes({ netns: ns.name, family: 'inet' }).pipe(toArray()));
    const route = all.find((r) => r.dst === '10.9.21.0/24');
    expect(route).toMatchObject({ encap: 'ip', dev: 'v0' });
    expect(route?.attrs.has(RTA_ENCAP)).toBe(true);
    expect(route?.attrs.has(RTA_ENCAP_TYPE)).toBe(false);
  });

  it('a route through a nexthop object (nhid)', async () => {
    const ns = netns();
    await wire(ns);
    await run(addNexthop({ id: 7, gateway: '10.1.0.2', dev: 'v0', netns: ns.name }));
    await run(addRoute({ dst: '10.9.3.0/24', nhid: 7, netns: ns.name }));
    const [theirs, ours] = await both(ns, '-4', '10.9.3.0/24');
    expect(theirs).toMatchObject({ nhid: 7, gateway: '10.1.0.2', dev: 'v0' });
    expect(onIpFields(ours, theirs)).toEqual(theirs);
  });

  it('nhInfo: a route through a nexthop object carries it as nh_info, as ip -d -j shows', async () => {
    const ns = netns();
    await wire(ns);
    await run(addNexthop({ id: 8, gateway: '10.1.0.2', dev: 'v0', netns: ns.name }));
    await run(addRoute({ dst: '10.9.4.0/24', nhid: 8, netns: ns.name }));
    await run(addRoute({ dst: '10.9.5.0/24', gateway: '10.1.0.2', netns: ns.name }));
    const [theirs] = ns.ipJson<Json[]>('-4', '-d', 'route', 'show', '10.9.4.0/24');
    const info = theirs.nh_info as Json;
    expect(info).toMatchObject({ id: 8, gateway: '10.1.0.2', dev: 'v0' });
    const all = await lastValueFrom(
      dumpRoutes({ netns: ns.name, family: 'inet', nhInfo: true }).pipe(toArray()),
    );
    const via = all.find((r) => r.dst === '10.9.4.0/24');
    const record = (via?.nh_info ?? {}) as unknown as Json;
    expect(Object.fromEntries(Object.keys(info).map((k) => [k, record[k]]))).toEqual(info);
    expect(all.find((r) => r.dst === '10.9.5.0/24')?.nh_info).toBeUndefined();
    expect(() => dumpRoutes({ nhInfo: 'yes' as unknown as boolean })).toThrow(
      /dumpRoutes: options\.nhInfo/,
    );
  });

  it('append adds a second route of a destination, replace changes it in place', async () => {
    const ns = netns();
    await wire(ns);
    await run(addRoute({ dst: '10.9.6.0/24', gateway: '10.1.0.2', tos: 8, netns: ns.name }));
    const exists = await outcome(
      addRoute({ dst: '10.9.6.0/24', gateway: '10.2.0.2', tos: 8, netns: ns.name }),
    );
    expect(exists).toBeInstanceOf(NetlinkError);
    expect(exists).toMatchObject({ code: 'EEXIST' });
    // IPv4 keeps an appended route of the same destination, TOS and metric beside the first.
    await run(
      addRoute({ dst: '10.9.6.0/24', gateway: '10.2.0.2', tos: 8, append: true, netns: ns.name }),
    );
    const appended = ns.ipJson<Json[]>('route', 'show', '10.9.6.0/24');
    expect(appended.map((r) => r.gateway)).toEqual(['10.1.0.2', '10.2.0.2']);
    await run(
      replaceRoute({
        dst: '10.9.6.0/24',
        tos: 8,
        nexthops: [
          { gateway: '10.1.0.2', dev: 'v0' },
          { gateway: '10.2.0.2', dev: 'v1' },
        ],
        netns: ns.name,
      }),
    );
    const replaced = ns.ipJson<Json[]>('route', 'show', '10.9.6.0/24');
    expect(replaced[0]).toMatchObject({
      nexthops: [{ gateway: '10.1.0.2' }, { gateway: '10.2.0.2' }],
    });
  });

  it('an unknown dev fails with ENODEV naming it, in the namespace of the request', async () => {
    const ns = netns();
    await wire(ns);
    // `lo` of the test process's namespace exists; `v0` only in ns: resolved there.
    await run(addRoute({ dst: '10.9.1.0/24', dev: 'v0', netns: ns.name }));
    const error = await outcome(addRoute({ dst: '10.9.0.0/24', dev: 'nope0', netns: ns.name }));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'ENODEV' });
    expect((error as NetlinkError).message).toContain('"nope0"');
    const hop = await outcome(
      addRoute({
        dst: '10.9.0.0/24',
        nexthops: [
          { gateway: '10.1.0.2', dev: 'v0' },
          { gateway: '10.2.0.2', dev: 'nope1' },
        ],
        netns: ns.name,
      }),
    );
    expect(hop).toMatchObject({ code: 'ENODEV' });
    expect((hop as NetlinkError).message).toContain('"nope1"');
  });
});
