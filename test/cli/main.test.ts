// The `nlring` command end to end: the built command (`node bin/nlring.js …`, as `npx nlring`
// runs it) against the real kernel, in namespaces made for each test, checked against what
// iproute2 prints for the same namespace.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  cpSync,
  existsSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { release, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { packageVersion, readCapabilities } from '../../src/cli/system.js';
import { type Netns, useNetns } from '../e2e/netns.js';
import { iptables, sendUdp, udpOutputRule } from '../sources/netfilter/traffic.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = join(ROOT, 'bin', 'nlring.js');
const COMMANDS = [
  'routes',
  'links',
  'addrs',
  'neigh',
  'rules',
  'nexthops',
  'monitor',
  'nflog',
  'conntrack',
  'info',
  'bench',
];

const skipReason = process.getuid?.() !== 0 ? 'needs root to create network namespaces' : undefined;
if (skipReason) console.warn(`test/cli/main.test.ts: namespace tests skipped: ${skipReason}`);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/nlring.js …args` to the end. */
function nlring(args: readonly string[], options: { prefix?: readonly string[] } = {}): Run {
  const prefix = options.prefix ?? [];
  const command = prefix.length > 0 ? prefix[0] : process.execPath;
  const argv =
    prefix.length > 0 ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
  const result = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `nlring …args` whose stdout is JSON. */
function nlringJson<T>(args: readonly string[]): T {
  const run = nlring(args);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as T;
}

/** The same process, without any privilege: user and group nobody, no capabilities. */
const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'];

type Json = Record<string, unknown>;

/**
 * `value` restricted to the fields `other` has too, at every depth (objects field by field,
 * arrays element by element): comparing `project(ours, theirs)` with `project(theirs, ours)`
 * compares the shared fields and ignores the ones only one side prints.
 */
function project(value: unknown, other: unknown): unknown {
  if (Array.isArray(value) && Array.isArray(other)) {
    return value.map((v, i) => (i < other.length ? project(v, other[i]) : v));
  }
  if (isObject(value) && isObject(other)) {
    return Object.fromEntries(
      Object.keys(value)
        .filter((k) => k in other)
        .map((k) => [k, project(value[k], other[k])]),
    );
  }
  return value;
}
function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function shared(ours: Json, theirs: Json): unknown {
  return project(ours, theirs);
}
function sharedTheirs(ours: Json, theirs: Json): unknown {
  return project(theirs, ours);
}

/** Fields whose values follow the clock, so that two dumps a moment apart differ in them. */
const CLOCKS = ['confirmed', 'updated', 'used', 'valid_life_time', 'preferred_life_time'];

/** A veth pair, IPv4 and IPv6 addresses, and routes in several tables and of several types. */
function populate(ns: Netns): void {
  ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0');
  ns.exec('sysctl', '-q', '-w', 'net.ipv6.conf.default.accept_dad=0');
  ns.batch([
    'link set lo up',
    'link add v0 type veth peer name v1',
    'link add br0 type bridge',
    'link set v1 master br0',
    'addr add 10.1.0.1/24 dev v0',
    'addr add 10.1.0.9/24 dev v0',
    'addr add fd00:1::1/64 dev v0 nodad',
    'addr add 10.5.0.1 peer 10.5.0.2/32 dev br0',
    'link set v0 up',
    'link set v1 up',
    'link set br0 up',
    'route add 10.2.0.0/16 via 10.1.0.2 dev v0 metric 20',
    'route add 10.3.0.0/24 dev v0 table 100',
    'route add blackhole 10.4.0.0/16',
    'route add fd00:2::/64 via fd00:1::2 dev v0',
    'route add 10.6.0.0/24 proto static nexthop via 10.1.0.2 dev v0 weight 1 nexthop via 10.1.0.3 dev v0 weight 2',
  ]);
}

/** 3,000 more /24 routes on v0 (after {@link populate}): output far larger than a pipe holds. */
function addManyRoutes(ns: Netns): Promise<void> {
  return ns.batchAsync(
    Array.from({ length: 3000 }, (_, i) => `route add 10.${100 + (i >> 8)}.${i & 255}.0/24 dev v0`),
  );
}

/**
 * `nlring ARGS | READER` in bash: what the reader printed (stdout) and, on stderr,
 * `status N` with the command's exit status.
 */
function pipedInto(args: string, reader: string) {
  return spawnSync(
    'bash',
    [
      '-c',
      `"${process.execPath}" "${BIN}" ${args} | ${reader}; echo "status \${PIPESTATUS[0]}" >&2`,
    ],
    { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
  );
}

/** A snapshot of what the tests compare: links, addresses, routes. */
async function snapshot(ns: Netns): Promise<string> {
  const parts = await Promise.all([
    ns.ipAsync('-j', 'link', 'show'),
    ns.ipAsync('-j', 'addr', 'show'),
    ns.ipAsync('-j', 'route', 'show', 'table', 'all'),
  ]);
  return parts.join('\n');
}

/**
 * Waits until the namespace stops changing: carrier changes go through the kernel's
 * linkwatch (up to a second later), and with them IPv6 link-local addresses and their
 * routes. Settled means every link that is UP has LOWER_UP, and two snapshots 250 ms apart
 * are equal.
 */
async function settle(ns: Netns): Promise<void> {
  let last = '';
  for (let tries = 0; tries < 40; tries++) {
    const now = await snapshot(ns);
    const links = JSON.parse(now.split('\n')[0]) as { flags: string[] }[];
    const carrier = links.every((l) => !l.flags.includes('UP') || l.flags.includes('LOWER_UP'));
    if (carrier && now === last) return;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the namespace did not settle within 10 s');
}

beforeAll(() => {
  // Build once for this file: the command runs from dist/ as it does when installed (the
  // bundle of scripts/bundle.mjs, after tsc: what `npm run build` does). tsc still emits
  // when someone else's work in progress does not type-check; say so and go on.
  try {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.build.json'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    accessSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));
    const out = String((error as { stdout?: unknown }).stdout ?? '');
    console.warn(`tsc -p tsconfig.build.json reported errors (files emitted anyway):\n${out}`);
  }
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
});

describe.skipIf(skipReason !== undefined)('dumps in a namespace equal ip -j', () => {
  const netns = useNetns();

  it('links --json: every link, with ip -j -d link show values on the shared fields', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const ours = nlringJson<Json[]>(['links', '--json', '--netns', ns.name]);
    const theirs = ns.ipJson<Json[]>('-d', 'link', 'show');
    expect(ours.map((l) => l.ifindex)).toEqual(theirs.map((l) => l.ifindex));
    for (const [i, link] of theirs.entries()) {
      // info_data and the like stay in attrs; the kinds are compared.
      const { linkinfo, ...rest } = link as Json & { linkinfo?: Json };
      expect(shared(ours[i], rest), String(link.ifname)).toEqual(sharedTheirs(ours[i], rest));
      expect(ours[i].linkinfo ?? {}).toEqual(
        Object.fromEntries(
          Object.entries(linkinfo ?? {}).filter(
            ([k]) => k === 'info_kind' || k === 'info_slave_kind',
          ),
        ),
      );
      expect(ours[i]).not.toHaveProperty('attrs');
      expect(ours[i]).not.toHaveProperty('stats64');
    }
    expect(ours.map((l) => l.ifname)).toEqual(['lo', 'v1', 'v0', 'br0']);
  });

  /** The bridge timers (`gc_timer`, …) count down while we look: compared by type only. */
  const untimed = (value: unknown): unknown =>
    value === undefined
      ? undefined
      : JSON.parse(
          JSON.stringify(value, (key, v) =>
            key.endsWith('_timer') && typeof v === 'number' ? 'a number' : v,
          ),
        );

  it('links -d --json: linkinfo with info_data and info_slave_data as ip -d -j link', async () => {
    const ns = netns();
    populate(ns);
    ns.batch([
      'link set br0 type bridge stp_state 1 forward_delay 400',
      'link set v1 type bridge_slave cost 7 priority 9',
      'link add mv0 link v0 type macvlan mode bridge',
      'link add vx0 type vxlan id 42 dstport 4789 local 10.1.0.1 remote 10.1.0.2 dev v0',
      'link add vx6 type vxlan id 7 group ff05::1 dev v0 ttl 5',
      'link add ifb0 type ifb',
      'tuntap add tun0 mode tun',
      'tuntap add tap0 mode tap',
    ]);
    await settle(ns);
    const ours = nlringJson<Json[]>(['links', '-d', '--json', '--netns', ns.name]);
    const theirs = ns.ipJson<Json[]>('-d', 'link', 'show');
    expect(ours.map((l) => l.ifname)).toEqual(theirs.map((l) => l.ifname));
    for (const [i, link] of theirs.entries()) {
      expect(untimed(ours[i].linkinfo), String(link.ifname)).toEqual(untimed(link.linkinfo));
    }
    const byName = (name: string) => ours.find((l) => l.ifname === name)?.linkinfo;
    expect(byName('vx0')).toMatchObject({
      info_kind: 'vxlan',
      info_data: { id: 42, remote: '10.1.0.2', local: '10.1.0.1', link: 'v0', port: 4789 },
    });
    expect(byName('br0')).toMatchObject({ info_data: { stp_state: 1, forward_delay: 400 } });
    expect(byName('v1')).toMatchObject({
      info_slave_kind: 'bridge',
      info_slave_data: { cost: 7, priority: 9, state: expect.any(String) },
    });
    expect(byName('mv0')).toMatchObject({ info_data: { mode: 'bridge' } });
    expect(byName('tap0')).toMatchObject({ info_kind: 'tun', info_data: { type: 'tap' } });
    expect(byName('ifb0')).toEqual({ info_kind: 'ifb' });
    // The table: a DETAILS column with the kind's main settings.
    const table = nlring(['links', '-d', '--netns', ns.name]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(
      /^INDEX +NAME +KIND +STATE +MTU +ADDRESS +MASTER +FLAGS +DETAILS$/m,
    );
    expect(table.stdout).toMatch(
      /^ +\d+ +vx0 +vxlan .* vxlan id 42 remote 10\.1\.0\.2 local 10\.1\.0\.1 link v0 port 4789$/m,
    );
    expect(table.stdout).toMatch(/^ +\d+ +v1@v0 .* bridge_slave state \w+ priority 9 cost 7$/m);
  });

  it.each([
    { name: '-s', args: ['-s'], ip: ['-s'] },
    { name: '-s -s', args: ['-s', '-s'], ip: ['-s', '-s'] },
  ])(
    'links $name --json: stats64 with the counters ip $name -j link prints',
    async ({ args, ip }) => {
      const ns = netns();
      populate(ns);
      await settle(ns);
      await sendUdp(ns.name, [{ port: 9, count: 4, prefix: 'stats' }]);
      const ours = nlringJson<Json[]>(['links', ...args, '--json', '--netns', ns.name]);
      const theirs = ns.ipJson<(Json & { stats64: Record<'rx' | 'tx', Record<string, number>> })[]>(
        ...ip,
        'link',
        'show',
      );
      expect(ours.map((l) => l.ifname)).toEqual(theirs.map((l) => l.ifname));
      for (const [i, link] of theirs.entries()) {
        const mine = ours[i].stats64 as Record<'rx' | 'tx', Record<string, number>>;
        for (const side of ['rx', 'tx'] as const) {
          // The same counters; ours were read first, and counters only grow.
          expect(Object.keys(mine[side]), `${link.ifname} ${side}`).toEqual(
            Object.keys(link.stats64[side]),
          );
          for (const [counter, value] of Object.entries(mine[side])) {
            expect(value).toBeLessThanOrEqual(link.stats64[side][counter]);
          }
        }
      }
      const lo = ours.find((l) => l.ifname === 'lo')?.stats64 as Record<
        'rx',
        Record<string, number>
      >;
      expect(lo.rx.packets).toBeGreaterThanOrEqual(4);
      const table = nlring(['links', ...args, '--netns', ns.name]);
      expect(table.stdout.split('\n')[0]).toMatch(
        / FLAGS +RX-BYTES +RX-PACKETS +TX-BYTES +TX-PACKETS/,
      );
    },
  );

  it('addrs --json --nested: the shape of ip -j addr show, one object per link', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const steady = (links: Json[]): Json[] =>
      links.map((l) => ({
        ...l,
        addr_info: (l.addr_info as Json[]).map((a) =>
          Object.fromEntries(Object.entries(a).filter(([k]) => !CLOCKS.includes(k))),
        ),
      }));
    const ours = steady(nlringJson<Json[]>(['addr', '--json', '--nested', '--netns', ns.name]));
    const theirs = steady(ns.ipJson<Json[]>('addr', 'show'));
    expect(ours.map((l) => l.ifname)).toEqual(theirs.map((l) => l.ifname));
    for (const [i, link] of theirs.entries()) {
      // Every field ip prints, with ip's values; nlring adds `protocol` to an address.
      expect(shared(ours[i], link), String(link.ifname)).toEqual(link);
      const extras = (ours[i].addr_info as Json[]).flatMap((a, j) =>
        Object.keys(a).filter((k) => !(k in (link.addr_info as Json[])[j])),
      );
      expect(new Set(extras), String(link.ifname)).toEqual(
        new Set(extras.length > 0 ? ['protocol'] : []),
      );
    }
    // One family: only the links that have an address of it.
    const v4 = nlringJson<Json[]>(['addr', '-4', '--json', '--nested', '--netns', ns.name]);
    expect(v4.map((l) => l.ifname)).toEqual(['lo', 'v0', 'br0']);
  });

  it('routes: from, tos, onlink, metrics, nhid and weights in the table, and --json as ip', async () => {
    const ns = netns();
    populate(ns);
    ns.batch([
      'nexthop add id 1 via 10.1.0.2 dev v0',
      'nexthop add id 2 via 10.1.0.3 dev v0',
      'nexthop add id 3 group 1/2,3',
      'route add 10.7.0.0/24 nhid 3',
      'route add 10.66.0.0/24 via 10.1.0.2 dev v0 mtu 1400 advmss 1360 onlink',
      'route add 10.67.0.0/24 tos 0x10 via 10.1.0.2 dev v0',
      'route add fd00:9::/64 from fd00:1::/64 via fd00:1::2 dev v0',
    ]);
    await settle(ns);
    const run = nlring(['routes', '--netns', ns.name]);
    expect(run.stderr).toBe('');
    const row = (dst: string) => run.stdout.split('\n').find((line) => line.includes(` ${dst} `));
    expect(row('10.7.0.0/24')).toMatch(/ 10\.1\.0\.2,10\.1\.0\.3 +v0,v0 +1,3 .* nhid 3$/);
    expect(row('10.66.0.0/24')).toMatch(/ onlink mtu 1400 advmss 1360$/);
    expect(row('10.67.0.0/24')).toMatch(/ tos 0x10$/);
    expect(row('fd00:9::/64')).toMatch(/ from fd00:1::\/64 pref medium$/);
    expect(row('10.6.0.0/24')).toMatch(/ 10\.1\.0\.2,10\.1\.0\.3 +v0,v0 +1,2 /);
    const ours = nlringJson<Json[]>(['routes', '--json', '--netns', ns.name]);
    const theirs = ns.ipJson<Json[]>('-d', 'route', 'show', 'table', 'all');
    for (const dst of ['10.7.0.0/24', '10.66.0.0/24', '10.67.0.0/24', 'fd00:9::/64']) {
      const mine = ours.find((r) => r.dst === dst && r.table === 'main');
      const route = theirs.find((r) => r.dst === dst && (r.table ?? 'main') === 'main');
      expect(mine && route && shared(mine, route), dst).toEqual(route);
    }
  });

  it('a dump piped into a reader that stops early (| head -1) ends quietly with status 0', async () => {
    const ns = netns();
    populate(ns);
    // Far more than a pipe holds (64 KiB), so that the writes after head exits fail (EPIPE).
    await addManyRoutes(ns);
    const run = pipedInto(`routes --netns ${ns.name}`, 'head -1');
    expect(run.stdout).toMatch(/^TABLE +TYPE .*\n$/);
    expect(run.stderr).toBe('status 0\n');
  });

  it('routes --json piped into a reader that stops early (| head -c 16) ends quietly with status 0', async () => {
    const ns = netns();
    populate(ns);
    // ~500 KiB of JSON: one write of its chunk, far more than a pipe holds, fails with EPIPE.
    await addManyRoutes(ns);
    const run = pipedInto(`routes --json --netns ${ns.name}`, 'head -c 16; echo');
    expect(run.stdout).toBe('[{"type":"unicas\n');
    expect(run.stderr).toBe('status 0\n');
  });

  it('rules and nexthops --json: the objects of ip -j rule and ip -j nexthop', async () => {
    const ns = netns();
    populate(ns);
    ns.batch([
      'rule add from 10.9.0.0/16 to 10.8.0.0/16 fwmark 0x10/0xff iif v0 table 100 pref 100',
      'nexthop add id 1 via 10.1.0.2 dev v0',
      'nexthop add id 2 via 10.1.0.3 dev v0',
      'nexthop add id 3 group 1/2,3',
      'nexthop add id 4 blackhole',
    ]);
    ns.ip('-6', 'rule', 'add', 'from', 'fd00::/8', 'lookup', '200', 'suppress_prefixlength', '0');
    const rules = nlringJson<Json[]>(['rules', '--json', '--netns', ns.name]);
    const ipRules = [
      ...ns.ipJson<Json[]>('rule', 'show'),
      ...ns.ipJson<Json[]>('-6', 'rule', 'show'),
    ];
    expect(rules.map((r, i) => project(r, ipRules[i]))).toEqual(ipRules);
    expect(rules.map((r) => r.family)).toEqual([
      ...Array(4).fill('inet'),
      ...Array(3).fill('inet6'),
    ]);
    expect(nlringJson<Json[]>(['rule', '-6', '-j', '-n', ns.name])).toEqual(
      rules.filter((r) => r.family === 'inet6'),
    );
    const nexthops = nlringJson<Json[]>(['nexthops', '--json', '--netns', ns.name]);
    const ipNexthops = ns.ipJson<Json[]>('nexthop', 'show');
    expect(nexthops.map((n, i) => project(n, ipNexthops[i]))).toEqual(ipNexthops);
    expect(nexthops.find((n) => n.id === 3)?.group).toEqual([{ id: 1 }, { id: 2, weight: 3 }]);
    const table = nlring(['nexthops', '--netns', ns.name]);
    expect(table.stdout).toMatch(/^ID +GROUP +GATEWAY +DEV +SCOPE +PROTO +FLAGS$/m);
    expect(table.stdout).toMatch(/^ 3 +1\/2,3 +- +- +global +\w+ +-$/m);
    expect(table.stdout).toMatch(/^ 4 +- +- +- +global +\w+ +blackhole$/m);
    const ruleTable = nlring(['rules', '--netns', ns.name]);
    expect(ruleTable.stdout).toMatch(
      /^ +100 +inet +from 10\.9\.0\.0\/16 to 10\.8\.0\.0\/16 fwmark 0x10\/0xff iif v0 +lookup 100 +\w+$/m,
    );
  });

  it('addrs --json: one object per ip -j addr show addr_info entry, with its link', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const ours = nlringJson<Json[]>(['addrs', '--json', '--netns', ns.name]);
    const theirs = ns
      .ipJson<{ ifindex: number; ifname: string; addr_info: Json[] }[]>('addr', 'show')
      .flatMap((l) => l.addr_info.map((a) => ({ ifindex: l.ifindex, ifname: l.ifname, ...a })));
    const key = (a: Json) => `${a.ifname} ${a.family} ${a.local}/${a.prefixlen}`;
    expect(ours.map(key).sort()).toEqual(theirs.map(key).sort());
    for (const address of theirs) {
      const mine = ours.find((a) => key(a) === key(address));
      expect(mine && shared(mine, address), key(address)).toEqual(
        mine && sharedTheirs(mine, address),
      );
    }
    expect(ours.map(key)).toEqual(
      expect.arrayContaining([
        'v0 inet 10.1.0.9/24',
        'br0 inet 10.5.0.1/32',
        'v0 inet6 fd00:1::1/64',
      ]),
    );
    expect(ours.find((a) => a.local === '10.1.0.9')?.secondary).toBe(true);
    expect(ours.find((a) => a.local === '10.5.0.1')?.address).toBe('10.5.0.2');
  });

  it('routes --json: every table, IPv4 and IPv6, as ip -j -d route show table all', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const ours = nlringJson<Json[]>(['routes', '--json', '--netns', ns.name]);
    // `table all` lists both families, as nlring does.
    const theirs = ns.ipJson<Json[]>('-d', 'route', 'show', 'table', 'all');
    expect(theirs.some((r) => String(r.dst).includes(':'))).toBe(true);
    const key = (r: Json) => `${r.table} ${r.type} ${r.dst} ${r.dev ?? ''} ${r.metric ?? ''}`;
    expect(ours.map(key).sort()).toEqual(theirs.map(key).sort());
    for (const route of theirs) {
      const mine = ours.find((r) => key(r) === key(route));
      expect(mine && shared(mine, route), key(route)).toEqual(mine && sharedTheirs(mine, route));
    }
    const gateway = ours.find((r) => r.dst === '10.2.0.0/16');
    expect(gateway).toMatchObject({ gateway: '10.1.0.2', dev: 'v0', metric: 20, table: 'main' });
    expect(ours.find((r) => r.dst === '10.6.0.0/24')?.nexthops).toHaveLength(2);
    expect(ours.some((r) => r.type === 'blackhole' && r.dst === '10.4.0.0/16')).toBe(true);
  });

  it.each([
    { name: '--family inet', args: ['--family', 'inet'], test: (r: Json) => r.family === 'inet' },
    { name: '--family 6', args: ['--family', '6'], test: (r: Json) => r.family === 'inet6' },
    { name: '-4', args: ['-4'], test: (r: Json) => r.family === 'inet' },
    { name: '-6', args: ['-6'], test: (r: Json) => r.family === 'inet6' },
    { name: '--table 100', args: ['--table', '100'], test: (r: Json) => r.table === '100' },
    { name: '--table local', args: ['--table', 'local'], test: (r: Json) => r.table === 'local' },
  ])('routes $name narrows the dump', async ({ args, test }) => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const all = nlringJson<Json[]>(['routes', '--json', '--netns', ns.name]);
    const some = nlringJson<Json[]>(['routes', '--json', '--netns', ns.name, ...args]);
    expect(some.length).toBeGreaterThan(0);
    expect(some).toEqual(all.filter(test));
  });

  it('neigh --json: the entries of ip -j -s neigh show nud all, with their states', async () => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    ns.ip(
      'neigh',
      'add',
      '10.1.0.7',
      'lladdr',
      '02:00:00:00:00:07',
      'dev',
      'v0',
      'nud',
      'permanent',
    );
    ns.ip('neigh', 'add', 'fd00:1::7', 'lladdr', '02:00:00:00:00:08', 'dev', 'v0', 'nud', 'stale');
    const ours = nlringJson<Json[]>(['neigh', '--json', '--netns', ns.name]);
    const theirs = ns.ipJson<Json[]>('neigh', 'show', 'nud', 'all');
    const key = (n: Json) => `${n.dst} ${n.dev}`;
    expect(ours.map(key).sort()).toEqual(theirs.map(key).sort());
    for (const entry of theirs) {
      const mine = ours.find((n) => key(n) === key(entry));
      expect(mine && shared(mine, entry), key(entry)).toEqual(mine && sharedTheirs(mine, entry));
    }
    expect(ours.find((n) => n.dst === '10.1.0.7')).toMatchObject({
      lladdr: '02:00:00:00:00:07',
      state: ['PERMANENT'],
    });
  });

  it.each([
    { name: 'addr', iproute: ['addr', '-4'], ours: ['addrs', '--family', 'inet'] },
    { name: 'link', iproute: ['link'], ours: ['links'] },
    { name: 'route', iproute: ['route', '-6'], ours: ['routes', '--family', 'inet6'] },
    { name: 'neighbour', iproute: ['neighbour'], ours: ['neigh'] },
  ])('nlring $name -j -n NS is what the long spelling prints', async ({ iproute, ours }) => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    ns.ip(
      'neigh',
      'add',
      '10.1.0.7',
      'lladdr',
      '02:00:00:00:00:07',
      'dev',
      'v0',
      'nud',
      'permanent',
    );
    const short = nlringJson<Json[]>([...iproute, '-j', '-n', ns.name]);
    expect(short.length).toBeGreaterThan(0);
    // Without the fields that count time (neighbour ages, address lifetimes).
    const steady = (objects: Json[]) =>
      objects.map((o) =>
        Object.fromEntries(Object.entries(o).filter(([key]) => !CLOCKS.includes(key))),
      );
    expect(steady(short)).toEqual(
      steady(nlringJson<Json[]>([...ours, '--json', '--netns', ns.name])),
    );
  });

  it.each([
    {
      name: 'routes',
      header: /^TABLE +TYPE +DST +GATEWAY +DEV +WEIGHT +PROTO +SCOPE +METRIC +PREFSRC +OPTIONS$/,
      row: /^main +unicast +10\.2\.0\.0\/16 +10\.1\.0\.2 +v0 +- +boot +global +20 +- +-$/,
    },
    {
      name: 'links',
      header: /^INDEX +NAME +KIND +STATE +MTU +ADDRESS +MASTER +FLAGS$/,
      row: /^ +\d+ +v1@v0 +veth +UP +1500 +[0-9a-f:]{17} +br0 +BROADCAST,MULTICAST,UP,LOWER_UP$/,
    },
    {
      name: 'addrs',
      header: /^INDEX +IFNAME +FAMILY +ADDRESS +SCOPE +FLAGS +LABEL +VALID +PREFERRED$/,
      row: /^ +\d+ +v0 +inet +10\.1\.0\.9\/24 +global +secondary +v0 +forever +forever$/,
    },
  ])('$name without --json: an aligned table', async ({ name, header, row }) => {
    const ns = netns();
    populate(ns);
    await settle(ns);
    const run = nlring([name, '--netns', ns.name]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(header);
    expect(
      lines.some((line) => row.test(line)),
      run.stdout,
    ).toBe(true);
  });
});

/** Collects a child's output, and resolves when a chunk matching `pattern` has arrived. */
function waitFor(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp) {
  let text = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}: ${text}`)),
      20_000,
    );
    child[stream]?.setEncoding('utf8');
    child[stream]?.on('data', (chunk: string) => {
      text += chunk;
      if (pattern.test(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited before ${pattern}: ${text}`));
    });
  });
}

/**
 * Runs a long-lived command (`monitor`, `nflog`): waits for its "listening" line on
 * stderr, runs `act`, waits for the first line on stdout, interrupts it as Ctrl-C does and
 * returns that line, the readiness line and the exit code.
 */
async function firstLine(
  args: readonly string[],
  act: () => Promise<unknown>,
): Promise<{ line: string; ready: string; code: number | null }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  try {
    const ready = await waitFor(child, 'stderr', /listening/);
    const output = waitFor(child, 'stdout', /\n/);
    await act();
    const line = (await output).split('\n')[0];
    child.kill('SIGINT');
    return { line, ready, code: await exited };
  } finally {
    child.kill('SIGKILL');
  }
}

describe.skipIf(skipReason !== undefined)('monitor', () => {
  const netns = useNetns();

  it.each([
    {
      name: '--json prints an NDJSON event for a bridge made in the namespace',
      args: ['link', '--json'],
      check: (line: string) => {
        const event = JSON.parse(line) as Json & { link: Json };
        expect(event).toMatchObject({ kind: 'link', action: 'new' });
        expect(event.link).toMatchObject({ ifname: 'br9', linkinfo: { info_kind: 'bridge' } });
      },
    },
    {
      name: 'prints one line per change for a person',
      args: ['link'],
      check: (line: string) => {
        expect(line).toMatch(/^\[link\] new \d+: br9 <BROADCAST,MULTICAST> mtu 1500 .*bridge/);
      },
    },
  ])('$name, and exits 0 on SIGINT', async ({ args, check }) => {
    const ns = netns();
    const run = await firstLine(['monitor', ...args, '--netns', ns.name], () =>
      ns.ipAsync('link', 'add', 'br9', 'type', 'bridge'),
    );
    expect(run.ready).toBe(
      `nlring monitor: listening for link changes in namespace ${ns.name} (Ctrl-C to stop)\n`,
    );
    check(run.line);
    expect(run.code).toBe(0);
  });

  it.each([
    {
      name: 'a line for a person starts with the time',
      args: ['link', '-t'],
      check: (line: string, before: number, after: number) => {
        const match = /^\[(\S+)\] \[link\] new \d+: br8 /.exec(line);
        expect(match, line).not.toBeNull();
        const time = Date.parse(match?.[1] ?? '');
        expect(time).toBeGreaterThanOrEqual(before - 1);
        expect(time).toBeLessThanOrEqual(after + 1);
      },
    },
    {
      name: 'a JSON line carries a timestamp',
      args: ['link', '--timestamp', '-j'],
      check: (line: string, before: number, after: number) => {
        const event = JSON.parse(line) as Json;
        expect(Object.keys(event).slice(0, 3)).toEqual(['timestamp', 'kind', 'action']);
        expect(String(event.timestamp)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
        const time = Date.parse(String(event.timestamp));
        expect(time).toBeGreaterThanOrEqual(before - 1);
        expect(time).toBeLessThanOrEqual(after + 1);
      },
    },
  ])('-t: $name', async ({ args, check }) => {
    const ns = netns();
    const before = Date.now();
    const run = await firstLine(['monitor', ...args, '-n', ns.name], () =>
      ns.ipAsync('link', 'add', 'br8', 'type', 'bridge'),
    );
    check(run.line, before, Date.now());
    expect(run.code).toBe(0);
  });

  it('watches the kinds named: an address change, not the link change before it', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'd0', 'type', 'bridge');
    const run = await firstLine(['monitor', 'addr', '--json', '--netns', ns.name], async () => {
      await ns.ipAsync('link', 'set', 'd0', 'mtu', '1400');
      await ns.ipAsync('addr', 'add', '10.8.0.1/24', 'dev', 'd0');
    });
    expect(JSON.parse(run.line)).toMatchObject({
      kind: 'address',
      action: 'new',
      address: { ifname: 'd0', family: 'inet', local: '10.8.0.1', prefixlen: 24 },
    });
    expect(run.code).toBe(0);
  });

  it.each([
    {
      name: 'a rule',
      kind: 'rule',
      act: (ns: Netns) =>
        ns.ipAsync('rule', 'add', 'from', '10.9.0.0/16', 'table', '100', 'pref', '100'),
      line: /^\[rule\] new 100: from 10\.9\.0\.0\/16 lookup 100$/,
    },
    {
      name: 'a nexthop',
      kind: 'nexthop',
      act: async (ns: Netns) => {
        await ns.ipAsync('link', 'set', 'lo', 'up'); // a blackhole nexthop needs lo up
        await ns.ipAsync('nexthop', 'add', 'id', '9', 'blackhole');
      },
      line: /^\[nexthop\] new id 9 blackhole scope global proto \w+$/,
    },
  ])('prints $name change in ip words', async ({ kind, act, line }) => {
    const ns = netns();
    const run = await firstLine(['monitor', kind, '--netns', ns.name], () => act(ns));
    expect(run.line).toMatch(line);
    expect(run.code).toBe(0);
  });

  it('names a kind as the library does: address (addr is its iproute2 alias)', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'd1', 'type', 'bridge');
    const run = await firstLine(['monitor', 'address', '--netns', ns.name], () =>
      ns.ipAsync('addr', 'add', '10.8.1.1/24', 'dev', 'd1'),
    );
    expect(run.ready).toBe(
      `nlring monitor: listening for address changes in namespace ${ns.name} (Ctrl-C to stop)\n`,
    );
    expect(run.line).toMatch(/^\[address\] new \d+: d1 +inet 10\.8\.1\.1\/24 /);
    expect(run.code).toBe(0);
  });

  it('watches netconf when named: a forwarding switch of one interface', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'c0', 'type', 'bridge');
    const run = await firstLine(['monitor', 'netconf', '--json', '--netns', ns.name], async () => {
      ns.exec('sysctl', '-qw', 'net.ipv4.conf.c0.forwarding=1');
    });
    expect(JSON.parse(run.line)).toMatchObject({
      kind: 'netconf',
      action: 'new',
      netconf: { interface: 'c0', forwarding: true },
    });
    expect(run.code).toBe(0);
  });

  it('ends quietly with status 0 when its reader goes away (nlring monitor | head -1)', async () => {
    const ns = netns();
    const child = spawn(process.execPath, [BIN, 'monitor', 'link', '--netns', ns.name], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    try {
      await waitFor(child, 'stderr', /listening/);
      const line = waitFor(child, 'stdout', /\n/);
      await ns.ipAsync('link', 'add', 'b1', 'type', 'bridge');
      await line;
      child.stdout.destroy();
      await ns.ipAsync('link', 'add', 'b2', 'type', 'bridge');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('prints an overrun when notifications were lost, and goes on', async () => {
    const ns = netns();
    ns.batch(['link add d0 type bridge', 'link set d0 up', 'addr add 10.0.0.1/8 dev d0']);
    const child = spawn(process.execPath, [BIN, 'monitor', 'route', '--json', '--netns', ns.name], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    let out = '';
    let lastData = Date.now();
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      out += chunk;
      lastData = Date.now();
    });
    const until = async (done: () => boolean, what: string) => {
      const end = Date.now() + 20_000;
      while (!done()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${out.slice(-300)}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    try {
      await waitFor(child, 'stderr', /listening/);
      // Stopped, the command reads nothing while 5000 routes are added: the socket buffer
      // (1 MiB) overflows and the kernel drops notifications.
      child.kill('SIGSTOP');
      const routes = Array.from(
        { length: 5000 },
        (_, i) => `route add 10.${i >> 8}.${i & 255}.0/24 dev d0`,
      );
      await ns.batchAsync(routes);
      child.kill('SIGCONT');
      // Once it has drained the socket (the kernel drops silently until then), one more.
      await until(() => out.includes('"overrun"') && Date.now() - lastData > 300, 'the drain');
      await ns.ipAsync('route', 'add', '192.168.77.0/24', 'dev', 'd0');
      await until(() => out.includes('"dst":"192.168.77.0/24"'), 'the route after the overrun');
      const lines = out
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as Json);
      const overruns = lines.filter((line) => line.kind === 'overrun');
      const lost = overruns.reduce((sum, o) => sum + Number(o.lost), 0);
      expect(lost).toBeGreaterThan(0);
      const marker = lines.findIndex(
        (line) => line.kind === 'route' && (line.route as Json).dst === '192.168.77.0/24',
      );
      expect(marker).toBeGreaterThan(lines.indexOf(overruns[0]));
      const received = lines.filter((line) => line.kind === 'route').length;
      expect(received + lost).toBeGreaterThanOrEqual(5001);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

describe.skipIf(skipReason !== undefined)('nflog', () => {
  const netns = useNetns();

  /** A namespace whose UDP packets to port 9999 go to NFLOG group 7 with a prefix. */
  async function logging(ns: Netns): Promise<void> {
    ns.ip('link', 'set', 'lo', 'up');
    await iptables(
      ns.name,
      ...['-A', 'OUTPUT', '-p', 'udp', '--dport', '9999', '-j', 'NFLOG'],
      ...['--nflog-group', '7', '--nflog-prefix', 'hello '],
    );
  }

  it('--json prints each logged packet as an NDJSON line, and exits 0 on SIGINT', async () => {
    const ns = netns();
    await logging(ns);
    const run = await firstLine(['nflog', '--group', '7', '--json', '--netns', ns.name], () =>
      sendUdp(ns.name, [{ port: 9999, count: 1, prefix: 'x' }]),
    );
    expect(run.ready).toBe(
      `nlring nflog: listening to NFLOG group 7 in namespace ${ns.name} (Ctrl-C to stop)\n`,
    );
    expect(JSON.parse(run.line)).toMatchObject({
      group: 7,
      seq: 0,
      prefix: 'hello ',
      family: 'inet',
      hook: 'output',
      outdev: 'lo',
      src: '127.0.0.1',
      dst: '127.0.0.1',
      protocol: 'udp',
      dport: 9999,
      length: 20 + 8 + 2,
    });
    expect(run.code).toBe(0);
  });

  it('prints one line per packet for a person', async () => {
    const ns = netns();
    await logging(ns);
    const run = await firstLine(['nflog', '--group', '7', '--netns', ns.name], () =>
      sendUdp(ns.name, [{ port: 9999, count: 1, prefix: 'x' }]),
    );
    expect(run.line).toMatch(
      /^\[nflog 7\] seq 0 "hello " output out=lo udp 127\.0\.0\.1:\d+ > 127\.0\.0\.1:9999 len 30$/,
    );
    expect(run.code).toBe(0);
  });

  it('says that another socket holds the group when the bind is refused with the privilege held', async () => {
    const ns = netns();
    await logging(ns);
    const holder = spawn(process.execPath, [BIN, 'nflog', '--group', '7', '--netns', ns.name], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => holder.once('exit', resolve));
    try {
      await waitFor(holder, 'stderr', /listening/);
      const second = nlring(['nflog', '--group', '7', '--netns', ns.name]);
      expect(second.stderr).toMatch(
        /^nlring nflog: NFLOG group 7 is bound by another socket \(one socket at a time may hold a group; .*EPERM.*\)\n$/,
      );
      expect(second.stdout).toBe('');
      expect(second.status).toBe(1);
      // Another group is free.
      const other = await firstLine(['nflog', '--group', '8', '--netns', ns.name], async () => {
        await udpOutputRule(ns.name, '9998', 'NFLOG', '--nflog-group', '8');
        await sendUdp(ns.name, [{ port: 9998, count: 1, prefix: 'y' }]);
      });
      expect(other.line).toMatch(/^\[nflog 8\] /);
      holder.kill('SIGINT');
      expect(await exited).toBe(0);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('says which capability binding a group needs', () => {
    const run = nlring(['nflog', '--group', '7', '--netns', netns().name], { prefix: NOBODY });
    expect(run.stderr).toBe(
      `nlring nflog: entering network namespace '${netns().name}' needs CAP_SYS_ADMIN (run it with sudo)\n`,
    );
    const host = nlring(['nflog', '--group', '7'], { prefix: NOBODY });
    expect(host.stderr).toBe(
      'nlring nflog: permission denied (EPERM from request): needs CAP_NET_ADMIN: run it with sudo, give node the capability (sudo setcap cap_net_admin+ep "$(command -v node)"), or work in a network namespace of your own (unshare -rn)\n',
    );
    expect(host.status).toBe(1);
  });
});

describe.skipIf(skipReason !== undefined)('conntrack', () => {
  const netns = useNetns();

  /** Loopback up and tracking on: a rule that uses conntrack. */
  async function tracking(ns: Netns): Promise<void> {
    ns.ip('link', 'set', 'lo', 'up');
    await iptables(ns.name, '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'ACCEPT');
  }

  it('--json: the table conntrack -L lists, one object per connection', async () => {
    const ns = netns();
    await tracking(ns);
    await sendUdp(ns.name, [{ port: 9999, count: 1, prefix: 'a' }]);
    await sendUdp(ns.name, [{ port: 9998, count: 1, prefix: 'b' }]);
    const entries = nlringJson<(Json & { orig: Json; reply: Json })[]>([
      'conntrack',
      '--json',
      '--netns',
      ns.name,
    ]);
    const flows = entries.map((e) => `${e.protocol} ${e.orig.sport} ${e.orig.dport}`).sort();
    const listed = ns
      .exec('conntrack', '-L')
      .trim()
      .split('\n')
      .map((line) => {
        const [proto] = line.split(/\s+/);
        const sport = /sport=(\d+)/.exec(line)?.[1];
        const dport = /dport=(\d+)/.exec(line)?.[1];
        return `${proto} ${sport} ${dport}`;
      })
      .sort();
    expect(flows).toEqual(listed);
    expect(entries.find((e) => e.orig.dport === 9999)).toMatchObject({
      type: 'update',
      family: 'inet',
      protocol: 'udp',
      orig: { src: '127.0.0.1', dst: '127.0.0.1', dport: 9999 },
      reply: { src: '127.0.0.1', sport: 9999 },
    });
  });

  it('without --json: an aligned table', async () => {
    const ns = netns();
    await tracking(ns);
    await sendUdp(ns.name, [{ port: 9999, count: 1, prefix: 'a' }]);
    const run = nlring(['conntrack', '--netns', ns.name]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROTO +STATE +TIMEOUT +ORIGINAL +REPLY +FLAGS +MARK$/);
    expect(lines[1]).toMatch(
      /^udp +- +\d+ +127\.0\.0\.1:\d+ > 127\.0\.0\.1:9999 +127\.0\.0\.1:9999 > 127\.0\.0\.1:\d+ +UNREPLIED +0$/,
    );
  });

  it('--events --json prints each new connection as an NDJSON line, and exits 0 on SIGINT', async () => {
    const ns = netns();
    await tracking(ns);
    const run = await firstLine(['conntrack', '--events', '--json', '--netns', ns.name], () =>
      sendUdp(ns.name, [{ port: 9999, count: 1, prefix: 'a' }]),
    );
    expect(run.ready).toBe(
      `nlring conntrack: listening for conntrack events in namespace ${ns.name} (Ctrl-C to stop)\n`,
    );
    expect(JSON.parse(run.line)).toMatchObject({
      type: 'new',
      family: 'inet',
      protocol: 'udp',
      orig: { src: '127.0.0.1', dport: 9999 },
    });
    expect(run.code).toBe(0);
  });

  it('says which capability the table needs', () => {
    const run = nlring(['conntrack'], { prefix: NOBODY });
    expect(run.stderr).toBe(
      'nlring conntrack: permission denied (EPERM from dump): needs CAP_NET_ADMIN: run it with sudo, give node the capability (sudo setcap cap_net_admin+ep "$(command -v node)"), or work in a network namespace of your own (unshare -rn)\n',
    );
    expect(run.status).toBe(1);
  });
});

describe('errors: one line on stderr, exit status 1 (2 for usage)', () => {
  it.each([
    {
      name: 'an unknown namespace',
      args: ['routes', '--netns', 'no-such-ns-here'],
      stderr: "nlring routes: no network namespace 'no-such-ns-here' (ip netns list)\n",
      status: 1,
    },
    {
      name: 'an unknown namespace for monitor',
      args: ['monitor', '--json', '--netns=no-such-ns-here'],
      stderr: "nlring monitor: no network namespace 'no-such-ns-here' (ip netns list)\n",
      status: 1,
    },
    {
      name: 'a bad flag',
      args: ['routes', '--frobnicate'],
      stderr:
        "nlring routes: unknown option '--frobnicate' (usage: nlring routes [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--table TABLE])\n",
      status: 2,
    },
    {
      name: 'a flag missing its value',
      args: ['links', '--netns'],
      stderr:
        'nlring links: --netns needs a value (usage: nlring links [-j|--json] [-n|--netns NAME] [-s [-s]] [-d])\n',
      status: 2,
    },
    {
      name: 'a bad --family',
      args: ['addrs', '--family', 'ipx'],
      stderr:
        "nlring addrs: --family: expected inet (or ipv4, 4), inet6 (or ipv6, 6) or all, got 'ipx' (usage: nlring addrs [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--nested])\n",
      status: 2,
    },
    {
      name: 'a bad --table',
      args: ['routes', '--table', 'nosuch'],
      stderr:
        "nlring routes: --table: expected main, local, default, all or a number, got 'nosuch' (usage: nlring routes [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--table TABLE])\n",
      status: 2,
    },
    {
      name: 'a namespace name with a slash',
      args: ['links', '--netns', '../x'],
      stderr:
        "nlring links: --netns: expected a namespace name as 'ip netns list' shows it, got '../x' (usage: nlring links [-j|--json] [-n|--netns NAME] [-s [-s]] [-d])\n",
      status: 2,
    },
    {
      name: 'an unknown monitor kind',
      args: ['monitor', 'xfrm'],
      stderr:
        "nlring monitor: unexpected argument 'xfrm' (expected link, address, route, neighbour, rule, nexthop, netconf, nsid, addr, neigh) (usage: nlring monitor [link] [address|addr] [route] [neighbour|neigh] [rule] [nexthop] [netconf] [nsid] [-t] [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6])\n",
      status: 2,
    },
    {
      name: 'nflog without --group',
      args: ['nflog'],
      stderr:
        'nlring nflog: --group N is required (usage: nlring nflog --group N [-j|--json] [-n|--netns NAME])\n',
      status: 2,
    },
    {
      name: 'nflog with a group out of range',
      args: ['nflog', '--group', '65536'],
      stderr:
        'nlring nflog: --group: 65536 is out of range (0 to 65535) (usage: nlring nflog --group N [-j|--json] [-n|--netns NAME])\n',
      status: 2,
    },
    {
      name: 'an unknown command',
      args: ['frobnicate'],
      stderr: "nlring: unknown command 'frobnicate' (nlring --help)\n",
      status: 2,
    },
    {
      name: 'an unknown option before the command',
      args: ['--frob'],
      stderr: "nlring: unknown option '--frob' (nlring --help)\n",
      status: 2,
    },
    {
      name: 'a misspelt command: did you mean',
      args: ['rotues'],
      stderr: "nlring: unknown command 'rotues'; did you mean 'routes'? (nlring --help)\n",
      status: 2,
    },
    {
      name: 'help about a misspelt command',
      args: ['help', 'conntrak'],
      stderr: "nlring: unknown command 'conntrak'; did you mean 'conntrack'? (nlring --help)\n",
      status: 2,
    },
    {
      name: 'a misspelt option: did you mean',
      args: ['routes', '--famly', 'inet'],
      stderr:
        "nlring routes: unknown option '--famly'; did you mean '--family'? (usage: nlring routes [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--table TABLE])\n",
      status: 2,
    },
    {
      name: 'a misspelt monitor kind',
      args: ['monitor', 'neigbh'],
      stderr:
        "nlring monitor: unexpected argument 'neigbh' (expected link, address, route, neighbour, rule, nexthop, netconf, nsid, addr, neigh); did you mean 'neigh'? (usage: nlring monitor [link] [address|addr] [route] [neighbour|neigh] [rule] [nexthop] [netconf] [nsid] [-t] [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6])\n",
      status: 2,
    },
    {
      name: 'a short option missing its value, by its long name',
      args: ['links', '-n'],
      stderr:
        'nlring links: --netns needs a value (usage: nlring links [-j|--json] [-n|--netns NAME] [-s [-s]] [-d])\n',
      status: 2,
    },
    {
      name: 'a single-valued option given twice',
      args: ['routes', '--table', 'main', '--table', 'local'],
      stderr:
        'nlring routes: --table given twice (it takes one value) (usage: nlring routes [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--table TABLE])\n',
      status: 2,
    },
    {
      name: '-n and --netns both',
      args: ['routes', '-n', 'a', '--netns', 'b'],
      stderr:
        'nlring routes: --netns given twice (it takes one value) (usage: nlring routes [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--table TABLE])\n',
      status: 2,
    },
    {
      name: '-4 with --family inet6',
      args: ['routes', '-4', '--family', 'inet6'],
      stderr:
        'nlring routes: -4, -6 and --family disagree: give one of them (usage: nlring routes [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6] [--table TABLE])\n',
      status: 2,
    },
    {
      name: 'a boolean option given twice',
      args: ['links', '-d', '--details'],
      stderr:
        'nlring links: --details given twice (usage: nlring links [-j|--json] [-n|--netns NAME] [-s [-s]] [-d])\n',
      status: 2,
    },
    {
      name: 'a negative group: out of range',
      args: ['nflog', '--group', '-1'],
      stderr:
        'nlring nflog: --group: -1 is out of range (0 to 65535) (usage: nlring nflog --group N [-j|--json] [-n|--netns NAME])\n',
      status: 2,
    },
    {
      name: 'a group that is not a number',
      args: ['nflog', '--group', 'five'],
      stderr:
        "nlring nflog: --group: expected a number from 0 to 65535, got 'five' (usage: nlring nflog --group N [-j|--json] [-n|--netns NAME])\n",
      status: 2,
    },
    {
      name: 'help about an unknown command',
      args: ['help', 'frobnicate'],
      stderr: "nlring: unknown command 'frobnicate' (nlring --help)\n",
      status: 2,
    },
    {
      name: 'an unknown benchmark',
      args: ['bench', '--only', 'nosuch'],
      stderr:
        /^nlring bench: --only: no benchmark 'nosuch' \(there are: rx-in-memory[^)]*\) \(usage: nlring bench/,
      status: 2,
    },
  ])('$name', ({ args, stderr, status }) => {
    const run = nlring(args);
    if (typeof stderr === 'string') expect(run.stderr).toBe(stderr);
    else expect(run.stderr).toMatch(stderr);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stdout).toBe('');
    expect(run.status).toBe(status);
  });

  it('--debug adds the stack trace', () => {
    const run = nlring(['routes', '--netns', 'no-such-ns-here', '--debug']);
    expect(run.status).toBe(1);
    const lines = run.stderr.split('\n');
    expect(lines[0]).toBe("nlring routes: no network namespace 'no-such-ns-here' (ip netns list)");
    expect(run.stderr).toContain('NetlinkError: netns: ENOENT');
    expect(run.stderr).toMatch(/\n +at /);
  });

  it('no command: the overview on stderr, status 2', () => {
    const run = nlring([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('usage: nlring COMMAND [options]');
  });
});

/** `node --import FILE bin/nlring.js …args`: the command with a module run before it. */
function nlringWith(preload: string, args: readonly string[]): Run {
  const result = spawnSync(process.execPath, ['--import', preload, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('on a system other than Linux', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nlring-platform-'));
  const preload = join(dir, 'darwin.mjs');
  writeFileSync(preload, "Object.defineProperty(process, 'platform', { value: 'darwin' });\n");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { name: 'a dump', args: ['routes'] },
    { name: '--help', args: ['--help'] },
    { name: 'info --json', args: ['info', '--json'] },
  ])('$name: one line, status 1, before the native binding loads', ({ args }) => {
    expect(nlringWith(preload, args)).toEqual({
      status: 1,
      stdout: '',
      stderr: 'nlring: netlink is Linux only (this is darwin)\n',
    });
  });
});

describe('standard output', () => {
  it.each([
    { name: 'a table', args: ['routes'] },
    { name: 'routes --json', args: ['routes', '--json'] },
  ])('a full disk ($name): said on stderr, status 1', ({ args }) => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [BIN, ...args], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', full, 'pipe'],
      });
      expect(run.stderr).toBe(
        'nlring routes: cannot write the output (ENOSPC: no space left on device, write)\n',
      );
      expect(run.status).toBe(1);
    } finally {
      closeSync(full);
    }
  });

  it('closed from the start (>&-): said on stderr, status 1', () => {
    const run = spawnSync('sh', ['-c', 'exec "$0" "$1" links >&-', process.execPath, BIN], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run).toMatchObject({ status: 1, stderr: 'nlring links: standard output is closed\n' });
  });

  it('/dev/null is not closed: status 0', () => {
    const run = spawnSync('sh', ['-c', 'exec "$0" "$1" links > /dev/null', process.execPath, BIN], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run).toMatchObject({ status: 0, stderr: '' });
  });
});

describe('main, in process', () => {
  /** Runs main() with streams that collect what it writes. */
  async function runMain(args: readonly string[]): Promise<Run> {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    const status = await main(args, { stdout, stderr });
    return { status, stdout: out, stderr: err };
  }

  it('says that netlink is Linux only, anywhere else', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'darwin', configurable: true });
    try {
      expect(await runMain(['routes'])).toEqual({
        status: 1,
        stdout: '',
        stderr: 'nlring: netlink is Linux only (this is darwin)\n',
      });
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
    }
  });

  it('writes to the streams it is given', async () => {
    const run = await runMain(['--version']);
    expect(run).toEqual({ status: 0, stdout: `nlring ${packageVersion()}\n`, stderr: '' });
  });
});

describe.skipIf(skipReason !== undefined)('without privilege', () => {
  const netns = useNetns();

  it('dumps the host namespace as user nobody with no capabilities', () => {
    const run = nlring(['routes', '--json'], { prefix: NOBODY });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const routes = JSON.parse(run.stdout) as Json[];
    expect(routes.some((r) => r.table === 'local' && r.dev === 'lo')).toBe(true);
  });

  it('says which capability entering a namespace needs', () => {
    const run = nlring(['links', '--netns', netns().name], { prefix: NOBODY });
    expect(run.stderr).toBe(
      `nlring links: entering network namespace '${netns().name}' needs CAP_SYS_ADMIN (run it with sudo)\n`,
    );
    expect(run.status).toBe(1);
  });

  it('info reports the missing capabilities', () => {
    const run = nlring(['info', '--json'], { prefix: NOBODY });
    expect(run.status).toBe(0);
    const info = JSON.parse(run.stdout) as { capabilities: Json };
    expect(info.capabilities).toEqual({
      effective: '0000000000000000',
      CAP_NET_ADMIN: false,
      CAP_SYS_ADMIN: false,
    });
  });
});

describe('info', () => {
  it('--json: kernel, ring mode and reason, capabilities, page size, default geometry', () => {
    const info = nlringJson<{
      nlring: string;
      kernel: { sysname: string; release: string; machine: string };
      netns: string | null;
      ring_mode: string;
      mode_reason: string;
      capabilities: Json;
      page_size: number;
      rx_ring: Record<string, number>;
    }>(['info', '--json']);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(info.nlring).toBe(manifest.version);
    expect(info.kernel).toMatchObject({ sysname: 'Linux', release: release() });
    expect(info.netns).toBeNull();
    // Memory-mapped netlink left the kernel in 4.6: this machine's kernel answers ENOPROTOOPT.
    const [major, minor] = release().split('.').map(Number);
    const modern = major > 4 || (major === 4 && minor >= 6);
    expect(info.ring_mode).toBe(modern ? 'engine' : 'kernel');
    expect(info.mode_reason).toContain(modern ? 'ENOPROTOOPT' : 'NETLINK_RX_RING');
    const caps = readCapabilities();
    expect(info.capabilities).toEqual({ effective: caps.effective, ...caps.held });
    expect(info.page_size).toBe(
      Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })),
    );
    const ring = info.rx_ring;
    expect(ring.nm_frame_size).toBeGreaterThanOrEqual(32768 + 24);
    expect(ring.nm_block_size % info.page_size).toBe(0);
    expect(ring.nm_frame_nr).toBe(
      Math.floor(ring.nm_block_size / ring.nm_frame_size) * ring.nm_block_nr,
    );
    expect(ring.bytes).toBe(ring.nm_block_size * ring.nm_block_nr);
  });

  it('runs no getconf found through $PATH: the page size comes from the auxiliary vector', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlring-path-'));
    try {
      const marker = join(dir, 'ran');
      writeFileSync(join(dir, 'getconf'), `#!/bin/sh\ntouch ${marker}\necho 12345\n`, {
        mode: 0o755,
      });
      const run = spawnSync(process.execPath, [BIN, 'info', '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, PATH: dir },
      });
      expect(run.status).toBe(0);
      const info = JSON.parse(run.stdout) as { page_size: number };
      expect(info.page_size).toBe(
        Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })),
      );
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without --json: one labelled line each', () => {
    const run = nlring(['info']);
    expect(run.status).toBe(0);
    const labels = run.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split(/ {2,}/)[0]);
    expect(labels).toEqual([
      'nlring',
      'kernel',
      'namespace',
      'ring mode',
      'capabilities',
      'page size',
      'rx ring',
    ]);
    expect(run.stdout).toMatch(/^ring mode +(engine|kernel): /m);
  });
});

