import { planVerdicts } from './planVerdicts.js';

/** What the process decided for one queued packet. */
export interface NfqueueDecision {
  /** The verdict (NF_ACCEPT, NF_DROP, `nfQueueNr(n)`...). */
  verdict: number;
  /** Set this packet mark with the verdict. */
  mark?: number;
  /** Replace the packet with these bytes. */
  payload?: Uint8Array;
}

/** One message of a {@link VerdictPlan}, in the order it must be sent. */
export type VerdictStep =
  | {
      /** NFQNL_MSG_VERDICT for one packet (writeNfqueueVerdict). */
      kind: 'single';
      id: number;
      verdict: number;
      mark?: number;
      payload?: Uint8Array;
    }
  | {
      /** NFQNL_MSG_VERDICT_BATCH up to and including `id` (writeNfqueueBatchVerdict). */
      kind: 'batch';
      id: number;
      verdict: number;
      /** How many outstanding packets it covers. */
      count: number;
    };

/** The result of {@link verdictPlan}. */
export interface VerdictPlan {
  /** The verdict messages to send, in this order (in one datagram or several). */
  steps: VerdictStep[];
  /** The ids still waiting for a decision, in arrival order: the new outstanding list. */
  outstanding: number[];
  /** Decided ids that are not outstanding (already verdicted, or never queued): not sent. */
  unknown: number[];
}

/**
 * Plans the verdict messages for the packets of one queue: given the ids still
 * outstanding (received, no verdict sent yet) **in the order they arrived**, and the
 * decisions made so far, returns the messages to send and the ids left waiting.
 *
 * The kernel (`nfqnl_recv_verdict_batch`) applies a batch verdict to every packet it holds
 * up to the batch's id, and it holds them in arrival order. So a batch is safe only over a **prefix** of the outstanding list whose packets
 * are all decided with the same verdict and carry no mark or payload. The plan walks from
 * the head: a run of two or more such packets becomes one batch, any other decided head
 * packet a single verdict, and it repeats while the head is decided (each message removes
 * the head, so a later run becomes a prefix). Once the head is undecided, every remaining
 * decided packet gets a single verdict. A batch therefore never covers an undecided packet
 * or one with another verdict; the number of messages never exceeds the number of
 * decisions.
 *
 * Pure and synchronous. Throws a TypeError when `outstanding` is not strictly increasing
 * in packet-id order (modulo 2^32, as the kernel compares ids), which also rules out
 * duplicates.
 *
 * @example
 * const plan = verdictPlan([5, 6, 7, 8], new Map([[5, { verdict: NF_ACCEPT }], [6, { verdict: NF_ACCEPT }], [8, { verdict: NF_DROP }]]));
 * // plan.steps: batch ≤6 ACCEPT (2 packets), single 8 DROP; plan.outstanding: [7]
 */
export function verdictPlan(
  outstanding: readonly number[],
  decisions: ReadonlyMap<number, NfqueueDecision>,
): VerdictPlan {
  const { steps, left } = planVerdicts(
    outstanding,
    outstanding.map((id) => decisions.get(id)),
  );
  const unknown: number[] = [];
  if (outstanding.length - left.length < decisions.size) {
    const known = new Set(outstanding);
    for (const id of decisions.keys()) if (!known.has(id)) unknown.push(id);
  }
  return { steps, outstanding: left.map((i) => outstanding[i]), unknown };
}
