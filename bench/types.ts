/** One measured quantity. */
export interface Measure {
  /** What was measured, e.g. "nlring fromRing + parseMessages + ofType". */
  name: string;
  /** The value, in `unit`. */
  value: number;
  /** e.g. "messages/s", "ns/message". */
  unit: string;
}

/** One benchmark: the subject side by side with its baseline, measured in the same run. */
export interface BenchResult {
  /** Short id, e.g. "rx-in-memory". */
  id: string;
  /** One line saying what it compares. */
  title: string;
  subject: Measure;
  baseline: Measure;
  /** subject / baseline when higher is better, baseline / subject otherwise (so > 1 is nlring ahead). */
  ratio: number;
  /** The target ratio from the issue, if any. */
  target?: number;
  /** Further figures: allocation per message, loss, the spread of the runs. */
  extra: Record<string, number | string>;
}

/** What a benchmark module exports. */
export interface Benchmark {
  id: string;
  title: string;
  /** Whether it needs root and network namespaces. */
  needsRoot: boolean;
  run(progress: (note: string) => void): Promise<BenchResult[]>;
}
