import { NLM_F_ACK, NLM_F_REQUEST } from '../../netlink/constants.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import {
  AF_UNSPEC,
  NF_MAX_VERDICT,
  NF_STOLEN,
  NF_VERDICT_MASK,
  NFNL_SUBSYS_QUEUE,
  NFQA_MARK,
  NFQA_PAYLOAD,
  NFQA_VERDICT_HDR,
  NFQNL_MSG_VERDICT,
  NFQNL_MSG_VERDICT_BATCH,
  NFQNL_MSG_VERDICT_HDR_LEN,
} from './constants.js';
import { beginNfnlMessage, checkUint, nfnlMsgType } from './nfnetlink.js';

/**
 * Throws a RangeError unless `verdict` is one the kernel takes in a verdict header:
 * a u32 whose low byte (`verdict & NF_VERDICT_MASK`) is at most NF_MAX_VERDICT and is not
 * NF_STOLEN — the check of the kernel's `verdicthdr_get()`. Returns the verdict.
 *
 * @example
 * checkVerdict(nfQueueNr(3)); // ok
 * checkVerdict(NF_STOLEN);    // throws
 */
export function checkVerdict(verdict: number): number {
  checkUint('verdict', verdict, 32);
  const code = verdict & NF_VERDICT_MASK;
  if (code > NF_MAX_VERDICT || code === NF_STOLEN) {
    throw new RangeError(
      `verdict 0x${verdict.toString(16)}: the kernel refuses verdict code ${code}`,
    );
  }
  return verdict;
}

/** What the process decided for one queued packet. */
export interface NfqueueDecision {
  /** The verdict (NF_ACCEPT, NF_DROP, `nfQueueNr(n)`...). */
  verdict: number;
  /** Set this packet mark with the verdict. */
  mark?: number | undefined;
  /** Replace the packet with these bytes. */
  payload?: Uint8Array | undefined;
}

/** One message of a {@link VerdictPlan}, in the order it must be sent. */
export type VerdictStep =
  | {
      /** NFQNL_MSG_VERDICT for one packet (writeNfqueueVerdict). */
      kind: 'single';
      id: number;
      verdict: number;
      mark?: number | undefined;
      payload?: Uint8Array | undefined;
    }
  | {
      /** NFQNL_MSG_VERDICT_BATCH up to and including `id` (writeNfqueueBatchVerdict). */
      kind: 'batch';
      id: number;
      verdict: number;
      /** How many outstanding packets it covers. */
      count: number;
    };

/** The result of {@link planVerdictMessages}. */
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
 * const plan = planVerdictMessages([5, 6, 7, 8], new Map([[5, { verdict: NF_ACCEPT }], [6, { verdict: NF_ACCEPT }], [8, { verdict: NF_DROP }]]));
 * // plan.steps: batch ≤6 ACCEPT (2 packets), single 8 DROP; plan.outstanding: [7]
 */
