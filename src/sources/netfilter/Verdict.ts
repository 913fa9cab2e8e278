/**
 * A verdict on one queued packet, as a value: what {@link QueuedPacket.setVerdict} takes and
 * what {@link applyVerdicts} projects packets to.
 *
 * - `accept`: let it go on, optionally with a new mark (NFQA_MARK) and/or replaced by
 *   `payload` (from its network header; the kernel fixes the lengths, not the checksums).
 * - `drop`: discard it.
 * - `repeat`: run the hook again from its start (NF_REPEAT), usually with a `mark` that the
 *   queueing rule excludes, so it is not queued again.
 * - `queue`: hand it to queue `queue` (NF_QUEUE_NR); with `bypass`, accept it when nobody
 *   listens there (NF_VERDICT_FLAG_QUEUE_BYPASS).
 *
 * @example
 * const verdict: Verdict = dport === 53 ? { kind: 'accept', mark: 1 } : { kind: 'drop' };
 */
export type Verdict =
  | { readonly kind: 'accept'; readonly mark?: number; readonly payload?: Uint8Array }
  | { readonly kind: 'drop' }
  | { readonly kind: 'repeat'; readonly mark?: number }
  | {
      readonly kind: 'queue';
      readonly queue: number;
      readonly bypass?: boolean;
      readonly mark?: number;
    };
