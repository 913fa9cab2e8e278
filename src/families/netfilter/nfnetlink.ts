import { DecodeError } from '../../errors/NetlinkError.js';
import { NLMSG_HDRLEN } from '../../netlink/constants.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { NF_QUEUE, NF_VERDICT_QMASK, NFGENMSG_LEN, NFNETLINK_V0 } from './constants.js';

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

/**
 * Checks that the message whose nlmsghdr starts at `offset` in `view` lies within the view
 * and carries a whole `struct nfgenmsg` (at `offset + 16`: family u8, version u8, res_id
 * be16), with the same DecodeErrors as {@link readNfgenmsg}; reads nothing out, so a
 * decoder on the hot path allocates nothing for it.
 *
 * Internal to the netfilter family.
 *
 * @example
 * checkNfgenmsg(view, offset);
 * const resId = view.getUint16(offset + 18, false);
 */
export function checkNfgenmsg(view: DataView, offset: number): void {
  const length = view.getUint32(offset, true);
  if (offset + length > view.byteLength) {
    throw new DecodeError(
      `nlmsg_len ${length} runs past the end of its ${view.byteLength - offset}-byte buffer`,
      offset,
    );
  }
  if (length - NLMSG_HDRLEN < NFGENMSG_LEN) {
    const type = view.getUint16(offset + 4, true);
    throw new DecodeError(
      `message type 0x${type.toString(16)}: ${length - NLMSG_HDRLEN}-byte payload is shorter than struct nfgenmsg`,
      offset,
    );
  }
}

/** The family header of every netfilter netlink message. */
export interface Nfgenmsg {
  /** `nfgen_family`: AF_INET, AF_INET6, AF_UNSPEC... (the netfilter NFPROTO_* of a packet). */
  family: number;
  /** `version`: NFNETLINK_V0. */
  version: number;
  /** `res_id` in host order: the NFLOG group, the NFQUEUE queue number, or 0. */
  resId: number;
}

/**
 * Reads the `struct nfgenmsg` at the start of a message's payload. Throws a
 * {@link DecodeError} at the message's offset when the payload is shorter than 4 bytes or
 * when `nlmsg_len` runs past the end of the buffer the message lives in (a message made with
 * `NetlinkMessage.from` over cut bytes), so the decoders never read outside it.
 *
 * @example
 * const { family, resId } = readNfgenmsg(msg);
 */
export function readNfgenmsg(message: NetlinkMessage): Nfgenmsg {
  const view = message.view;
  if (message.end > view.byteLength) {
    throw new DecodeError(
      `nlmsg_len ${message.length} runs past the end of its ${view.byteLength - message.offset}-byte buffer`,
      message.offset,
    );
  }
  if (message.payloadLength < NFGENMSG_LEN) {
    throw new DecodeError(
      `message type 0x${message.type.toString(16)}: ${message.payloadLength}-byte payload is shorter than struct nfgenmsg`,
      message.offset,
    );
  }
  const at = message.payloadOffset;
  return {
    family: view.getUint8(at),
    version: view.getUint8(at + 1),
    resId: view.getUint16(at + 2, false),
  };
}

/**
 * The nlmsg_type of a netfilter netlink message: an 8-bit subsystem and an 8-bit operation.
 *
 * ```
 * static inline u16 nfnl_msg_type(u8 subsys, u8 msg_type) { return subsys << 8 | msg_type; }
 * ```
 *
 * @example
 * nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT); // 0x0301
 */
export function nfnlMsgType(subsys: number, msg: number): number {
  return ((subsys & 0xff) << 8) | (msg & 0xff);
}

/**
 * The subsystem of a netfilter netlink message type (its high byte).
 *
 * ```
 * #define NFNL_SUBSYS_ID(x) ((x & 0xff00) >> 8)
 * ```
 *
 * @example
 * nfnlSubsysId(msg.type) === NFNL_SUBSYS_ULOG;
 */
export function nfnlSubsysId(type: number): number {
  return (type & 0xff00) >> 8;
}

/**
 * The NF_QUEUE verdict that sends a packet on to queue `queue` (0..65535).
 *
 * ```
 * #define NF_QUEUE_NR(x) ((((x) << 16) & NF_VERDICT_QMASK) | NF_QUEUE)
 * ```
 *
 * @example
 * const id = 1;
 * writeNfqueueVerdict(w, { queue: 0, id, verdict: nfQueueNr(7) }); // requeue to queue 7
 */
export function nfQueueNr(queue: number): number {
  if (!Number.isInteger(queue) || queue < 0 || queue > 0xffff) {
    throw new RangeError(`queue must be an integer in [0, 65535], got ${queue}`);
  }
  return (((queue << 16) & NF_VERDICT_QMASK) | NF_QUEUE) >>> 0;
}

/**
 * Throws a RangeError naming `name` unless `value` is an integer that fits in `bits`
 * unsigned bits; returns it otherwise. Builders call it on every caller-supplied field, so a
 * bad argument fails at once rather than as a truncated field on the wire.
 *
 * @example
 * declare const options: { group: number };
 * checkUint('group', options.group, 16);
 */
export function checkUint(name: string, value: number, bits: 8 | 16 | 32): number {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
  }
  return value;
}