export function planVerdictMessages(
  outstanding: readonly number[],
  decisions: ReadonlyMap<number, NfqueueDecision>,
): VerdictPlan {
  const { steps, left } = planVerdictSlots(
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

/**
 * The former name of {@link planVerdictMessages}, kept so that existing callers compile.
 *
 * @deprecated Use {@link planVerdictMessages}.
 * @example
 * const plan = verdictPlan([5], new Map([[5, { verdict: NF_ACCEPT }]]));
 */
export const verdictPlan = planVerdictMessages;

/** The result of {@link planVerdictSlots}. */
export interface VerdictSlots {
  /** The verdict messages to send, in this order. */
  steps: VerdictStep[];
  /** Indexes (into `ids`) of the packets left undecided, in arrival order. */
  left: number[];
}

/**
 * The planner behind {@link planVerdictMessages}, over parallel arrays: `ids[i]` is the i-th
 * outstanding packet in arrival order and `decisions[i]` its decision, or undefined while it
 * has none (the NFQUEUE source keeps its queue this way: no map lookup per packet), for the
 * first `count` entries (default: all; the source reuses its arrays between flushes). Same
 * rules, same steps: a batch only over a prefix of decided packets sharing one plain verdict
 * (two or more), single verdicts otherwise; returns the steps and the indexes left waiting.
 *
 * Pure and synchronous. Throws a TypeError when `ids` is not strictly increasing in
 * packet-id order (modulo 2^32, as the kernel compares ids).
 *
 * @example
 * planVerdictSlots([5, 6, 7], [{ verdict: NF_ACCEPT }, { verdict: NF_ACCEPT }, undefined]);
 * // { steps: [batch ≤6 ACCEPT (2 packets)], left: [2] }
 */
export function planVerdictSlots(
  ids: readonly number[],
  decisions: readonly (NfqueueDecision | undefined)[],
  count: number = ids.length,
): VerdictSlots {
  const n = count;
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

/** The fields a single and a batch verdict both carry. */
export type VerdictMessageFields = Pick<
  NfqueueVerdict,
  'queue' | 'id' | 'verdict' | 'mark' | 'seq' | 'ack'
>;

/**
 * Starts a verdict message of `type` — `nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT)`
 * or `…NFQNL_MSG_VERDICT_BATCH` — in `w`: the headers (NLM_F_REQUEST, NLM_F_ACK with `ack`;
 * nfgenmsg AF_UNSPEC, `res_id` = queue), NFQA_VERDICT_HDR, and NFQA_MARK when `mark` is
 * given. Returns `w` with the message still open: the caller appends what only its kind
 * carries and calls `w.end()`.
 *
 * Every field is checked before anything is written: a RangeError for one that does not fit
 * or a verdict the kernel refuses leaves `w` as it was.
 *
 * Internal to writeNfqueueVerdict and writeNfqueueBatchVerdict.
 *
 * @example
 * declare const v: Parameters<typeof beginVerdictMessage>[2];
 * const payload = new Uint8Array(20);
 * beginVerdictMessage(w, nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT), v)
 *   .attr(NFQA_PAYLOAD, payload)
 *   .end();
 */
export function beginVerdictMessage(
  w: MessageWriter,
  type: number,
  v: VerdictMessageFields,
): MessageWriter {
  const verdict = checkVerdict(v.verdict);
  const id = checkUint('id', v.id, 32);
  const mark = v.mark === undefined ? undefined : checkUint('mark', v.mark, 32);
  beginNfnlMessage(
    w,
    type,
    NLM_F_REQUEST | (v.ack === true ? NLM_F_ACK : 0),
    AF_UNSPEC,
    checkUint('queue', v.queue, 16),
    v.seq ?? 0,
  );
  writeVerdictHeader(w, verdict, id);
  if (mark !== undefined) w.attrBe32(NFQA_MARK, mark);
  return w;
}

/** A verdict on one queued packet. */
export interface NfqueueVerdict {
  /** The queue number the packet came from (its `res_id`). */
  queue: number;
  /** The packet id (NFQA_PACKET_HDR `packet_id`). */
  id: number;
  /**
   * NF_ACCEPT, NF_DROP, NF_REPEAT, NF_STOP, or `nfQueueNr(n)` to pass the packet to queue
   * `n` (optionally with NF_VERDICT_FLAG_QUEUE_BYPASS). The kernel refuses NF_STOLEN.
   */
  verdict: number;
  /** NFQA_MARK: set the packet mark. */
  mark?: number | undefined;
  /** NFQA_PAYLOAD: replace the packet (from its network header) with these bytes. */
  payload?: Uint8Array | undefined;
  /** nlmsg_seq. Default 0. */
  seq?: number | undefined;
  /** Ask for an acknowledgement (NLM_F_ACK). Default false: verdicts are fire-and-forget. */
  ack?: boolean | undefined;
}

const VERDICT = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT);

/**
 * Appends an NFQNL_MSG_VERDICT for one packet to `w` and returns `w`:
 *
 * ```
 * nfgenmsg { AF_UNSPEC, NFNETLINK_V0, res_id = queue (be16) }
 * NFQA_VERDICT_HDR struct nfqnl_msg_verdict_hdr { be32 verdict; be32 id }
 * NFQA_MARK        be32                      (optional)
 * NFQA_PAYLOAD     the modified packet       (optional)
 * ```
 *
 * Several verdicts may be appended to one writer and sent in one datagram; the kernel
 * handles them in order. A verdict for an id the kernel no longer holds fails with ENOENT
 * (seen only with `ack`). Throws a RangeError for a field that does not fit or a verdict
 * the kernel refuses. For bytes, call `w.finish()`.
 *
 * @example
 * declare const p: NfqueuePacket;
 * const bytes = writeNfqueueVerdict(new MessageWriter(), { queue: 0, id: p.id, verdict: NF_ACCEPT, mark: 7 }).finish();
 */
export function writeNfqueueVerdict(w: MessageWriter, v: NfqueueVerdict): MessageWriter {
  beginVerdictMessage(w, VERDICT, v);
  if (v.payload !== undefined) w.attr(NFQA_PAYLOAD, v.payload);
  return w.end();
}

/** A verdict on every packet of a queue up to and including one id. */
export interface NfqueueBatchVerdict {
  /** The queue number (`res_id`). */
  queue: number;
  /** The highest packet id the verdict covers. */
  id: number;
  /** The verdict for all of them (see {@link NfqueueVerdict.verdict}). */
  verdict: number;
  /** NFQA_MARK: set this mark on all of them. */
  mark?: number | undefined;
  /** nlmsg_seq. Default 0. */
  seq?: number | undefined;
  /** Ask for an acknowledgement (NLM_F_ACK). Default false. */
  ack?: boolean | undefined;
}

const VERDICT_BATCH = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT_BATCH);

/**
 * Appends an NFQNL_MSG_VERDICT_BATCH to `w` and returns `w`. The kernel walks its queue
 * in arrival order and applies the verdict to **every** packet it still holds whose id is
 * not after `id` (`(int)(entry->id - id) <= 0`). Packets arrive in id order, so that is
 * every outstanding packet up to `id`: send a batch only when all of them have this
 * verdict — {@link planVerdictMessages} decides when that holds. A batch that covers no packet
 * fails with ENOENT (seen only with `ack`).
 *
 * ```
 * nfgenmsg { AF_UNSPEC, NFNETLINK_V0, res_id = queue (be16) }
 * NFQA_VERDICT_HDR struct nfqnl_msg_verdict_hdr { be32 verdict; be32 id = max id }
 * NFQA_MARK        be32   (optional, applied to all)
 * ```
 *
 * Throws a RangeError for a field that does not fit or a verdict the kernel refuses.
 *
 * @example
 * const lastId = 41;
 * writeNfqueueBatchVerdict(w, { queue: 0, id: lastId, verdict: NF_ACCEPT });
 */
export function writeNfqueueBatchVerdict(w: MessageWriter, v: NfqueueBatchVerdict): MessageWriter {
  return beginVerdictMessage(w, VERDICT_BATCH, v).end();
}

// One scratch struct for every call: writing is synchronous and MessageWriter.attr copies it.
const scratch = new Uint8Array(NFQNL_MSG_VERDICT_HDR_LEN);
const scratchView = new DataView(scratch.buffer);

/**
 * Appends the NFQA_VERDICT_HDR attribute, `struct nfqnl_msg_verdict_hdr { __be32 verdict;
 * __be32 id; }`, to the message open in `w`. Arguments are not checked: the verdict
 * builders check them first.
 *
 * @example
 * writeVerdictHeader(w, NF_ACCEPT, 42);
 */
export function writeVerdictHeader(w: MessageWriter, verdict: number, id: number): MessageWriter {
  scratchView.setUint32(0, verdict >>> 0, false);
  scratchView.setUint32(4, id >>> 0, false);
  return w.attr(NFQA_VERDICT_HDR, scratch);
}

/** How {@link writeVerdictSteps} frames the messages. */
export interface VerdictStepsOptions {
  /** nlmsg_seq of the first message; the next ones count up from it. Default 0 for all. */
  seq?: number | undefined;
  /** Ask for an acknowledgement of each message (NLM_F_ACK). Default false. */
  ack?: boolean | undefined;
}

/**
 * Appends the messages of a {@link planVerdictMessages} for queue `queue` to `w`, in order — one
 * writeNfqueueVerdict per `single` step, one writeNfqueueBatchVerdict per `batch` step —
 * and returns `w`, ready to go out in one datagram (the kernel handles them in order).
 * With `seq`, message i gets `seq + i`, so acknowledgements can be matched to steps.
 * Throws a RangeError for a step the verdict builders refuse; nothing of that step is written.
 *
 * @example
 * let outstanding: number[] = [1, 2, 3];
 * declare const decisions: Parameters<typeof planVerdictMessages>[1];
 * const plan = planVerdictMessages(outstanding, decisions);
 * socket.send(writeVerdictSteps(new MessageWriter(), 0, plan.steps).finish());
 * outstanding = plan.outstanding;
 */
export function writeVerdictSteps(
  w: MessageWriter,
  queue: number,
  steps: readonly VerdictStep[],
  options: VerdictStepsOptions = {},
): MessageWriter {
  const ack = options.ack === true;
  for (const [i, step] of steps.entries()) {
    const seq = options.seq === undefined ? 0 : (options.seq + i) >>> 0;
    if (step.kind === 'single') {
      writeNfqueueVerdict(w, {
        queue,
        id: step.id,
        verdict: step.verdict,
        mark: step.mark,
        payload: step.payload,
        seq,
        ack,
      });
    } else {
      writeNfqueueBatchVerdict(w, { queue, id: step.id, verdict: step.verdict, seq, ack });
    }
  }
  return w;
}
