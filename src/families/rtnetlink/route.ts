import { DecodeError } from '../../errors/NetlinkError.js';
import { Attributes } from '../../netlink/Attributes.js';
import {
  NLA_HDRLEN,
  NLA_TYPE_MASK,
  NLM_F_ACK,
  NLM_F_APPEND,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
  NLMSG_HDRLEN,
} from '../../netlink/constants.js';
import { formatAddress, inetChecker, ipv4Text } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { LWTUNNEL_ENCAP_SEG6 } from './configureConstants.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  ICMPV6_ROUTER_PREF_HIGH,
  ICMPV6_ROUTER_PREF_LOW,
  ICMPV6_ROUTER_PREF_MEDIUM,
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_NOWHERE,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_MAIN,
  RTA_CACHEINFO,
  RTA_CACHEINFO_SIZE,
  RTA_DST,
  RTA_ENCAP,
  RTA_ENCAP_TYPE,
  RTA_GATEWAY,
  RTA_IIF,
  RTA_METRICS,
  RTA_MULTIPATH,
  RTA_NH_ID,
  RTA_OIF,
  RTA_PREF,
  RTA_PREFSRC,
  RTA_PRIORITY,
  RTA_SRC,
  RTA_TABLE,
  RTA_VIA,
  RTAX_ADVMSS,
  RTAX_CC_ALGO,
  RTAX_CWND,
  RTAX_FASTOPEN_NO_COOKIE,
  RTAX_FEATURE_ECN,
  RTAX_FEATURES,
  RTAX_HOPLIMIT,
  RTAX_INITCWND,
  RTAX_INITRWND,
  RTAX_LOCK,
  RTAX_MTU,
  RTAX_QUICKACK,
  RTAX_REORDERING,
  RTAX_RTO_MIN,
  RTAX_RTT,
  RTAX_RTTVAR,
  RTAX_SSTHRESH,
  RTAX_WINDOW,
  RTM_DELROUTE,
  RTM_F_CLONED,
  RTM_GETROUTE,
  RTM_NEWROUTE,
  RTMSG_SIZE,
  RTN_ANYCAST,
  RTN_BROADCAST,
  RTN_LOCAL,
  RTN_MULTICAST,
  RTN_NAT,
  RTN_UNICAST,
  RTN_UNSPEC,
  RTNEXTHOP_SIZE,
  RTNH_F_ONLINK,
  RTPROT_BOOT,
} from './constants.js';
import {
  checkDecodeArguments,
  interfaceName,
  pastBuffer,
  RawAttributes,
  type RtnetlinkDecodeOptions,
} from './decoding.js';
import type { Nexthop } from './nexthop.js';
import { checkEncap, decodeSeg6, encapName, type Seg6Encap, writeSeg6 } from './routeEncap.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

/**
 * A route (RTM_NEWROUTE / RTM_DELROUTE) with the field names and value formats of
 * `ip -j -d route show`: `type`, `table`, `protocol` and `scope` are always there (ip
 * leaves the defaults out unless `-d`; `protocol`/`scope` are left out for cloned routes,
 * as ip does), `dst` is `"default"`, `"a.b.c.d/len"` or a bare host address, tables and
 * protocols print by name (`"main"`, `"kernel"`) or in decimal (`"100"`).
 *
 * Fields beyond ip's: `family`, `ifindex` (RTA_OIF), `deleted` (RTM_DELROUTE) and `attrs`,
 * the attributes not mapped here. The object is plain data that owns its memory: it stays
 * valid after the ring frame it came from is released.
 *
 * @example
 * const route = decodeRoute(message, { ifname });
 * if (route.type === 'unicast' && route.table === 'main') console.log(route.dst, route.gateway ?? route.dev);
 */
export interface Route {
  /** Present (true) when the message was RTM_DELROUTE. */
  deleted?: true | undefined;
  /** `rtm_type`: unicast, local, broadcast, blackhole, unreachable, prohibit, … */
  type: string;
  /** RTA_DST with `rtm_dst_len`: "default", "10.0.0.0/8", "10.0.0.1" (host), "fd00::/64". */
  dst: string;
  /** RTA_SRC with `rtm_src_len` (source-specific routes). */
  from?: string | undefined;
  /** RTA_NH_ID: the nexthop object used. */
  nhid?: number | undefined;
  /** `rtm_tos` as "0x10" when not zero. */
  tos?: string | undefined;
  /** RTA_GATEWAY. */
  gateway?: string | undefined;
  /** RTA_VIA: a gateway of another family. */
  via?: { family: string; host: string } | undefined;
  /** RTA_OIF by name. */
  dev?: string | undefined;
  /** RTA_TABLE (or `rtm_table`): "main", "local", "default", or decimal. */
  table?: string | undefined;
  /** `rtm_protocol`: kernel, boot, static, dhcp, … */
  protocol?: string | undefined;
  /** `rtm_scope`: global, link, host, … */
  scope?: string | undefined;
  /** RTA_PREFSRC. */
  prefsrc?: string | undefined;
  /** RTA_PRIORITY. */
  metric?: number | undefined;
  /** `rtm_flags`: onlink, linkdown, offload, … */
  flags: readonly string[];
  /** RTA_METRICS as ip prints them: `[{ mtu: 1400, rtt: 100, congestion: "cubic" }]`. */
  metrics?: Array<Record<string, number | string | null>> | undefined;
  /** RTA_IIF by name. */
  iif?: string | undefined;
  /** RTA_MULTIPATH. */
  nexthops?: RouteNexthop[] | undefined;
  /** The nexthop object `nhid` names, when the dump was asked for it (`dumpRoutes({ nhInfo: true })`). */
  nh_info?: Nexthop | undefined;
  /** RTA_PREF (IPv6 router preference): medium, high, low. */
  pref?: string | number | undefined;
  /** RTA_ENCAP_TYPE as ip names it: seg6, ip, mpls, bpf, … */
  encap?: string | undefined;
  /** seg6 encap: its mode (inline, encap, l2encap, …). */
  mode?: string | undefined;
  /** seg6 encap: its segments, first to last. */
  segs?: string[] | undefined;
  /** RTA_CACHEINFO `rta_expires` in seconds, when not zero. */
  expires?: number | undefined;
  /** RTA_CACHEINFO `rta_error`, when not zero. */
  error?: number | undefined;
  /** `rtm_family`: inet, inet6, … */
  family: string;
  /** RTA_OIF. */
  ifindex?: number | undefined;
  /** Attributes not mapped above. */
  attrs: RawAttributes;
}

/**
 * One path of a multipath route (an `RTA_MULTIPATH` entry), as `ip -j` prints it, plus
 * its `ifindex`.
 *
 * @example
 * // { gateway: '10.1.0.2', dev: 'v1', weight: 2, flags: [], ifindex: 2 }
 * decodeRoute(message).nexthops?.map((hop) => hop.gateway);
 */
export interface RouteNexthop {
  /** RTA_GATEWAY. */
  gateway?: string | undefined;
  /** RTA_VIA: a gateway of another family. */
  via?: { family: string; host: string } | undefined;
  /** `rtnh_ifindex` by name. */
  dev: string;
  /** `rtnh_ifindex`. */
  ifindex: number;
  /** `rtnh_hops + 1`. */
  weight: number;
  /** `rtnh_flags`: onlink, dead, linkdown, … */
  flags: readonly string[];
}

