import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { argumentChecker } from './argumentChecker.js';
import {
  AF_INET,
  AF_INET6,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_MAIN,
  RTA_DST,
  RTA_GATEWAY,
  RTA_OIF,
  RTA_PREFSRC,
  RTA_PRIORITY,
  RTA_TABLE,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_NAT,
  RTN_UNICAST,
  RTN_UNSPEC,
  RTPROT_BOOT,
} from './constants.js';
import { rtnetlinkNames } from './rtnetlinkNames.js';

/**
 * Options of {@link addRouteRequest} and {@link deleteRouteRequest}.
 *
 * @example
 * addRouteRequest({ dst: 'default', gateway: 'fe80::1', ifindex: 3, metric: 1024 });
 */
export interface RouteRequestOptions {
  /**
   * "10.9.0.0/16", "2001:db8::/48", a host ("10.9.0.1", /32 or /128), or "default" (IPv4
   * unless `gateway` or `prefsrc` is IPv6; "::/0" is the IPv6 default). Bits past the
   * prefix length must be 0.
   */
  dst: string;
  /** RTA_GATEWAY, of the family of `dst`. */
  gateway?: string;
  /** RTA_OIF: the interface ("dev"). */
  ifindex?: number;
  /** Table id or name ("main", "local", "default"); default main. */
  table?: number | string;
  /** `rtm_protocol` id or name ("static", "boot", …); default boot when adding, any when deleting. */
  protocol?: number | string;
  /**
   * `rtm_scope` id or name; default as ip chooses it: link for an IPv4 unicast route
   * without gateway, host for local, link for broadcast/multicast/anycast, global
   * otherwise (and IPv6); "nowhere" (any) when deleting a unicast route.
   */
  scope?: number | string;
  /** RTA_PRIORITY. */
  metric?: number;
  /** `rtm_type` id or name ("unicast", "blackhole", "unreachable", "prohibit", "local", …); default unicast when adding, any when deleting. */
  type?: number | string;
  /** RTA_PREFSRC: the preferred source address. */
  prefsrc?: string;
  /** Replace an existing route (NLM_F_REPLACE) instead of failing with EEXIST (add only). */
  replace?: boolean;
  /** `nlmsg_seq` (default 0). */
  seq?: number;
}

/**
 * Writes an RTM_NEWROUTE / RTM_DELROUTE message as `ip route add|replace|del` does:
 * `struct rtmsg` (a table id above 255 goes in RTA_TABLE), then RTA_DST (left out for a
 * default route), RTA_GATEWAY, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE and RTA_OIF as given —
 * byte for byte what ip sends for the same route. Shared by
 * {@link addRouteRequest} and {@link deleteRouteRequest}.
 *
 * @example
 * routeMessage('addRouteRequest', RTM_NEWROUTE, { dst: '10.9.0.0/16', gateway: '10.1.0.2' }, true);
 */
export function routeMessage(
  fn: string,
  type: number,
  options: RouteRequestOptions,
  add: boolean,
): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const gatewayAny = check.address('options.gateway', o.gateway);
  const prefsrcAny = check.address('options.prefsrc', o.prefsrc);
  let family: number;
  let dstBytes: Uint8Array | undefined;
  let dstLen = 0;
  if (o.dst === 'default') {
    family = gatewayAny?.family ?? prefsrcAny?.family ?? AF_INET;
  } else {
    const dst = check.prefix('options.dst', o.dst);
    family = dst.family;
    dstLen = dst.prefixlen;
    if (dstLen > 0) dstBytes = dst.bytes;
    for (let bit = dstLen; bit < dst.bytes.byteLength * 8; bit++) {
      if (dst.bytes[bit >> 3] & (0x80 >> (bit & 7))) {
        check.fail('options.dst', `a prefix with no bits set past /${dstLen}`, o.dst);
      }
    }
  }
  const gateway = check.address('options.gateway', o.gateway, family);
  const prefsrc = check.address('options.prefsrc', o.prefsrc, family);
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const table =
    check.named(
      'options.table',
      o.table,
      0xffffffff,
      rtnetlinkNames.tableId,
      'main, local, default',
    ) ?? RT_TABLE_MAIN;
  const protocol =
    check.named(
      'options.protocol',
      o.protocol,
      255,
      rtnetlinkNames.protocolId,
      'boot, static, …',
    ) ?? (add ? RTPROT_BOOT : 0);
  const routeType =
    check.named(
      'options.type',
      o.type,
      255,
      rtnetlinkNames.routeTypeId,
      'unicast, blackhole, unreachable, prohibit, local, …',
    ) ?? (add ? RTN_UNICAST : RTN_UNSPEC);
  const scope =
    check.named('options.scope', o.scope, 255, rtnetlinkNames.scopeId, 'global, link, host') ??
    defaultScope(family, routeType, gateway !== undefined, add);
  const metric = check.integer('options.metric', o.metric, 0, 0xffffffff);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const replace = add ? check.flag('options.replace', o.replace) : false;
  if (!add && o.replace !== undefined)
    check.fail('options.replace', 'absent when deleting', o.replace);

  const flags = add
    ? NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL)
    : NLM_F_REQUEST | NLM_F_ACK;
  const w = new MessageWriter(96)
    .begin(type, flags, seq)
    .u8(family)
    .u8(dstLen)
    .u8(0) // rtm_src_len
    .u8(0) // rtm_tos
    .u8(table < 256 ? table : 0)
    .u8(protocol)
    .u8(scope)
    .u8(routeType)
    .u32(0); // rtm_flags
  // ip's order for `ip route add DST via GW src SRC metric N table T dev D`.
  if (dstBytes !== undefined) w.attr(RTA_DST, dstBytes);
  if (gateway !== undefined) w.attr(RTA_GATEWAY, gateway.bytes);
  if (prefsrc !== undefined) w.attr(RTA_PREFSRC, prefsrc.bytes);
  if (metric !== undefined) w.attrU32(RTA_PRIORITY, metric);
  if (table >= 256) w.attrU32(RTA_TABLE, table);
  if (ifindex !== undefined) w.attrU32(RTA_OIF, ifindex);
  return w.end().finish();
}

/** iproute2's default `rtm_scope` (ip/iproute.c, iproute_modify). */
function defaultScope(family: number, type: number, gateway: boolean, add: boolean): number {
  if (family === AF_INET6) return RT_SCOPE_UNIVERSE;
  if (type === RTN_LOCAL || type === RTN_NAT) return RT_SCOPE_HOST;
  if (type === RTN_BROADCAST || type === RTN_MULTICAST || type === RTN_ANYCAST) {
    return RT_SCOPE_LINK;
  }
  if (!add) return RT_SCOPE_NOWHERE;
  if (type === RTN_UNICAST || type === RTN_UNSPEC)
    return gateway ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;
  return RT_SCOPE_UNIVERSE;
}
