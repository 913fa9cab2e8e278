import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import type { InterfaceAddress } from '../../src/families/rtnetlink/address.js';
import type { Link } from '../../src/families/rtnetlink/link.js';
import type { Neighbour } from '../../src/families/rtnetlink/neighbour.js';
import type { Route } from '../../src/families/rtnetlink/route.js';
import { RingStats } from '../../src/ring/RingStats.js';
import {
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
} from '../../src/sources/rtnetlink/dumps.js';
import { type Netns, openFds, useNetns } from './netns.js';

// The rtnetlink dumps against this machine's kernel, each test in its own network namespace:
// what dumpLinks / dumpAddresses / dumpRoutes / dumpNeighbours emit equals what `ip -j`
// prints for the same namespace, on the fields both report.

type Json = Record<string, unknown>;

const V4_ROUTES = 2000;
const V6_ROUTES = 1000;

/**
 * A namespace with something of everything: a veth pair whose v1 end is a bridge port,
 * addresses of both families, neighbours, and thousands of routes in several tables. DAD is
 * off so IPv6 addresses do not change while they are compared.
 */
function populate(ns: Netns): void {
  ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0');
  ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.default.accept_dad=0');
  const commands = [
    'link set lo up',
    'link add v0 type veth peer name v1',
    'link add br0 type bridge',
    'link set v1 master br0',
    'link set v0 up',
    'link set v1 up',
    'link set br0 up',
    'addr add 10.1.0.1/24 dev v0',
    'addr add 10.1.0.7/24 dev v0 label v0:web',
    'addr add 10.2.0.1/24 dev br0',
    'addr add 2001:db8::1/64 dev v0 nodad',
    'addr add 2001:db8:2::1/64 dev br0 nodad',
    'neigh add 10.1.0.9 lladdr 02:00:00:00:00:09 dev v0 nud permanent',
    'neigh add 2001:db8::9 lladdr 02:00:00:00:00:19 dev v0 nud permanent',
    'route add 10.9.0.0/16 via 10.1.0.2 metric 50 proto static',
    'route add 10.8.0.0/16 via 10.1.0.2 table 100',
    'route add blackhole 10.7.0.0/16',
    'route add 2001:db8:1::/48 via 2001:db8::2 dev v0',
  ];
  for (let i = 0; i < V4_ROUTES; i++) {
    commands.push(`route add 10.100.${i >> 8}.${i & 255}/32 dev v0 proto static`);
  }
  for (let i = 0; i < V6_ROUTES; i++) {
    commands.push(`route add 2001:db8:100::${i.toString(16)}/128 dev br0 table 200`);
  }
  ns.batch(commands);
}

/** Waits until the links are UP and two samples of links and addresses, 100 ms apart, agree. */
async function settle(ns: Netns): Promise<void> {
  let last = '';
  for (let i = 0; i < 50; i++) {
    const links = ns.ipJson<Json[]>('link', 'show');
    const sample = JSON.stringify([links, ns.ipJson('addr', 'show')]);
    const up = links.filter((l) => l.ifname !== 'lo').every((l) => l.operstate === 'UP');
    if (up && sample === last) return;
    last = sample;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the namespace did not settle');
}

/** The fields of `ours` that ip reports too, for comparison with ip's object. */
function onIpFields(ours: object, theirs: Json): Json {
  const record = ours as Json;
  const out: Json = {};
  for (const key of Object.keys(theirs)) out[key] = record[key];
  return out;
}

/** Replaces a clock-driven number in `ours` by ip's when they are within 2 (seconds). */
function settleClock(ours: Json, theirs: Json, key: string): void {
  const a = ours[key];
  const b = theirs[key];
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 2) ours[key] = b;
}

