import { DecodeError } from '../../errors/DecodeError.js';
import { NLMSG_HDRLEN } from '../../netlink/constants.js';
import { NFGENMSG_LEN } from './constants.js';

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
