import { DecodeError } from '../../errors/DecodeError.js';
import { Attributes } from '../../netlink/Attributes.js';
import { conntrackStatusNames } from './conntrackStatusNames.js';
import {
  CTA_COUNTERS_BYTES,
  CTA_COUNTERS_ORIG,
  CTA_COUNTERS_PACKETS,
  CTA_COUNTERS_REPLY,
  CTA_COUNTERS32_BYTES,
  CTA_COUNTERS32_PACKETS,
  CTA_HELP,
  CTA_HELP_NAME,
  CTA_ID,
  CTA_IP_V4_DST,
  CTA_IP_V4_SRC,
  CTA_IP_V6_DST,
  CTA_IP_V6_SRC,
  CTA_LABELS,
  CTA_MARK,
  CTA_PROTO_DST_PORT,
  CTA_PROTO_ICMP_CODE,
  CTA_PROTO_ICMP_ID,
  CTA_PROTO_ICMP_TYPE,
  CTA_PROTO_ICMPV6_CODE,
  CTA_PROTO_ICMPV6_ID,
  CTA_PROTO_ICMPV6_TYPE,
  CTA_PROTO_NUM,
  CTA_PROTO_SRC_PORT,
  CTA_PROTOINFO,
  CTA_PROTOINFO_SCTP,
  CTA_PROTOINFO_SCTP_STATE,
  CTA_PROTOINFO_SCTP_VTAG_ORIGINAL,
  CTA_PROTOINFO_SCTP_VTAG_REPLY,
  CTA_PROTOINFO_TCP,
  CTA_PROTOINFO_TCP_FLAGS_ORIGINAL,
  CTA_PROTOINFO_TCP_FLAGS_REPLY,
  CTA_PROTOINFO_TCP_STATE,
  CTA_PROTOINFO_TCP_WSCALE_ORIGINAL,
  CTA_PROTOINFO_TCP_WSCALE_REPLY,
  CTA_SECCTX,
  CTA_SECCTX_NAME,
  CTA_STATUS,
  CTA_TIMEOUT,
  CTA_TIMESTAMP,
  CTA_TIMESTAMP_START,
  CTA_TIMESTAMP_STOP,
  CTA_TUPLE_IP,
  CTA_TUPLE_MASTER,
  CTA_TUPLE_ORIG,
  CTA_TUPLE_PROTO,
  CTA_TUPLE_REPLY,
  CTA_TUPLE_ZONE,
  CTA_USE,
  CTA_ZONE,
} from './constants.js';
import { formatAddress } from './formatAddress.js';
import { ipProtocolName } from './ipProtocolName.js';
import { sctpStateName } from './sctpStateName.js';
import { tcpStateName } from './tcpStateName.js';

/** One direction of a connection (CTA_TUPLE_ORIG, CTA_TUPLE_REPLY or CTA_TUPLE_MASTER). */
export interface ConntrackTuple {
  /** Source address, dotted quad or RFC 5952 text. */
  src: string;
  /** Destination address. */
  dst: string;
  /** The layer-4 protocol as conntrack(8) names it: `tcp`, `udp`, `icmp`, `unknown`... */
  proto: string;
  /** CTA_PROTO_NUM: the IP protocol number. */
  protoNumber: number;
  /** CTA_PROTO_SRC_PORT (TCP, UDP, SCTP, DCCP, UDP-Lite). */
  sport?: number;
  /** CTA_PROTO_DST_PORT. */
  dport?: number;
  /** CTA_PROTO_ICMP_TYPE or CTA_PROTO_ICMPV6_TYPE. */
  icmpType?: number;
  /** CTA_PROTO_ICMP_CODE or CTA_PROTO_ICMPV6_CODE. */
  icmpCode?: number;
  /** CTA_PROTO_ICMP_ID or CTA_PROTO_ICMPV6_ID. */
  icmpId?: number;
  /** CTA_TUPLE_ZONE: the zone of this direction, when the entry has directional zones. */
  zone?: number;
}

