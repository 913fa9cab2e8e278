import { NLM_F_ACK, NLM_F_REQUEST } from '../../netlink/constants.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginNfnlMessage } from './beginNfnlMessage.js';
import { checkUint } from './checkUint.js';
import { checkVerdict } from './checkVerdict.js';
import { AF_UNSPEC, NFQA_MARK } from './constants.js';
import type { NfqueueVerdict } from './writeNfqueueVerdict.js';
import { writeVerdictHeader } from './writeVerdictHeader.js';

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
