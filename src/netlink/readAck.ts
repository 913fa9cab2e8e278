import { DecodeError } from '../errors/DecodeError.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { Attributes } from './Attributes.js';
import {
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLMSG_HDRLEN,
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from './constants.js';

/** A decoded NLMSG_ERROR: an acknowledgement (`errno` 0) or an error. */
export interface Ack {
  /** Positive errno; 0 for a plain acknowledgement. */
  errno: number;
  /** `nlmsg_seq` of the NLMSG_ERROR message (the request's). */
  seq: number;
  /** `nlmsg_type` of the request, from the echoed header. */
  requestType: number;
  /** NLMSGERR_ATTR_MSG: the kernel's text. */
  extack?: string;
  /** NLMSGERR_ATTR_OFFS: byte offset of the bad attribute in the request. */
  offset?: number;
  /** NLMSGERR_ATTR_COOKIE. */
  cookie?: Uint8Array;
  /** NLMSGERR_ATTR_MISS_TYPE: type of a missing required attribute. */
  missingType?: number;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest where it was missing. */
  missingNest?: number;
}

/**
 * Decodes the payload of an NLMSG_ERROR message at `offset` (its nlmsghdr) in `view`:
 *
 * ```
 * struct nlmsgerr { int error; struct nlmsghdr msg; }
 * then the request's payload unless NLM_F_CAPPED, then NLMSGERR_ATTR_* TLVs if NLM_F_ACK_TLVS
 * ```
 *
 * @example
 * const ack = readAck(msg.view, msg.offset); if (ack.errno) throw ackError(ack);
 */
export function readAck(view: DataView, offset: number): Ack {
  const len = view.getUint32(offset, true);
  const flags = view.getUint16(offset + 6, true);
  const seq = view.getUint32(offset + 8, true);
  const end = offset + len;
  const body = offset + NLMSG_HDRLEN;
  if (len < NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) {
    throw new DecodeError(`NLMSG_ERROR of ${len} bytes is shorter than struct nlmsgerr`, offset);
  }
  const error = view.getInt32(body, true);
  const inner = body + 4;
  const innerLen = view.getUint32(inner, true);
  const requestType = view.getUint16(inner + 4, true);
  // `error || 0`: a plain ack carries 0, which negated would be -0.
  const ack: Ack = { errno: -error || 0, seq, requestType };
  let tlvs = inner + NLMSG_HDRLEN;
  if (!(flags & NLM_F_CAPPED)) tlvs = inner + ((innerLen + 3) & ~3);
  if (!(flags & NLM_F_ACK_TLVS) || tlvs >= end) return ack;
  const a = new Attributes(view, tlvs, end);
  while (a.next()) {
    switch (a.type) {
      case NLMSGERR_ATTR_MSG:
        ack.extack = a.string();
        break;
      case NLMSGERR_ATTR_OFFS:
        ack.offset = a.u32();
        break;
      case NLMSGERR_ATTR_COOKIE:
        ack.cookie = a.copyBytes();
        break;
      case NLMSGERR_ATTR_MISS_TYPE:
        ack.missingType = a.u32();
        break;
      case NLMSGERR_ATTR_MISS_NEST:
        ack.missingNest = a.u32();
        break;
    }
  }
  return ack;
}

/**
 * The {@link NetlinkError} for a failed acknowledgement: errno, its name, the request's
 * sequence number and the kernel's extended-ack message and offset.
 *
 * @example
 * if (ack.errno) subscriber.error(ackError(ack, 'request'));
 */
export function ackError(ack: Ack, op: 'request' | 'dump' = 'request'): NetlinkError {
  const detail =
    ack.missingType === undefined ? undefined : `missing attribute type ${ack.missingType}`;
  return new NetlinkError({
    op,
    errno: ack.errno,
    seq: ack.seq,
    extack: ack.extack,
    offset: ack.offset,
    detail,
  });
}
