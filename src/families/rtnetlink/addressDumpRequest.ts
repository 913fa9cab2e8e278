import { NLM_F_DUMP, NLM_F_REQUEST } from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { argumentChecker } from './argumentChecker.js';
import { AF_UNSPEC, RTM_GETADDR } from './constants.js';

/**
 * Options of {@link addressDumpRequest}.
 *
 * @example
 * addressDumpRequest({ family: AF_INET, ifindex: 3 });
 */
export interface AddressDumpOptions {
  /** `ifa_family`: AF_UNSPEC (default, all), AF_INET or AF_INET6. */
  family?: number;
  /**
   * `ifa_index`: only this interface's addresses. The kernel honours it only on a socket with
   * NETLINK_GET_STRICT_CHK (and then sets NLM_F_DUMP_FILTERED); otherwise it dumps all.
   */
  ifindex?: number;
  /** `nlmsg_seq` (default 0). */
  seq?: number;
}

/**
 * An RTM_GETADDR dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full `struct ifaddrmsg`
 * whose prefix length, flags and scope are 0, as strict checking requires. Replies decode
 * with {@link decodeAddress}. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addressDumpRequest({ family: AF_INET6, seq: 2 }));
 */
export function addressDumpRequest(options?: AddressDumpOptions): Uint8Array {
  const check = argumentChecker('addressDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff) ?? 0;
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  return new MessageWriter(32)
    .begin(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(3)
    .u32(ifindex)
    .end()
    .finish();
}
