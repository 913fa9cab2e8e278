import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { NFGENMSG_LEN } from './constants.js';

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