/** RTA_* types this decoder turns into fields; the rest stay in `attrs`. */
const MAPPED = new Uint8Array(32);
for (const t of [
  RTA_DST,
  RTA_SRC,
  RTA_IIF,
  RTA_OIF,
  RTA_GATEWAY,
  RTA_PRIORITY,
  RTA_PREFSRC,
  RTA_METRICS,
  RTA_MULTIPATH,
  RTA_TABLE,
  RTA_CACHEINFO,
  RTA_PREF,
  RTA_VIA,
  RTA_NH_ID,
  RTA_ENCAP_TYPE,
  RTA_ENCAP,
]) {
  MAPPED[t] = 1;
}
/** The same, for a route whose next hops carry attributes that `nexthops` does not show. */
const MAPPED_BUT_MULTIPATH = MAPPED.slice();
MAPPED_BUT_MULTIPATH[RTA_MULTIPATH] = 0;
/** The same, for a route whose RTA_ENCAP is not one decoded here (not seg6). */
const MAPPED_BUT_ENCAP = MAPPED.slice();
MAPPED_BUT_ENCAP[RTA_ENCAP] = 0;
const MAPPED_BUT_BOTH = MAPPED_BUT_MULTIPATH.slice();
MAPPED_BUT_BOTH[RTA_ENCAP] = 0;

/** ip's names for RTAX_* (`congctl` prints as `congestion` in JSON). */
const METRIC_NAMES: readonly string[] = [
  '',
  'lock',
  'mtu',
  'window',
  'rtt',
  'rttvar',
  'ssthresh',
  'cwnd',
  'advmss',
  'reordering',
  'hoplimit',
  'initcwnd',
  'features',
  'rto_min',
  'initrwnd',
  'quickack',
  'congestion',
  'fastopen_no_cookie',
];

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * Decodes an RTM_NEWROUTE or RTM_DELROUTE message (`struct rtmsg` then RTA_* attributes)
 * into a {@link Route} shaped like `ip -j -d route show` output. IPv4 and IPv6 (and any
 * family whose addresses are 4 or 16 bytes). Pass `options.ifname` to name `dev`/`iif`.
 *
 * The result is plain data: strings and numbers, frozen shared `flags` arrays, and `attrs`
 * holding a copy of whatever attributes were not mapped (no copy at all when every
 * attribute was, as for ordinary IPv4 and IPv6 routes). It never points into the message's
 * frame. Unknown attributes are skipped into `attrs`; a wrong message type, a payload
 * shorter than `struct rtmsg`, a truncated attribute or an address of the wrong size throw
 * a {@link DecodeError} with the byte offset.
 *
 * @example
 * const route = decodeRoute(message, { ifname });
 * // { type: 'unicast', dst: '10.9.0.0/16', gateway: '10.1.0.2', dev: 'v1', table: 'main',
 * //   protocol: 'static', scope: 'global', metric: 50, flags: [], family: 'inet', ifindex: 2, attrs }
 */
export function decodeRoute(message: NetlinkMessage, options?: RtnetlinkDecodeOptions): Route {
  checkDecodeArguments('decodeRoute', message, options);
  // One liveness check (the view's), then the message's own bytes.
  const view = message.view;
  const bytes = message.context.bytes;
  const end = message.offset + message.length;
  if (end > bytes.byteLength || end > view.byteLength) {
    pastBuffer(message.offset, end, bytes.byteLength);
  }
  return decodeRouteAt(bytes, view, message.offset, message.length, options);
}

/**
 * {@link decodeRoute} of the message whose nlmsghdr is at `offset` of `bytes` (`view` over
 * the same memory), `length` its `nlmsg_len`, with no message handle: what a route dump's
 * frame walk calls for each reply (`dumpRoutes`), its options being the dump's own, and
 * what a decoder of `dumpRoutesWith` calls for the routes it leaves to the library. Same
 * result and the same `DecodeError`s as `decodeRoute`; `options` is not checked, and the
 * caller has checked that the message lies inside `bytes` (as a frame walk has).
 *
 * @example
 * declare const message: NetlinkMessage;
 * decodeRouteAt(message.context.bytes, message.view, message.offset, message.length, undefined);
 */
export function decodeRouteAt(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  length: number,
  options: RtnetlinkDecodeOptions | undefined,
): Route {
  // The checks of decoding.ts's fixedHeader, written out: on the route-dump hot path the call
  // measured 3-6% slower per route (node, 500k decodes, alternating builds).
  const messageType = view.getUint16(offset + 4, true);
  if (messageType !== RTM_NEWROUTE && messageType !== RTM_DELROUTE) {
    throw new DecodeError(
      `message type ${messageType} is not RTM_NEWROUTE or RTM_DELROUTE`,
      offset,
    );
  }
  const end = offset + length;
  const header = offset + NLMSG_HDRLEN;
  if (end - header < RTMSG_SIZE) {
    throw new DecodeError(
      `route message: ${end - header}-byte payload is shorter than struct rtmsg (${RTMSG_SIZE} bytes)`,
      offset,
    );
  }
  const family = bytes[header];
  const dstLen = bytes[header + 1];
  const srcLen = bytes[header + 2];
  const hostLen = family === AF_INET ? 32 : family === AF_INET6 ? 128 : -1;
  // A route of a routing table's everyday kind (RTM_NEWROUTE, no TOS, source prefix or
  // RTM_F_CLONED, only the attributes commonRoute maps) takes the short decoder; it hands
  // anything else to the full one, which walks the attributes again.
  if (messageType === RTM_NEWROUTE && srcLen === 0 && bytes[header + 3] === 0) {
    const rtmFlags = view.getUint32(header + 8, true);
    if ((rtmFlags & RTM_F_CLONED) === 0) {
      const route = commonRoute(bytes, view, header, end, hostLen, rtmFlags, options);
      if (route !== null) return route;
    }
  }
  const s = scan;
  scanRoute(s, bytes, view, header + RTMSG_SIZE, end);
  if (hostLen >= 0 && (dstLen > hostLen || srcLen > hostLen)) {
    prefixTooLong(dstLen, srcLen, hostLen, header);
  }
  return fullRoute(s, bytes, view, header, end, messageType === RTM_DELROUTE, hostLen, options);
}

/**
 * Where the attributes of the route being decoded are (`-1`: absent) and the numbers read
 * from them: one instance, filled by {@link scanRoute} and read by the builders before they
 * call any caller code (an `ifname` lookup), so a decode inside a lookup cannot see it half
 * used. Offsets are `*At` (payload), `*Bytes` (payload length) and `*Header` (the nlattr).
 */
class RouteScan {
  dstAt = -1;
  dstBytes = 0;
  dstHeader = 0;
  srcAt = -1;
  srcBytes = 0;
  srcHeader = 0;
  gatewayAt = -1;
  gatewayBytes = 0;
  gatewayHeader = 0;
  prefsrcAt = -1;
  prefsrcBytes = 0;
  prefsrcHeader = 0;
  viaAt = -1;
  viaBytes = 0;
  viaHeader = 0;
  metricsAt = -1;
  metricsEnd = 0;
  multipathAt = -1;
  multipathEnd = 0;
  cacheinfoAt = -1;
  oif = -1;
  iif = -1;
  priority = -1;
  table = -1;
  pref = -1;
  nhid = -1;
  encapType = -1;
  encapAt = -1;
  encapEnd = 0;
  /** An attribute this decoder does not map was seen (it goes to `attrs`). */
  unmapped = false;
}

const scan = new RouteScan();

/**
 * Walks the RTA_* attributes in `[at, end)` into `s` (NLA_OK / NLA_NEXT with the checks and
 * error texts of `Attributes.next` and its getters, written out so that the loop makes no
 * call per attribute: cheap before the JIT has compiled it). One `case` per RTA type: add a
 * type here and in {@link fullRoute} (and, if a large table's routes carry it, in
 * {@link commonRoute}).
 */
