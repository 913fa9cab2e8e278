// The route dump (issue 10, targets 1, 2 and 6): every family and table (AF_UNSPEC, what
// `ip route show table all` prints) of a namespace holding N IPv4 /32 routes and a few IPv6
// ones, each peer a fresh process doing its first dump, reading dst, gateway, oif/dev, table
// and priority of every route. Each program clocks its own dump (from before it opens its
// socket to NLMSG_DONE); the harness measures the whole process (wall, peak RSS). Warm rows:
// the 6th dump of one process (after 5). Trial t runs every peer back to back, so load drift
// hits all of them alike; ratios are per trial.
import { join } from 'node:path';
import { compare, measure } from './measure.js';
import { type ProcessRun, runProcess } from './processes.js';
import { IPV6_ROUTES, routeTable } from './routeTable.js';
import { buildC, buildGo, distBenchDir } from './toolchain.js';
import type { Benchmark, BenchResult } from './types.js';

/** What one peer program printed. */
interface PeerReport {
  peer: string;
  messages: number;
  elapsed: number[];
  maxRssKiB: number;
  loadedMs?: number | undefined;
}

interface Peer {
  id: string;
  name: string;
  argv: (rounds: number) => string[];
}

/** One trial of one peer: the fresh process (1 dump) and the warm one (6 dumps). */
interface PeerTrial {
  cold: number;
  warm: number;
  wall: number;
  maxRssKiB: number;
  loadedMs?: number | undefined;
}

const WARM_ROUNDS = 6;

function runPeer(
  peer: Peer,
  netns: string,
  rounds: number,
  expected: number,
): {
  report: PeerReport;
  run: ProcessRun;
} {
  const run = runProcess(peer.argv(rounds), netns);
  const report = JSON.parse(run.stdout.trim().split('\n').pop() ?? '') as PeerReport;
  if (report.messages !== expected) {
    throw new Error(`${peer.name} saw ${report.messages} routes, the namespace holds ${expected}`);
  }
  return { report, run };
}

