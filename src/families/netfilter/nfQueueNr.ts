import { NF_QUEUE, NF_VERDICT_QMASK } from './constants.js';

/**
 * The NF_QUEUE verdict that sends a packet on to queue `queue` (0..65535).
 *
 * ```
 * #define NF_QUEUE_NR(x) ((((x) << 16) & NF_VERDICT_QMASK) | NF_QUEUE)
 * ```
 *
 * @example
 * writeNfqueueVerdict(w, { queue: 0, id, verdict: nfQueueNr(7) }); // requeue to queue 7
 */
export function nfQueueNr(queue: number): number {
  if (!Number.isInteger(queue) || queue < 0 || queue > 0xffff) {
    throw new RangeError(`queue must be an integer in [0, 65535], got ${queue}`);
  }
  return (((queue << 16) & NF_VERDICT_QMASK) | NF_QUEUE) >>> 0;
}
