// `nlring routes --json` writes each route's JSON text straight into byte chunks as the dump
// decodes it. Differential: on a namespace with routes of every kind the command prints, its
// bytes are those of the object path it replaced (a copy of each route without `attrs`,
// `nh_info` after the route's fields and before `nexthops`, the array through
// JSON.stringify), and the command as a whole prints the same routes.
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonArray } from '../../src/cli/jsonText.js';
import { main } from '../../src/cli/main.js';
import { jsonObject } from '../../src/cli/output.js';
import { ROUTE_FIELDS, RouteJson } from '../../src/cli/routeJson.js';
import { collectDump } from '../../src/cli/streams.js';
import { dumpRoutes, dumpRoutesWith, rtnetlink } from '../../src/index.js';
import { hasSeg6Tunnels, type Netns, useNetns } from '../e2e/netns.js';

const skipReason = process.getuid?.() !== 0 ? 'needs root to create network namespaces' : undefined;

/** An interface name with a quote, a backslash and a non-ASCII letter (ip allows all three). */
const ODD_NAME = 'a"ü\\b';

/** Routes of every family, table and kind the JSON has fields for. */
function populate(ns: Netns): void {
  ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0');
  ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.default.accept_dad=0');
  ns.batch([
    'link set lo up',
    'link add v0 type veth peer name v1',
    `link add ${ODD_NAME} type veth peer name v2`,
    'addr add 10.1.0.1/24 dev v0',
    'addr add fd00:1::1/64 dev v0 nodad',
    'link set v0 up',
    'link set v1 up',
    `link set ${ODD_NAME} up`,
    'route add 10.2.0.0/16 via 10.1.0.2 dev v0 metric 20',
    'route add 10.3.0.0/24 dev v0 table 100',
    'route add blackhole 10.4.0.0/16',
    'route add unreachable 10.4.1.0/24 table 100',
    'route add prohibit 10.4.2.0/24',
    `route add 10.5.0.0/16 dev ${ODD_NAME} src 10.1.0.1`,
    'route add 10.6.0.0/24 proto static nexthop via 10.1.0.2 dev v0 weight 1 nexthop via 10.1.0.3 dev v0 weight 2',
    'route add 10.8.0.0/24 via 10.1.0.2 dev v0 mtu lock 1300 advmss 1260 rtt 80ms rttvar 20ms congctl cubic features ecn initcwnd 10 hoplimit 64 onlink',
    'route add 10.9.0.0/24 tos 0x10 via 10.1.0.2 dev v0',
    'route add 10.11.0.0/16 encap ip id 5 dst 10.9.9.9 dev v0',
    'nexthop add id 1 via 10.1.0.2 dev v0',
    'nexthop add id 2 via 10.1.0.3 dev v0',
    'nexthop add id 3 group 1/2,3',
    'route add 10.7.0.0/24 nhid 3',
    'route add 10.7.1.0/24 nhid 1',
    'route add fd00:2::/64 via fd00:1::2 dev v0',
    'route add fd00:3::/64 from fd00:1::/64 via fd00:1::2 dev v0',
    'route add fd00:4::/64 via fd00:1::2 dev v0 expires 300',
    'route add fd00:6::/64 nexthop via fd00:1::2 dev v0 weight 1 nexthop via fd00:1::3 dev v0 weight 3',
    'route add fd00:7::/64 dev v0 table 100 metric 7 pref high',
  ]);
  // seg6 where the kernel has it (some builds leave it out; the writer's `segs` path is
  // also checked below on routes made by hand).
  if (hasSeg6Tunnels()) {
    ns.ip(
      'route',
      'add',
      '10.10.0.0/16',
      'encap',
      'seg6',
      'mode',
      'encap',
      'segs',
      'fc00::1,fc00::2',
      'dev',
      'v0',
    );
  } else {
    console.info('routesJson.test.ts: this kernel has no seg6 tunnels; no seg6 route in the dump');
  }
}

/** The object path `nlring routes --json` had: copies without attrs, nh_info before nexthops. */
function objectPath(routes: readonly rtnetlink.Route[]): string {
  const objects = routes.map((route) => {
    const object = jsonObject(route);
    delete object.nh_info;
    if (route.nh_info === undefined) return object;
    const { nexthops: paths, ...rest } = object;
    const info = jsonObject(route.nh_info);
    return paths === undefined
      ? { ...rest, nh_info: info }
      : { ...rest, nh_info: info, nexthops: paths };
  });
  return `${JSON.stringify(objects)}\n`;
}

