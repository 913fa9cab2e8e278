import { lastValueFrom, type Observable, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { DumpInterruptedError, NetlinkError } from '../../../src/errors/NetlinkError.js';
import type { InterfaceAddress } from '../../../src/families/rtnetlink/address.js';
import {
  AF_INET,
  AF_INET6,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_GETNEIGH,
  RTM_GETROUTE,
} from '../../../src/families/rtnetlink/constants.js';
import type { Link } from '../../../src/families/rtnetlink/link.js';
import type { Neighbour } from '../../../src/families/rtnetlink/neighbour.js';
import type { Route } from '../../../src/families/rtnetlink/route.js';
import { RingStats } from '../../../src/ring/RingStats.js';
import {
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
} from '../../../src/sources/rtnetlink/dumps.js';
import type { RtnetlinkOptions } from '../../../src/sources/rtnetlink/options.js';
import { rtnetlinkKernel, rtnetlinkWorld } from '../../../src/testing/index.js';

/** One line per value: what ip would print of it, in short. */
const summary = {
  link: (l: Link) =>
    [l.ifname, l.link && `link ${l.link}`, l.master && `master ${l.master}`, l.flags.join(',')]
      .filter(Boolean)
      .join(' '),
  address: (a: InterfaceAddress) => `${a.ifname} ${a.local}/${a.prefixlen}`,
  route: (r: Route) => `${r.table} ${r.dst} ${r.dev}`,
  neighbour: (n: Neighbour) => `${n.dst} ${n.dev} ${n.state?.join(',')}`,
};

type AnyDump = (
  options: RtnetlinkOptions,
) => Observable<Link | InterfaceAddress | Route | Neighbour>;

function run<T>(source: Observable<T>): Promise<T[]> {
  return lastValueFrom(source.pipe(toArray()));
}

function failure(source: Observable<unknown>): Promise<unknown> {
  return lastValueFrom(source).then(
    () => new Error('completed'),
    (e: unknown) => e,
  );
}

const DUMPS = [
  {
    name: 'dumpLinks',
    dump: dumpLinks as AnyDump,
    type: RTM_GETLINK,
    show: summary.link as (x: unknown) => string,
    expected: [
      'lo BROADCAST,MULTICAST,UP,LOWER_UP',
      'v1 link v0 master br0 BROADCAST,MULTICAST',
      'v0 link v1 BROADCAST,MULTICAST,UP,LOWER_UP,M-DOWN',
      'br0 BROADCAST,MULTICAST,UP,LOWER_UP',
    ],
  },
  {
    name: 'dumpAddresses',
    dump: dumpAddresses as AnyDump,
    type: RTM_GETADDR,
    show: summary.address as (x: unknown) => string,
    expected: ['lo 127.0.0.1/8', 'v0 10.1.0.1/24', 'v0 2001:db8::1/64'],
  },
  {
    name: 'dumpRoutes',
    dump: dumpRoutes as AnyDump,
    type: RTM_GETROUTE,
    show: summary.route as (x: unknown) => string,
    expected: [
      'main 10.1.0.0/24 v0',
      '100 10.8.0.0/16 v1',
      'local 10.1.0.1 v0',
      'main 2001:db8::/64 v0',
    ],
  },
  {
    name: 'dumpNeighbours',
    dump: dumpNeighbours as AnyDump,
    type: RTM_GETNEIGH,
    show: summary.neighbour as (x: unknown) => string,
    expected: ['10.1.0.9 v0 PERMANENT', '2001:db8::9 v0 PERMANENT'],
  },
];

describe('rtnetlink dumps over the simulated kernel', () => {
  it.each(DUMPS)(
    '$name learns names with a link dump, then dumps on the same socket, once',
    async ({ dump, type, show, expected }) => {
      const k = rtnetlinkKernel(rtnetlinkWorld());
      const stats = new RingStats();
      const values = await run(dump({ open: k.open, stats }));
      expect(values.map(show)).toEqual(expected);
      expect(k.requests.map((r) => [r.type, r.seq])).toEqual([
        [RTM_GETLINK, 1],
        [type, 2],
      ]);
      expect(k.opened).toHaveLength(1);
      expect(k.opened[0].closes).toBe(1);
      expect(k.opened[0].groups).toEqual([]);
      expect(stats.frames).toBeGreaterThan(2);
      expect(k.opened[0].socket.rx.describe()).toBe('UUUUUUUU');
    },
  );

  it.each(DUMPS.filter((d) => d.name !== 'dumpLinks'))(
    '$name with ifnames dumps once and names from the map (if<N> for the unknown)',
    async ({ dump, type, show }) => {
      const k = rtnetlinkKernel(rtnetlinkWorld());
      const ifnames = new Map([[3, 'eth0']]);
      const values = await run(dump({ open: k.open, ifnames }));
      expect(k.requests.map((r) => r.type)).toEqual([type]);
      const lines = values.map(show).join('\n');
      expect(lines).toContain('eth0');
      expect(lines).not.toContain('v0');
      if (type !== RTM_GETNEIGH) expect(lines).toMatch(/\bif[12]\b/);
    },
  );

  it('dumpRoutes({ nhInfo }) on a kernel without nexthop objects (EOPNOTSUPP) gives the routes', async () => {
    // The simulated kernel answers RTM_GETNEXTHOP as a kernel before 5.3 does.
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const plain = await lastValueFrom(dumpRoutes({ open: k.open }).pipe(toArray()));
    const withInfo = await lastValueFrom(
      dumpRoutes({ open: k.open, nhInfo: true }).pipe(toArray()),
    );
    expect(withInfo.map(summary.route)).toEqual(plain.map(summary.route));
    expect(withInfo.length).toBeGreaterThan(0);
    expect(withInfo.every((r) => r.nh_info === undefined)).toBe(true);
    // Another error still errors the stream.
    const failing = rtnetlinkKernel({
      ...rtnetlinkWorld(),
      fail: { type: RTM_GETROUTE, errno: 1 },
    });
    await expect(
      lastValueFrom(dumpRoutes({ open: failing.open, nhInfo: true }).pipe(toArray())),
    ).rejects.toMatchObject({ code: 'EPERM' });
  });

  it('dumpLinks with ifnames dumps once, names from the map, and shows no M-DOWN', async () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const ifnames = (ifindex: number) => (ifindex === 2 ? 'peer' : undefined);
    const values = await run(dumpLinks({ open: k.open, ifnames }));
    expect(k.requests.map((r) => r.type)).toEqual([RTM_GETLINK]);
    expect(values.map(summary.link)).toEqual([
      'lo BROADCAST,MULTICAST,UP,LOWER_UP',
      'v1 link if3 master if4 BROADCAST,MULTICAST',
      'v0 link peer BROADCAST,MULTICAST,UP,LOWER_UP',
      'br0 BROADCAST,MULTICAST,UP,LOWER_UP',
    ]);
  });

  it.each([
    {
      name: 'addresses, inet, strict',
      dump: dumpAddresses as AnyDump,
      family: 'inet',
      strict: true,
      n: 2,
    },
    {
      name: 'addresses, inet6, lax',
      dump: dumpAddresses as AnyDump,
      family: 'inet6',
      strict: false,
      n: 1,
    },
    {
      name: 'routes, AF_INET6 number, strict',
      dump: dumpRoutes as AnyDump,
      family: AF_INET6,
      strict: true,
      n: 1,
    },
    { name: 'routes, inet, lax', dump: dumpRoutes as AnyDump, family: 'inet', strict: false, n: 3 },
    {
      name: 'neighbours, inet, lax',
      dump: dumpNeighbours as AnyDump,
      family: 'inet',
      strict: false,
      n: 1,
    },
    {
      name: 'neighbours, all, strict',
      dump: dumpNeighbours as AnyDump,
      family: 'all',
      strict: true,
      n: 2,
    },
  ] as const)(
    'family: $name (the kernel filters, or the source does when it does not)',
    async ({ dump, family, strict, n }) => {
      const k = rtnetlinkKernel({ ...rtnetlinkWorld(), strict });
      const values = await run(dump({ open: k.open, family }));
      const number =
        family === 'inet' ? AF_INET : family === 'inet6' ? AF_INET6 : family === 'all' ? 0 : family;
      expect(k.requests[1].family).toBe(number);
      expect(values).toHaveLength(n);
      if (number !== 0) {
        const name = number === AF_INET ? 'inet' : 'inet6';
        expect(values.every((v) => 'family' in v && v.family === name)).toBe(true);
      }
    },
  );

  it.each([
    {
      name: "'main'",
      table: 'main',
      sent: 254,
      expected: ['main 10.1.0.0/24 v0', 'main 2001:db8::/64 v0'],
    },
    { name: '100', table: 100, sent: 100, expected: ['100 10.8.0.0/16 v1'] },
    { name: "'100'", table: '100', sent: 100, expected: ['100 10.8.0.0/16 v1'] },
    { name: "'local'", table: 'local', sent: 255, expected: ['local 10.1.0.1 v0'] },
    { name: "'all'", table: 'all', sent: undefined, expected: DUMPS[2].expected },
    { name: '0 (all)', table: 0, sent: undefined, expected: DUMPS[2].expected },
    { name: 'absent (all)', table: undefined, sent: undefined, expected: DUMPS[2].expected },
  ] as const)(
    'dumpRoutes table $name: asked of the kernel and enforced',
    async ({ table, sent, expected }) => {
      for (const strict of [true, false]) {
        const k = rtnetlinkKernel({ ...rtnetlinkWorld(), strict });
        const values = await run(dumpRoutes({ open: k.open, table }));
        expect(k.requests[1].table).toBe(sent);
        expect(values.map(summary.route)).toEqual(expected);
      }
    },
  );

  it.each([
    { name: 'the name dump', type: RTM_GETLINK },
    { name: 'the dump itself', type: RTM_GETROUTE },
  ])('an error reply to $name errors the stream with the errno and extack', async ({ type }) => {
    const k = rtnetlinkKernel({
      ...rtnetlinkWorld(),
      fail: { type, errno: 1, extack: 'not for you' },
    });
    const error = await failure(dumpRoutes({ open: k.open }));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'EPERM', extack: 'not for you', op: 'dump' });
    expect(k.opened[0].closes).toBe(1);
  });

  it('a dump flagged NLM_F_DUMP_INTR emits its values, then errors at DONE', async () => {
    const k = rtnetlinkKernel({ ...rtnetlinkWorld(), interrupt: RTM_GETADDR });
    const values: InterfaceAddress[] = [];
    const error = await new Promise((resolve) =>
      dumpAddresses({ open: k.open }).subscribe({
        next: (a) => values.push(a),
        error: resolve,
        complete: () => resolve(null),
      }),
    );
    expect(values.map(summary.address)).toEqual(DUMPS[1].expected);
    expect(error).toBeInstanceOf(DumpInterruptedError);
    expect(error).toMatchObject({ code: 'EINTR', seq: 2, interrupted: 3 });
    expect(k.opened[0].closes).toBe(1);
  });

  it('closes the socket once when unsubscribed in the middle of the dump', async () => {
    const k = rtnetlinkKernel({ ...rtnetlinkWorld(), perDatagram: 1 });
    const first = await run(dumpRoutes({ open: k.open }).pipe(take(2)));
    expect(first.map(summary.route)).toEqual(DUMPS[2].expected.slice(0, 2));
    expect(k.opened[0].closes).toBe(1);
    expect(k.opened[0].socket.closed).toBe(true);
  });

  it('errors with what open() throws, and opens again for each subscription', async () => {
    const boom = new NetlinkError({ op: 'netns', errno: 2, detail: 'no such namespace' });
    let calls = 0;
    const source = dumpLinks({
      open: () => {
        calls++;
        throw boom;
      },
    });
    expect(calls).toBe(0); // cold
    expect(await failure(source)).toBe(boom);
    expect(await failure(source)).toBe(boom);
    expect(calls).toBe(2);
  });

  it.each([
    { name: 'options not an object', options: 5, message: /dumpRoutes: options must be an object/ },
    { name: 'empty netns', options: { netns: '' }, message: /options\.netns/ },
    { name: 'netns with a slash', options: { netns: 'a/b' }, message: /options\.netns/ },
    { name: 'unknown family', options: { family: 'ipx' }, message: /options\.family/ },
    { name: 'family out of range', options: { family: 256 }, message: /options\.family/ },
    { name: 'open not a function', options: { open: {} }, message: /options\.open/ },
    { name: 'stats not RingStats', options: { stats: { frames: 0 } }, message: /options\.stats/ },
    { name: 'ifnames an array', options: { ifnames: [] }, message: /options\.ifnames/ },
    { name: 'unknown table', options: { table: 'mine' }, message: /options\.table/ },
    { name: 'negative table', options: { table: -1 }, message: /options\.table/ },
    { name: 'fractional table', options: { table: 1.5 }, message: /options\.table/ },
    { name: 'table id too large', options: { table: '4294967296' }, message: /options\.table/ },
  ])('throws a TypeError at once: $name', ({ options, message }) => {
    expect(() => dumpRoutes(options as never)).toThrow(TypeError);
    expect(() => dumpRoutes(options as never)).toThrow(message);
  });
});
