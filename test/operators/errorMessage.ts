import {
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_REQUEST,
  NLMSG_ERROR,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';

/** What the kernel's netlink_ack() would say about a request. */
export interface ErrorMessageInit {
  /** Positive errno, 0 for a plain ack. */
  errno: number;
  seq: number;
  /** nlmsg_type of the request being answered. */
  requestType: number;
  /** The request's payload, echoed unless `capped`. */
  requestPayload?: Uint8Array | undefined;
  /** NETLINK_CAP_ACK (or errno 0): only the request's header is echoed. */
  capped?: boolean | undefined;
  /** NLMSGERR_ATTR_MSG. */
  extack?: string | undefined;
  /** NLMSGERR_ATTR_OFFS. */
  offset?: number | undefined;
}

/**
 * An NLMSG_ERROR datagram laid out as netlink_ack() builds it: `int error`, the request's
 * nlmsghdr, its payload unless capped, then NLMSGERR_ATTR_* TLVs with NLM_F_ACK_TLVS.
 */
export function errorMessage(init: ErrorMessageInit): Uint8Array {
  const payload = init.capped ? new Uint8Array(0) : (init.requestPayload ?? new Uint8Array(0));
  const tlvs = init.extack !== undefined || init.offset !== undefined;
  const flags = (init.capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0);
  const w = new MessageWriter()
    .begin(NLMSG_ERROR, flags, init.seq)
    .s32(-init.errno)
    .u32(16 + (init.requestPayload?.byteLength ?? 0))
    .u16(init.requestType)
    .u16(NLM_F_REQUEST)
    .u32(init.seq)
    .u32(0)
    .bytes(payload);
  if (init.extack !== undefined) w.attrString(NLMSGERR_ATTR_MSG, init.extack);
  if (init.offset !== undefined) w.attrU32(NLMSGERR_ATTR_OFFS, init.offset);
  return w.end().finish();
}