function scanRoute(s: RouteScan, bytes: Uint8Array, view: DataView, at: number, end: number): void {
  s.dstAt = -1;
  s.srcAt = -1;
  s.gatewayAt = -1;
  s.prefsrcAt = -1;
  s.viaAt = -1;
  s.metricsAt = -1;
  s.multipathAt = -1;
  s.cacheinfoAt = -1;
  s.oif = -1;
  s.iif = -1;
  s.priority = -1;
  s.table = -1;
  s.pref = -1;
  s.nhid = -1;
  s.encapType = -1;
  s.encapAt = -1;
  s.unmapped = false;
  while (at < end) {
    const remaining = end - at;
    if (remaining < NLA_HDRLEN) attributeFault(view, at, remaining);
    const nlaLen = view.getUint16(at, true);
    if (nlaLen < NLA_HDRLEN || nlaLen > remaining) attributeFault(view, at, remaining);
    const payload = at + NLA_HDRLEN;
    const length = nlaLen - NLA_HDRLEN;
    const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
    switch (type) {
      case RTA_DST:
        s.dstAt = payload;
        s.dstBytes = length;
        s.dstHeader = at;
        break;
      case RTA_GATEWAY:
        s.gatewayAt = payload;
        s.gatewayBytes = length;
        s.gatewayHeader = at;
        break;
      case RTA_OIF:
        if (length < 4) payloadTooShort(type, length, at, 'u32');
        s.oif = view.getUint32(payload, true);
        break;
      case RTA_PRIORITY:
        if (length < 4) payloadTooShort(type, length, at, 'u32');
        s.priority = view.getUint32(payload, true);
        break;
      case RTA_TABLE:
        if (length < 4) payloadTooShort(type, length, at, 'u32');
        s.table = view.getUint32(payload, true);
        break;
      case RTA_PREFSRC:
        s.prefsrcAt = payload;
        s.prefsrcBytes = length;
        s.prefsrcHeader = at;
        break;
      case RTA_SRC:
        s.srcAt = payload;
        s.srcBytes = length;
        s.srcHeader = at;
        break;
      case RTA_IIF:
        if (length < 4) payloadTooShort(type, length, at, 'u32');
        s.iif = view.getUint32(payload, true);
        break;
      case RTA_PREF:
        if (length < 1) payloadTooShort(type, length, at, 'u8');
        s.pref = bytes[payload];
        break;
      case RTA_NH_ID:
        if (length < 4) payloadTooShort(type, length, at, 'u32');
        s.nhid = view.getUint32(payload, true);
        break;
      case RTA_VIA:
        if (length < 2) {
          throw new DecodeError(`RTA_VIA of ${length} bytes has no family`, at);
        }
        s.viaAt = payload;
        s.viaBytes = length;
        s.viaHeader = at;
        break;
      case RTA_METRICS:
        s.metricsAt = payload;
        s.metricsEnd = payload + length;
        break;
      case RTA_MULTIPATH:
        s.multipathAt = payload;
        s.multipathEnd = payload + length;
        break;
      case RTA_ENCAP_TYPE:
        if (length < 2) payloadTooShort(type, length, at, 'u16');
        s.encapType = view.getUint16(payload, true);
        break;
      case RTA_ENCAP:
        s.encapAt = payload;
        s.encapEnd = payload + length;
        break;
      case RTA_CACHEINFO:
        if (length < RTA_CACHEINFO_SIZE) {
          throw new DecodeError(
            `RTA_CACHEINFO of ${length} bytes is shorter than struct rta_cacheinfo`,
            at,
          );
        }
        s.cacheinfoAt = payload;
        break;
      default:
        s.unmapped = true;
    }
    // NLA_ALIGN(nla_len); the last attribute's padding may be cut off (then at > end).
    at += (nlaLen + 3) & ~3;
  }
}

/** `rtm_dst_len` with RTA_DST as ip prints it: "default", a host, "a/len" or "0/len". */
function prefixText(
  bytes: Uint8Array,
  at: number,
  length: number,
  family: number,
  headerAt: number,
  prefixLen: number,
  hostLen: number,
): string {
  if (at < 0) return prefixLen === 0 ? 'default' : `0${SLASH_LENGTH[prefixLen]}`;
  // Another family: a prefix is no longer than the address it is of.
  if (hostLen < 0 && prefixLen > length * 8) {
    throw new DecodeError(
      `prefix length ${prefixLen} is longer than the ${length * 8}-bit address`,
      headerAt,
    );
  }
  const address = formatAddress(bytes, at, length, family, headerAt);
  return prefixLen === hostLen ? address : address + SLASH_LENGTH[prefixLen];
}

/** "/0" … "/255": a prefix length's text without a number conversion per route. */
const SLASH_LENGTH: readonly string[] = Array.from({ length: 256 }, (_, i) => `/${i}`);

/**
 * The decoder of a route with only RTA_DST, RTA_GATEWAY, RTA_OIF, RTA_PRIORITY, RTA_TABLE
 * and RTA_PREFSRC (the routes a large table holds): the fields of {@link fullRoute} for such
 * a route, in the same order, with the attribute walk of {@link scanRoute} in local
 * variables (no property stores per attribute before the JIT has compiled it). Returns null
 * at the first other attribute, for the full decoder. It builds a route via a gateway on a
 * device itself and leaves any other to {@link otherRoute}: a small function is compiled
 * sooner, and most of a fresh process's first dump runs before it is.
 */
