import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginVerdictMessage } from './beginVerdictMessage.js';
import { NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT_BATCH } from './constants.js';
import { nfnlMsgType } from './nfnlMsgType.js';

/** A verdict on every packet of a queue up to and including one id. */
export interface NfqueueBatchVerdict {
  /** The queue number (`res_id`). */
  queue: number;
  /** The highest packet id the verdict covers. */
  id: number;
  /** The verdict for all of them (see {@link NfqueueVerdict.verdict}). */
  verdict: number;
  /** NFQA_MARK: set this mark on all of them. */
  mark?: number;
  /** nlmsg_seq. Default 0. */
  seq?: number;
  /** Ask for an acknowledgement (NLM_F_ACK). Default false. */
  ack?: boolean;
}

const VERDICT_BATCH = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT_BATCH);

/**
 * Appends an NFQNL_MSG_VERDICT_BATCH to `w` and returns `w`. The kernel walks its queue
 * in arrival order and applies the verdict to **every** packet it still holds whose id is
 * not after `id` (`(int)(entry->id - id) <= 0`). Packets arrive in id order, so that is
 * every outstanding packet up to `id`: send a batch only when all of them have this
 * verdict — {@link verdictPlan} decides when that holds. A batch that covers no packet
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
 * writeNfqueueBatchVerdict(w, { queue: 0, id: lastId, verdict: NF_ACCEPT });
 */
export function writeNfqueueBatchVerdict(w: MessageWriter, v: NfqueueBatchVerdict): MessageWriter {
  return beginVerdictMessage(w, VERDICT_BATCH, v).end();
}
