// Renders a report written by `npm run bench` (bench/results/*.json) as the README's
// markdown table: every row with its median and the min–max of its trials, the ratio with
// the spread of the per-trial ratios, and the run it came from.
//
//   node dist/bench/readmeTable.js bench/results/FILE.json
import { readFileSync } from 'node:fs';
import type { BenchResult, Measure } from './types.js';

interface Report {
  command: string;
  started: string;
  trials: number;
  routes: number;
  loadAverage: { before: number[]; after: number[] };
  machine: Record<string, string | number>;
  results: BenchResult[];
  skipped: string[];
}

function num(n: number, unit: string): string {
  if (unit === 's') return n < 1 ? `${(n * 1000).toFixed(0)} ms` : `${n.toFixed(2)} s`;
  if (unit === 'MiB') return n.toFixed(0);
  if (!unit.endsWith('/s')) return Math.round(n).toLocaleString('en');
  const a = Math.abs(n);
  if (a >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(0)} k`;
  return n.toFixed(0);
}

function cell(m: Measure): string {
  const unit = m.unit === 's' ? '' : m.unit === 'MiB' ? ' MiB' : ` ${m.unit}`;
  return `${m.name}: **${num(m.value, m.unit)}**${unit} (${num(m.min, m.unit)}–${num(m.max, m.unit)})`;
}

/** Which nlring receiver a netfilter row measured: the bench's warm process or a fresh one. */
function when(id: string): string {
  return id.endsWith('-fresh') ? 'fresh process' : 'warm';
}

/** A short row label from the row's id (the full title is in the JSON report). */
function label(r: BenchResult): string {
  const k = (n: string) => (Number(n) >= 1e6 ? `${Number(n) / 1e6}M` : `${Number(n) / 1000}k`);
  let m = /^route-dump-(decoded|stream)-(\d+)-(cold|warm)-vs-/.exec(r.id);
  if (m) {
    const what = m[1] === 'decoded' ? 'decoded' : 'message stream';
    const when = m[3] === 'cold' ? 'fresh process, first dump' : 'warm (6th dump of a process)';
    return `route dump, ${k(m[2])} routes, ${what}, ${when}`;
  }
  m = /^route-dump-process-(\d+)/.exec(r.id);
  if (m) return `route dump, ${k(m[1])} routes: the whole process (s)`;
  m = /^route-dump-rss-(\d+)/.exec(r.id);
  if (m) return `peak RSS of a fresh process's decoded dump, ${k(m[1])} routes`;
  m = /^cli-routes-floor-(\d+)/.exec(r.id);
  if (m)
    return `the floor of any command on Node + koffi: the ${k(m[1])}-route dump read, nothing decoded or printed, whole process`;
  m = /^cli-routes-table-(\d+)/.exec(r.id);
  if (m) return `\`nlring routes\` (the table), ${k(m[1])} routes, whole process`;
  m = /^cli-routes-(\d+)/.exec(r.id);
  if (m) return `\`nlring routes --json\`, ${k(m[1])} routes, whole process`;
  if (r.id === 'cli-links') return '`nlring links --json` (3 links), whole process';
  if (r.id === 'rx-in-memory') return 'in memory, JIT-warm: 58 route messages a frame, 3 of 4 kept';
  m = /^nflog-floor-cpu-(\d+)/.exec(r.id);
  if (m) {
    const size = m[1];
    return `NFLOG receiver CPU, 1 M packets, nlbufsiz ${size}, ${size === '65536' ? 'qthresh 64' : 'qthresh 1024'}: the floor of any receiver on Node + koffi (poll handle + recv(), nothing decoded), fresh process`;
  }
  m = /^nflog-(batches-)?cpu-(\d+)/.exec(r.id);
  if (m) {
    const size = m[2];
    const lost =
      Number(r.extra['nlring reported lost (max over trials)']) +
      Number(r.extra['nlring unreported loss (max over trials)']);
    const copies = r.extra['nlring COPY frames / frames (median)'];
    const api = m[1] === undefined ? 'nflog()' : 'nflogBatches(), payloads by offset';
    return `NFLOG receiver CPU, 1 M packets, nlbufsiz ${size}, ${size === '65536' ? 'qthresh 64' : 'qthresh 1024'}, ${api}, ${when(r.id)}; nlring lost ${lost}, COPY frames ${copies}`;
  }
  if (r.id === 'wake-cpu-floor')
    return 'CPU per wake-up, one UDP datagram every 7 ms and nothing else done (an NFLOG receiver at 128 KiB batches wakes about once per 1,000 packets): Node + koffi (poll handle + recv()) vs C';
  if (r.id === 'nfqueue-floor-vs-c-batched')
    return 'NFQUEUE verdicts/s, 60,000 queued packets, all accepted: the floor of any receiver on Node + koffi (recvmmsg + one batch verdict a read, nothing decoded), fresh process';
  if (r.id.startsWith('nfqueue-verdicts'))
    return `NFQUEUE verdicts/s, 60,000 queued packets, all accepted, ${when(r.id)}`;
  return r.title;
}

export function readmeTable(report: Report): string {
  const lines = [
    '| benchmark | nlring | baseline (same run) | ratio (> 1: nlring ahead) | target |',
    '|---|---|---|---|---|',
  ];
  for (const r of report.results) {
    const target =
      r.target === undefined
        ? ''
        : `≥ ${r.target.toFixed(2)} ${r.ratio >= r.target ? 'met' : '**not met**'}`;
    lines.push(
      `| ${label(r)} | ${cell(r.subject)} | ${cell(r.baseline)} | **${r.ratio.toFixed(2)}** (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}) | ${target} |`,
    );
  }
  return lines.join('\n');
}

function main(): void {
  const file = process.argv[2];
  if (!file) throw new Error('usage: readmeTable.js REPORT.json');
  const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
  const m = report.machine;
  const load = (v: number[]) => v.map((x) => x.toFixed(1)).join(', ');
  process.stdout.write(
    `Run: \`${report.command}\`, ${report.started.slice(0, 16).replace('T', ' ')} UTC, ${report.trials} trials a row; ${m.cpus}-core ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}${m.nodeExtraCaCerts === undefined ? '' : ` (NODE_EXTRA_CA_CERTS ${m.nodeExtraCaCerts})`}, ${m.go}, ${m.ip}; load average ${load(report.loadAverage.before)} before, ${load(report.loadAverage.after)} after (they include the run itself).\n\n`,
  );
  process.stdout.write(`${readmeTable(report)}\n`);
  for (const s of report.skipped) process.stdout.write(`\nSkipped: ${s}\n`);
}

if (process.argv[1]?.endsWith('readmeTable.js')) main();