/** Packet and byte counters of one direction (CTA_COUNTERS_ORIG / _REPLY). */
export interface ConntrackCounters {
  packets: bigint;
  bytes: bigint;
}

/** CTA_PROTOINFO: the protocol tracker's state. */
export interface ConntrackProtoinfo {
  /** The state name, as conntrack(8) prints it (`ESTABLISHED`, `TIME_WAIT`...). */
  state: string;
  /** The state number (enum tcp_conntrack or enum sctp_conntrack). */
  stateNumber: number;
  /** TCP: window scale of the original direction. */
  wscaleOrig?: number;
  /** TCP: window scale of the reply direction. */
  wscaleReply?: number;
  /** TCP: IP_CT_TCP_FLAG_* of the original direction. */
  flagsOrig?: number;
  /** TCP: IP_CT_TCP_FLAG_* of the reply direction. */
  flagsReply?: number;
  /** SCTP: verification tag of the original direction. */
  vtagOrig?: number;
  /** SCTP: verification tag of the reply direction. */
  vtagReply?: number;
}

/** The CTA_* attributes of a conntrack entry, as ctnetlink sends them. */
export interface ConntrackInfo {
  /** CTA_TUPLE_ORIG. */
  orig: ConntrackTuple;
  /** CTA_TUPLE_REPLY. */
  reply: ConntrackTuple;
  /** CTA_TUPLE_MASTER: the master connection of an expected (related) one. */
  master?: ConntrackTuple;
  /** CTA_STATUS: IPS_* bits. */
  status?: number;
  /** The names of the bits set in {@link status} (`SEEN_REPLY`, `ASSURED`, `CONFIRMED`...). */
  statusNames: string[];
  /** CTA_TIMEOUT: seconds left. */
  timeout?: number;
  /** CTA_MARK. */
  mark?: number;
  /** CTA_ID. */
  id?: number;
  /** CTA_USE: reference count. */
  use?: number;
  /** CTA_ZONE. */
  zone?: number;
  /** CTA_PROTOINFO (TCP and SCTP). */
  protoinfo?: ConntrackProtoinfo;
  /** CTA_COUNTERS_ORIG / _REPLY, present when accounting is on (net.netfilter.nf_conntrack_acct). */
  counters?: { orig?: ConntrackCounters; reply?: ConntrackCounters };
  /** CTA_TIMESTAMP in nanoseconds, present when net.netfilter.nf_conntrack_timestamp is on. */
  timestamp?: { start?: bigint; stop?: bigint };
  /** CTA_HELP / CTA_HELP_NAME. */
  helper?: string;
  /** CTA_SECCTX / CTA_SECCTX_NAME. */
  secctx?: string;
  /** CTA_LABELS: the connlabel bitmap (a copy). */
  labels?: Uint8Array;
}

/**
 * Decodes the CTA_* attributes in `[start, end)` of `view` — the body of a ctnetlink
 * message, or the NFQA_CT / NFULA_CT nest of a queued or logged packet — into a
 * {@link ConntrackInfo}. Unknown attributes are skipped. Malformed input (a bad attribute
 * length, an address that is neither 4 nor 16 bytes, a missing CTA_TUPLE_ORIG/REPLY or a
 * tuple without addresses or protocol) throws a {@link DecodeError} with the byte offset.
 *
 * @example
 * const ct = readConntrackAttributes(a.view, a.offset, a.payloadEnd);
 * console.log(ct.orig.src, ct.orig.dport, ct.protoinfo?.state);
 */