function commonRoute(
  bytes: Uint8Array,
  view: DataView,
  header: number,
  end: number,
  hostLen: number,
  rtmFlags: number,
  options: RtnetlinkDecodeOptions | undefined,
): Route | null {
  let dstAt = -1;
  let dstBytes = 0;
  let dstHeader = 0;
  let gatewayAt = -1;
  let gatewayBytes = 0;
  let gatewayHeader = 0;
  let prefsrcAt = -1;
  let prefsrcBytes = 0;
  let prefsrcHeader = 0;
  let oif = -1;
  let priority = -1;
  let table = -1;
  let at = header + RTMSG_SIZE;
  while (at < end) {
    const remaining = end - at;
    if (remaining < NLA_HDRLEN) attributeFault(view, at, remaining);
    // nla_len and nla_type in one read.
    const word = view.getUint32(at, true);
    const nlaLen = word & 0xffff;
    if (nlaLen < NLA_HDRLEN || nlaLen > remaining) attributeFault(view, at, remaining);
    const payload = at + NLA_HDRLEN;
    const length = nlaLen - NLA_HDRLEN;
    switch ((word >>> 16) & NLA_TYPE_MASK) {
      case RTA_DST:
        dstAt = payload;
        dstBytes = length;
        dstHeader = at;
        break;
      case RTA_GATEWAY:
        gatewayAt = payload;
        gatewayBytes = length;
        gatewayHeader = at;
        break;
      case RTA_OIF:
        if (length < 4) payloadTooShort(RTA_OIF, length, at, 'u32');
        oif = view.getUint32(payload, true);
        break;
      case RTA_PRIORITY:
        if (length < 4) payloadTooShort(RTA_PRIORITY, length, at, 'u32');
        priority = view.getUint32(payload, true);
        break;
      case RTA_TABLE:
        if (length < 4) payloadTooShort(RTA_TABLE, length, at, 'u32');
        table = view.getUint32(payload, true);
        break;
      case RTA_PREFSRC:
        prefsrcAt = payload;
        prefsrcBytes = length;
        prefsrcHeader = at;
        break;
      default:
        return null;
    }
    at += (nlaLen + 3) & ~3; // NLA_ALIGN; past `end` when the last padding is cut off
  }
  const family = bytes[header];
  const dstLen = bytes[header + 1];
  if (hostLen >= 0 && dstLen > hostLen) prefixTooLong(dstLen, 0, hostLen, header);
  const tableId = table >= 0 ? table : bytes[header + 4];
  // IPv4 addresses of 4 bytes straight to their text (formatAddress's case for them).
  const inet = family === AF_INET;
  const dst =
    inet && dstBytes === 4
      ? dstLen === 32
        ? ipv4Text(bytes, dstAt)
        : ipv4Text(bytes, dstAt) + SLASH_LENGTH[dstLen]
      : prefixText(bytes, dstAt, dstBytes, family, dstHeader, dstLen, hostLen);
  // The header's names: those of the last route when its header said the same (the routes
  // of a table mostly do), else looked up and kept.
  const head = view.getUint32(header + 4, true);
  if (
    head !== lastHead ||
    rtmFlags !== lastFlags ||
    family !== lastFamily ||
    tableId !== lastTableId
  ) {
    nameHead(head, rtmFlags, family, tableId);
  }
  if (gatewayAt < 0 || oif < 0 || tableId === 0 || prefsrcAt >= 0) {
    return otherRoute(
      bytes,
      dst,
      family,
      gatewayAt,
      gatewayBytes,
      gatewayHeader,
      prefsrcAt,
      prefsrcBytes,
      prefsrcHeader,
      oif,
      priority,
      tableId,
      options,
    );
  }
  // A route via a gateway: one literal, so every such route has the same shape (the keys in
  // otherRoute's order). A table's routes mostly share a few gateways: the last one's text
  // is kept (strings are values: the same text either way).
  let gateway: string;
  if (inet && gatewayBytes === 4) {
    const key = view.getUint32(gatewayAt, true);
    if (key !== lastGateway) {
      lastGatewayText = ipv4Text(bytes, gatewayAt);
      lastGateway = key;
    }
    gateway = lastGatewayText;
  } else {
    gateway = formatAddress(bytes, gatewayAt, gatewayBytes, family, gatewayHeader);
  }
  const type = lastType;
  const protocol = lastProtocol;
  const scope = lastScope;
  const flags = lastFlagNames;
  const familyName = lastFamilyName;
  const tableName = lastTable;
  const dev = interfaceName(options, oif);
  return priority >= 0
    ? {
        type,
        dst,
        gateway,
        dev,
        table: tableName,
        protocol,
        scope,
        metric: priority,
        flags,
        family: familyName,
        ifindex: oif,
        attrs: RawAttributes.empty,
      }
    : {
        type,
        dst,
        gateway,
        dev,
        table: tableName,
        protocol,
        scope,
        flags,
        family: familyName,
        ifindex: oif,
        attrs: RawAttributes.empty,
      };
}

/** The IPv4 gateway {@link commonRoute} formatted last (its 4 bytes as a u32; -1: none) and its text. */
let lastGateway = -1;
let lastGatewayText = '';

/**
 * {@link commonRoute}'s builder for a route that is not via a gateway on a device in a
 * table, or that has a preferred source (a table's local and broadcast routes, a device
 * route): the same fields, added in ip's order. The header's names are in the cache.
 */
function otherRoute(
  bytes: Uint8Array,
  dst: string,
  family: number,
  gatewayAt: number,
  gatewayBytes: number,
  gatewayHeader: number,
  prefsrcAt: number,
  prefsrcBytes: number,
  prefsrcHeader: number,
  oif: number,
  priority: number,
  tableId: number,
  options: RtnetlinkDecodeOptions | undefined,
): Route {
  const gateway =
    gatewayAt >= 0
      ? formatAddress(bytes, gatewayAt, gatewayBytes, family, gatewayHeader)
      : undefined;
  const prefsrc =
    prefsrcAt >= 0
      ? formatAddress(bytes, prefsrcAt, prefsrcBytes, family, prefsrcHeader)
      : undefined;
  // Out of the cache before the name lookup, which runs caller code.
  const protocol = lastProtocol;
  const scope = lastScope;
  const flags = lastFlagNames;
  const familyName = lastFamilyName;
  const tableName = lastTable;
  const route = { type: lastType, dst } as Route;
  if (gateway !== undefined) route.gateway = gateway;
  if (oif >= 0) route.dev = interfaceName(options, oif);
  if (tableId !== 0) route.table = tableName;
  route.protocol = protocol;
  route.scope = scope;
  if (prefsrc !== undefined) route.prefsrc = prefsrc;
  if (priority >= 0) route.metric = priority;
  route.flags = flags;
  route.family = familyName;
  if (oif >= 0) route.ifindex = oif;
  route.attrs = RawAttributes.empty;
  return route;
}

/**
 * The rtmsg header {@link commonRoute} named last (`rtm_table`, `rtm_protocol`, `rtm_scope`
 * and `rtm_type` as one u32, `rtm_flags`, `rtm_family`, the table id) and its names: a cache
 * of pure lookups, so the text is the same either way; -1 matches no header.
 */
let lastHead = -1;
let lastFlags = -1;
let lastFamily = -1;
let lastTableId = -1;
let lastType = '';
let lastProtocol = '';
let lastScope = '';
let lastFlagNames: readonly string[] = [];
let lastFamilyName = '';
let lastTable = '';

/** Names the header `head` (rtmsg bytes 4-7), `rtmFlags`, `family` and `tableId` into the cache. */
function nameHead(head: number, rtmFlags: number, family: number, tableId: number): void {
  lastType = names.routeType(head >>> 24);
  lastProtocol = names.protocol((head >>> 8) & 0xff);
  lastScope = names.scope((head >>> 16) & 0xff);
  lastFlagNames = names.routeFlags(rtmFlags);
  lastFamilyName = names.family(family);
  lastTable = names.table(tableId);
  lastHead = head;
  lastFlags = rtmFlags;
  lastFamily = family;
  lastTableId = tableId;
}