export const routeDump: Benchmark = {
  id: 'route-dump',
  title: 'route dump of every family and table: fresh processes and warm, beside C, libmnl, Go, ip',
  needsRoot: true,
  async run(context) {
    const { trials, routes, progress, skip } = context;
    const table = routeTable(routes, progress);
    const expected = table.messages;
    const node = process.execPath;
    const nlringPeer = join(distBenchDir(), 'peers', 'nlringDump.js');
    const peers: Peer[] = [
      {
        id: 'nlring-routes',
        name: 'nlring dumpRoutes',
        argv: (n) => [node, nlringPeer, 'routes', String(n)],
      },
      {
        id: 'nlring-messages',
        name: 'nlring dumpMessages + ofType',
        argv: (n) => [node, nlringPeer, 'messages', String(n)],
      },
    ];
    const baselines: Array<[string, string, ReturnType<typeof buildGo>]> = [
      ['c-raw', 'C raw recv() loop, 32 KiB buffer', buildC('route_raw', [], [])],
      [
        'c-libmnl',
        'C libmnl, 1 MiB buffer, mnl_attr_parse',
        buildC('route_mnl', ['-lmnl'], ['libmnl']),
      ],
      ['go', 'Go mdlayher/netlink Execute + AttributeDecoder', buildGo()],
    ];
    for (const [id, name, built] of baselines) {
      if ('path' in built) peers.push({ id, name, argv: (n) => [built.path, String(n)] });
      else skip(`route-dump baseline ${name}: ${built.skip}`);
    }
    const results = new Map<string, PeerTrial[]>(peers.map((p) => [p.id, []]));
    const ipWall: number[] = [];
    const ipRss: number[] = [];
    for (let t = 0; t < trials; t++) {
      progress(`trial ${t + 1}/${trials} (${expected.toLocaleString('en')} routes)`);
      for (const peer of peers) {
        const cold = runPeer(peer, table.ns.name, 1, expected);
        const warm = runPeer(peer, table.ns.name, WARM_ROUNDS, expected);
        results.get(peer.id)?.push({
          cold: cold.report.elapsed[0],
          warm: warm.report.elapsed[WARM_ROUNDS - 1],
          wall: cold.run.wall,
          maxRssKiB: cold.run.maxRssKiB,
          loadedMs: cold.report.loadedMs,
        });
      }
      const ip = runProcess(['ip', '-j', 'route', 'show', 'table', 'all'], table.ns.name, true);
      ipWall.push(ip.wall);
      ipRss.push(ip.maxRssKiB);
    }
    const rate = (id: string, key: 'cold' | 'warm') =>
      (results.get(id) ?? []).map((r) => expected / r[key]);
    const size = `${routes.toLocaleString('en')} IPv4 + ${IPV6_ROUTES} IPv6 routes (${expected.toLocaleString('en')} messages)`;
    const label = (id: string) => peers.find((p) => p.id === id)?.name ?? id;
    const out: BenchResult[] = [];
    const row = (
      kind: 'decoded' | 'stream',
      key: 'cold' | 'warm',
      subject: string,
      baseline: string,
      target?: number,
    ) => {
      if (!results.has(baseline)) return;
      const when = key === 'cold' ? 'fresh process, first dump' : 'warm, 6th dump of one process';
      const unit = kind === 'decoded' ? 'routes/s' : 'messages/s';
      out.push(
        compare({
          id: `route-dump-${kind}-${routes}-${key}-vs-${baseline}`,
          title: `${size}, ${kind === 'decoded' ? 'decoded' : 'message stream'}, ${when}`,
          subject: measure(`${label(subject)} (${key})`, unit, rate(subject, key)),
          baseline: measure(`${label(baseline)} (${key})`, unit, rate(baseline, key)),
          higherIsBetter: true,
          ...(target === undefined ? {} : { target }),
          extra: {},
        }),
      );
    };
    const streamTarget = routes >= 1_000_000 ? 0.8 : 0.6;
    row('decoded', 'cold', 'nlring-routes', 'go', 1.25);
    row('decoded', 'cold', 'nlring-routes', 'c-libmnl');
    row('stream', 'cold', 'nlring-messages', 'c-raw', streamTarget);
    row('decoded', 'warm', 'nlring-routes', 'go');
    row('decoded', 'warm', 'nlring-routes', 'c-libmnl');
    row('stream', 'warm', 'nlring-messages', 'c-raw');
    const nlring = results.get('nlring-routes') ?? [];
    out.push(
      compare({
        id: `route-dump-process-${routes}-vs-ip`,
        title: `${size}: the whole process, nlring dumpRoutes peer vs ip -j route show table all (stdout to /dev/null)`,
        subject: measure(
          'node + nlring dumpRoutes, whole process',
          's',
          nlring.map((r) => r.wall),
        ),
        baseline: measure('ip -j route show table all, whole process', 's', ipWall),
        higherIsBetter: false,
        extra: {
          'nlring: Node start + module loading before the first line (median ms)': Math.round(
            measure(
              '',
              'ms',
              nlring.map((r) => r.loadedMs ?? Number.NaN),
            ).value,
          ),
          'ip -j peak RSS (median MiB)': Number((measure('', '', ipRss).value / 1024).toFixed(1)),
        },
      }),
    );
    const go = results.get('go');
    if (go) {
      const rss = measure(
        'nlring dumpRoutes peak RSS',
        'MiB',
        nlring.map((r) => r.maxRssKiB / 1024),
      );
      out.push(
        compare({
          id: `route-dump-rss-${routes}-vs-go`,
          title: `${size}: peak RSS of the fresh process doing one decoded dump (target <= 80 MiB at 1M)`,
          subject: rss,
          baseline: measure(
            'Go mdlayher/netlink peak RSS',
            'MiB',
            go.map((r) => r.maxRssKiB / 1024),
          ),
          higherIsBetter: false,
          extra: { 'nlring <= 80 MiB': rss.max <= 80 ? 'yes' : 'NO' },
        }),
      );
    }
    return out;
  },
};
