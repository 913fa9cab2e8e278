import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeAddress, type InterfaceAddress } from '../../../src/families/rtnetlink/address.js';
import type { RtnetlinkDecodeOptions } from '../../../src/families/rtnetlink/decoding.js';
import { decodeLink, type Link } from '../../../src/families/rtnetlink/link.js';
import { decodeNeighbour, type Neighbour } from '../../../src/families/rtnetlink/neighbour.js';
import { decodeRoute, type Route } from '../../../src/families/rtnetlink/route.js';
import { NLMSG_DONE, NLMSG_ERROR } from '../../../src/netlink/constants.js';
import { NetlinkMessage, walkMessages } from '../../../src/netlink/NetlinkMessage.js';

// Real kernel replies, without the rest of nlring: a python3 helper dumps links, addresses,
// routes and neighbours of a fresh network namespace over a plain AF_NETLINK socket and
// prints every datagram as hex; the decoders' output must equal what `ip -j` prints for the
// same namespace, field by field.

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Dump helper: one line per datagram, `<kind> <hex>`. Requests carry full family headers. */
const DUMPER = `
import socket, struct
def dump(kind, msgtype, header):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
    s.bind((0, 0))
    s.send(struct.pack('=IHHII', 16 + len(header), msgtype, 0x301, 1, 0) + header)
    done = False
    while not done:
        data = s.recv(1 << 20)
        print(kind, data.hex())
        off = 0
        while off + 16 <= len(data):
            length, t = struct.unpack_from('=IH', data, off)
            if t in (2, 3):
                done = True
            off += (length + 3) & ~3
    s.close()
dump('link', 18, bytes(16))
dump('addr', 22, bytes(8))
dump('route', 26, bytes(12))
dump('neigh', 30, bytes(12))
dump('neigh', 30, bytes([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8, 0]))
`;

const suffix = `${process.pid}-${Date.now().toString(36)}`;
const ns = `nlring-h4-${suffix}`;
const peerNs = `nlring-h4p-${suffix}`;

function canRun(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root to create network namespaces';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
    execFileSync(PYTHON, ['-c', 'import socket; socket.AF_NETLINK'], { stdio: 'ignore' });
  } catch {
    return 'needs iproute2 (ip) and python3';
  }
  return undefined;
}
const skipReason = canRun();
if (skipReason) console.warn(`kernelBytes.test.ts skipped: ${skipReason}`);

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}
function ipJson<T>(...args: string[]): T[] {
  return JSON.parse(ip('-n', ns, '-j', ...args)) as T[];
}

