// Verdicts as values: the Verdict type and how a verdict becomes the decision the VerdictQueue writes.
import {
  NF_ACCEPT,
  NF_DROP,
  NF_REPEAT,
  NF_VERDICT_FLAG_QUEUE_BYPASS,
} from '../../families/netfilter/constants.js';
import { nfQueueNr } from '../../families/netfilter/nfnetlink.js';
import { checkVerdict, type NfqueueDecision } from '../../families/netfilter/verdict.js';

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
 * const dport: number = 53;
 * const verdict: Verdict = dport === 53 ? { kind: 'accept', mark: 1 } : { kind: 'drop' };
 */
export type Verdict =
  | {
      readonly kind: 'accept';
      readonly mark?: number | undefined;
      readonly payload?: Uint8Array | undefined;
    }
  | { readonly kind: 'drop' }
  | { readonly kind: 'repeat'; readonly mark?: number | undefined }
  | {
      readonly kind: 'queue';
      readonly queue: number;
      readonly bypass?: boolean | undefined;
      readonly mark?: number | undefined;
    };

/** Decisions without a mark or payload are the same every time: shared, frozen. */
const ACCEPT: NfqueueDecision = Object.freeze({ verdict: NF_ACCEPT });
const DROP: NfqueueDecision = Object.freeze({ verdict: NF_DROP });
const REPEAT: NfqueueDecision = Object.freeze({ verdict: NF_REPEAT });

/**
 * The wire decision (verdict code, mark, payload) for a {@link Verdict}. Throws a TypeError
 * for an unknown kind, a payload that is not a Uint8Array or a mark or queue number out of
 * range, so a bad verdict fails where it is given, not later in the TX ring. A bare accept,
 * drop or repeat (no mark, no payload) gets a shared frozen decision: nothing is allocated
 * for the common verdicts.
 *
 * @example
 * verdictDecision({ kind: 'queue', queue: 2, bypass: true }); // { verdict: 0x28003 }
 */
export function verdictDecision(verdict: Verdict): NfqueueDecision {
  if (typeof verdict !== 'object' || verdict === null) {
    throw new TypeError('verdict: expected { kind: "accept" | "drop" | "repeat" | "queue", … }');
  }
  const kind = verdict.kind;
  if (kind === 'drop') return DROP;
  if ((kind === 'accept' || kind === 'repeat') && verdict.mark === undefined) {
    if (kind === 'repeat') return REPEAT;
    if (verdict.payload === undefined) return ACCEPT;
  }
  const decision: NfqueueDecision = { verdict: NF_DROP };
  switch (kind) {
    case 'accept':
      decision.verdict = NF_ACCEPT;
      if (verdict.payload !== undefined) {
        if (!(verdict.payload instanceof Uint8Array)) {
          throw new TypeError('payload: expected a Uint8Array');
        }
        decision.payload = verdict.payload;
      }
      break;
    case 'repeat':
      decision.verdict = NF_REPEAT;
      break;
    case 'queue': {
      const queue = verdict.queue;
      if (!Number.isInteger(queue) || queue < 0 || queue > 0xffff) {
        throw new TypeError(`queue: expected an integer in [0, 65535], got ${String(queue)}`);
      }
      decision.verdict = checkVerdict(
        (nfQueueNr(queue) | (verdict.bypass === true ? NF_VERDICT_FLAG_QUEUE_BYPASS : 0)) >>> 0,
      );
      break;
    }
    default:
      throw new TypeError(
        `verdict: unknown kind ${String((verdict as { kind?: unknown }).kind)}; expected accept, drop, repeat or queue`,
      );
  }
  const mark = verdict.mark;
  if (mark !== undefined) {
    if (!Number.isInteger(mark) || mark < 0 || mark > 0xffffffff) {
      throw new TypeError(`mark: expected a u32, got ${String(mark)}`);
    }
    decision.mark = mark;
  }
  return decision;
}
