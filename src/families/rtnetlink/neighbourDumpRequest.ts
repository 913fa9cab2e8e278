import { NLM_F_DUMP, NLM_F_REQUEST } from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { argumentChecker } from './argumentChecker.js';
import { AF_UNSPEC, NDA_IFINDEX, NDA_MASTER, NTF_PROXY, RTM_GETNEIGH } from './constants.js';

/**
 * Options of {@link neighbourDumpRequest}.
 *
 * @example
 * neighbourDumpRequest({ proxy: true });
 */
export interface NeighbourDumpOptions {
  /** `ndm_family`: AF_UNSPEC (default), AF_INET, AF_INET6 (AF_BRIDGE: the bridge FDB). */
  family?: number;
  /** NDA_IFINDEX: only this interface's entries. */
  ifindex?: number;
  /** NDA_MASTER: only entries on ports of this master. */
  master?: number;
  /** Dump the proxy entries (`ndm_flags` = NTF_PROXY) instead of the neighbour cache. */
  proxy?: boolean;
  /** `nlmsg_seq` (default 0). */
  seq?: number;
}

/**
 * An RTM_GETNEIGH dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full `struct ndmsg`
 * whose index, state and type are 0, as strict checking requires: the interface filter
 * travels as NDA_IFINDEX, which the kernel honours with or without strict checking.
 * Replies decode with {@link decodeNeighbour}. Bad options throw a `TypeError` naming the
 * option.
 *
 * @example
 * socket.send(neighbourDumpRequest({ family: AF_INET, ifindex: 3, seq: 4 }));
 */
export function neighbourDumpRequest(options?: NeighbourDumpOptions): Uint8Array {
  const check = argumentChecker('neighbourDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const master = check.integer('options.master', o.master, 1, 0x7fffffff);
  const proxy = check.flag('options.proxy', o.proxy);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const w = new MessageWriter(48)
    .begin(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(9)
    .u8(proxy ? NTF_PROXY : 0)
    .u8(0);
  if (ifindex !== undefined) w.attrU32(NDA_IFINDEX, ifindex);
  if (master !== undefined) w.attrU32(NDA_MASTER, master);
  return w.end().finish();
}
