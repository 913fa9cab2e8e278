import { DecodeError } from '../errors/DecodeError.js';
import { DumpInterruptedError } from '../errors/DumpInterruptedError.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { Attributes } from '../netlink/Attributes.js';
import {
  NLM_F_ACK_TLVS,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from '../netlink/constants.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { ackError, readAck } from '../netlink/readAck.js';

/**
 * What a control message (`nlmsg_type < NLMSG_MIN_TYPE`) means to a dump, as `takeDump`
 * applies it: true at a clean NLMSG_DONE (the dump is complete); false for a message to
 * drop (NLMSG_NOOP, NLMSG_OVERRUN, an acknowledgement with errno 0). Throws the dump's
 * error: a NetlinkError for NLMSG_ERROR or a DONE carrying an errno (with the extended ack
 * when NLM_F_ACK_TLVS is set), a DecodeError for a DONE too short for its int, and a
 * `DumpInterruptedError` at DONE when `interrupted` replies carried NLM_F_DUMP_INTR.
 *
 * @example
 * if (message.type < NLMSG_MIN_TYPE && endsDump(message, interrupted)) subscriber.complete();
 */
export function endsDump(message: NetlinkMessage, interrupted: number): boolean {
  if (message.type === NLMSG_ERROR) {
    const ack = readAck(message.view, message.offset);
    if (ack.errno !== 0) throw ackError(ack, 'dump');
    return false;
  }
  if (message.type !== NLMSG_DONE) return false;
  const failure = doneError(message);
  if (failure !== null) throw failure;
  if (interrupted > 0) throw new DumpInterruptedError(message.seq, interrupted);
  return true;
}

/**
 * The error an NLMSG_DONE reports, or null. The kernel's `netlink_dump_done()` writes
 * `int dump_done_errno` as the payload, then NLMSGERR_ATTR_* TLVs (NLM_F_ACK_TLVS).
 */
function doneError(done: NetlinkMessage): NetlinkError | null {
  if (done.payloadLength < 4) {
    throw new DecodeError(
      `NLMSG_DONE of ${done.length} bytes is too short for its int error`,
      done.offset,
    );
  }
  const view = done.view;
  const error = view.getInt32(done.payloadOffset, true);
  if (error >= 0) return null;
  let extack: string | undefined;
  let offset: number | undefined;
  if (done.flags & NLM_F_ACK_TLVS) {
    const a = new Attributes(view, done.payloadOffset + 4, done.end);
    while (a.next()) {
      if (a.type === NLMSGERR_ATTR_MSG) extack = a.string();
      else if (a.type === NLMSGERR_ATTR_OFFS) offset = a.u32();
    }
  }
  return new NetlinkError({ op: 'dump', errno: -error, seq: done.seq, extack, offset });
}
