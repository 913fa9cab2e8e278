import { NLM_F_DUMP, NLM_F_REQUEST } from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { argumentChecker } from './argumentChecker.js';
import {
  AF_UNSPEC,
  IFINFOMSG_SIZE,
  IFLA_EXT_MASK,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MASTER,
  RTM_GETLINK,
} from './constants.js';

/**
 * Options of {@link linkDumpRequest}.
 *
 * @example
 * linkDumpRequest({ kind: 'bridge', extMask: RTEXT_FILTER_SKIP_STATS });
 */
export interface LinkDumpOptions {
  /** `ifi_family`: AF_UNSPEC (default) for links, AF_BRIDGE for bridge ports. */
  family?: number;
  /** IFLA_EXT_MASK: RTEXT_FILTER_* bits (e.g. RTEXT_FILTER_SKIP_STATS), left out when absent. */
  extMask?: number;
  /** IFLA_MASTER: only the ports of this bridge/bond/VRF ifindex. */
  master?: number;
  /** IFLA_LINKINFO/IFLA_INFO_KIND: only links of this kind ("veth", "bridge", …). */
  kind?: string;
  /** `nlmsg_seq` (default 0; the socket layer may patch bytes 8–11). */
  seq?: number;
}

/**
 * An RTM_GETLINK dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full, zeroed
 * `struct ifinfomsg`, which kernels with NETLINK_GET_STRICT_CHK accept; the master and kind
 * filters work with or without strict checking. Replies decode with {@link decodeLink}.
 * Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(linkDumpRequest({ seq: 1 }));
 */
export function linkDumpRequest(options?: LinkDumpOptions): Uint8Array {
  const check = argumentChecker('linkDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const extMask = check.integer('options.extMask', o.extMask, 0, 0xffffffff);
  const master = check.integer('options.master', o.master, 1, 0x7fffffff);
  const kind = check.string('options.kind', o.kind, 15);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const w = new MessageWriter(64)
    .begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(IFINFOMSG_SIZE - 1);
  if (extMask !== undefined) w.attrU32(IFLA_EXT_MASK, extMask);
  if (master !== undefined) w.attrU32(IFLA_MASTER, master);
  if (kind !== undefined) {
    const nest = w.nest(IFLA_LINKINFO);
    w.attrString(IFLA_INFO_KIND, kind);
    w.endNest(nest);
  }
  return w.end().finish();
}