/** The namespace under test: every kind of field the decoders map. */
const SETUP: string[][] = [
  ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.accept_dad=0'],
  ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.default.accept_dad=0'],
  ['-n', ns, 'link', 'set', 'lo', 'up'],
  ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1'],
  ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge'],
  ['-n', ns, 'link', 'add', 'v2', 'type', 'veth', 'peer', 'name', 'v3'],
  ['-n', ns, 'link', 'set', 'v3', 'master', 'br0'],
  ['-n', ns, 'link', 'set', 'v3', 'alias', 'bridge port'],
  ['-n', ns, 'link', 'property', 'add', 'dev', 'v3', 'altname', 'v3alt'],
  ['-n', ns, 'link', 'add', 'v4', 'type', 'veth', 'peer', 'name', 'v5', 'netns', peerNs],
  ['-n', ns, 'link', 'set', 'v1', 'mtu', '1400', 'group', '7', 'txqueuelen', '0'],
  // Every kind whose info_data the decoder maps, as this kernel has them.
  ['-n', ns, 'link', 'set', 'br0', 'type', 'bridge', 'stp_state', '1', 'group_fwd_mask', '8'],
  ['-n', ns, 'link', 'set', 'v3', 'type', 'bridge_slave', 'cost', '7', 'priority', '9'],
  ['-n', ns, 'link', 'add', 'mv0', 'link', 'v0', 'type', 'macvlan', 'mode', 'private'],
  [
    '-n',
    ns,
    'link',
    'add',
    'mv1',
    'link',
    'v2',
    'type',
    'macvlan',
    'mode',
    'passthru',
    'nopromisc',
  ],
  ...[
    'vx0 id 42 dstport 4789 local 10.61.0.1 remote 10.61.0.2 dev v0',
    'vx1 id 7 group ff05::1 local fd00::1 dev v0 ttl 5 tos inherit noudpcsum',
    'vx2 id 8 group 239.1.1.1 dev v0 dstport 4790 proxy l2miss l3miss maxaddress 10',
  ].map((line) => {
    const [name, ...data] = line.split(' ');
    return ['-n', ns, 'link', 'add', name, 'type', 'vxlan', ...data];
  }),
  ['-n', ns, 'link', 'add', 'ifb0', 'type', 'ifb'],
  ['-n', ns, 'tuntap', 'add', 'tun0', 'mode', 'tun'],
  ['-n', ns, 'tuntap', 'add', 'tap0', 'mode', 'tap', 'multi_queue'],
  ['-n', ns, 'link', 'set', 'v0', 'up'],
  ['-n', ns, 'link', 'set', 'v1', 'up'],
  ['-n', ns, 'link', 'set', 'br0', 'up'],
  ['-n', ns, 'link', 'set', 'v3', 'up'],
  ['-n', ns, 'link', 'set', 'v4', 'up'],
  ['-n', ns, 'addr', 'add', '10.1.0.1/24', 'dev', 'v0'],
  ['-n', ns, 'addr', 'add', '10.1.0.3/24', 'dev', 'v0'],
  ['-n', ns, 'addr', 'add', '10.1.0.4/24', 'dev', 'v0', 'valid_lft', '100', 'preferred_lft', '0'],
  ['-n', ns, 'addr', 'add', '10.1.0.5/24', 'dev', 'v0', 'noprefixroute', 'metric', '77'],
  ['-n', ns, 'addr', 'add', '10.1.0.2/24', 'brd', '+', 'dev', 'v1', 'label', 'v1:x'],
  ['-n', ns, 'addr', 'add', '10.60.0.1', 'peer', '10.60.0.2/32', 'dev', 'v1'],
  ['-n', ns, 'addr', 'add', '10.62.0.1/24', 'dev', 'v1', 'scope', 'link'],
  ['-n', ns, 'addr', 'add', '2001:db8::1/64', 'dev', 'v0', 'nodad'],
  ['-n', ns, 'addr', 'add', '2001:db8:ff::1/64', 'dev', 'v1'],
  ['-n', ns, 'route', 'add', '10.9.0.0/16', 'via', '10.1.0.2', 'metric', '50', 'proto', 'static'],
  ['-n', ns, 'route', 'add', '10.8.0.0/16', 'via', '10.1.0.2', 'table', '100'],
  ['-n', ns, 'route', 'add', 'blackhole', '10.7.0.0/16'],
  ['-n', ns, 'route', 'add', 'unreachable', '10.6.0.0/16'],
  ['-n', ns, 'route', 'add', 'prohibit', '10.5.0.0/16', 'proto', '42'],
  ['-n', ns, 'route', 'add', 'throw', '10.4.0.0/16', 'table', '253', 'proto', '200'],
  ['-n', ns, 'route', 'add', '10.3.3.3', 'dev', 'v0', 'scope', '100', 'table', '5000'],
  ['-n', ns, 'route', 'add', '10.2.0.0/16', 'via', '10.99.0.1', 'dev', 'v0', 'onlink'],
  ['-n', ns, 'route', 'add', '10.70.0.0/16', 'via', '10.1.0.2', 'tos', '0x10', 'mtu', '1300'],
  ['-n', ns, 'route', 'add', '10.71.0.0/16', 'via', '10.1.0.2', 'advmss', '1300', 'window', '1000'],
  ['-n', ns, 'route', 'add', '10.72.0.0/16', 'via', '10.1.0.2', 'rtt', '100ms', 'rttvar', '50ms'],
  [
    '-n',
    ns,
    'route',
    'add',
    '10.73.0.0/16',
    'via',
    '10.1.0.2',
    'rto_min',
    '200ms',
    'hoplimit',
    '64',
  ],
  [
    '-n',
    ns,
    'route',
    'add',
    '10.74.0.0/16',
    'via',
    '10.1.0.2',
    'features',
    'ecn',
    'initcwnd',
    '10',
  ],
  [
    '-n',
    ns,
    'route',
    'add',
    '10.75.0.0/16',
    'via',
    '10.1.0.2',
    'quickack',
    '1',
    'congctl',
    'cubic',
  ],
  [
    '-n',
    ns,
    'route',
    'add',
    '10.20.0.0/16',
    'nexthop',
    'via',
    '10.1.0.2',
    'weight',
    '2',
    'nexthop',
    'via',
    '10.1.0.5',
    'dev',
    'v0',
  ],
  ['-n', ns, 'route', 'add', '10.30.0.0/16', 'dev', 'v4'],
  ['-n', ns, '-6', 'route', 'add', '2001:db8:1::/48', 'via', '2001:db8::2', 'dev', 'v0'],
  ['-n', ns, '-6', 'route', 'add', '2001:db8:5::5/128', 'dev', 'v0'],
  ['-n', ns, '-6', 'route', 'add', '2001:db8:6::/64', 'from', '2001:db8::/64', 'dev', 'v0'],
  ['-n', ns, '-6', 'route', 'add', '::ffff:0:0/96', 'dev', 'v0'],
  ['-n', ns, '-6', 'route', 'add', '1:0:0:1::/64', 'dev', 'v0', 'pref', 'high'],
  ['-n', ns, '-6', 'route', 'add', '0:1:0:0:1:0:0:0/128', 'dev', 'v0'],
  [
    '-n',
    ns,
    '-6',
    'route',
    'add',
    '2001:db8:7::/64',
    'via',
    'fe80::1',
    'dev',
    'v0',
    'metric',
    '5',
    'table',
    '200',
  ],
  ['-n', ns, '-6', 'route', 'add', 'unreachable', '2001:db8:8::/64'],
  [
    '-n',
    ns,
    'neigh',
    'add',
    '10.1.0.9',
    'lladdr',
    '02:00:00:00:00:09',
    'dev',
    'v0',
    'nud',
    'permanent',
  ],
  [
    '-n',
    ns,
    'neigh',
    'add',
    '10.1.0.10',
    'lladdr',
    '02:00:00:00:00:10',
    'dev',
    'v0',
    'router',
    'nud',
    'stale',
  ],
  ['-n', ns, 'neigh', 'add', '2001:db8::11', 'lladdr', '02:00:00:00:00:11', 'dev', 'v0', 'router'],
  ['-n', ns, 'neigh', 'add', 'proxy', '10.1.0.11', 'dev', 'v0'],
];