/** The builder for any route: every field `decodeRoute` maps, in ip's order. */
function fullRoute(
  s: RouteScan,
  bytes: Uint8Array,
  view: DataView,
  header: number,
  end: number,
  deleted: boolean,
  hostLen: number,
  options: RtnetlinkDecodeOptions | undefined,
): Route {
  const family = bytes[header];
  const dstLen = bytes[header + 1];
  const srcLen = bytes[header + 2];
  const tos = bytes[header + 3];
  const rtmTable = bytes[header + 4];
  const protocol = bytes[header + 5];
  const scope = bytes[header + 6];
  const routeType = bytes[header + 7];
  const rtmFlags = view.getUint32(header + 8, true);
  // Everything out of the scan first: the lookups below run caller code.
  const dst = prefixText(bytes, s.dstAt, s.dstBytes, family, s.dstHeader, dstLen, hostLen);
  const from =
    s.srcAt >= 0 || srcLen !== 0
      ? prefixText(bytes, s.srcAt, s.srcBytes, family, s.srcHeader, srcLen, hostLen)
      : undefined;
  const gateway =
    s.gatewayAt >= 0
      ? formatAddress(bytes, s.gatewayAt, s.gatewayBytes, family, s.gatewayHeader)
      : undefined;
  const via = s.viaAt >= 0 ? decodeVia(bytes, view, s.viaAt, s.viaBytes, s.viaHeader) : undefined;
  const prefsrc =
    s.prefsrcAt >= 0
      ? formatAddress(bytes, s.prefsrcAt, s.prefsrcBytes, family, s.prefsrcHeader)
      : undefined;
  const metrics = s.metricsAt >= 0 ? decodeMetrics(view, s.metricsAt, s.metricsEnd) : undefined;
  const oif = s.oif;
  const iif = s.iif;
  const priority = s.priority;
  const table = s.table;
  const pref = s.pref;
  const nhid = s.nhid;
  const multipathAt = s.multipathAt;
  const multipathEnd = s.multipathEnd;
  const cacheinfoAt = s.cacheinfoAt;
  const encapType = s.encapType;
  const encapAt = s.encapAt;
  const encapEnd = s.encapEnd;
  let unmapped = s.unmapped;

  const route = (
    deleted
      ? { deleted: true, type: names.routeType(routeType), dst }
      : { type: names.routeType(routeType), dst }
  ) as Route;
  if (from !== undefined) route.from = from;
  if (nhid >= 0) route.nhid = nhid;
  if (tos !== 0) route.tos = `0x${HEX2[tos]}`;
  if (gateway !== undefined) route.gateway = gateway;
  if (via !== undefined) route.via = via;
  if (oif >= 0) route.dev = interfaceName(options, oif);
  const tableId = table >= 0 ? table : rtmTable;
  if (tableId !== 0) route.table = names.table(tableId);
  if (!(rtmFlags & RTM_F_CLONED)) {
    route.protocol = names.protocol(protocol);
    route.scope = names.scope(scope);
  }
  if (prefsrc !== undefined) route.prefsrc = prefsrc;
  if (priority >= 0) route.metric = priority;
  route.flags = names.routeFlags(rtmFlags);
  if (metrics !== undefined) route.metrics = metrics;
  if (iif >= 0) route.iif = interfaceName(options, iif);
  let mapped = MAPPED;
  if (multipathAt >= 0) {
    const nexthops: RouteNexthop[] = [];
    if (decodeMultipath(bytes, view, multipathAt, multipathEnd, family, options, nexthops)) {
      unmapped = true;
      mapped = MAPPED_BUT_MULTIPATH;
    }
    route.nexthops = nexthops;
  }
  if (pref >= 0) route.pref = names.routePreference(pref);
  if (encapType >= 0 || encapAt >= 0) {
    if (decodeEncap(route, bytes, view, encapType, encapAt, encapEnd)) {
      unmapped = true;
      mapped = mapped === MAPPED ? MAPPED_BUT_ENCAP : MAPPED_BUT_BOTH;
    }
  }
  if (cacheinfoAt >= 0) {
    const expires = view.getInt32(cacheinfoAt + 8, true);
    const error = view.getInt32(cacheinfoAt + 12, true);
    // rta_expires is in clock_t (USER_HZ = 100); ip divides by the same.
    if (expires !== 0) route.expires = Math.trunc(expires / 100);
    if (error !== 0) route.error = error;
  }
  route.family = names.family(family);
  if (oif >= 0) route.ifindex = oif;
  route.attrs = unmapped
    ? new RawAttributes(bytes.slice(header + RTMSG_SIZE, end), mapped)
    : RawAttributes.empty;
  return route;
}

/** The DecodeError of `Attributes.next` for a malformed nlattr at `at` (out of line: cold). */
function attributeFault(view: DataView, at: number, remaining: number): never {
  if (remaining < NLA_HDRLEN) {
    throw new DecodeError(`${remaining} trailing bytes are too short for an nlattr`, at);
  }
  const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
  const length = view.getUint16(at, true);
  throw new DecodeError(
    `attribute type ${type}: nla_len ${length} is outside [4, ${remaining}]`,
    at,
  );
}

/** The DecodeError of the `Attributes` getters for a payload too short for `what` (cold). */
function payloadTooShort(type: number, length: number, at: number, what: string): never {
  throw new DecodeError(
    `attribute type ${type}: ${length}-byte payload is too short for ${what}`,
    at,
  );
}

/** The DecodeError for an `rtm_dst_len` or `rtm_src_len` longer than the address (out of line: cold). */
function prefixTooLong(dstLen: number, srcLen: number, hostLen: number, header: number): never {
  if (dstLen > hostLen) {
    throw new DecodeError(`rtm_dst_len ${dstLen} is longer than ${hostLen}`, header + 1);
  }
  throw new DecodeError(`rtm_src_len ${srcLen} is longer than ${hostLen}`, header + 2);
}

/**
 * RTA_ENCAP_TYPE and RTA_ENCAP onto `route` (out of line: rare): `encap` by ip's name, and
 * for seg6 its `mode` and `segs`. Returns true when RTA_ENCAP stays undecoded (another
 * encap type), so that the caller keeps it in `attrs`.
 */
function decodeEncap(
  route: Route,
  bytes: Uint8Array,
  view: DataView,
  type: number,
  at: number,
  end: number,
): boolean {
  if (type >= 0) route.encap = encapName(type);
  if (at < 0) return false;
  if (type !== LWTUNNEL_ENCAP_SEG6) return true;
  const seg6 = decodeSeg6(view, bytes, at, end);
  if (seg6 === undefined) return true;
  route.mode = seg6.mode;
  route.segs = seg6.segs;
  return false;
}

/** `struct rtvia { __kernel_sa_family_t rtvia_family; __u8 rtvia_addr[]; }` */
function decodeVia(
  bytes: Uint8Array,
  view: DataView,
  at: number,
  length: number,
  headerAt: number,
): { family: string; host: string } {
  const family = view.getUint16(at, true);
  return {
    family: names.family(family),
    host: formatAddress(bytes, at + 2, length - 2, family, headerAt),
  };
}

/** RTA_METRICS: nested RTAX_* u32s (RTAX_CC_ALGO a string), in RTAX order as ip prints them. */
function decodeMetrics(
  view: DataView,
  start: number,
  end: number,
): Array<Record<string, number | string | null>> {
  const values: Array<number | string | undefined> = [];
  const m = new Attributes(view, start, end);
  while (m.next()) values[m.type] = m.type === RTAX_CC_ALGO ? m.string() : m.u32();
  const out: Record<string, number | string | null> = {};
  for (let i = 2; i < values.length; i++) {
    let value = values[i];
    if (value === undefined) continue;
    const name = METRIC_NAMES[i] ?? `metric_${i}`;
    if (typeof value === 'string') {
      out[name] = value;
      continue;
    }
    if (i === RTAX_HOPLIMIT && value === 0xffffffff) continue;
    if (i === RTAX_FEATURES) {
      if (value & RTAX_FEATURE_ECN) out.ecn = null;
      if (value & ~RTAX_FEATURE_ECN) out.features = `0x${value.toString(16)}`;
      continue;
    }
    // The kernel keeps RTT in 1/8 ms and RTTVAR in 1/4 ms; ip prints milliseconds.
    if (i === RTAX_RTT) value = Math.floor(value / 8);
    else if (i === RTAX_RTTVAR) value = Math.floor(value / 4);
    out[name] = value;
  }
  return [out];
}

/**
 * RTA_MULTIPATH: `struct rtnexthop { u16 rtnh_len; u8 rtnh_flags; u8 rtnh_hops; int
 * rtnh_ifindex; }` each followed by its attributes, at RTNH_ALIGN (4) steps. Returns true
 * when a next hop carries attributes other than RTA_GATEWAY / RTA_VIA, which `nexthops`
 * does not show (the caller then keeps RTA_MULTIPATH in `attrs`).
 */
