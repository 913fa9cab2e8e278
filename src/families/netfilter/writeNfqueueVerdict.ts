import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginVerdictMessage } from './beginVerdictMessage.js';
import { NFNL_SUBSYS_QUEUE, NFQA_PAYLOAD, NFQNL_MSG_VERDICT } from './constants.js';
import { nfnlMsgType } from './nfnlMsgType.js';

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
  mark?: number;
  /** NFQA_PAYLOAD: replace the packet (from its network header) with these bytes. */
  payload?: Uint8Array;
  /** nlmsg_seq. Default 0. */
  seq?: number;
  /** Ask for an acknowledgement (NLM_F_ACK). Default false: verdicts are fire-and-forget. */
  ack?: boolean;
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
 * const bytes = writeNfqueueVerdict(new MessageWriter(), { queue: 0, id: p.id, verdict: NF_ACCEPT, mark: 7 }).finish();
 */
export function writeNfqueueVerdict(w: MessageWriter, v: NfqueueVerdict): MessageWriter {
  beginVerdictMessage(w, VERDICT, v);
  if (v.payload !== undefined) w.attr(NFQA_PAYLOAD, v.payload);
  return w.end();
}
