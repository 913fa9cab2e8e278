import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  NETCONFA_BC_FORWARDING,
  NETCONFA_FORWARDING,
  NETCONFA_IFINDEX,
  NETCONFA_IFINDEX_ALL,
  NETCONFA_IFINDEX_DEFAULT,
  NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN,
  NETCONFA_INPUT,
  NETCONFA_MC_FORWARDING,
  NETCONFA_PROXY_NEIGH,
  NETCONFA_RP_FILTER,
} from './configureConstants.js';
import { RTM_DELNETCONF, RTM_NEWNETCONF } from './constants.js';
import {
  checkDecodeArguments,
  fixedHeader,
  interfaceName,
  type RtnetlinkDecodeOptions,
} from './decoding.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

/**
 * Per-interface IP configuration (RTM_NEWNETCONF / RTM_DELNETCONF), with the field names
 * and values of `ip -j netconf show`: `interface` is the device's name, `"all"` or
 * `"default"`; the switches are booleans; `rp_filter` is `"off"`, `"strict"` or `"loose"`.
 * A notification carries only what changed (a forwarding change: `forwarding` alone).
 *
 * Fields beyond ip's: `ifindex` (-1 all, -2 default) and `deleted` (RTM_DELNETCONF, sent
 * when an interface goes away).
 *
 * @example
 * // { family: 'inet', interface: 'all', forwarding: true, ifindex: -1 }
 * const conf = decodeNetconf(message, { ifname });
 */
export interface Netconf {
  /** Present (true) when the message was RTM_DELNETCONF. */
  deleted?: true | undefined;
  /** `ncm_family`: inet, inet6, mpls. */
  family: string;
  /** NETCONFA_IFINDEX by name, or "all" / "default". */
  interface?: string | undefined;
  /** NETCONFA_FORWARDING. */
  forwarding?: boolean | undefined;
  /** NETCONFA_RP_FILTER: off, strict, loose. */
  rp_filter?: string | undefined;
  /** NETCONFA_MC_FORWARDING. */
  mc_forwarding?: boolean | undefined;
  /** NETCONFA_BC_FORWARDING. */
  bc_forwarding?: boolean | undefined;
  /** NETCONFA_PROXY_NEIGH. */
  proxy_neigh?: boolean | undefined;
  /** NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN. */
  ignore_routes_with_linkdown?: boolean | undefined;
  /** NETCONFA_INPUT (MPLS). */
  input?: boolean | undefined;
  /** NETCONFA_IFINDEX. */
  ifindex?: number | undefined;
}

/** `struct netconfmsg` is one byte; the attributes follow at NLMSG_ALIGN(1). */
const NETCONFMSG_ALIGNED = 4;

/** ip's words for rp_filter (ip/ipnetconf.c). */
const RP_FILTER = ['off', 'strict', 'loose'];

/**
 * Decodes an RTM_NEWNETCONF or RTM_DELNETCONF message into a {@link Netconf} shaped like
 * `ip -j netconf show`. Pass `options.ifname` to name the interface. A wrong type, a
 * payload shorter than the aligned `struct netconfmsg`, or an attribute shorter than its
 * type throw a DecodeError with the byte offset.
 *
 * @example
 * const conf = decodeNetconf(message);
 * if (conf.forwarding !== undefined) console.log(conf.interface, 'forwarding', conf.forwarding);
 */
export function decodeNetconf(message: NetlinkMessage, options?: RtnetlinkDecodeOptions): Netconf {
  checkDecodeArguments('decodeNetconf', message, options);
  const h = fixedHeader(
    message,
    RTM_NEWNETCONF,
    RTM_DELNETCONF,
    'NETCONF',
    'netconf',
    'netconfmsg (aligned)',
    NETCONFMSG_ALIGNED,
  );
  const out = (
    message.type === RTM_DELNETCONF
      ? { deleted: true, family: names.family(message.bytes[h]) }
      : { family: names.family(message.bytes[h]) }
  ) as Netconf;
  let ifindex: number | undefined;
  const a = message.attributes(NETCONFMSG_ALIGNED);
  while (a.next()) {
    switch (a.type) {
      case NETCONFA_IFINDEX:
        ifindex = a.s32();
        break;
      case NETCONFA_FORWARDING:
        out.forwarding = a.s32() !== 0;
        break;
      case NETCONFA_RP_FILTER: {
        const mode = a.s32();
        out.rp_filter = RP_FILTER[mode] ?? String(mode);
        break;
      }
      case NETCONFA_MC_FORWARDING:
        out.mc_forwarding = a.s32() !== 0;
        break;
      case NETCONFA_BC_FORWARDING:
        out.bc_forwarding = a.s32() !== 0;
        break;
      case NETCONFA_PROXY_NEIGH:
        out.proxy_neigh = a.s32() !== 0;
        break;
      case NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN:
        out.ignore_routes_with_linkdown = a.s32() !== 0;
        break;
      case NETCONFA_INPUT:
        out.input = a.s32() !== 0;
        break;
    }
  }
  if (ifindex !== undefined) {
    out.interface =
      ifindex === NETCONFA_IFINDEX_ALL
        ? 'all'
        : ifindex === NETCONFA_IFINDEX_DEFAULT
          ? 'default'
          : interfaceName(options, ifindex);
    out.ifindex = ifindex;
  }
  return out;
}