/** The text the command's writer makes of `routes`. */
function writerPath(routes: readonly rtnetlink.Route[]): string {
  const out = new JsonArray();
  out.begin();
  const writer = new RouteJson(out);
  for (const route of routes) writer.write(route);
  return Buffer.concat(out.end()).toString('utf8');
}

type Json = Record<string, unknown>;

/** `value` without the fields that follow the clock (a route's `expires` counts down). */
function withoutClocks(routes: Json[]): Json[] {
  return routes.map(({ expires: _, ...rest }) => rest);
}

describe.skipIf(skipReason !== undefined)('nlring routes --json, the writer', () => {
  const netns = useNetns();

  it('writes the bytes of the object path for routes of every kind', async () => {
    const ns = netns();
    populate(ns);
    const routes = await collectDump<rtnetlink.Route>(() =>
      dumpRoutes({ netns: ns.name, nhInfo: true }),
    );
    // The namespace has what the test is about (else it could not fail for it).
    const find = (dst: string) => routes.find((r) => r.dst === dst);
    expect(new Set(routes.map((r) => r.family))).toEqual(new Set(['inet', 'inet6']));
    expect(new Set(routes.map((r) => r.table))).toEqual(new Set(['main', 'local', '100']));
    expect(find('10.7.0.0/24')?.nh_info?.group).toHaveLength(2);
    expect(find('10.7.0.0/24')?.nexthops).toHaveLength(2);
    expect(find('10.7.1.0/24')?.nh_info?.gateway).toBe('10.1.0.2');
    expect(find('10.6.0.0/24')?.nexthops).toHaveLength(2);
    expect(find('fd00:6::/64')?.nexthops).toHaveLength(2);
    expect(find('10.8.0.0/24')?.metrics?.[0]).toMatchObject({ ecn: null, congestion: 'cubic' });
    if (hasSeg6Tunnels()) {
      expect(find('10.10.0.0/16')).toMatchObject({ encap: 'seg6', segs: ['fc00::1', 'fc00::2'] });
    }
    expect([...(routes.find((r) => r.encap === 'ip')?.attrs ?? [])]).not.toHaveLength(0);
    expect(find('10.5.0.0/16')?.dev).toBe(ODD_NAME);
    expect(find('fd00:3::/64')?.from).toBe('fd00:1::/64');
    expect(find('fd00:4::/64')?.expires).toBeGreaterThan(0);
    expect(find('10.9.0.0/24')?.tos).toBe('0x10');

    const text = writerPath(routes);
    expect(text).toBe(objectPath(routes));
    expect(JSON.parse(text)).toEqual(JSON.parse(objectPath(routes)));
    // nh_info where ip -d -j prints it: after the route's fields, before the paths.
    const nhid = JSON.parse(text).find((r: Json) => r.dst === '10.7.0.0/24') as Json;
    expect(Object.keys(nhid).slice(-2)).toEqual(['nh_info', 'nexthops']);
  });

  it('the command prints those routes, and the same with --table and --family', async () => {
    const ns = netns();
    populate(ns);
    const run = async (args: string[]): Promise<Json[]> => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      stdout.on('data', (chunk: Buffer) => out.push(chunk));
      stderr.on('data', (chunk: Buffer) => err.push(chunk));
      const status = await main(['routes', '--json', '--netns', ns.name, ...args], {
        stdout,
        stderr,
      });
      expect(Buffer.concat(err).toString()).toBe('');
      expect(status).toBe(0);
      const text = Buffer.concat(out).toString('utf8');
      expect(text.endsWith(']\n')).toBe(true);
      return JSON.parse(text) as Json[];
    };
    const expected = async (options: Parameters<typeof dumpRoutes>[0]): Promise<Json[]> =>
      JSON.parse(
        objectPath(
          await collectDump<rtnetlink.Route>(() =>
            dumpRoutes({ netns: ns.name, nhInfo: true, ...options }),
          ),
        ),
      ) as Json[];
    const all = await run([]);
    expect(all.length).toBeGreaterThan(20);
    expect(withoutClocks(all)).toEqual(withoutClocks(await expected({})));
    expect(withoutClocks(await run(['--table', '100']))).toEqual(
      withoutClocks(await expected({ table: 100 })),
    );
    expect(withoutClocks(await run(['-6']))).toEqual(
      withoutClocks(await expected({ family: 'inet6' })),
    );
  });

  it('dumpRoutesWith gives its decoder the messages dumpRoutes decodes, filtered first', async () => {
    const ns = netns();
    populate(ns);
    const library = (
      bytes: Uint8Array,
      view: DataView,
      offset: number,
      length: number,
      names: rtnetlink.RtnetlinkDecodeOptions,
    ) => rtnetlink.decodeRouteAt(bytes, view, offset, length, names);
    for (const options of [
      {},
      { family: 'inet6' as const },
      { table: 100 },
      { table: 'local' as const },
    ]) {
      const mine = await collectDump<rtnetlink.Route>(() =>
        dumpRoutesWith(library, { netns: ns.name, ...options }),
      );
      const theirs = await collectDump<rtnetlink.Route>(() =>
        dumpRoutes({ netns: ns.name, ...options }),
      );
      expect(mine.length).toBeGreaterThan(0);
      expect(withoutClocks(mine.map((r) => jsonObject(r)))).toEqual(
        withoutClocks(theirs.map((r) => jsonObject(r))),
      );
    }
    // Only what passed the filters reaches the decoder; undefined emits nothing.
    const seen: number[] = [];
    const none = await collectDump(() =>
      dumpRoutesWith(
        (bytes, _view, offset) => {
          seen.push(bytes[offset + 16]);
          return undefined;
        },
        { netns: ns.name, family: 'inet' },
      ),
    );
    expect(none).toEqual([]);
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen)).toEqual(new Set([rtnetlink.AF_INET]));
  });
});

