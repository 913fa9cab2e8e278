import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { checkUint } from './checkUint.js';
import { NFNETLINK_V0 } from './constants.js';

/**
 * Starts a netfilter netlink message in `w`: the nlmsghdr, then `struct nfgenmsg`. The
 * caller adds attributes and calls `w.end()`.
 *
 * ```
 *  0               4       6       8               12              16  17  18      20
 * +---------------+-------+-------+---------------+---------------+---+---+-------+- - -
 * |  nlmsg_len    | type  | flags |  nlmsg_seq    |  nlmsg_pid    |fam|ver|res_id | attrs
 * +---------------+-------+-------+---------------+---------------+---+---+-------+- - -
 *                                                   res_id is big-endian (__be16)
 * ```
 *
 * `type` is `nfnlMsgType(subsys, msg)`; `resId` is the NFLOG group, NFQUEUE queue number or
 * 0. Throws a RangeError when a field does not fit.
 *
 * @example
 * beginNfnlMessage(w, nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG), NLM_F_REQUEST, AF_UNSPEC, 0)
 *   .attrU32(NFQA_CFG_QUEUE_MAXLEN, 1024)
 *   .end();
 */
export function beginNfnlMessage(
  w: MessageWriter,
  type: number,
  flags: number,
  family: number,
  resId: number,
  seq = 0,
  version = NFNETLINK_V0,
): MessageWriter {
  checkUint('type', type, 16);
  checkUint('flags', flags, 16);
  checkUint('family', family, 8);
  checkUint('resId', resId, 16);
  checkUint('seq', seq, 32);
  checkUint('version', version, 8);
  return w.begin(type, flags, seq).u8(family).u8(version).be16(resId);
}
