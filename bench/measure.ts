import v8 from 'node:v8';
import type { BenchResult, Measure } from './types.js';

/** The q-quantile (0..1) of a list of numbers, interpolated. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** A {@link Measure} from its trials. */
export function measure(name: string, unit: string, trials: readonly number[]): Measure {
  return {
    name,
    unit,
    value: median(trials),
    trials: [...trials],
    min: Math.min(...trials),
    max: Math.max(...trials),
    q1: quantile(trials, 0.25),
    q3: quantile(trials, 0.75),
  };
}

/** One row: subject beside baseline, with the median and spread of the per-trial ratios. */
export function compare(row: Omit<BenchResult, 'ratio' | 'ratioMin' | 'ratioMax'>): BenchResult {
  const s = row.subject.trials;
  const b = row.baseline.trials;
  const n = Math.min(s.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(row.higherIsBetter ? s[i] / b[i] : b[i] / s[i]);
  return {
    ...row,
    ratio: median(ratios),
    ratioMin: Math.min(...ratios),
    ratioMax: Math.max(...ratios),
  };
}

/** Runs `fn` and returns its value with the elapsed seconds. */
export function timed<T>(fn: () => T): { seconds: number; value: T } {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}

function newSpaceUsed(): number {
  for (const s of v8.getHeapSpaceStatistics())
    if (s.space_name === 'new_space') return s.space_used_size;
  return 0;
}

/**
 * Bytes allocated per unit of work by `fn(n)`, measured as the growth of the V8 heap over a
 * run short enough that no garbage collection happens (retried smaller if one did). Needs
 * `--expose-gc` to start from a clean heap; without it the figure is still an upper bound.
 */
export function bytesPerUnit(fn: (n: number) => void, units: number): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  let n = units;
  for (let attempt = 0; attempt < 6; attempt++) {
    gc?.();
    const newBefore = newSpaceUsed();
    const before = v8.getHeapStatistics().used_heap_size;
    fn(n);
    const after = v8.getHeapStatistics().used_heap_size;
    const newAfter = newSpaceUsed();
    // A scavenge in between empties new space: the figure would be wrong, so measure less.
    if (newAfter >= newBefore) return Math.max(0, after - before) / n;
    n = Math.max(1, n >> 1);
  }
  return Number.NaN;
}
