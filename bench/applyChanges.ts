// Bulk route programming, standalone (not in `npm run bench`): 10,000 routes added through
// applyChanges in one call, beside the same 10,000 added one request at a time (addRoute,
// a socket and an ack per route) and beside `ip -batch`, each in a fresh namespace, the
// table checked afterwards. Root only.
//
//   npm run build && node dist/bench/applyChanges.js [routes] [trials]
import { execFileSync } from 'node:child_process';
import { lastValueFrom, toArray } from 'rxjs';
import { applyChanges, type Change } from '../src/sources/rtnetlink/bulk.js';
import { addRoute } from '../src/sources/rtnetlink/requests.js';
import { type BenchNetns, createBenchNetns } from './netns.js';

const ROUTES = Number(process.argv[2] ?? 10000);
const TRIALS = Number(process.argv[3] ?? 3);

const host = (i: number) => `10.${100 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}/32`;

/** A namespace with v0 up; its ifindex. */
function prepare(): { ns: BenchNetns; ifindex: number } {
  const ns = createBenchNetns('nlring-bench-apply');
  ns.batch(['link add v0 type veth peer name v1', 'link set v0 up']);
  const shown = JSON.parse(
    execFileSync('ip', ['-n', ns.name, '-j', 'link', 'show', 'v0'], { encoding: 'utf8' }),
  );
  return { ns, ifindex: shown[0].ifindex as number };
}

function countRoutes(ns: BenchNetns): number {
  const out = execFileSync('ip', ['-n', ns.name, '-j', 'route', 'show', 'proto', 'static'], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return (JSON.parse(out) as unknown[]).length;
}

type Way = (ns: BenchNetns, ifindex: number) => Promise<void>;

const WAYS: Array<{ name: string; run: Way }> = [
  {
    name: 'applyChanges (one call, TX ring bursts)',
    run: async (ns, ifindex) => {
      const changes: Change[] = Array.from({ length: ROUTES }, (_, i) => ({
        op: 'addRoute',
        dst: host(i),
        ifindex,
        protocol: 'static',
      }));
      const results = await lastValueFrom(
        applyChanges(changes, { netns: ns.name }).pipe(toArray()),
      );
      const failed = results.filter((r) => r.error !== undefined).length;
      if (results.length !== ROUTES || failed !== 0) throw new Error(`${failed} failed`);
    },
  },
  {
    name: 'addRoute, one request at a time',
    run: async (ns, ifindex) => {
      for (let i = 0; i < ROUTES; i++) {
        await lastValueFrom(
          addRoute({ dst: host(i), ifindex, protocol: 'static', netns: ns.name }),
        );
      }
    },
  },
  {
    name: 'ip -batch',
    run: async (ns) => {
      ns.batch(
        Array.from({ length: ROUTES }, (_, i) => `route add ${host(i)} dev v0 proto static`),
      );
    },
  },
];

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.log('bench/applyChanges: skipped, needs root to create namespaces');
    return;
  }
  console.log(`${ROUTES} routes, best of ${TRIALS} trials, fresh namespace each`);
  for (const way of WAYS) {
    const times: number[] = [];
    for (let t = 0; t < TRIALS; t++) {
      const { ns, ifindex } = prepare();
      try {
        const start = performance.now();
        await way.run(ns, ifindex);
        times.push(performance.now() - start);
        const n = countRoutes(ns);
        if (n !== ROUTES) throw new Error(`${way.name}: ${n} routes in the table, not ${ROUTES}`);
      } finally {
        ns.remove();
      }
    }
    const best = Math.min(...times);
    console.log(
      `${way.name.padEnd(42)} ${best.toFixed(0).padStart(7)} ms  ${((ROUTES / best) * 1000).toFixed(0).padStart(8)} routes/s`,
    );
  }
}

await main();
