import { NLM_F_DUMP, NLM_F_REQUEST } from '../../netlink/constants.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginNfnlMessage } from './beginNfnlMessage.js';
import { checkUint } from './checkUint.js';
import {
  AF_UNSPEC,
  CTA_MARK,
  CTA_MARK_MASK,
  CTA_STATUS,
  CTA_STATUS_MASK,
  IPCTNL_MSG_CT_GET,
  IPCTNL_MSG_CT_GET_CTRZERO,
  NFNL_SUBSYS_CTNETLINK,
} from './constants.js';
import { nfnlMsgType } from './nfnlMsgType.js';

/** A conntrack table dump (IPCTNL_MSG_CT_GET with NLM_F_DUMP), what `conntrack -L` sends. */
export interface ConntrackDumpRequest {
  /** Only entries of this family (AF_INET, AF_INET6); AF_UNSPEC (the default) dumps all. */
  family?: number;
  /** Only entries whose mark, masked with {@link markMask}, equals this (CTA_MARK). */
  mark?: number;
  /** CTA_MARK_MASK; default 0xffffffff in the kernel. Needs {@link mark}. */
  markMask?: number;
  /** Only entries whose status, masked with {@link statusMask}, equals this (CTA_STATUS, kernel 5.19+). */
  status?: number;
  /** CTA_STATUS_MASK; default `status` in the kernel. Needs {@link status}. */
  statusMask?: number;
  /** Zero the counters while reading them (IPCTNL_MSG_CT_GET_CTRZERO, `conntrack -L -z`). */
  zero?: boolean;
  /** nlmsg_seq. Default 0. */
  seq?: number;
}

/**
 * Appends a conntrack dump request to `w` and returns `w`. The kernel answers with
 * IPCTNL_MSG_CT_NEW messages flagged NLM_F_MULTI (decode each with `decodeConntrack`; they
 * come out as `update`) and ends with NLMSG_DONE.
 *
 * ```
 * nlmsghdr { type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET, NLM_F_REQUEST | NLM_F_DUMP }
 * nfgenmsg { family, NFNETLINK_V0, res_id 0 }
 * CTA_MARK be32, CTA_MARK_MASK be32, CTA_STATUS be32, CTA_STATUS_MASK be32   (all optional)
 * ```
 *
 * Throws a RangeError for a field that does not fit, a TypeError for a mask without its
 * value (the kernel answers EINVAL).
 *
 * @example
 * socket.send(writeConntrackDump(new MessageWriter(), { family: AF_INET, seq: 1 }).finish());
 */
export function writeConntrackDump(
  w: MessageWriter,
  request: ConntrackDumpRequest = {},
): MessageWriter {
  if (request.markMask !== undefined && request.mark === undefined) {
    throw new TypeError('markMask needs mark: the kernel refuses CTA_MARK_MASK alone');
  }
  if (request.statusMask !== undefined && request.status === undefined) {
    throw new TypeError('statusMask needs status: the kernel refuses CTA_STATUS_MASK alone');
  }
  const msg = request.zero === true ? IPCTNL_MSG_CT_GET_CTRZERO : IPCTNL_MSG_CT_GET;
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_CTNETLINK, msg),
    NLM_F_REQUEST | NLM_F_DUMP,
    request.family ?? AF_UNSPEC,
    0,
    request.seq ?? 0,
  );
  if (request.mark !== undefined) w.attrBe32(CTA_MARK, checkUint('mark', request.mark, 32));
  if (request.markMask !== undefined) {
    w.attrBe32(CTA_MARK_MASK, checkUint('markMask', request.markMask, 32));
  }
  if (request.status !== undefined) {
    w.attrBe32(CTA_STATUS, checkUint('status', request.status, 32));
  }
  if (request.statusMask !== undefined) {
    w.attrBe32(CTA_STATUS_MASK, checkUint('statusMask', request.statusMask, 32));
  }
  return w.end();
}
