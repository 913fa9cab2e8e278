import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { NETNSA_CURRENT_NSID, NETNSA_NSID } from './configureConstants.js';
import { RTM_DELNSID, RTM_NEWNSID } from './constants.js';
import { checkDecodeArguments, fixedHeader } from './decoding.js';

/**
 * A namespace id (RTM_NEWNSID / RTM_DELNSID): the id this namespace gave another one
 * (`ip netns set NAME ID`, or one the kernel assigned), as `ip -j netns list-id` names
 * it: `nsid`. `current_nsid` is NETNSA_CURRENT_NSID when the kernel sent it. `deleted`:
 * RTM_DELNSID (the other namespace went away, or the id was removed).
 *
 * @example
 * // { nsid: 5 }
 * const id = decodeNsid(message);
 */
export interface Nsid {
  /** Present (true) when the message was RTM_DELNSID. */
  deleted?: true | undefined;
  /** NETNSA_NSID; -1 (NETNSA_NSID_NOT_ASSIGNED) when none. */
  nsid: number;
  /** NETNSA_CURRENT_NSID. */
  current_nsid?: number | undefined;
}

/** `struct rtgenmsg` is one byte; the attributes follow at NLMSG_ALIGN(1). */
const RTGENMSG_ALIGNED = 4;

/**
 * Decodes an RTM_NEWNSID or RTM_DELNSID message into an {@link Nsid}. A wrong type, a
 * payload shorter than the aligned `struct rtgenmsg`, or an attribute shorter than its type
 * throw a DecodeError with the byte offset.
 *
 * @example
 * const { nsid, deleted } = decodeNsid(message);
 */
export function decodeNsid(message: NetlinkMessage): Nsid {
  checkDecodeArguments('decodeNsid', message, undefined);
  fixedHeader(
    message,
    RTM_NEWNSID,
    RTM_DELNSID,
    'NSID',
    'nsid',
    'rtgenmsg (aligned)',
    RTGENMSG_ALIGNED,
  );
  const out = (message.type === RTM_DELNSID ? { deleted: true, nsid: -1 } : { nsid: -1 }) as Nsid;
  const a = message.attributes(RTGENMSG_ALIGNED);
  while (a.next()) {
    if (a.type === NETNSA_NSID) out.nsid = a.s32();
    else if (a.type === NETNSA_CURRENT_NSID) out.current_nsid = a.s32();
  }
  return out;
}
