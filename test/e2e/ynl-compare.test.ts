// Generated families against this kernel's own tools, each test in a fresh namespace:
// ethtool features, rings, link info and statistics of a veth against `ethtool`, the rt-rule dump
// against `ip -j rule`, the tc qdisc dump against `tc -j qdisc`, conntrack's per-CPU
// statistics against `conntrack -S`, and an nftables batch (NFNL_MSG_BATCH_BEGIN, NEWTABLE,
// NEWCHAIN, NFNL_MSG_BATCH_END in one datagram) against `nft -j list ruleset`.
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { spec as conntrackSpec } from '../../src/families/ynl/conntrack.js';
import { spec as ethtoolSpec } from '../../src/families/ynl/ethtool.js';
import { nftables, spec as nftablesSpec } from '../../src/families/ynl/nftables.js';
import { spec as ruleSpec } from '../../src/families/ynl/rt-rule.js';
import { spec as tcSpec } from '../../src/families/ynl/tc.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { request } from '../../src/sources/request.js';
import { ynl } from '../../src/sources/ynl.js';
import { ynlCommand } from '../../src/sources/ynlCommand.js';
import { useNetns } from './netns.js';

const root = process.getuid?.() === 0;
if (!root) console.log('ynl compare e2e: skipped, needs root for network namespaces');

type Bits = { nomask?: true; bits?: { bit?: { name?: string; value?: true }[] } } | undefined;
/**
 * The names of the bits set in a verbose ethtool bitset: with a mask every bit is listed
 * and the set ones carry ETHTOOL_A_BITSET_BIT_VALUE; without one (nomask) only set bits are.
 */
const names = (set: Bits): Set<string> =>
  new Set(
    (set?.bits?.bit ?? []).flatMap((b) =>
      b.name === undefined || (set?.nomask !== true && b.value !== true) ? [] : [b.name],
    ),
  );
/** Every bit name a verbose bitset lists. */
const listed = (set: Bits): string[] =>
  (set?.bits?.bit ?? []).flatMap((b) => (b.name === undefined ? [] : [b.name]));

/** linux/rtnetlink.h enum rt_class_t: ip's names for the reserved tables. */
const TABLES: Record<number, string> = { 253: 'default', 254: 'main', 255: 'local' };

