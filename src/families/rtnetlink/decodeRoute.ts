import { DecodeError } from '../../errors/DecodeError.js';
import { Attributes } from '../../netlink/Attributes.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AF_INET,
  AF_INET6,
  RTA_CACHEINFO,
  RTA_CACHEINFO_SIZE,
  RTA_DST,
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
  RTAX_CC_ALGO,
  RTAX_FEATURE_ECN,
  RTAX_FEATURES,
  RTAX_HOPLIMIT,
  RTAX_RTT,
  RTAX_RTTVAR,
  RTM_DELROUTE,
  RTM_F_CLONED,
  RTM_NEWROUTE,
  RTMSG_SIZE,
  RTNEXTHOP_SIZE,
} from './constants.js';
import { formatAddress } from './formatAddress.js';
import { interfaceName } from './interfaceName.js';
import { RawAttributes } from './RawAttributes.js';
import type { Route } from './Route.js';
import type { RouteNexthop } from './RouteNexthop.js';
import type { RtnetlinkDecodeOptions } from './RtnetlinkDecodeOptions.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

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
]) {
  MAPPED[t] = 1;
}
/** The same, for a route whose next hops carry attributes that `nexthops` does not show. */
const MAPPED_BUT_MULTIPATH = MAPPED.slice();
MAPPED_BUT_MULTIPATH[RTA_MULTIPATH] = 0;

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
 * One cursor for every top-level walk (no allocation per route): the walk finishes before
 * any caller code (an `ifname` lookup) runs, and lets go of the message's memory after.
 */
const EMPTY_VIEW = new DataView(new ArrayBuffer(0));
const cursor = new Attributes(EMPTY_VIEW, 0, 0);

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
  const messageType = message.type;
  if (messageType !== RTM_NEWROUTE && messageType !== RTM_DELROUTE) {
    throw new DecodeError(
      `message type ${messageType} is not RTM_NEWROUTE or RTM_DELROUTE`,
      message.offset,
    );
  }
  const bytes = message.bytes;
  const view = message.view;
  const header = message.payloadOffset;
  const end = message.end;
  if (end - header < RTMSG_SIZE) {
    throw new DecodeError(
      `route message: ${end - header}-byte payload is shorter than struct rtmsg (${RTMSG_SIZE} bytes)`,
      message.offset,
    );
  }
  const family = bytes[header];
  const dstLen = bytes[header + 1];
  const srcLen = bytes[header + 2];
  const tos = bytes[header + 3];
  const rtmTable = bytes[header + 4];
  const protocol = bytes[header + 5];
  const scope = bytes[header + 6];
  const routeType = bytes[header + 7];
  const rtmFlags = view.getUint32(header + 8, true);

  let dstAt = -1;
  let dstBytes = 0;
  let dstHeader = 0;
  let srcAt = -1;
  let srcBytes = 0;
  let srcHeader = 0;
  let gatewayAt = -1;
  let gatewayBytes = 0;
  let gatewayHeader = 0;
  let prefsrcAt = -1;
  let prefsrcBytes = 0;
  let prefsrcHeader = 0;
  let viaAt = -1;
  let viaBytes = 0;
  let viaHeader = 0;
  let metricsAt = -1;
  let metricsEnd = 0;
  let multipathAt = -1;
  let multipathEnd = 0;
  let cacheinfoAt = -1;
  let oif = -1;
  let iif = -1;
  let priority = -1;
  let table = -1;
  let pref = -1;
  let nhid = -1;
  let unmapped = false;

  const a = cursor.reset(view, header + RTMSG_SIZE, end);
  while (a.next()) {
    switch (a.type) {
      case RTA_DST:
        dstAt = a.offset;
        dstBytes = a.length;
        dstHeader = a.headerOffset;
        break;
      case RTA_SRC:
        srcAt = a.offset;
        srcBytes = a.length;
        srcHeader = a.headerOffset;
        break;
      case RTA_GATEWAY:
        gatewayAt = a.offset;
        gatewayBytes = a.length;
        gatewayHeader = a.headerOffset;
        break;
      case RTA_PREFSRC:
        prefsrcAt = a.offset;
        prefsrcBytes = a.length;
        prefsrcHeader = a.headerOffset;
        break;
      case RTA_OIF:
        oif = a.u32();
        break;
      case RTA_IIF:
        iif = a.u32();
        break;
      case RTA_PRIORITY:
        priority = a.u32();
        break;
      case RTA_TABLE:
        table = a.u32();
        break;
      case RTA_PREF:
        pref = a.u8();
        break;
      case RTA_NH_ID:
        nhid = a.u32();
        break;
      case RTA_VIA:
        if (a.length < 2) {
          throw new DecodeError(`RTA_VIA of ${a.length} bytes has no family`, a.headerOffset);
        }
        viaAt = a.offset;
        viaBytes = a.length;
        viaHeader = a.headerOffset;
        break;
      case RTA_METRICS:
        metricsAt = a.offset;
        metricsEnd = a.payloadEnd;
        break;
      case RTA_MULTIPATH:
        multipathAt = a.offset;
        multipathEnd = a.payloadEnd;
        break;
      case RTA_CACHEINFO:
        if (a.length < RTA_CACHEINFO_SIZE) {
          throw new DecodeError(
            `RTA_CACHEINFO of ${a.length} bytes is shorter than struct rta_cacheinfo`,
            a.headerOffset,
          );
        }
        cacheinfoAt = a.offset;
        break;
      default:
        unmapped = true;
    }
  }
  cursor.reset(EMPTY_VIEW, 0, 0);

  const hostLen = family === AF_INET ? 32 : family === AF_INET6 ? 128 : -1;
  let dst: string;
  if (dstAt >= 0) {
    const address = formatAddress(bytes, dstAt, dstBytes, family, dstHeader);
    dst = dstLen === hostLen ? address : `${address}/${dstLen}`;
  } else {
    dst = dstLen === 0 ? 'default' : `0/${dstLen}`;
  }
  const route = (
    messageType === RTM_DELROUTE
      ? { deleted: true, type: names.routeType(routeType), dst }
      : { type: names.routeType(routeType), dst }
  ) as Route;
  if (srcAt >= 0) {
    const address = formatAddress(bytes, srcAt, srcBytes, family, srcHeader);
    route.from = srcLen === hostLen ? address : `${address}/${srcLen}`;
  } else if (srcLen !== 0) {
    route.from = `0/${srcLen}`;
  }
  if (nhid >= 0) route.nhid = nhid;
  if (tos !== 0) route.tos = `0x${HEX2[tos]}`;
  if (gatewayAt >= 0) {
    route.gateway = formatAddress(bytes, gatewayAt, gatewayBytes, family, gatewayHeader);
  }
  if (viaAt >= 0) route.via = decodeVia(bytes, view, viaAt, viaBytes, viaHeader);
  if (oif >= 0) route.dev = interfaceName(options, oif);
  const tableId = table >= 0 ? table : rtmTable;
  if (tableId !== 0) route.table = names.table(tableId);
  if (!(rtmFlags & RTM_F_CLONED)) {
    route.protocol = names.protocol(protocol);
    route.scope = names.scope(scope);
  }
  if (prefsrcAt >= 0) {
    route.prefsrc = formatAddress(bytes, prefsrcAt, prefsrcBytes, family, prefsrcHeader);
  }
  if (priority >= 0) route.metric = priority;
  route.flags = names.routeFlags(rtmFlags);
  if (metricsAt >= 0) route.metrics = decodeMetrics(view, metricsAt, metricsEnd);
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