function decodeMultipath(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  end: number,
  family: number,
  options: RtnetlinkDecodeOptions | undefined,
  out: RouteNexthop[],
): boolean {
  let extra = false;
  let at = start;
  while (at < end) {
    const remaining = end - at;
    if (remaining < RTNEXTHOP_SIZE) {
      throw new DecodeError(`${remaining} trailing bytes are too short for an rtnexthop`, at);
    }
    const length = view.getUint16(at, true);
    if (length < RTNEXTHOP_SIZE || length > remaining) {
      throw new DecodeError(`rtnh_len ${length} is outside [8, ${remaining}]`, at);
    }
    const flags = bytes[at + 2];
    const hops = bytes[at + 3];
    const ifindex = view.getInt32(at + 4, true);
    const hop = {} as RouteNexthop;
    const n = new Attributes(view, at + RTNEXTHOP_SIZE, at + length);
    while (n.next()) {
      if (n.type === RTA_GATEWAY) {
        hop.gateway = formatAddress(bytes, n.offset, n.length, family, n.headerOffset);
      } else if (n.type === RTA_VIA) {
        if (n.length < 2) {
          throw new DecodeError(`RTA_VIA of ${n.length} bytes has no family`, n.headerOffset);
        }
        hop.via = decodeVia(bytes, view, n.offset, n.length, n.headerOffset);
      } else {
        extra = true;
      }
    }
    hop.dev = interfaceName(options, ifindex);
    hop.weight = hops + 1;
    hop.flags = names.routeFlags(flags);
    hop.ifindex = ifindex;
    out.push(hop);
    at += (length + 3) & ~3;
  }
  return extra;
}

/**
 * Options of {@link routeDumpRequest}.
 *
 * @example
 * routeDumpRequest({ family: AF_INET6, table: 'main', protocol: 'kernel' });
 */
