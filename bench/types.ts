/** One measured quantity: the median of its trials, with their spread. */
export interface Measure {
  /** What was measured, e.g. "nlring dumpRoutes, fresh process". */
  name: string;
  /** The median of `trials`, in `unit`. */
  value: number;
  /** e.g. "messages/s", "ns/message", "s". */
  unit: string;
  /** Every trial's value, in run order. */
  trials: number[];
  min: number;
  max: number;
  /** First and third quartiles of `trials`. */
  q1: number;
  q3: number;
}

/** One benchmark row: the subject side by side with its baseline, measured in the same run. */
export interface BenchResult {
  /** Short id, e.g. "rx-in-memory", "route-dump-decoded-100000-cold". */
  id: string;
  /** One line saying what it compares. */
  title: string;
  subject: Measure;
  baseline: Measure;
  /**
   * How nlring does against the baseline, above 1 when nlring is ahead: subject / baseline
   * when higher is better, baseline / subject otherwise. The median of the per-trial ratios
   * (trial t of the subject against trial t of the baseline, run back to back).
   */
  ratio: number;
  /** The spread of the per-trial ratios. */
  ratioMin: number;
  ratioMax: number;
  /** Whether a higher value is better (rates) or a lower one (times, CPU, memory). */
  higherIsBetter: boolean;
  /** The target ratio from issue 10, if any (same orientation as `ratio`). */
  target?: number | undefined;
  /** Further figures: loss, message counts, COPY frames, peak RSS, … */
  extra: Record<string, number | string>;
}

/** What a benchmark is given. */
export interface BenchContext {
  /** Trials per measured pair (>= 5 by default). */
  trials: number;
  /** IPv4 /32 routes in the route-dump namespace. */
  routes: number;
  progress(note: string): void;
  /** Records that one baseline or row could not run, with the reason. */
  skip(reason: string): void;
}

/** What a benchmark module exports. */
export interface Benchmark {
  id: string;
  title: string;
  /** Whether it needs root and network namespaces. */
  needsRoot: boolean;
  run(context: BenchContext): Promise<BenchResult[]>;
}
