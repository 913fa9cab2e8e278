import type { NfqueueDecision, VerdictStep } from './verdictPlan.js';

/** The result of {@link planVerdicts}. */
export interface VerdictSlots {
  /** The verdict messages to send, in this order. */
  steps: VerdictStep[];
  /** Indexes (into `ids`) of the packets left undecided, in arrival order. */
  left: number[];
}

/**
 * The planner behind {@link verdictPlan}, over parallel arrays: `ids[i]` is the i-th
 * outstanding packet in arrival order and `decisions[i]` its decision, or undefined while it
 * has none (the NFQUEUE source keeps its queue this way: no map lookup per packet). Same
 * rules, same steps: a batch only over a prefix of decided packets sharing one plain verdict
 * (two or more), single verdicts otherwise; returns the steps and the indexes left waiting.
 *
 * Pure and synchronous. Throws a TypeError when `ids` is not strictly increasing in
 * packet-id order (modulo 2^32, as the kernel compares ids).
 *
 * @example
 * planVerdicts([5, 6, 7], [{ verdict: NF_ACCEPT }, { verdict: NF_ACCEPT }, undefined]);
 * // { steps: [batch ≤6 ACCEPT (2 packets)], left: [2] }
 */
export function planVerdicts(
  ids: readonly number[],
  decisions: readonly (NfqueueDecision | undefined)[],
): VerdictSlots {
  const n = ids.length;
  for (let k = 1; k < n; k++) {
    // nfq_id_after(b, a): (int)(b - a) > 0.
    if (((ids[k] - ids[k - 1]) | 0) <= 0) {
      throw new TypeError(
        `outstanding ids must increase in arrival order: ${ids[k - 1]} then ${ids[k]}`,
      );
    }
  }
  const steps: VerdictStep[] = [];
  const left: number[] = [];
  let i = 0;
  while (i < n) {
    const head = decisions[i];
    if (head === undefined) break;
    if (plain(head)) {
      let j = i + 1;
      while (j < n) {
        const next = decisions[j];
        if (next === undefined || !plain(next) || next.verdict !== head.verdict) break;
        j++;
      }
      if (j - i >= 2) {
        steps.push({ kind: 'batch', id: ids[j - 1], verdict: head.verdict, count: j - i });
        i = j;
        continue;
      }
    }
    steps.push(single(ids[i], head));
    i++;
  }
  for (; i < n; i++) {
    const d = decisions[i];
    if (d === undefined) left.push(i);
    else steps.push(single(ids[i], d));
  }
  return { steps, left };
}

/** A decision a batch may carry: a bare verdict, no mark and no payload. */
function plain(d: NfqueueDecision): boolean {
  return d.mark === undefined && d.payload === undefined;
}

function single(id: number, d: NfqueueDecision): VerdictStep {
  const step: VerdictStep = { kind: 'single', id, verdict: d.verdict };
  if (d.mark !== undefined) step.mark = d.mark;
  if (d.payload !== undefined) step.payload = d.payload;
  return step;
}
