import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { NFQA_VERDICT_HDR, NFQNL_MSG_VERDICT_HDR_LEN } from './constants.js';

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
