// Runs one program as a fresh process (in a namespace, through `ip netns exec`) and measures
// it whole: wall time, user and system CPU, peak RSS (bench/c/rusage.c, wait4()).
import { spawnSync } from 'node:child_process';
import { openSync } from 'node:fs';
import { rusageTool } from './toolchain.js';

/** What one whole process cost, and what it printed. */
export interface ProcessRun {
  stdout: string;
  wall: number;
  user: number;
  sys: number;
  maxRssKiB: number;
}

let devNull: number | undefined;

/**
 * Runs `argv` in `netns` (or here), to completion; throws if it fails. With `discard` its
 * stdout goes to /dev/null (a command's own output, not a report to parse).
 */
export function runProcess(argv: string[], netns?: string, discard = false): ProcessRun {
  const full = netns ? ['ip', 'netns', 'exec', netns, ...argv] : argv;
  const meter = rusageTool();
  const useMeter = 'path' in meter;
  // /dev/null opened for writing, as `> /dev/null` does: 'ignore' gives the child /dev/null
  // read-write, which is what Node puts on a closed fd 1, and the command takes it as one.
  if (discard) devNull ??= openSync('/dev/null', 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(useMeter ? meter.path : full[0], useMeter ? full : full.slice(1), {
    stdio: ['ignore', discard ? devNull : 'pipe', 'pipe', 'pipe'],
    maxBuffer: 1 << 30,
    encoding: 'utf8',
  });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.error) throw r.error;
  const stdout = discard ? '' : String(r.stdout);
  if (!useMeter) {
    if (r.status !== 0) throw new Error(`${full.join(' ')} exited ${r.status}: ${r.stderr}`);
    return { stdout, wall, user: Number.NaN, sys: Number.NaN, maxRssKiB: Number.NaN };
  }
  const figures = JSON.parse(String(r.output[3])) as {
    status: number;
    wall: number;
    user: number;
    sys: number;
    maxRssKiB: number;
  };
  if (figures.status !== 0) {
    throw new Error(
      `${full.join(' ')} exited ${figures.status}: ${String(r.stderr).slice(0, 500)}`,
    );
  }
  return { stdout, ...figures };
}