export interface RouteDumpOptions {
  /** `rtm_family`: AF_UNSPEC (default, IPv4 and IPv6), AF_INET or AF_INET6. */
  family?: number | undefined;
  /**
   * Only this table (id or name: "main", "local", "default"), as `rtm_table` and RTA_TABLE.
   * Without it every table is dumped. Like the other filters, honoured only on a socket with
   * NETLINK_GET_STRICT_CHK; otherwise the kernel dumps everything and the caller filters.
   */
  table?: number | string | undefined;
  /** Only routes of this protocol (`rtm_protocol`; id or name such as "static"). */
  protocol?: number | string | undefined;
  /** Only routes through this interface (RTA_OIF). */
  ifindex?: number | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * An RTM_GETROUTE dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full `struct rtmsg`
 * whose lengths, TOS, scope and type are 0, as strict checking requires. Every table is
 * dumped unless `table` is given. Replies decode with {@link decodeRoute}. Bad options
 * throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(routeDumpRequest({ family: AF_INET, seq: 3 }));
 */
export function routeDumpRequest(options?: RouteDumpOptions): Uint8Array {
  const check = inetChecker('routeDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const table = check.named(
    'options.table',
    o.table,
    0xffffffff,
    names.tableId,
    'main, local, default',
  );
  const protocol = check.named(
    'options.protocol',
    o.protocol,
    255,
    names.protocolId,
    'kernel, boot, static, …',
  );
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const w = new MessageWriter(64)
    .begin(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(3)
    .u8(table !== undefined && table < 256 ? table : 0)
    .u8(protocol ?? 0)
    .zeros(RTMSG_SIZE - 6);
  if (table !== undefined) w.attrU32(RTA_TABLE, table);
  if (ifindex !== undefined) w.attrU32(RTA_OIF, ifindex);
  return w.end().finish();
}

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
  gateway?: string | undefined;
  /** RTA_OIF: the interface ("dev"). */
  ifindex?: number | undefined;
  /** Table id or name ("main", "local", "default"); default main. */
  table?: number | string | undefined;
  /** `rtm_protocol` id or name ("static", "boot", …); default boot when adding, any when deleting. */
  protocol?: number | string | undefined;
  /**
   * `rtm_scope` id or name; default as ip chooses it: link for an IPv4 unicast route
   * without gateway, host for local, link for broadcast/multicast/anycast, global
   * otherwise (and IPv6); "nowhere" (any) when deleting a unicast route.
   */
  scope?: number | string | undefined;
  /** RTA_PRIORITY. */
  metric?: number | undefined;
  /** `rtm_type` id or name ("unicast", "blackhole", "unreachable", "prohibit", "local", …); default unicast when adding, any when deleting. */
  type?: number | string | undefined;
  /** RTA_PREFSRC: the preferred source address. */
  prefsrc?: string | undefined;
  /** Replace an existing route (NLM_F_REPLACE) instead of failing with EEXIST (add only). */
  replace?: boolean | undefined;
  /**
   * Add another route of the same destination (NLM_F_APPEND instead of NLM_F_EXCL, as
   * `ip route append` does; add only, not with `replace`).
   */
  append?: boolean | undefined;
  /** RTA_SRC with `rtm_src_len`: the source prefix of a source-specific route (IPv6). */
  from?: string | undefined;
  /** `rtm_tos`: the TOS this route matches (0–255). */
  tos?: number | undefined;
  /** RTNH_F_ONLINK in `rtm_flags`: the gateway is on the link even if no prefix says so. */
  onlink?: boolean | undefined;
  /** RTA_NH_ID: route through this nexthop object (`ip nexthop add id N`). */
  nhid?: number | undefined;
  /** RTA_PREF: the IPv6 router preference, 'low', 'medium' or 'high'. */
  pref?: 'low' | 'medium' | 'high' | undefined;
  /** RTA_METRICS, in the names and units `ip -j route` prints them. */
  metrics?: RouteMetricsOptions | undefined;
  /** RTA_MULTIPATH: the paths of a multipath route (`ip route add DST nexthop … nexthop …`). */
  nexthops?: readonly RouteNexthopOptions[] | undefined;
  /** RTA_ENCAP_TYPE + RTA_ENCAP: a seg6 encapsulation (`encap seg6 mode M segs S1,S2`). */
  encap?: Seg6Encap | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * One path of a multipath route, as `ip route add DST nexthop via GW dev D weight W onlink`
 * writes it: a `struct rtnexthop` with RTA_GATEWAY.
 *
 * @example
 * const hop: RouteNexthopOptions = { gateway: '10.1.0.2', ifindex: 3, weight: 2 };
 */
export interface RouteNexthopOptions {
  /** RTA_GATEWAY, of the route's family. */
  gateway?: string | undefined;
  /** `rtnh_ifindex`: the interface. */
  ifindex?: number | undefined;
  /** 1–256 (`rtnh_hops` + 1); default 1. */
  weight?: number | undefined;
  /** RTNH_F_ONLINK in `rtnh_flags`. */
  onlink?: boolean | undefined;
}

/**
 * Route metrics (RTA_METRICS, nested RTAX_* u32s) with `ip -j route`'s names: times in
 * milliseconds (`rtt`, `rttvar`, `rto_min`), `congestion` the algorithm's name (`congctl`).
 *
 * @example
 * const metrics: RouteMetricsOptions = { mtu: 1400, advmss: 1360, congestion: 'cubic' };
 */
export interface RouteMetricsOptions {
  mtu?: number | undefined;
  window?: number | undefined;
  rtt?: number | undefined;
  rttvar?: number | undefined;
  ssthresh?: number | undefined;
  cwnd?: number | undefined;
  advmss?: number | undefined;
  reordering?: number | undefined;
  hoplimit?: number | undefined;
  initcwnd?: number | undefined;
  rto_min?: number | undefined;
  initrwnd?: number | undefined;
  quickack?: number | undefined;
  congestion?: string | undefined;
  fastopen_no_cookie?: number | undefined;
}

/** Every key of {@link RouteMetricsOptions}. */
const METRIC_KEYS: ReadonlySet<string> = new Set([
  'mtu',
  'window',
  'rtt',
  'rttvar',
  'ssthresh',
  'cwnd',
  'advmss',
  'reordering',
  'hoplimit',
  'initcwnd',
  'rto_min',
  'initrwnd',
  'quickack',
  'congestion',
  'fastopen_no_cookie',
]);

/** The u32 metrics in RTAX order, with the factor ip applies to a value in ms (`rtt 100ms`). */
const METRIC_OPTIONS: ReadonlyArray<readonly [keyof RouteMetricsOptions, number, number]> = [
  ['mtu', RTAX_MTU, 1],
  ['window', RTAX_WINDOW, 1],
  // The kernel keeps RTT in 1/8 ms and RTTVAR in 1/4 ms (iproute2 ip/iproute.c).
  ['rtt', RTAX_RTT, 8],
  ['rttvar', RTAX_RTTVAR, 4],
  ['ssthresh', RTAX_SSTHRESH, 1],
  ['cwnd', RTAX_CWND, 1],
  ['advmss', RTAX_ADVMSS, 1],
  ['reordering', RTAX_REORDERING, 1],
  ['hoplimit', RTAX_HOPLIMIT, 1],
  ['initcwnd', RTAX_INITCWND, 1],
  ['rto_min', RTAX_RTO_MIN, 1],
  ['initrwnd', RTAX_INITRWND, 1],
  ['quickack', RTAX_QUICKACK, 1],
];

/**
 * Writes an RTM_NEWROUTE / RTM_DELROUTE message as `ip route add|replace|del` does:
 * `struct rtmsg` (a table id above 255 goes in RTA_TABLE), then RTA_DST (left out for a
 * default route), RTA_GATEWAY, RTA_PREFSRC, RTA_PRIORITY, RTA_TABLE and RTA_OIF as given —
 * byte for byte what ip sends for the same route. Shared by
 * {@link addRouteRequest} and {@link deleteRouteRequest}.
 *
 * @internal
 * @example
 * routeMessage('addRouteRequest', RTM_NEWROUTE, { dst: '10.9.0.0/16', gateway: '10.1.0.2' }, true);
 */
export function routeMessage(
  fn: string,
  type: number,
  options: RouteRequestOptions,
  add: boolean,
  into?: RouteMessageTarget,
): Uint8Array {
  const check = checkerOf(fn);
  const o = check.options(options, true);
  const gatewayAny = check.address('options.gateway', o.gateway);
  const prefsrcAny = check.address('options.prefsrc', o.prefsrc);
  const hopOptions = checkHopList(check, o.nexthops);
  let family: number;
  let dstBytes: Uint8Array | undefined;
  let dstLen = 0;
  if (o.dst === 'default') {
    family =
      gatewayAny?.family ??
      prefsrcAny?.family ??
      firstHopFamily(check, hopOptions) ??
      (o.from === undefined ? undefined : check.prefix('options.from', o.from).family) ??
      AF_INET;
  } else {
    const dst = checkedPrefix(check, 'options.dst', o.dst);
    family = dst.family;
    dstLen = dst.prefixlen;
    if (dstLen > 0) dstBytes = dst.bytes;
  }
  let srcBytes: Uint8Array | undefined;
  let srcLen = 0;
  if (o.from !== undefined) {
    const from = checkedPrefix(check, 'options.from', o.from);
    if (from.family !== family) check.fail('options.from', 'of the family of options.dst', o.from);
    srcLen = from.prefixlen;
    if (srcLen > 0) srcBytes = from.bytes;
  }
  const tos = check.integer('options.tos', o.tos, 0, 255) ?? 0;
  const onlink = check.flag('options.onlink', o.onlink);
  const nhid = check.integer('options.nhid', o.nhid, 1, 0xffffffff);
  const pref = o.pref === undefined ? undefined : ROUTER_PREF[o.pref as string];
  if (o.pref !== undefined && pref === undefined) {
    check.fail('options.pref', "'low', 'medium' or 'high'", o.pref);
  }
  const metrics = checkMetrics(check, o.metrics);
  const encap = checkEncap(check, o.encap, AF_INET6);
  const hops = hopOptions?.map((hop, i) => checkHop(check, `options.nexthops[${i}]`, hop, family));
  const gateway = check.address('options.gateway', o.gateway, family);
  const prefsrc = check.address('options.prefsrc', o.prefsrc, family);
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const table =
    check.named('options.table', o.table, 0xffffffff, names.tableId, 'main, local, default') ??
    RT_TABLE_MAIN;
  const protocol =
    check.named('options.protocol', o.protocol, 255, names.protocolId, 'boot, static, …') ??
    (add ? RTPROT_BOOT : 0);
  const routeType =
    check.named(
      'options.type',
      o.type,
      255,
      names.routeTypeId,
      'unicast, blackhole, unreachable, prohibit, local, …',
    ) ?? (add ? RTN_UNICAST : RTN_UNSPEC);
  const scope =
    check.named('options.scope', o.scope, 255, names.scopeId, 'global, link, host') ??
    defaultScope(
      family,
      routeType,
      gateway !== undefined || hops !== undefined || nhid !== undefined,
      add,
    );
  const metric = check.integer('options.metric', o.metric, 0, 0xffffffff);
  const seq = into?.seq ?? check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const replace = add ? check.flag('options.replace', o.replace) : false;
  if (!add && o.replace !== undefined)
    check.fail('options.replace', 'absent when deleting', o.replace);
  const append = add ? check.flag('options.append', o.append) : false;
  if (!add && o.append !== undefined)
    check.fail('options.append', 'absent when deleting', o.append);
  if (append && replace) check.fail('options.append', 'absent with options.replace', o.append);

  // ip route add: NLM_F_EXCL; replace: NLM_F_REPLACE; append: NLM_F_APPEND (ip/iproute.c).
  const flags = add
    ? NLM_F_REQUEST |
      NLM_F_ACK |
      NLM_F_CREATE |
      (replace ? NLM_F_REPLACE : append ? NLM_F_APPEND : NLM_F_EXCL)
    : NLM_F_REQUEST | NLM_F_ACK;
  const w = (into?.writer.reset() ?? new MessageWriter(96))
    .begin(type, flags, seq)
    .u8(family)
    .u8(dstLen)
    .u8(srcLen)
    .u8(tos)
    .u8(table < 256 ? table : 0)
    .u8(protocol)
    .u8(scope)
    .u8(routeType)
    .u32(onlink ? RTNH_F_ONLINK : 0); // rtm_flags
  // ip's order for `ip route add DST from SRC via GW src PREFSRC metric N nhid I pref P
  // table T encap E dev D <metrics> <nexthops>`: the device, the metrics and the paths come
  // last.
  if (dstBytes !== undefined) w.attr(RTA_DST, dstBytes);
  if (srcBytes !== undefined) w.attr(RTA_SRC, srcBytes);
  if (gateway !== undefined) w.attr(RTA_GATEWAY, gateway.bytes);
  if (prefsrc !== undefined) w.attr(RTA_PREFSRC, prefsrc.bytes);
  if (metric !== undefined) w.attrU32(RTA_PRIORITY, metric);
  if (nhid !== undefined) w.attrU32(RTA_NH_ID, nhid);
  if (pref !== undefined) w.attrU8(RTA_PREF, pref);
  if (table >= 256) w.attrU32(RTA_TABLE, table);
  if (encap !== undefined) writeSeg6(w, encap);
  if (ifindex !== undefined) w.attrU32(RTA_OIF, ifindex);
  if (metrics !== undefined) w.attr(RTA_METRICS, metrics);
  if (hops !== undefined) w.attr(RTA_MULTIPATH, multipathPayload(hops));
  w.end();
  return into === undefined ? w.finish() : w.peek();
}

/**
 * Where a bulk writer has {@link routeMessage} write (@internal): into `writer` (reset
 * first; the result is a view of it, valid until its next write, so no copy and no
 * allocation per message) with `seq` instead of `options.seq`.
 */
export interface RouteMessageTarget {
  readonly writer: MessageWriter;
  readonly seq: number;
}

/**
 * One checker per function name (the names are the library's own, a handful): building
 * the checker's closures per message was a fifth of the builder's time in a profile of
 * 10,000 routes.
 */
const checkers = new Map<string, Checker>();
function checkerOf(fn: string): Checker {
  let check = checkers.get(fn);
  if (check === undefined) {
    if (checkers.size >= 64) checkers.clear();
    check = inetChecker(fn);
    checkers.set(fn, check);
  }
  return check;
}

type Checker = ReturnType<typeof inetChecker>;

/** ICMPV6_ROUTER_PREF_* (linux/icmpv6.h) by ip's names. */
const ROUTER_PREF: Readonly<Record<string, number>> = Object.assign(Object.create(null), {
  low: ICMPV6_ROUTER_PREF_LOW,
  medium: ICMPV6_ROUTER_PREF_MEDIUM,
  high: ICMPV6_ROUTER_PREF_HIGH,
});

/** A prefix option with no bits set past its length, as the kernel requires. */
function checkedPrefix(check: Checker, name: string, value: unknown) {
  const prefix = check.prefix(name, value);
  for (let bit = prefix.prefixlen; bit < prefix.bytes.byteLength * 8; bit++) {
    if (prefix.bytes[bit >> 3] & (0x80 >> (bit & 7))) {
      check.fail(name, `a prefix with no bits set past /${prefix.prefixlen}`, value);
    }
  }
  return prefix;
}

/** `options.nexthops`: a non-empty array of objects, or undefined. */
function checkHopList(check: Checker, value: unknown): RouteNexthopOptions[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    return check.fail('options.nexthops', 'a non-empty array of next hops', value);
  }
  value.forEach((hop, i) => {
    if (hop === null || typeof hop !== 'object' || Array.isArray(hop)) {
      check.fail(`options.nexthops[${i}]`, 'an object', hop);
    }
  });
  return value as RouteNexthopOptions[];
}

/** The family of the first next hop with a gateway (for `dst: 'default'`). */
function firstHopFamily(check: Checker, hops: RouteNexthopOptions[] | undefined) {
  if (hops === undefined) return undefined;
  for (let i = 0; i < hops.length; i++) {
    const gateway = check.address(`options.nexthops[${i}].gateway`, hops[i].gateway);
    if (gateway !== undefined) return gateway.family;
  }
  return undefined;
}

interface CheckedHop {
  gateway: Uint8Array | undefined;
  ifindex: number;
  hops: number;
  flags: number;
}

function checkHop(
  check: Checker,
  name: string,
  hop: RouteNexthopOptions,
  family: number,
): CheckedHop {
  return {
    gateway: check.address(`${name}.gateway`, hop.gateway, family)?.bytes,
    ifindex: check.integer(`${name}.ifindex`, hop.ifindex, 1, 0x7fffffff) ?? 0,
    hops: (check.integer(`${name}.weight`, hop.weight, 1, 256) ?? 1) - 1,
    flags: check.flag(`${name}.onlink`, hop.onlink) ? RTNH_F_ONLINK : 0,
  };
}

/** RTA_MULTIPATH's payload: each `struct rtnexthop` followed by its RTA_GATEWAY. */
function multipathPayload(hops: readonly CheckedHop[]): Uint8Array {
  const w = new MessageWriter(32 * hops.length);
  for (const hop of hops) {
    const gatewayLength = hop.gateway === undefined ? 0 : (4 + hop.gateway.byteLength + 3) & ~3;
    w.u16(RTNEXTHOP_SIZE + gatewayLength)
      .u8(hop.flags)
      .u8(hop.hops)
      .s32(hop.ifindex);
    if (hop.gateway !== undefined) w.attr(RTA_GATEWAY, hop.gateway);
  }
  return w.finish();
}

/**
 * RTA_METRICS's payload: the RTAX_* given, in RTAX order, then RTAX_LOCK with rto_min's
 * bit when rto_min is set (ip locks it so that the kernel uses it: ip/iproute.c).
 */
function checkMetrics(check: Checker, value: unknown): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const o = check.options(value as RouteMetricsOptions, true);
  for (const key of Object.keys(o)) {
    if (!METRIC_KEYS.has(key)) {
      check.fail(`options.metrics.${key}`, `one of ${[...METRIC_KEYS].join(', ')}`, key);
    }
  }
  const w = new MessageWriter(64);
  // METRIC_OPTIONS are RTAX_MTU..RTAX_QUICKACK; RTAX_CC_ALGO and RTAX_FASTOPEN_NO_COOKIE follow.
  for (const [key, rtax, factor] of METRIC_OPTIONS) {
    const v = check.integer(`options.metrics.${key}`, o[key], 0, Math.floor(0xffffffff / factor));
    if (v !== undefined) w.attrU32(rtax, v * factor);
  }
  const congestion = check.string('options.metrics.congestion', o.congestion, 15);
  // Without a NUL, as ip writes it (strlen bytes); the kernel reads it as NLA_STRING.
  if (congestion !== undefined) w.attr(RTAX_CC_ALGO, new TextEncoder().encode(congestion));
  const cookie = check.integer('options.metrics.fastopen_no_cookie', o.fastopen_no_cookie, 0, 1);
  if (cookie !== undefined) w.attrU32(RTAX_FASTOPEN_NO_COOKIE, cookie);
  if (o.rto_min !== undefined) w.attrU32(RTAX_LOCK, 1 << RTAX_RTO_MIN);
  return w.finish();
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

/**
 * An RTM_NEWROUTE request that adds a route, as `ip route add` does: NLM_F_REQUEST |
 * NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL (EEXIST if it is there), or NLM_F_REPLACE instead
 * of NLM_F_EXCL with `replace: true` (`ip route replace`). Defaults follow ip: table main,
 * protocol boot, type unicast, and ip's scope. The kernel answers with an acknowledgement.
 * Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addRouteRequest({ dst: '10.9.0.0/16', gateway: '10.1.0.2', ifindex: 3, protocol: 'static', metric: 50, seq: 7 }));
 */
export function addRouteRequest(options: RouteRequestOptions): Uint8Array {
  return routeMessage('addRouteRequest', RTM_NEWROUTE, options, true);
}

/**
 * An RTM_DELROUTE request (NLM_F_REQUEST | NLM_F_ACK) that removes the first route of the
 * table (default main) matching `dst` and whatever else is given, as `ip route del` does:
 * protocol, type and scope left out match any. The kernel answers with an acknowledgement
 * (ESRCH when nothing matches). Bad options, or `replace`, throw a `TypeError` naming the
 * option.
 *
 * @example
 * socket.send(deleteRouteRequest({ dst: '10.9.0.0/16', seq: 8 }));
 */
export function deleteRouteRequest(options: Omit<RouteRequestOptions, 'replace'>): Uint8Array {
  return routeMessage('deleteRouteRequest', RTM_DELROUTE, options, false);
}