/**
 * A route of plain fields as the decoder makes them: keys in ROUTE_FIELDS order (a field set
 * to undefined stays, as a key), frozen shared flags, empty attrs.
 */
function route(fields: Partial<rtnetlink.Route>): rtnetlink.Route {
  const merged: Record<string, unknown> = {
    type: 'unicast',
    dst: '10.0.0.1',
    gateway: '192.168.0.2',
    dev: 'v0',
    table: 'main',
    protocol: 'boot',
    scope: 'global',
    flags: Object.freeze([]) as readonly string[],
    family: 'inet',
    ifindex: 2,
    ...fields,
  };
  const ordered: Record<string, unknown> = {};
  for (const name of ROUTE_FIELDS) if (name in merged) ordered[name] = merged[name];
  ordered.attrs = rtnetlink.RawAttributes.empty;
  return ordered as unknown as rtnetlink.Route;
}

describe('RouteJson', () => {
  it('writes every field of Route, in the order of ROUTE_FIELDS', () => {
    const nexthop = {
      id: 3,
      gateway: '10.1.0.2',
      dev: 'v0',
      scope: 'link',
      protocol: 'boot',
      flags: [],
    };
    const all: Record<string, unknown> = {
      deleted: true,
      type: 'unicast',
      dst: '10.9.0.0/16',
      from: '10.8.0.0/16',
      nhid: 3,
      tos: '0x10',
      gateway: '10.1.0.2',
      via: { family: 'inet6', host: 'fe80::1' },
      dev: 'v0',
      table: '100',
      protocol: 'static',
      scope: 'global',
      prefsrc: '10.1.0.1',
      metric: 20,
      flags: ['onlink'],
      metrics: [{ mtu: 1400, ecn: null, congestion: 'cubic' }],
      iif: 'lo',
      nexthops: [{ gateway: '10.1.0.2', dev: 'v0', weight: 1, flags: [], ifindex: 2 }],
      pref: 'medium',
      encap: 'seg6',
      mode: 'encap',
      segs: ['fc00::1'],
      expires: 300,
      error: -113,
      family: 'inet',
      ifindex: 2,
      nh_info: { ...nexthop, attrs: rtnetlink.RawAttributes.empty },
    };
    expect(Object.keys(all)).toEqual([...ROUTE_FIELDS]);
    // With nh_info; without `deleted`, as a dump has them; and without nh_info.
    const { deleted: _, ...live } = all;
    const { nh_info: __, ...plain } = live;
    for (const object of [all, live, plain]) {
      const one = { ...object, attrs: rtnetlink.RawAttributes.empty } as unknown as rtnetlink.Route;
      expect(writerPath([one])).toBe(objectPath([one]));
    }
    expect(JSON.parse(writerPath([route(live)]))[0].nh_info).toEqual(nexthop);
  });

  it('writes the text it keeps from the last route only where the fields are the same', () => {
    const mutable = ['onlink'];
    const routes = [
      route({ dst: '10.0.0.1' }),
      route({ dst: '10.0.0.2' }),
      route({ dst: '10.0.0.3', gateway: '192.168.0.3' }),
      route({ dst: '10.0.0.4', gateway: '192.168.0.3' }),
      route({ dst: '10.0.0.5', metric: 5 }),
      route({ dst: '10.0.0.6', metric: 5, type: 'blackhole' }),
      route({ dst: '10.0.0.7', type: 'blackhole', gateway: undefined, dev: undefined }),
      route({ dst: '10.0.0.8', flags: mutable }),
      route({ dst: '10.0.0.9', flags: mutable }),
      route({ dst: '10.0.0.10', metrics: [{ mtu: 1400 }] }),
      route({ dst: '10.0.0.11', dev: 'a"ü\\b' }),
      route({ dst: '10.0.0.12', dev: 'a"ü\\b' }),
      route({ dst: 'fd00::1', family: 'inet6', pref: 'medium' }),
      route({ dst: 'fd00::2', family: 'inet6', pref: 'medium' }),
    ];
    const out = new JsonArray();
    out.begin();
    const writer = new RouteJson(out);
    const expected: string[] = [];
    for (const [i, one] of routes.entries()) {
      if (i === 8) mutable.push('linkdown'); // the same array, other flags
      writer.write(one);
      expected.push(objectPath([one]).slice(1, -2)); // the object, as it is now
    }
    const text = Buffer.concat(out.end()).toString('utf8');
    expect(text).toBe(`[${expected.join(',')}]\n`);
    expect(JSON.parse(text)[8].flags).toEqual(['onlink', 'linkdown']);
  });

  it('writes a route without a string type or dst as JSON.stringify does', () => {
    const odd = [
      route({ type: undefined as unknown as string }),
      route({ dst: 7 as unknown as string }),
      route({ type: undefined as unknown as string, deleted: true }),
    ];
    expect(writerPath(odd)).toBe(objectPath(odd));
  });

  it('writeAt writes the bytes write() makes of the decoded message, error for error', () => {
    /** Mostly `usual`, sometimes one of `others`: runs of routes alike but for `dst`. */
    const mostly = <T>(usual: T, ...others: T[]) =>
      fc.oneof(
        { arbitrary: fc.constant(usual), weight: 30 },
        { arbitrary: fc.constantFrom(...others), weight: 1 },
      );
    const u32 = (value: number) => {
      const b = new Uint8Array(4);
      new DataView(b.buffer).setUint32(0, value, true);
      return b;
    };
    const attribute = (type: number, payload: Uint8Array, nlaLen = 4 + payload.length) => {
      const b = new Uint8Array((4 + payload.length + 3) & ~3);
      const v = new DataView(b.buffer);
      v.setUint16(0, nlaLen, true);
      v.setUint16(2, type, true);
      b.set(payload, 4);
      return b;
    };
    const { RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY, RTA_TABLE, RTA_PREFSRC } = rtnetlink;
    const octet = fc.constantFrom(0, 1, 9, 10, 99, 100, 199, 200, 255);
    const message = fc.record({
      type: mostly(rtnetlink.RTM_NEWROUTE, rtnetlink.RTM_DELROUTE),
      family: mostly(rtnetlink.AF_INET, rtnetlink.AF_INET6),
      dstLen: mostly(32, 0, 8, 24, 31, 33),
      srcLen: mostly(0, 8),
      tos: mostly(0, 0x10),
      rtmTable: mostly(254, 255, 100, 0),
      protocol: mostly(3, 4, 186),
      scope: mostly(0, 253),
      rtype: mostly(1, 2, 6),
      flags: mostly(0, 4, 0x10, 0x200),
      dst: fc.tuple(octet, octet, octet, octet),
      dstAttr: mostly('u32', 'none', 'short'),
      gateway: mostly(0x0200a8c0, 0x0300a8c0, -1, -2),
      oif: mostly(2, 3, 9, -1),
      priority: mostly(-1, 0, 20),
      table: mostly(-1, 254, 100, 0),
      extra: mostly('none', 'prefsrc', 'truncated', 'nested-flag', 'u16-oif'),
    });
    const build = (m: typeof message extends fc.Arbitrary<infer T> ? T : never): Uint8Array => {
      const attrs: Uint8Array[] = [];
      if (m.dstAttr === 'u32') attrs.push(attribute(RTA_DST, Uint8Array.from(m.dst)));
      if (m.dstAttr === 'short') attrs.push(attribute(RTA_DST, Uint8Array.from(m.dst.slice(0, 3))));
      if (m.gateway === -2) attrs.push(attribute(RTA_GATEWAY, new Uint8Array(16).fill(0xfd)));
      else if (m.gateway !== -1) attrs.push(attribute(RTA_GATEWAY, u32(m.gateway)));
      if (m.oif !== -1)
        attrs.push(attribute(m.extra === 'nested-flag' ? RTA_OIF | 0x8000 : RTA_OIF, u32(m.oif)));
      if (m.priority !== -1) attrs.push(attribute(RTA_PRIORITY, u32(m.priority)));
      if (m.table !== -1) attrs.push(attribute(RTA_TABLE, u32(m.table)));
      if (m.extra === 'prefsrc') attrs.push(attribute(RTA_PREFSRC, u32(0x0100a8c0)));
      if (m.extra === 'u16-oif') attrs.push(attribute(RTA_OIF, new Uint8Array(2)));
      if (m.extra === 'truncated') attrs.push(attribute(RTA_PRIORITY, u32(1), 40));
      const length = 16 + 12 + attrs.reduce((n, a) => n + a.length, 0);
      const bytes = new Uint8Array(length);
      const view = new DataView(bytes.buffer);
      view.setUint32(0, length, true);
      view.setUint16(4, m.type, true);
      view.setUint16(6, 2, true); // NLM_F_MULTI
      bytes.set(
        [m.family, m.dstLen, m.srcLen, m.tos, m.rtmTable, m.protocol, m.scope, m.rtype],
        16,
      );
      view.setUint32(24, m.flags, true);
      let at = 28;
      for (const a of attrs) {
        bytes.set(a, at);
        at += a.length;
      }
      return bytes;
    };
    const names = {
      ifname: new Map([
        [2, 'v0'],
        [3, ODD_NAME],
      ]),
    };
    /** Counts the dst written from bytes: the route writeAt did not decode. */
    class Counting extends JsonArray {
      fromBytes = 0;
      override ipv4(bytes: Uint8Array, offset: number, prefixLength: number): void {
        this.fromBytes++;
        super.ipv4(bytes, offset, prefixLength);
      }
    }
    let fromBytes = 0;
    let failed = 0;
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 40 }), (messages) => {
        const run = (fused: boolean) => {
          const out = new Counting();
          out.begin();
          const writer = new RouteJson(out);
          let error: string | undefined;
          for (const m of messages) {
            const bytes = build(m);
            const view = new DataView(bytes.buffer);
            try {
              if (!fused || !writer.writeAt(bytes, view, 0, bytes.length, names)) {
                writer.write(rtnetlink.decodeRouteAt(bytes, view, 0, bytes.length, names));
              }
            } catch (e) {
              error = `${(e as Error).name}: ${(e as Error).message}`;
              break;
            }
          }
          return { text: Buffer.concat(out.end()).toString('utf8'), error, out };
        };
        const fused = run(true);
        const plain = run(false);
        expect(fused.text).toBe(plain.text);
        expect(fused.error).toBe(plain.error);
        fromBytes += fused.out.fromBytes;
        if (fused.error !== undefined) failed++;
      }),
      { numRuns: 400 },
    );
    // The runs had routes written from their bytes, and malformed messages.
    expect(fromBytes).toBeGreaterThan(200);
    expect(failed).toBeGreaterThan(20);
  });
});
