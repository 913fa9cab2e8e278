import {
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from '../netlink/constants.js';
import { MessageWriter } from '../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';

/** Options of {@link buildAck}. */
export interface BuildAckOptions {
  /** Positive errno; 0 (the default) acknowledges success. */
  errno?: number | undefined;
  /** Extended-ack text (NLMSGERR_ATTR_MSG). */
  extack?: string | undefined;
  /** Extended-ack byte offset of the offending attribute in the request (NLMSGERR_ATTR_OFFS). */
  offset?: number | undefined;
  /**
   * Echo only the request's header (NLM_F_CAPPED), as with NETLINK_CAP_ACK. Default: capped
   * for a success, the whole request echoed for an error, as the kernel does.
   */
  capped?: boolean | undefined;
  /** `nlmsg_pid` of the ack; default the request's `nlmsg_pid`. */
  pid?: number | undefined;
}

/**
 * The `NLMSG_ERROR` the kernel sends for a request: an acknowledgement (errno 0) or an
 * error, laid out as `netlink_ack` lays it out with NETLINK_EXT_ACK:
 *
 * ```
 * nlmsghdr (type NLMSG_ERROR, seq of the request) | s32 -errno | the request's nlmsghdr
 * [ request payload unless NLM_F_CAPPED ] [ NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS with NLM_F_ACK_TLVS ]
 * ```
 *
 * `request` is the whole request message (header included). Decode the result with
 * `readAck`.
 *
 * @example
 * declare const reply: Replier;
 * declare const request: NetlinkMessage;
 * reply.socket.deliver(buildAck(request, { errno: errnos.EINVAL, extack: 'bad MTU', offset: 28 }));
 */
export function buildAck(
  request: Uint8Array | NetlinkMessage,
  options: BuildAckOptions = {},
): Uint8Array {
  const bytes = request instanceof Uint8Array ? request : request.data;
  if (bytes.byteLength < NLMSG_HDRLEN) {
    throw new RangeError(`request: ${bytes.byteLength} bytes are too short for an nlmsghdr`);
  }
  const req = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const requestLength = Math.min(req.getUint32(0, true), bytes.byteLength);
  const seq = req.getUint32(8, true);
  const errno = Math.abs(options.errno ?? 0);
  const capped = options.capped ?? errno === 0;
  const tlvs = options.extack !== undefined || options.offset !== undefined;
  const flags = (capped ? NLM_F_CAPPED : 0) | (tlvs ? NLM_F_ACK_TLVS : 0);
  const w = new MessageWriter(64 + requestLength);
  w.begin(NLMSG_ERROR, flags, seq, options.pid ?? req.getUint32(12, true));
  w.s32(-errno);
  // The echoed header keeps the request's own nlmsg_len even when capped.
  w.bytes(bytes.subarray(0, NLMSG_HDRLEN));
  if (!capped) w.bytes(bytes.subarray(NLMSG_HDRLEN, requestLength));
  if (options.extack !== undefined) w.attrString(NLMSGERR_ATTR_MSG, options.extack);
  if (options.offset !== undefined) w.attrU32(NLMSGERR_ATTR_OFFS, options.offset);
  return w.end().finish();
}