export function readConntrackAttributes(view: DataView, start: number, end: number): ConntrackInfo {
  let orig: ConntrackTuple | undefined;
  let reply: ConntrackTuple | undefined;
  const info: Omit<ConntrackInfo, 'orig' | 'reply'> = {
    master: undefined,
    status: undefined,
    statusNames: [],
    timeout: undefined,
    mark: undefined,
    id: undefined,
    use: undefined,
    zone: undefined,
    protoinfo: undefined,
    counters: undefined,
    timestamp: undefined,
    helper: undefined,
    secctx: undefined,
    labels: undefined,
  };
  const a = new Attributes(view, start, end);
  while (a.next()) {
    switch (a.type) {
      case CTA_TUPLE_ORIG:
        orig = readTuple(view, a);
        break;
      case CTA_TUPLE_REPLY:
        reply = readTuple(view, a);
        break;
      case CTA_TUPLE_MASTER:
        info.master = readTuple(view, a);
        break;
      case CTA_STATUS:
        info.status = a.be32();
        info.statusNames = conntrackStatusNames(info.status);
        break;
      case CTA_TIMEOUT:
        info.timeout = a.be32();
        break;
      case CTA_MARK:
        info.mark = a.be32();
        break;
      case CTA_ID:
        info.id = a.be32();
        break;
      case CTA_USE:
        info.use = a.be32();
        break;
      case CTA_ZONE:
        info.zone = a.be16();
        break;
      case CTA_PROTOINFO:
        info.protoinfo = readProtoinfo(a);
        break;
      case CTA_COUNTERS_ORIG:
        info.counters ??= {};
        info.counters.orig = readCounters(a);
        break;
      case CTA_COUNTERS_REPLY:
        info.counters ??= {};
        info.counters.reply = readCounters(a);
        break;
      case CTA_TIMESTAMP:
        info.timestamp = readTimestamp(a);
        break;
      case CTA_HELP:
        info.helper = readName(a, CTA_HELP_NAME);
        break;
      case CTA_SECCTX:
        info.secctx = readName(a, CTA_SECCTX_NAME);
        break;
      case CTA_LABELS:
        info.labels = a.copyBytes();
        break;
    }
  }
  if (orig === undefined || reply === undefined) {
    throw new DecodeError(
      `conntrack attributes without ${orig === undefined ? 'CTA_TUPLE_ORIG' : 'CTA_TUPLE_REPLY'}`,
      start,
    );
  }
  return { orig, reply, ...info };
}

function readTuple(view: DataView, outer: Attributes): ConntrackTuple {
  const tuple: ConntrackTuple = {
    src: '',
    dst: '',
    proto: 'unknown',
    protoNumber: -1,
    sport: undefined,
    dport: undefined,
    icmpType: undefined,
    icmpCode: undefined,
    icmpId: undefined,
    zone: undefined,
  };
  const a = outer.nested();
  while (a.next()) {
    switch (a.type) {
      case CTA_TUPLE_IP: {
        const ip = a.nested();
        while (ip.next()) {
          const v4 = ip.type === CTA_IP_V4_SRC || ip.type === CTA_IP_V4_DST;
          const v6 = ip.type === CTA_IP_V6_SRC || ip.type === CTA_IP_V6_DST;
          if (!v4 && !v6) continue;
          if (ip.length !== (v4 ? 4 : 16)) {
            throw new DecodeError(
              `CTA_IP attribute type ${ip.type}: ${ip.length}-byte address, want ${v4 ? 4 : 16}`,
              ip.headerOffset,
            );
          }
          const text = formatAddress(view, ip.offset, ip.length);
          if (ip.type === CTA_IP_V4_SRC || ip.type === CTA_IP_V6_SRC) tuple.src = text;
          else tuple.dst = text;
        }
        break;
      }
      case CTA_TUPLE_PROTO: {
        const p = a.nested();
        while (p.next()) {
          switch (p.type) {
            case CTA_PROTO_NUM:
              tuple.protoNumber = p.u8();
              tuple.proto = ipProtocolName(tuple.protoNumber);
              break;
            case CTA_PROTO_SRC_PORT:
              tuple.sport = p.be16();
              break;
            case CTA_PROTO_DST_PORT:
              tuple.dport = p.be16();
              break;
            case CTA_PROTO_ICMP_ID:
            case CTA_PROTO_ICMPV6_ID:
              tuple.icmpId = p.be16();
              break;
            case CTA_PROTO_ICMP_TYPE:
            case CTA_PROTO_ICMPV6_TYPE:
              tuple.icmpType = p.u8();
              break;
            case CTA_PROTO_ICMP_CODE:
            case CTA_PROTO_ICMPV6_CODE:
              tuple.icmpCode = p.u8();
              break;
          }
        }
        break;
      }
      case CTA_TUPLE_ZONE:
        tuple.zone = a.be16();
        break;
    }
  }
  if (tuple.src === '' || tuple.dst === '') {
    throw new DecodeError(
      'conntrack tuple without source and destination address',
      outer.headerOffset,
    );
  }
  if (tuple.protoNumber < 0) {
    throw new DecodeError('conntrack tuple without CTA_PROTO_NUM', outer.headerOffset);
  }
  return tuple;
}