describe.runIf(root)('generated families against the kernel tools', () => {
  const netns = useNetns();

  it('ethtool features of a veth equal `ethtool --json -k`', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'ynl-v0', 'type', 'veth', 'peer', 'name', 'ynl-p0');
    ns.exec('ethtool', '-K', 'ynl-v0', 'gro', 'on', 'tso', 'off');
    const [reply] = await lastValueFrom(
      ynl(ethtoolSpec)
        .do('features-get', { header: { 'dev-name': 'ynl-v0' } }, { netns: ns.name })
        .pipe(toArray()),
    );
    const [theirs] = JSON.parse(ns.exec('ethtool', '--json', '-k', 'ynl-v0')) as Record<
      string,
      { active: boolean; requested: boolean | null; fixed: boolean | null }
    >[];
    const hw = names(reply?.hw as Bits);
    const wanted = names(reply?.wanted as Bits);
    const active = names(reply?.active as Bits);
    const nochange = names(reply?.nochange as Bits);
    const known = new Set(
      [reply?.hw, reply?.wanted, reply?.active, reply?.nochange].flatMap((b) => listed(b as Bits)),
    );
    let compared = 0;
    for (const [name, t] of Object.entries(theirs ?? {})) {
      if (!known.has(name) || typeof t !== 'object') continue;
      compared++;
      expect({ name, active: active.has(name) }).toEqual({ name, active: t.active });
      if (t.requested !== null)
        expect({ name, requested: wanted.has(name) }).toEqual({ name, requested: t.requested });
      if (t.fixed !== null)
        expect({ name, fixed: !hw.has(name) || nochange.has(name) }).toEqual({
          name,
          fixed: t.fixed,
        });
    }
    expect(compared).toBeGreaterThan(10);
    expect(active.has('rx-gro')).toBe(true);
    expect(active.has('tx-tcp-segmentation')).toBe(false);
  });

  it('ethtool link info and modes of a veth equal `ethtool`; rings fail as `ethtool -g` does', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'ynl-v0', 'type', 'veth', 'peer', 'name', 'ynl-p0');
    const family = ynl(ethtoolSpec);
    const header = { header: { 'dev-name': 'ynl-v0' } };
    const [info] = await lastValueFrom(
      family.do('linkinfo-get', header, { netns: ns.name }).pipe(toArray()),
    );
    const [modes] = await lastValueFrom(
      family.do('linkmodes-get', header, { netns: ns.name }).pipe(toArray()),
    );
    const text = ns.exec('ethtool', 'ynl-v0');
    const field = (label: string) => new RegExp(`^\\s*${label}: (.+)$`, 'm').exec(text)?.[1];
    // linux/ethtool.h: PORT_TP 0x00, XCVR_INTERNAL 0x00, DUPLEX_HALF 0x00, DUPLEX_FULL 0x01.
    expect({
      speed: `${String(modes?.speed)}Mb/s`,
      duplex: modes?.duplex === 1 ? 'Full' : modes?.duplex === 0 ? 'Half' : String(modes?.duplex),
      autoneg: modes?.autoneg === 1 ? 'on' : 'off',
      port: info?.port === 0 ? 'Twisted Pair' : String(info?.port),
      phyad: String(info?.phyaddr),
      transceiver: info?.transceiver === 0 ? 'internal' : String(info?.transceiver),
    }).toEqual({
      speed: field('Speed'),
      duplex: field('Duplex'),
      autoneg: field('Auto-negotiation'),
      port: field('Port'),
      phyad: field('PHYAD'),
      transceiver: field('Transceiver'),
    });
    let ours: unknown;
    try {
      await lastValueFrom(family.do('rings-get', header, { netns: ns.name }).pipe(toArray()));
    } catch (error) {
      ours = error;
    }
    let theirs = '';
    try {
      ns.exec('ethtool', '-g', 'ynl-v0');
    } catch (error) {
      theirs = String((error as { stderr?: unknown }).stderr ?? error);
    }
    expect(theirs).toMatch(/Operation not supported/);
    expect(ours).toBeInstanceOf(NetlinkError);
    expect((ours as NetlinkError).code).toBe('EOPNOTSUPP');
  });

  it('ethtool statistics of a veth: stat names = `ethtool -S`, standard groups = `ethtool --json -S --all-groups`', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'ynl-v0', 'type', 'veth', 'peer', 'name', 'ynl-p0');
    ns.ip('link', 'set', 'ynl-v0', 'up');
    ns.ip('link', 'set', 'ynl-p0', 'up');
    const family = ynl(ethtoolSpec);
    const header = { 'dev-name': 'ynl-v0' };
    // linux/ethtool.h enum ethtool_stringset: ETH_SS_STATS 1 (the driver's counters, whose
    // values only the ioctl carries), ETH_SS_STATS_STD 16 (the standard groups' names).
    const ETH_SS_STATS = 1;
    const ETH_SS_STATS_STD = 16;
    type Strings = {
      stringsets?: {
        stringset?: {
          id?: number;
          strings?: { string?: { index?: number; value?: string }[] }[];
        }[];
      };
    };
    const [sets] = (await lastValueFrom(
      family
        .do(
          'strset-get',
          { header, stringsets: { stringset: [{ id: ETH_SS_STATS }, { id: ETH_SS_STATS_STD }] } },
          { netns: ns.name },
        )
        .pipe(toArray()),
    )) as Strings[];
    const strings = (id: number) =>
      (sets?.stringsets?.stringset?.find((set) => set.id === id)?.strings ?? [])
        .flatMap((s) => s.string ?? [])
        .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
        .map((s) => s.value);
    // The driver's stat names are the lines `ethtool -S` prints (name: value).
    const text = ns.exec('ethtool', '-S', 'ynl-v0');
    const theirNames = [...text.matchAll(/^\s+([^:\n]+): \d+$/gm)].map((m) => m[1]);
    expect(theirNames.length).toBeGreaterThan(3);
    expect(strings(ETH_SS_STATS)).toEqual(theirNames);
    expect(theirNames).toContain('peer_ifindex');
    // Every standard group by name, as ethtool --all-groups asks for them.
    const groupNames = strings(ETH_SS_STATS_STD);
    expect(groupNames).toEqual(expect.arrayContaining(['eth-phy', 'eth-mac', 'eth-ctrl', 'rmon']));
    const [stats] = await lastValueFrom(
      family
        .do(
          'stats-get',
          { header, groups: { nomask: true, bits: { bit: groupNames.map((name) => ({ name })) } } },
          { netns: ns.name },
        )
        .pipe(toArray()),
    );
    const grp = (stats?.grp ?? []) as { id?: number; 'ss-id'?: number; stat?: unknown }[];
    // One ETHTOOL_A_STATS_GRP per group (the overlay's multi-attr), each naming its string
    // set (ETH_SS_STATS_ETH_PHY = 17, ...); a veth has no standard counters: none carries a stat.
    const ours = Object.fromEntries(
      grp.map((g) => [groupNames[g.id ?? -1], g.stat === undefined ? {} : g.stat]),
    );
    expect(grp.map((g) => g['ss-id'])).toEqual(grp.map((g) => ETH_SS_STATS_STD + 1 + (g.id ?? 0)));
    const [theirs] = JSON.parse(
      ns.exec('ethtool', '--json', '-S', 'ynl-v0', '--all-groups'),
    ) as Record<string, unknown>[];
    const { ifname, ...theirGroups } = theirs ?? {};
    expect(ifname).toBe('ynl-v0');
    expect(ours).toEqual(theirGroups);
  });

  it('the rt-rule dump equals `ip -j rule`', async () => {
    const ns = netns();
    ns.ip('rule', 'add', 'from', '10.9.0.0/16', 'table', '100', 'pref', '100');
    ns.ip('rule', 'add', 'to', '10.8.1.0/24', 'fwmark', '0x2a', 'table', 'main', 'pref', '200');
    const rules = await lastValueFrom(
      ynl(ruleSpec).dump('getrule', { family: 2 }, { netns: ns.name }).pipe(toArray()),
    );
    const theirs = ns.ipJson<Record<string, unknown>[]>('rule', 'show');
    const ours = rules.map((r) => {
      const table = Number(r.table ?? r['table']);
      const out: Record<string, unknown> = {
        priority: r.priority ?? 0,
        src: r.src === undefined ? 'all' : r.src,
        table: TABLES[table] ?? String(table),
      };
      if (r.src !== undefined) out.srclen = r['src-len'];
      if (r.dst !== undefined) {
        out.dst = r.dst;
        out.dstlen = r['dst-len'];
      }
      if (r.fwmark !== undefined) out.fwmark = `0x${Number(r.fwmark).toString(16)}`;
      return out;
    });
    expect(ours).toEqual(theirs);
    expect(ours.length).toBe(5);
    // The command speaks the netlink-raw families too.
    let written = '';
    const code = await ynlCommand(
      [
        ...['--family', 'rt-rule', '--dump', 'getrule', '--json-args', '{"family":2}'],
        ...['--netns', ns.name, '--json'],
      ],
      {
        write: (t) => {
          written += t;
        },
      },
    );
    expect(code).toBe(0);
    expect((JSON.parse(written) as { priority?: number }[]).map((r) => r.priority ?? 0)).toEqual(
      theirs.map((t) => t.priority),
    );
  });

  it('the tc qdisc dump equals `tc -j qdisc`', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'ynl-v0', 'type', 'veth', 'peer', 'name', 'ynl-p0');
    ns.exec('tc', 'qdisc', 'add', 'dev', 'ynl-v0', 'root', 'handle', '2:', 'pfifo', 'limit', '77');
    ns.exec(
      'tc',
      'qdisc',
      'add',
      'dev',
      'ynl-p0',
      'root',
      'handle',
      '5:',
      'tbf',
      'rate',
      '1mbit',
      'burst',
      '32kbit',
      'latency',
      '400ms',
    );
    const links = ns.ipJson<{ ifindex: number; ifname: string }[]>('link', 'show');
    const dev = new Map(links.map((l) => [l.ifindex, l.ifname]));
    const qdiscs = await lastValueFrom(
      ynl(tcSpec).dump('getqdisc', {}, { netns: ns.name }).pipe(toArray()),
    );
    const theirs = JSON.parse(ns.exec('tc', '-j', 'qdisc', 'show')) as Record<string, unknown>[];
    const ours = qdiscs
      .filter((q) => dev.has(Number(q.ifindex)) && (q.kind === 'pfifo' || q.kind === 'tbf'))
      .map((q) => ({
        kind: q.kind,
        handle: `${(Number(q.handle) >>> 16).toString(16)}:`,
        dev: dev.get(Number(q.ifindex)),
        root: q.parent === 0xffffffff,
        ...(q.kind === 'pfifo' ? { limit: (q.options as { limit?: number }).limit } : {}),
      }));
    expect(ours).toEqual(
      theirs
        .filter((t) => t.kind === 'pfifo' || t.kind === 'tbf')
        .map((t) => ({
          kind: t.kind,
          handle: t.handle,
          dev: t.dev,
          root: t.root === true,
          ...(t.kind === 'pfifo' ? { limit: (t.options as { limit?: number }).limit } : {}),
        })),
    );
    expect(ours.map((q) => q.kind).sort()).toEqual(['pfifo', 'tbf']);
  });

  it('conntrack get-stats per CPU equals `conntrack -S`, the get dump `conntrack -L`', async () => {
    const ns = netns();
    // Conntrack runs in a namespace once a rule needs it: count new flows, then make some.
    ns.exec(
      'nft',
      'add table inet ynl; add chain inet ynl in { type filter hook input priority 0; }; add rule inet ynl in ct state new counter',
    );
    ns.ip('link', 'set', 'lo', 'up');
    ns.exec('bash', '-c', 'for p in 9 10 11; do echo x > /dev/udp/127.0.0.1/$p; done');
    const stats = await lastValueFrom(
      ynl(conntrackSpec).dump('get-stats', {}, { netns: ns.name }).pipe(toArray()),
    );
    const text = ns.exec('conntrack', '-S');
    const theirs = text
      .trim()
      .split('\n')
      .map((line) => {
        const cpu = Number(/cpu=(\d+)/.exec(line)?.[1]);
        const fields = Object.fromEntries(
          [...line.matchAll(/(\w+)=(\d+)/g)].map((m) => [String(m[1]), Number(m[2])]),
        );
        return { cpu, fields };
      });
    expect(stats.length).toBe(theirs.length);
    const FIELDS: Record<string, string> = {
      found: 'found',
      invalid: 'invalid',
      insert: 'insert',
      insert_failed: 'insert-failed',
      drop: 'drop',
      early_drop: 'early-drop',
      error: 'error',
      search_restart: 'search-restart',
    };
    for (const t of theirs) {
      const mine = stats.find((s) => s['res-id'] === t.cpu);
      for (const [theirName, ourName] of Object.entries(FIELDS)) {
        if (t.fields[theirName] === undefined) continue;
        expect({ cpu: t.cpu, [theirName]: Number(mine?.[ourName] ?? 0) }).toEqual({
          cpu: t.cpu,
          [theirName]: t.fields[theirName],
        });
      }
    }
    // The flows themselves: the conntrack dump equals `conntrack -L`.
    const flows = await lastValueFrom(
      ynl(conntrackSpec).dump('get', { 'nfgen-family': 2 }, { netns: ns.name }).pipe(toArray()),
    );
    const ports = (list: number[]) => [...list].sort((a, b) => a - b);
    const listedPorts = [...ns.exec('conntrack', '-L').matchAll(/^udp .*? dport=(\d+) /gm)].map(
      (m) => Number(m[1]),
    );
    const ourPorts = flows.map((f) =>
      Number(
        (f['tuple-orig'] as { 'tuple-proto'?: { 'proto-dst-port'?: number } })['tuple-proto']?.[
          'proto-dst-port'
        ],
      ),
    );
    expect(ports(ourPorts)).toEqual(ports(listedPorts));
    expect(ports(ourPorts)).toEqual([9, 10, 11]);
  });

  it('an nftables batch creates a table and chain that `nft -j list ruleset` shows, and deletes them', async () => {
    const ns = netns();
    const NFPROTO_INET = 1; // linux/netfilter.h
    const NFNL_SUBSYS_NFTABLES = 10; // linux/netfilter/nfnetlink.h
    const ops = new Map(nftablesSpec.operations.map((o) => [o.name, o]));
    const type = (name: string): number => {
      const op = ops.get(name);
      return op?.do?.request?.value ?? op?.value ?? -1;
    };
    const batch = (body: (w: MessageWriter, seq: number) => void): Uint8Array => {
      const w = new MessageWriter();
      const seq = 40;
      // One datagram; the batch markers carry the subsystem in res_id, the last command
      // asks for the ack the request completes at (errors are acked always).
      w.begin(type('batch-begin'), NLM_F_REQUEST, seq, 0);
      nftables.buildStruct('nfgenmsg', w, { 'res-id': NFNL_SUBSYS_NFTABLES });
      w.end();
      body(w, seq);
      w.begin(type('batch-end'), NLM_F_REQUEST, seq, 0);
      nftables.buildStruct('nfgenmsg', w, { 'res-id': NFNL_SUBSYS_NFTABLES });
      w.end();
      return w.finish();
    };
    const send = (bytes: Uint8Array) =>
      lastValueFrom(
        request(() => openNetlinkSocket({ protocol: 'netfilter', netns: ns.name }), bytes).pipe(
          toArray(),
        ),
      );
    await send(
      batch((w, seq) => {
        w.begin(type('newtable'), NLM_F_REQUEST | NLM_F_CREATE, seq, 0);
        nftables.buildStruct('nfgenmsg', w, { 'nfgen-family': NFPROTO_INET });
        nftables.build('table-attrs', w, { name: 'ynl-t' });
        w.end();
        w.begin(type('newchain'), NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK, seq, 0);
        nftables.buildStruct('nfgenmsg', w, { 'nfgen-family': NFPROTO_INET });
        nftables.build('chain-attrs', w, { table: 'ynl-t', name: 'ynl-c' });
        w.end();
      }),
    );
    const nft = () =>
      (
        JSON.parse(ns.exec('nft', '-j', 'list', 'ruleset')) as {
          nftables: Record<
            string,
            { family: string; name: string; table?: string; handle: number }
          >[];
        }
      ).nftables;
    const listed = nft();
    const family = ynl(nftablesSpec);
    const tables = await lastValueFrom(
      family.dump('gettable', { 'nfgen-family': NFPROTO_INET }, { netns: ns.name }).pipe(toArray()),
    );
    const chains = await lastValueFrom(
      family.dump('getchain', { 'nfgen-family': NFPROTO_INET }, { netns: ns.name }).pipe(toArray()),
    );
    expect(tables.map((t) => ({ family: 'inet', name: t.name, handle: Number(t.handle) }))).toEqual(
      listed
        .flatMap((e) => (e.table === undefined ? [] : [e.table]))
        .map((t) => ({ family: t.family, name: t.name, handle: t.handle })),
    );
    expect(
      chains.map((c) => ({
        family: 'inet',
        table: c.table,
        name: c.name,
        handle: Number(c.handle),
      })),
    ).toEqual(
      listed
        .flatMap((e) => (e.chain === undefined ? [] : [e.chain]))
        .map((c) => ({ family: c.family, table: c.table, name: c.name, handle: c.handle })),
    );
    expect(tables.map((t) => t.name)).toEqual(['ynl-t']);
    expect(chains.map((c) => c.name)).toEqual(['ynl-c']);
    await send(
      batch((w, seq) => {
        w.begin(type('deltable'), NLM_F_REQUEST | NLM_F_ACK, seq, 0);
        nftables.buildStruct('nfgenmsg', w, { 'nfgen-family': NFPROTO_INET });
        nftables.build('table-attrs', w, { name: 'ynl-t' });
        w.end();
      }),
    );
    expect(nft().filter((e) => e.table !== undefined || e.chain !== undefined)).toEqual([]);
  });
});