interface Dumps {
  link: NetlinkMessage[];
  addr: NetlinkMessage[];
  route: NetlinkMessage[];
  neigh: NetlinkMessage[];
}

/** Runs the dumper in the namespace and splits its datagrams into detached messages. */
function kernelDumps(): Dumps {
  const out = execFileSync('ip', ['netns', 'exec', ns, PYTHON, '-c', DUMPER], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const dumps: Dumps = { link: [], addr: [], route: [], neigh: [] };
  for (const line of out.trim().split('\n')) {
    const [kind, hex] = line.split(' ') as [keyof Dumps, string];
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    const view = new DataView(bytes.buffer);
    walkMessages(view, 0, bytes.byteLength, (offset) => {
      const message = NetlinkMessage.at(bytes, view, offset);
      if (message.type === NLMSG_ERROR) throw new Error(`${kind} dump answered NLMSG_ERROR`);
      if (message.type !== NLMSG_DONE) dumps[kind].push(message);
      return true;
    });
  }
  return dumps;
}

/** `value` without the keys nlring adds beyond ip's output. */
function withoutExtras(value: object, extras: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (!extras.includes(key)) out[key] = v;
  return out;
}

/** Replaces a clock-driven number in `ours` by ip's when they are within 2 (seconds). */
function settleClock(ours: Record<string, unknown>, theirs: Record<string, unknown>, key: string) {
  const a = ours[key];
  const b = theirs[key];
  if (typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= 2) ours[key] = b;
}

describe.skipIf(skipReason !== undefined)('decoders against real kernel bytes and ip -j', () => {
  let dumps: Dumps;
  let options: RtnetlinkDecodeOptions;
  let links: Link[];

  beforeAll(() => {
    ip('netns', 'add', ns);
    ip('netns', 'add', peerNs);
    for (const args of SETUP) ip(...args);
    dumps = kernelDumps();
    // What ip does: learn names and flags from a link dump, then print with them.
    const bare = dumps.link.map((m) => decodeLink(m));
    options = {
      ifname: new Map(bare.map((l) => [l.ifindex, l.ifname ?? ''])),
      ifflags: new Map(
        dumps.link.map((m) => [
          m.view.getInt32(m.payloadOffset + 4, true),
          m.view.getUint32(m.payloadOffset + 8, true),
        ]),
      ),
    };
    links = dumps.link.map((m) => decodeLink(m, options));
  });

  afterAll(() => {
    for (const name of [ns, peerNs]) {
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      } catch {
        // not created
      }
    }
  });

  /** The bridge timers (`gc_timer`, `hold_timer`, …) count while we look: only their type. */
  function untimed(link: Record<string, unknown>): unknown {
    return JSON.parse(
      JSON.stringify(link, (key, value) =>
        key.endsWith('_timer') && typeof value === 'number' ? 'a number' : value,
      ),
    );
  }

  it('decodes every link as ip -s -s -j -d link show prints it', () => {
    const theirs = ipJson<Record<string, unknown>>('-s', '-s', '-d', 'link', 'show');
    expect(links.map((l) => l.ifname)).toEqual(theirs.map((l) => l.ifname));
    for (const [i, link] of links.entries()) {
      // Counters only grow between our dump and ip's: the same counters, none larger.
      const { stats64: theirStats, ...expected } = theirs[i] as Record<string, unknown> & {
        stats64: { rx: Record<string, number>; tx: Record<string, number> };
      };
      expect(untimed(withoutExtras(link, ['attrs', 'stats64']))).toEqual(untimed(expected));
      for (const side of ['rx', 'tx'] as const) {
        const ours = link.stats64?.[side] ?? {};
        expect(Object.keys(ours).sort(), `${link.ifname} ${side}`).toEqual(
          Object.keys(theirStats[side]).sort(),
        );
        for (const [name, value] of Object.entries(ours)) {
          expect(value, `${link.ifname} ${side} ${name}`).toBeLessThanOrEqual(
            theirStats[side][name],
          );
        }
      }
      expect(link.attrs.size).toBeGreaterThan(0); // IFLA_STATS, af_spec, … were kept
    }
    const kinds = links.map((l) => l.linkinfo?.info_kind);
    for (const kind of ['bridge', 'macvlan', 'vxlan', 'ifb', 'tun', 'veth']) {
      expect(kinds).toContain(kind);
    }
    expect(links.find((l) => l.ifname === 'vx0')?.linkinfo?.info_data).toMatchObject({
      id: 42,
      remote: '10.61.0.2',
      local: '10.61.0.1',
      link: 'v0',
      port: 4789,
    });
    expect(links.find((l) => l.ifname === 'v3')?.linkinfo?.info_slave_data).toMatchObject({
      cost: 7,
      priority: 9,
    });
    const v3 = links.find((l) => l.ifname === 'v3');
    expect(v3?.flags).toContain('M-DOWN');
    expect(v3?.master).toBe('br0');
    expect(links.find((l) => l.ifname === 'v4')?.link_netnsid).toBeTypeOf('number');
  });

  it('decodes every address as one addr_info entry of ip -j addr show', () => {
    const theirs = ipJson<{
      ifindex: number;
      ifname: string;
      addr_info: Array<{ local?: string | undefined; prefixlen: number }>;
    }>('addr', 'show');
    const expected = theirs.flatMap((l) =>
      l.addr_info.map((a) => ({ ifindex: l.ifindex, ifname: l.ifname, ...a })),
    );
    const ours: InterfaceAddress[] = dumps.addr.map((m) => decodeAddress(m, options));
    const key = (a: { ifindex: number; local?: string | undefined; prefixlen: number }) =>
      `${a.ifindex} ${a.local} ${a.prefixlen}`;
    expect(ours.map(key).sort()).toEqual(expected.map(key).sort());
    for (const address of ours) {
      const match = expected.find((e) => key(e) === key(address)) as Record<string, unknown>;
      const comparable = withoutExtras(address, ['attrs', 'protocol']);
      settleClock(comparable, match, 'valid_life_time');
      settleClock(comparable, match, 'preferred_life_time');
      expect(comparable).toEqual(match);
    }
    expect(ours.some((a) => a.secondary && a.dynamic && a.deprecated)).toBe(true);
    expect(ours.find((a) => a.local === '10.60.0.1')?.address).toBe('10.60.0.2');
  });

  it.each([
    { name: 'IPv4', family: 'inet', flag: '-4' },
    { name: 'IPv6', family: 'inet6', flag: '-6' },
  ])('decodes every $name route as ip -j -d route show table all prints it', ({ family, flag }) => {
    const theirs = ipJson<Record<string, unknown>>(flag, '-d', 'route', 'show', 'table', 'all');
    const ours: Route[] = dumps.route
      .map((m) => decodeRoute(m, options))
      .filter((r) => r.family === family);
    expect(ours.map((r) => `${r.table} ${r.dst}`)).toEqual(
      theirs.map((r) => `${r.table} ${r.dst}`),
    );
    for (const [i, route] of ours.entries()) {
      const comparable = withoutExtras(route, ['attrs', 'family', 'ifindex']);
      if (route.nexthops)
        comparable.nexthops = route.nexthops.map((h) => withoutExtras(h, ['ifindex']));
      expect(comparable).toEqual(theirs[i]);
      expect(route.attrs.size).toBe(0); // every attribute of these routes is mapped
    }
  });

  it('decodes every neighbour as ip -j -s neigh show nud all (and proxy) prints it', () => {
    const theirs = [
      ...ipJson<Record<string, unknown>>('-s', 'neigh', 'show', 'nud', 'all'),
      ...ipJson<Record<string, unknown>>('-s', 'neigh', 'show', 'proxy'),
    ];
    const ours: Neighbour[] = dumps.neigh.map((m) => decodeNeighbour(m, options));
    const key = (n: { dst?: unknown; dev?: unknown; proxy?: unknown }) =>
      `${n.dst} ${n.dev} ${'proxy' in n}`;
    // The kernel adds multicast entries (MLD) on its own: compare those both dumps saw,
    // and require the ones this test made.
    for (const made of [
      '10.1.0.9 v0 false',
      '10.1.0.10 v0 false',
      '2001:db8::11 v0 false',
      '10.1.0.11 v0 true',
    ]) {
      expect(ours.map(key)).toContain(made);
      expect(theirs.map(key)).toContain(made);
    }
    let compared = 0;
    for (const neighbour of ours) {
      const match = theirs.find((t) => key(t) === key(neighbour));
      if (!match) continue;
      const comparable = withoutExtras(neighbour, ['attrs', 'family', 'ifindex']);
      for (const clock of ['used', 'confirmed', 'updated']) settleClock(comparable, match, clock);
      expect(comparable).toEqual(match);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });
});