describe('rtnetlink dumps on the real kernel', () => {
  const netns = useNetns();

  it('dumpLinks equals ip -j -d link show', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const ours = await lastValueFrom(dumpLinks({ netns: ns.name }).pipe(toArray()));
    const theirs = ns.ipJson<Json[]>('-d', 'link', 'show');
    expect(ours.map((l) => l.ifname)).toEqual(theirs.map((l) => l.ifname));
    // The bridge timers (gc_timer, hold_timer, …) count while we look: compared by type.
    const untimed = (value: unknown): unknown =>
      JSON.parse(
        JSON.stringify(value, (key, v) =>
          key.endsWith('_timer') && typeof v === 'number' ? 'a number' : v,
        ),
      );
    for (const [i, link] of ours.entries()) {
      const expected = theirs[i];
      expect(untimed(onIpFields(link, expected))).toEqual(untimed(expected));
    }
    const byName = new Map(ours.map((l): [string | undefined, Link] => [l.ifname, l]));
    expect(byName.get('v0')?.link).toBe('v1');
    expect(byName.get('v1')?.master).toBe('br0');
  });

  it('dumpAddresses equals the addr_info entries of ip -j addr show, per family too', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const ours = await lastValueFrom(dumpAddresses({ netns: ns.name }).pipe(toArray()));
    const theirs = ns
      .ipJson<Array<{ ifindex: number; ifname: string; addr_info: Json[] }>>('addr', 'show')
      .flatMap((l) => l.addr_info.map((a) => ({ ifindex: l.ifindex, ifname: l.ifname, ...a })));
    const key = (a: Json | InterfaceAddress) =>
      `${String(a.ifindex)} ${String(a.local)}/${String(a.prefixlen)}`;
    expect(ours.map(key).sort()).toEqual(theirs.map(key).sort());
    for (const address of ours) {
      const match = theirs.find((t) => key(t) === key(address)) as Json;
      const comparable = onIpFields(address, match);
      settleClock(comparable, match, 'valid_life_time');
      settleClock(comparable, match, 'preferred_life_time');
      expect(comparable).toEqual(match);
    }
    expect(ours.find((a) => a.local === '10.1.0.7')).toMatchObject({
      ifname: 'v0',
      label: 'v0:web',
      secondary: true,
    });
    const v6 = await lastValueFrom(
      dumpAddresses({ netns: ns.name, family: 'inet6' }).pipe(toArray()),
    );
    expect(v6.map(key).sort()).toEqual(
      ours
        .filter((a) => a.family === 'inet6')
        .map(key)
        .sort(),
    );
    expect(v6.length).toBeGreaterThanOrEqual(4); // ::1, 2 global, link-locals
  });

  it.each([
    { name: 'IPv4', family: 'inet', flag: '-4', least: V4_ROUTES },
    { name: 'IPv6', family: 'inet6', flag: '-6', least: V6_ROUTES },
  ] as const)(
    'dumpRoutes (table all) equals ip -j -d route show table all: $name',
    async ({ family, flag, least }) => {
      const ns = netns();
      populate(ns);
      await settle(ns);
      const stats = new RingStats();
      const all = await lastValueFrom(dumpRoutes({ netns: ns.name, stats }).pipe(toArray()));
      const ours: Route[] = all.filter((r) => r.family === family);
      const theirs = ns.ipJson<Json[]>(flag, '-d', 'route', 'show', 'table', 'all');
      expect(ours.length).toBeGreaterThan(least);
      expect(ours.map((r) => `${r.table} ${r.type} ${r.dst} ${r.dev}`)).toEqual(
        theirs.map((r) => `${r.table} ${r.type} ${r.dst} ${r.dev}`),
      );
      for (const [i, route] of ours.entries()) {
        expect(onIpFields(route, theirs[i])).toEqual(theirs[i]);
      }
      // Only that family, the same routes, when asked for.
      const one = await lastValueFrom(dumpRoutes({ netns: ns.name, family }).pipe(toArray()));
      expect(one.map((r) => `${r.table} ${r.dst} ${r.dev}`)).toEqual(
        ours.map((r) => `${r.table} ${r.dst} ${r.dev}`),
      );
      expect(stats.frames).toBeGreaterThan(0);
    },
  );

  it.each([
    { name: 'main', table: 'main', args: ['route', 'show'] },
    { name: '100', table: 100, args: ['route', 'show', 'table', '100'] },
    { name: 'local (IPv6)', table: 'local', args: ['-6', 'route', 'show', 'table', 'local'] },
  ] as const)('dumpRoutes of table $name lists what ip lists', async ({ table, args }) => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const family = args[0] === '-6' ? 'inet6' : 'inet';
    const ours = await lastValueFrom(dumpRoutes({ netns: ns.name, table, family }).pipe(toArray()));
    const theirs = ns.ipJson<Json[]>(...args);
    expect(ours.map((r) => `${r.dst} ${r.dev}`)).toEqual(theirs.map((r) => `${r.dst} ${r.dev}`));
    expect(ours.length).toBeGreaterThan(0);
  });

  it('dumpNeighbours equals ip -j -s neigh show nud all', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const ours = await lastValueFrom(dumpNeighbours({ netns: ns.name }).pipe(toArray()));
    const theirs = ns.ipJson<Json[]>('-s', 'neigh', 'show', 'nud', 'all');
    const key = (n: Json | Neighbour) => `${String(n.dst)} ${String(n.dev)}`;
    for (const made of ['10.1.0.9 v0', '2001:db8::9 v0']) {
      expect(ours.map(key)).toContain(made);
      expect(theirs.map(key)).toContain(made);
    }
    // The kernel adds and ages entries on its own (multicast, the bridge's): compare those
    // both saw.
    let compared = 0;
    for (const neighbour of ours) {
      const match = theirs.find((t) => key(t) === key(neighbour));
      if (match === undefined) continue;
      const comparable = onIpFields(neighbour, match);
      for (const clock of ['used', 'confirmed', 'updated']) settleClock(comparable, match, clock);
      expect(comparable).toEqual(match);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(2);
    const v4 = await lastValueFrom(
      dumpNeighbours({ netns: ns.name, family: 'inet' }).pipe(toArray()),
    );
    expect(v4.every((n) => n.family === 'inet')).toBe(true);
    expect(v4.map(key)).toContain('10.1.0.9 v0');
  });

  it('closes its socket: no fd is left after completion or unsubscribe', async () => {
    const ns = netns();
    populate(ns);
    const before = openFds();
    await lastValueFrom(dumpRoutes({ netns: ns.name }).pipe(toArray()));
    expect(openFds()).toEqual(before);
    // Unsubscribed in the middle of the route dump.
    await new Promise<void>((resolve, reject) => {
      let n = 0;
      const subscription = dumpRoutes({ netns: ns.name }).subscribe({
        next: () => {
          if (++n === 100) {
            subscription.unsubscribe();
            resolve();
          }
        },
        error: reject,
        complete: () => reject(new Error('completed before 100 routes')),
      });
    });
    expect(openFds()).toEqual(before);
  });

  it('errors with ENOENT for an unknown namespace', async () => {
    const error = await lastValueFrom(dumpLinks({ netns: `${netns().name}-missing` })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'ENOENT', op: 'netns' });
  });
});
