// `npm run bench`: measures each target of issue 10 beside its baseline in the same run and
// prints the ratios with the spread of the trials; writes the whole run as JSON.
//
//   npm run bench -- [--only ID]... [--trials N] [--routes N] [--json] [--out FILE]
//
// IDs: rx-in-memory, route-dump, cli, netfilter, ynl-decode, apply-changes; nfqueue and wake
// (the NFQUEUE rows and the wake-up row of netfilter, only when named). --trials: trials per row (default 5);
// --routes: IPv4 routes in the route-dump namespace (default 100000); --json prints the
// report on stdout instead of the table; the report is always written to --out (default
// bench/results/latest.json). A baseline that cannot be installed or built is skipped with
// its reason; a benchmark that fails is reported as skipped, and the others still run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { applyChangesBench } from './applyChanges.js';
import { cliBench } from './cli.js';
import { inMemory } from './inMemory.js';
import { netfilterBench, nfqueueBench, wakeBench } from './netfilter.js';
import { routeDump } from './routeDump.js';
import { removeRouteTable } from './routeTable.js';
import { benchDir } from './toolchain.js';
import type { Benchmark, BenchResult, Measure } from './types.js';
import { ynlDecode } from './ynlDecode.js';

export const benchmarks: Benchmark[] = [
  inMemory,
  routeDump,
  cliBench,
  netfilterBench,
  ynlDecode,
  applyChangesBench,
];

/** Parts of a benchmark above, run only when named with `--only` (never twice in a full run). */
export const partBenchmarks: Benchmark[] = [nfqueueBench, wakeBench];

/** Options of {@link runBenchmarks}. */
export interface RunOptions {
  only?: string[] | undefined;
  /** Trials per row (default 5). */
  trials?: number | undefined;
  /** IPv4 routes in the route-dump namespace (default 100,000). */
  routes?: number | undefined;
  progress?: ((id: string, note: string) => void) | undefined;
}

/** Runs the benchmarks (root-only ones are skipped, with a note, when not root). */
export async function runBenchmarks(
  options: RunOptions = {},
): Promise<{ results: BenchResult[]; skipped: string[] }> {
  const results: BenchResult[] = [];
  const skipped: string[] = [];
  const trials = options.trials ?? 5;
  const routes = options.routes ?? 100_000;
  try {
    for (const b of options.only ? [...benchmarks, ...partBenchmarks] : benchmarks) {
      if (options.only && !options.only.includes(b.id)) continue;
      if (b.needsRoot && process.getuid?.() !== 0) {
        skipped.push(`${b.id}: needs root (network namespaces)`);
        continue;
      }
      try {
        results.push(
          ...(await b.run({
            trials,
            routes,
            progress: (note) => options.progress?.(b.id, note),
            skip: (reason) => skipped.push(reason),
          })),
        );
      } catch (error) {
        skipped.push(`${b.id}: failed: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    removeRouteTable();
  }
  return { results, skipped };
}

function format(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const a = Math.abs(n);
  if (Number.isInteger(n) && a < 1e4) return String(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (a >= 1e4) return `${(n / 1e3).toFixed(0)} k`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  if (a >= 100) return n.toFixed(0);
  if (a >= 1) return n.toFixed(2);
  return n.toFixed(3);
}

function spread(m: Measure): string {
  return `median of ${m.trials.length}, min ${format(m.min)}, max ${format(m.max)}, IQR ${format(m.q1)}–${format(m.q3)}`;
}

/** The human-readable table: each row's subject, baseline, ratio and their spreads. */
export function renderTable(results: BenchResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const verdict =
      r.target === undefined
        ? ''
        : r.ratio >= r.target
          ? `  (target ${r.target.toFixed(2)}: met)`
          : `  (target ${r.target.toFixed(2)}: NOT met)`;
    lines.push(`${r.id}: ${r.title}`);
    lines.push(
      `  ${r.subject.name.padEnd(56)} ${format(r.subject.value).padStart(9)} ${r.subject.unit}`,
    );
    lines.push(
      `  ${r.baseline.name.padEnd(56)} ${format(r.baseline.value).padStart(9)} ${r.baseline.unit}`,
    );
    lines.push(`  ratio ${r.ratio.toFixed(2)}${verdict}`);
    lines.push(
      `    ratio per trial ${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}${r.higherIsBetter ? '' : ' (baseline / nlring: lower is better)'}`,
    );
    lines.push(`    nlring: ${spread(r.subject)}`);
    lines.push(`    baseline: ${spread(r.baseline)}`);
    for (const [k, v] of Object.entries(r.extra))
      lines.push(`    ${k}: ${typeof v === 'number' ? format(v) : v}`);
    lines.push('');
  }
  return lines.join('\n');
}

/** The machine the run was on. */
function machine(): Record<string, string | number> {
  const read = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    kernel: read('uname', ['-r']),
    go: read('go', ['version']),
    ip: read('ip', ['-V']),
    // Set, Node parses that file and its root certificates at every start (tens of ms): it
    // moves whole-process rows of Node programs (docs/ARCHITECTURE.md, "Start-up").
    nodeExtraCaCerts: process.env.NODE_EXTRA_CA_CERTS === undefined ? 'unset' : 'set',
  };
}

function parseArgs(args: string[]): RunOptions & { json: boolean; out: string } {
  const only: string[] = [];
  let trials = 5;
  let routes = 100_000;
  let json = false;
  let out = join(benchDir(), 'results', 'latest.json');
  const positive = (flag: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${flag}: expected an integer >= ${min}, got ${value}`);
    return n;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--json') json = true;
    else if (a === '--only') only.push(args[++i] ?? '');
    else if (a === '--trials') trials = positive(a, args[++i], 1);
    else if (a === '--routes') routes = positive(a, args[++i], 1);
    else if (a === '--out') out = args[++i] ?? out;
    else
      throw new Error(
        `unknown option ${a} (--only ID, --trials N, --routes N, --json, --out FILE)`,
      );
  }
  const known = [...benchmarks, ...partBenchmarks].map((b) => b.id);
  for (const id of only)
    if (!known.includes(id))
      throw new Error(`--only: no benchmark '${id}' (there are: ${known.join(', ')})`);
  return { ...(only.length ? { only } : {}), trials, routes, json, out };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const started = new Date();
  const loadBefore = loadavg();
  const { results, skipped } = await runBenchmarks({
    ...options,
    progress: options.json
      ? undefined
      : (id, note) => process.stderr.write(`\r\x1b[K${id}: ${note}`),
  });
  if (!options.json) process.stderr.write('\r\x1b[K');
  const report = {
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
    started: started.toISOString(),
    finished: new Date().toISOString(),
    trials: options.trials,
    routes: options.routes,
    loadAverage: { before: loadBefore, after: loadavg() },
    machine: machine(),
    results,
    skipped,
  };
  mkdirSync(dirname(options.out), { recursive: true });
  writeFileSync(options.out, `${JSON.stringify(report, null, 2)}\n`);
  if (options.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    process.stdout.write(renderTable(results));
    for (const s of skipped) process.stdout.write(`skipped ${s}\n`);
    const l = (v: number[]) => v.map((x) => x.toFixed(2)).join(' ');
    process.stdout.write(
      `load average before ${l(loadBefore)}, after ${l(loadavg())}; report written to ${options.out}\n`,
    );
  }
}

if (process.argv[1]?.endsWith('run.js') || process.argv[1]?.endsWith('run.ts')) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