function readProtoinfo(outer: Attributes): ConntrackProtoinfo | undefined {
  let info: ConntrackProtoinfo | undefined;
  const a = outer.nested();
  while (a.next()) {
    if (a.type === CTA_PROTOINFO_TCP) {
      info = { state: 'NONE', stateNumber: 0 };
      const t = a.nested();
      while (t.next()) {
        switch (t.type) {
          case CTA_PROTOINFO_TCP_STATE:
            info.stateNumber = t.u8();
            info.state = tcpStateName(info.stateNumber);
            break;
          case CTA_PROTOINFO_TCP_WSCALE_ORIGINAL:
            info.wscaleOrig = t.u8();
            break;
          case CTA_PROTOINFO_TCP_WSCALE_REPLY:
            info.wscaleReply = t.u8();
            break;
          // struct nf_ct_tcp_flags { __u8 flags; __u8 mask; }: the flags byte is the state.
          case CTA_PROTOINFO_TCP_FLAGS_ORIGINAL:
            info.flagsOrig = t.u8();
            break;
          case CTA_PROTOINFO_TCP_FLAGS_REPLY:
            info.flagsReply = t.u8();
            break;
        }
      }
    } else if (a.type === CTA_PROTOINFO_SCTP) {
      info = { state: 'NONE', stateNumber: 0 };
      const s = a.nested();
      while (s.next()) {
        switch (s.type) {
          case CTA_PROTOINFO_SCTP_STATE:
            info.stateNumber = s.u8();
            info.state = sctpStateName(info.stateNumber);
            break;
          case CTA_PROTOINFO_SCTP_VTAG_ORIGINAL:
            info.vtagOrig = s.be32();
            break;
          case CTA_PROTOINFO_SCTP_VTAG_REPLY:
            info.vtagReply = s.be32();
            break;
        }
      }
    }
  }
  return info;
}

function readCounters(outer: Attributes): ConntrackCounters {
  const counters: ConntrackCounters = { packets: 0n, bytes: 0n };
  const a = outer.nested();
  while (a.next()) {
    switch (a.type) {
      case CTA_COUNTERS_PACKETS:
        counters.packets = a.be64();
        break;
      case CTA_COUNTERS_BYTES:
        counters.bytes = a.be64();
        break;
      case CTA_COUNTERS32_PACKETS:
        counters.packets = BigInt(a.be32());
        break;
      case CTA_COUNTERS32_BYTES:
        counters.bytes = BigInt(a.be32());
        break;
    }
  }
  return counters;
}

function readTimestamp(outer: Attributes): { start?: bigint; stop?: bigint } {
  const ts: { start?: bigint; stop?: bigint } = {};
  const a = outer.nested();
  while (a.next()) {
    if (a.type === CTA_TIMESTAMP_START) ts.start = a.be64();
    else if (a.type === CTA_TIMESTAMP_STOP) ts.stop = a.be64();
  }
  return ts;
}

function readName(outer: Attributes, type: number): string | undefined {
  const a = outer.nested();
  while (a.next()) if (a.type === type) return a.string();
  return undefined;
}
