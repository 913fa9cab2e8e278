// Bulk route programming: 10,000 /32 routes added through applyChanges in one call, beside
// `ip -batch` adding the same 10,000 (the `apply-changes` row of `npm run bench`), the two
// alternating trial by trial, each in a fresh namespace with the table checked afterwards.
// Root only.
//
// Standalone, with the one-request-at-a-time way (addRoute, a socket and an ack per route)
// as a third column:
//
//   npm run build && node dist/bench/applyChanges.js [routes] [trials]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { lastValueFrom, toArray } from 'rxjs';
import { applyChanges, type Change } from '../src/sources/rtnetlink/bulk.js';
import { addRoute } from '../src/sources/rtnetlink/requests.js';
import { compare, measure } from './measure.js';
import { type BenchNetns, createBenchNetns } from './netns.js';
import type { Benchmark, BenchResult } from './types.js';

/** Routes per trial in `npm run bench`. */
const BENCH_ROUTES = 10_000;

const host = (i: number) => `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;

/** A namespace with v0 up; its ifindex. */
function prepare(): { ns: BenchNetns; ifindex: number } {
  const ns = createBenchNetns('nlring-bench-apply');
  try {
    ns.batch(['link add v0 type veth peer name v1', 'link set v0 up']);
    const shown = JSON.parse(
      execFileSync('ip', ['-n', ns.name, '-j', 'link', 'show', 'v0'], { encoding: 'utf8' }),
    );
    return { ns, ifindex: shown[0].ifindex as number };
  } catch (error) {
    ns.remove();
    throw error;
  }
}

function countRoutes(ns: BenchNetns): number {
  const out = execFileSync('ip', ['-n', ns.name, '-j', 'route', 'show', 'proto', 'static'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return (JSON.parse(out) as unknown[]).length;
}

/** CPU seconds of this process's waited-for children (`/proc/self/stat` cutime + cstime). */
function childrenCpu(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 16 and 17 of proc(5), counted from after the command name (field 3 is index 0).
  return (Number(fields[13]) + Number(fields[14])) / 100; // USER_HZ ticks
}

interface Trial {
  /** Wall milliseconds. */
  ms: number;
  /** CPU milliseconds of the process doing the work (nlring: this one; ip: the child). */
  cpuMs: number;
}

type Way = (ns: BenchNetns, ifindex: number, routes: number) => Promise<Trial>;

const applyChangesWay: Way = async (ns, ifindex, routes) => {
  const changes: Change[] = Array.from({ length: routes }, (_, i) => ({
    op: 'addRoute',
    dst: host(i),
    ifindex,
    protocol: 'static',
  }));
  const cpu = process.cpuUsage();
  const start = performance.now();
  const results = await lastValueFrom(applyChanges(changes, { netns: ns.name }).pipe(toArray()));
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const failed = results.filter((r) => r.error !== undefined).length;
  if (results.length !== routes || failed !== 0) throw new Error(`${failed} failed`);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
};

const oneAtATimeWay: Way = async (ns, ifindex, routes) => {
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < routes; i++) {
    await lastValueFrom(addRoute({ dst: host(i), ifindex, protocol: 'static', netns: ns.name }));
  }
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
};

const ipBatchWay: Way = async (ns, _ifindex, routes) => {
  const lines = Array.from(
    { length: routes },
    (_, i) => `route add ${host(i)} dev v0 proto static`,
  );
  const cpu = childrenCpu();
  const start = performance.now();
  ns.batch(lines);
  return { ms: performance.now() - start, cpuMs: (childrenCpu() - cpu) * 1000 };
};

/** One trial of `way` in a fresh namespace, the table checked afterwards. */
async function trial(name: string, way: Way, routes: number): Promise<Trial> {
  const { ns, ifindex } = prepare();
  try {
    const result = await way(ns, ifindex, routes);
    const n = countRoutes(ns);
    if (n !== routes) throw new Error(`${name}: ${n} routes in the table, not ${routes}`);
    return result;
  } finally {
    ns.remove();
  }
}

export const applyChangesBench: Benchmark = {
  id: 'apply-changes',
  title: 'applyChanges: 10,000 routes in one call beside ip -batch',
  needsRoot: true,
  async run(context): Promise<BenchResult[]> {
    const ours: Trial[] = [];
    const theirs: Trial[] = [];
    for (let t = 0; t < context.trials; t++) {
      context.progress(`trial ${t + 1}/${context.trials}`);
      // Alternating, so that a noisy moment hits both sides.
      ours.push(await trial('applyChanges', applyChangesWay, BENCH_ROUTES));
      theirs.push(await trial('ip -batch', ipBatchWay, BENCH_ROUTES));
    }
    const median = (values: number[]) => measure('', '', values).value;
    return [
      compare({
        id: `apply-changes-${BENCH_ROUTES}`,
        title: `${BENCH_ROUTES.toLocaleString('en')} /32 routes added, fresh namespace each trial`,
        subject: measure(
          'nlring applyChanges (one call, TX ring bursts)',
          'ms',
          ours.map((x) => x.ms),
        ),
        baseline: measure(
          'ip -batch (iproute2, one request and ack at a time)',
          'ms',
          theirs.map((x) => x.ms),
        ),
        higherIsBetter: false,
        extra: {
          'nlring CPU ms (median)': Math.round(median(ours.map((x) => x.cpuMs))),
          'ip CPU ms (median, 10 ms ticks)': Math.round(median(theirs.map((x) => x.cpuMs))),
        },
      }),
    ];
  },
};

async function main(): Promise<void> {
  const routes = Number(process.argv[2] ?? BENCH_ROUTES);
  const trials = Number(process.argv[3] ?? 3);
  if (process.getuid?.() !== 0) {
    console.log('bench/applyChanges: skipped, needs root to create namespaces');
    return;
  }
  console.log(`${routes} routes, median of ${trials} alternating trials, fresh namespace each`);
  const ways: Array<[string, Way]> = [
    ['applyChanges (one call, TX ring bursts)', applyChangesWay],
    ['addRoute, one request at a time', oneAtATimeWay],
    ['ip -batch', ipBatchWay],
  ];
  const times = ways.map(() => [] as Trial[]);
  for (let t = 0; t < trials; t++) {
    for (const [i, [name, way]] of ways.entries()) times[i].push(await trial(name, way, routes));
  }
  for (const [i, [name]] of ways.entries()) {
    const ms = measure(
      name,
      'ms',
      times[i].map((x) => x.ms),
    );
    const cpu = measure(
      name,
      'ms',
      times[i].map((x) => x.cpuMs),
    );
    console.log(
      `${name.padEnd(42)} ${ms.value.toFixed(0).padStart(7)} ms (${ms.min.toFixed(0)}–${ms.max.toFixed(0)})  CPU ${cpu.value.toFixed(0).padStart(5)} ms  ${((routes / ms.value) * 1000).toFixed(0).padStart(8)} routes/s`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main();
}