describe('bench', () => {
  it('--only ID --json: that benchmark with its baseline and ratio; progress on stderr', () => {
    const run = nlring(['bench', '--only', 'rx-in-memory', '--json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as {
      machine: Json;
      results: (Json & { subject: Json; baseline: Json })[];
      skipped: string[];
    };
    expect(report.machine).toEqual({
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpus: expect.any(Number),
    });
    expect(report.results.map((r) => r.id)).toEqual(['rx-in-memory']);
    const [result] = report.results;
    expect(result.subject.value).toBeGreaterThan(0);
    expect(result.baseline.value).toBeGreaterThan(0);
    expect(result.ratio).toBeGreaterThan(0);
    expect(report.skipped).toEqual([]);
    // Not a terminal: one progress line per step.
    expect(run.stderr).toMatch(/^rx-in-memory: \S.*\n/);
  });

  it('from an installed package (no bench/ shipped): one line that says where it runs, status 1', () => {
    // The layout npm installs: dist/src, the command bundle dist/cli, bin and package.json,
    // without the repository around.
    const installed = mkdtempSync(join(tmpdir(), 'nlring-cli-installed-'));
    try {
      cpSync(join(ROOT, 'dist', 'src'), join(installed, 'dist', 'src'), { recursive: true });
      cpSync(join(ROOT, 'dist', 'cli', 'nlring.cjs'), join(installed, 'dist', 'cli', 'nlring.cjs'));
      cpSync(join(ROOT, 'bin'), join(installed, 'bin'), { recursive: true });
      cpSync(join(ROOT, 'package.json'), join(installed, 'package.json'));
      symlinkSync(join(ROOT, 'node_modules'), join(installed, 'node_modules'));
      for (const args of [['bench'], ['bench', '--only', 'rx-in-memory', '--json']]) {
        const run = spawnSync(process.execPath, [join(installed, 'bin', 'nlring.js'), ...args], {
          encoding: 'utf8',
          timeout: 60_000,
        });
        expect(run.stderr).toBe(
          'nlring bench: the benchmarks run from a clone of the nlring repository (npm ci there, then npx nlring bench); an installed package does not ship them\n',
        );
        expect(run.stdout).toBe('');
        expect(run.status).toBe(1);
      }
    } finally {
      rmSync(installed, { recursive: true, force: true });
    }
  });

  it('without --json: the summary table', () => {
    const run = nlring(['bench', '--only', 'rx-in-memory']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^rx-in-memory: .+\n {2}\S.* messages\/s\n {2}\S.* messages\/s\n {2}ratio \d+\.\d\d/,
    );
  });
});

describe.skipIf(skipReason !== undefined)('info in a namespace', () => {
  const netns = useNetns();

  it('--netns NAME opens the socket there and says so', () => {
    const here = nlringJson<Json>(['info', '--json']);
    const there = nlringJson<Json>(['info', '--json', '--netns', netns().name]);
    expect(there.netns).toBe(netns().name);
    expect({ ...there, netns: null }).toEqual(here);
  });
});

describe('help and version', () => {
  it.each([
    { name: '--help', args: ['--help'] },
    { name: '-h', args: ['-h'] },
    { name: 'help', args: ['help'] },
  ])('nlring $name lists every command with its summary', ({ args }) => {
    const run = nlring(args);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    for (const command of COMMANDS)
      expect(run.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    expect(run.stdout).toContain('examples:');
  });

  it.each(COMMANDS.map((name) => ({ name })))(
    '$name --help: usage, options, examples',
    ({ name }) => {
      const run = nlring([name, '--help']);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(new RegExp(`^usage: nlring ${name}( |$)`, 'm'));
      expect(run.stdout).toMatch(/^options:\n( {2}.*\n)* {2}-h, --help +show this help$/m);
      expect(run.stdout).toMatch(new RegExp(`^examples:\\n  nlring ${name}`, 'm'));
      expect(nlring(['help', name]).stdout).toBe(run.stdout);
    },
  );

  it('--version prints the package version', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const run = nlring(['--version']);
    expect(run).toEqual({ status: 0, stdout: `nlring ${manifest.version}\n`, stderr: '' });
  });
});

describe('the bin shim', () => {
  it('is what package.json names, executable, and runs by its #! line', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ nlring: 'bin/nlring.js' });
    accessSync(BIN, constants.X_OK);
    const run = spawnSync(BIN, ['--version'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.stdout).toMatch(/^nlring \d+\.\d+\.\d+/);
    expect(run.status).toBe(0);
  });

  it('npx nlring routes runs it from the repository root', () => {
    const run = spawnSync('npx', ['--no-install', 'nlring', 'routes', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as Json[]).length).toBeGreaterThan(0);
  });
});
