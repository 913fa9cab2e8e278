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
      `| ${r.title} | ${cell(r.subject)} | ${cell(r.baseline)} | **${r.ratio.toFixed(2)}** (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)}) | ${target} |`,
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
    `Run: \`${report.command}\`, ${report.started.slice(0, 16).replace('T', ' ')} UTC, ${report.trials} trials a row; ${m.cpus}-core ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}, ${m.go}, ${m.ip}; load average ${load(report.loadAverage.before)} before, ${load(report.loadAverage.after)} after (other work shared the cores).\n\n`,
  );
  process.stdout.write(`${readmeTable(report)}\n`);
  for (const s of report.skipped) process.stdout.write(`\nSkipped: ${s}\n`);
}

if (process.argv[1]?.endsWith('readmeTable.js')) main();
