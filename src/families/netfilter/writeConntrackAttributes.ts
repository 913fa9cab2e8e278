import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { checkUint } from './checkUint.js';
import {
  CTA_COUNTERS_BYTES,
  CTA_COUNTERS_ORIG,
  CTA_COUNTERS_PACKETS,
  CTA_COUNTERS_REPLY,
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
  IPPROTO_ICMPV6,
  IPPROTO_SCTP,
} from './constants.js';
import { parseAddress } from './parseAddress.js';
import type {
  ConntrackCounters,
  ConntrackInfo,
  ConntrackTuple,
} from './readConntrackAttributes.js';

/**
 * Writes the CTA_* attributes of a conntrack entry into the message (or nest) open in `w`,
 * nested and in byte order as `ctnetlink_fill_info` and the NFQA_CT / NFULA_CT glue emit
 * them. The inverse of {@link readConntrackAttributes}: for tests, replays and
 * simulated kernels. Derived fields (`statusNames`, `proto`, protoinfo `state`) are not
 * written; their numbers are. Protoinfo goes out as TCP or SCTP after the original tuple's
 * protocol. Throws a RangeError or TypeError for a field that does not fit.
 *
 * @example
 * const nest = w.nest(NFQA_CT); writeConntrackAttributes(w, ct); w.endNest(nest);
 */
export function writeConntrackAttributes(w: MessageWriter, info: ConntrackInfo): MessageWriter {
  writeTuple(w, CTA_TUPLE_ORIG, info.orig);
  writeTuple(w, CTA_TUPLE_REPLY, info.reply);
  if (info.id !== undefined) w.attrBe32(CTA_ID, checkUint('id', info.id, 32));
  if (info.status !== undefined) w.attrBe32(CTA_STATUS, checkUint('status', info.status, 32));
  if (info.counters?.orig !== undefined) writeCounters(w, CTA_COUNTERS_ORIG, info.counters.orig);
  if (info.counters?.reply !== undefined) {
    writeCounters(w, CTA_COUNTERS_REPLY, info.counters.reply);
  }
  if (info.timestamp !== undefined) {
    const nest = w.nest(CTA_TIMESTAMP);
    if (info.timestamp.start !== undefined) w.attrBe64(CTA_TIMESTAMP_START, info.timestamp.start);
    if (info.timestamp.stop !== undefined) w.attrBe64(CTA_TIMESTAMP_STOP, info.timestamp.stop);
    w.endNest(nest);
  }
  if (info.timeout !== undefined) w.attrBe32(CTA_TIMEOUT, checkUint('timeout', info.timeout, 32));
  if (info.protoinfo !== undefined) {
    const p = info.protoinfo;
    const nest = w.nest(CTA_PROTOINFO);
    if (info.orig.protoNumber === IPPROTO_SCTP) {
      const inner = w.nest(CTA_PROTOINFO_SCTP);
      w.attrU8(CTA_PROTOINFO_SCTP_STATE, checkUint('state', p.stateNumber, 8));
      if (p.vtagOrig !== undefined) w.attrBe32(CTA_PROTOINFO_SCTP_VTAG_ORIGINAL, p.vtagOrig);
      if (p.vtagReply !== undefined) w.attrBe32(CTA_PROTOINFO_SCTP_VTAG_REPLY, p.vtagReply);
      w.endNest(inner);
    } else {
      const inner = w.nest(CTA_PROTOINFO_TCP);
      w.attrU8(CTA_PROTOINFO_TCP_STATE, checkUint('state', p.stateNumber, 8));
      if (p.wscaleOrig !== undefined) w.attrU8(CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, p.wscaleOrig);
      if (p.wscaleReply !== undefined) w.attrU8(CTA_PROTOINFO_TCP_WSCALE_REPLY, p.wscaleReply);
      // struct nf_ct_tcp_flags { __u8 flags; __u8 mask; }
      if (p.flagsOrig !== undefined) {
        w.attr(CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, Uint8Array.of(p.flagsOrig, 0));
      }
      if (p.flagsReply !== undefined) {
        w.attr(CTA_PROTOINFO_TCP_FLAGS_REPLY, Uint8Array.of(p.flagsReply, 0));
      }
      w.endNest(inner);
    }
    w.endNest(nest);
  }
  if (info.helper !== undefined) {
    const nest = w.nest(CTA_HELP);
    w.attrString(CTA_HELP_NAME, info.helper);
    w.endNest(nest);
  }
  if (info.mark !== undefined) w.attrBe32(CTA_MARK, checkUint('mark', info.mark, 32));
  if (info.secctx !== undefined) {
    const nest = w.nest(CTA_SECCTX);
    w.attrString(CTA_SECCTX_NAME, info.secctx);
    w.endNest(nest);
  }
  if (info.labels !== undefined) w.attr(CTA_LABELS, info.labels);
  if (info.zone !== undefined) w.attrBe16(CTA_ZONE, checkUint('zone', info.zone, 16));
  if (info.use !== undefined) w.attrBe32(CTA_USE, checkUint('use', info.use, 32));
  if (info.master !== undefined) writeTuple(w, CTA_TUPLE_MASTER, info.master);
  return w;
}

function writeTuple(w: MessageWriter, type: number, t: ConntrackTuple): void {
  const src = parseAddress(t.src);
  const dst = parseAddress(t.dst);
  if (src.length !== dst.length) {
    throw new TypeError(`tuple mixes address families: ${t.src} and ${t.dst}`);
  }
  const v4 = src.length === 4;
  const nest = w.nest(type);
  const ip = w.nest(CTA_TUPLE_IP);
  w.attr(v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC, src);
  w.attr(v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST, dst);
  w.endNest(ip);
  const proto = w.nest(CTA_TUPLE_PROTO);
  w.attrU8(CTA_PROTO_NUM, checkUint('protoNumber', t.protoNumber, 8));
  if (t.sport !== undefined) w.attrBe16(CTA_PROTO_SRC_PORT, checkUint('sport', t.sport, 16));
  if (t.dport !== undefined) w.attrBe16(CTA_PROTO_DST_PORT, checkUint('dport', t.dport, 16));
  const v6icmp = t.protoNumber === IPPROTO_ICMPV6;
  if (t.icmpId !== undefined) {
    w.attrBe16(v6icmp ? CTA_PROTO_ICMPV6_ID : CTA_PROTO_ICMP_ID, checkUint('icmpId', t.icmpId, 16));
  }
  if (t.icmpType !== undefined) {
    w.attrU8(
      v6icmp ? CTA_PROTO_ICMPV6_TYPE : CTA_PROTO_ICMP_TYPE,
      checkUint('icmpType', t.icmpType, 8),
    );
  }
  if (t.icmpCode !== undefined) {
    w.attrU8(
      v6icmp ? CTA_PROTO_ICMPV6_CODE : CTA_PROTO_ICMP_CODE,
      checkUint('icmpCode', t.icmpCode, 8),
    );
  }
  w.endNest(proto);
  if (t.zone !== undefined) w.attrBe16(CTA_TUPLE_ZONE, checkUint('zone', t.zone, 16));
  w.endNest(nest);
}

function writeCounters(w: MessageWriter, type: number, c: ConntrackCounters): void {
  const nest = w.nest(type);
  w.attrBe64(CTA_COUNTERS_PACKETS, c.packets);
  w.attrBe64(CTA_COUNTERS_BYTES, c.bytes);
  w.endNest(nest);
}
