import { parseAddress, parseHwaddr } from '../families/netfilter/address.js';
import type {
  ConntrackCounters,
  ConntrackEntry,
  ConntrackInfo,
  ConntrackTuple,
} from '../families/netfilter/conntrack.js';
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
  IPCTNL_MSG_CT_DELETE,
  IPCTNL_MSG_CT_NEW,
  IPPROTO_ICMPV6,
  IPPROTO_SCTP,
  NFNL_SUBSYS_CTNETLINK,
  NFNL_SUBSYS_QUEUE,
  NFNL_SUBSYS_ULOG,
  NFQA_CAP_LEN,
  NFQA_CT,
  NFQA_CT_INFO,
  NFQA_GID,
  NFQA_HWADDR,
  NFQA_IFINDEX_INDEV,
  NFQA_IFINDEX_OUTDEV,
  NFQA_IFINDEX_PHYSINDEV,
  NFQA_IFINDEX_PHYSOUTDEV,
  NFQA_L2HDR,
  NFQA_MARK,
  NFQA_PACKET_HDR,
  NFQA_PAYLOAD,
  NFQA_PRIORITY,
  NFQA_SECCTX,
  NFQA_SKB_INFO,
  NFQA_TIMESTAMP,
  NFQA_UID,
  NFQA_VLAN,
  NFQNL_MSG_PACKET,
  NFQNL_MSG_PACKET_HDR_LEN,
  NFULA_CT,
  NFULA_CT_INFO,
  NFULA_GID,
  NFULA_HWADDR,
  NFULA_HWHEADER,
  NFULA_HWLEN,
  NFULA_HWTYPE,
  NFULA_IFINDEX_INDEV,
  NFULA_IFINDEX_OUTDEV,
  NFULA_IFINDEX_PHYSINDEV,
  NFULA_IFINDEX_PHYSOUTDEV,
  NFULA_L2HDR,
  NFULA_MARK,
  NFULA_PACKET_HDR,
  NFULA_PAYLOAD,
  NFULA_PREFIX,
  NFULA_SEQ,
  NFULA_SEQ_GLOBAL,
  NFULA_TIMESTAMP,
  NFULA_UID,
  NFULA_VLAN,
  NFULNL_MSG_PACKET,
} from '../families/netfilter/constants.js';
import type { NflogPacket } from '../families/netfilter/nflogPacket.js';
import { beginNfnlMessage, checkUint, nfnlMsgType } from '../families/netfilter/nfnetlink.js';
import type { NfqueuePacket } from '../families/netfilter/nfqueuePacket.js';
import type { PacketTimestamp, PacketVlan } from '../families/netfilter/packet.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_MULTI } from '../netlink/constants.js';
import type { MessageWriter } from '../netlink/MessageWriter.js';

/**
 * Attribute writers shared by the NFLOG and NFQUEUE packet encoders (the two families lay
 * out timestamps, hardware addresses and VLAN nests the same way).
 *
 * @example
 * writePacketCommon.timestamp(w, NFQA_TIMESTAMP, { sec: 1, usec: 2 });
 */
const writePacketCommon = {
  /** `struct { __aligned_be64 sec; __aligned_be64 usec; }` */
  timestamp(w: MessageWriter, type: number, ts: PacketTimestamp): void {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(ts.sec), false);
    view.setBigUint64(8, BigInt(ts.usec), false);
    w.attr(type, bytes);
  },
  /** `struct { __be16 hw_addrlen; __u16 _pad; __u8 hw_addr[8]; }` */
  hwaddr(w: MessageWriter, type: number, hwaddr: string): void {
    const address = parseHwaddr(hwaddr);
    const bytes = new Uint8Array(12);
    new DataView(bytes.buffer).setUint16(0, address.length, false);
    bytes.set(address, 4);
    w.attr(type, bytes);
  },
  /** A nest of type 1 (vlan_proto) and type 2 (vlan_tci), both __be16. */
  vlan(w: MessageWriter, type: number, vlan: PacketVlan): void {
    const nest = w.nest(type);
    if (vlan.tci !== undefined) w.attrBe16(2, checkUint('vlan.tci', vlan.tci, 16));
    if (vlan.proto !== undefined) w.attrBe16(1, checkUint('vlan.proto', vlan.proto, 16));
    w.endNest(nest);
  },
};

/**
 * Appends an NFULNL_MSG_PACKET for `packet` to `w` as `__build_packet_message` lays it out
 * (same attributes, order and byte order), and returns `w`. The inverse of
 * {@link decodeNflogPacket}, for tests, replays and simulated kernels; a batch of several
 * is followed by an NLMSG_DONE, which the caller adds. Throws a RangeError or TypeError for
 * a field that does not fit.
 *
 * @example
 * const payload = new Uint8Array(20);
 * writeNflogPacket(w, { group: 7, family: AF_INET, hwProtocol: 0x0800, hook: netfilter.NF_INET_LOCAL_OUT, prefix: 'x', payload });
 */
export function writeNflogPacket(w: MessageWriter, packet: NflogPacket, seq = 0): MessageWriter {
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET),
    0,
    packet.family,
    packet.group,
    seq,
  );
  const hdr = new Uint8Array(4);
  new DataView(hdr.buffer).setUint16(0, checkUint('hwProtocol', packet.hwProtocol, 16), false);
  hdr[2] = checkUint('hook', packet.hook, 8);
  w.attr(NFULA_PACKET_HDR, hdr);
  if (packet.prefix !== undefined) w.attrString(NFULA_PREFIX, packet.prefix);
  const be32 = (type: number, name: string, value: number | undefined) => {
    if (value !== undefined) w.attrBe32(type, checkUint(name, value, 32));
  };
  be32(NFULA_IFINDEX_INDEV, 'indev', packet.indev);
  be32(NFULA_IFINDEX_PHYSINDEV, 'physindev', packet.physindev);
  be32(NFULA_IFINDEX_OUTDEV, 'outdev', packet.outdev);
  be32(NFULA_IFINDEX_PHYSOUTDEV, 'physoutdev', packet.physoutdev);
  be32(NFULA_MARK, 'mark', packet.mark);
  if (packet.hwaddr !== undefined) writePacketCommon.hwaddr(w, NFULA_HWADDR, packet.hwaddr);
  if (packet.hwtype !== undefined) w.attrBe16(NFULA_HWTYPE, checkUint('hwtype', packet.hwtype, 16));
  if (packet.hwlen !== undefined) w.attrBe16(NFULA_HWLEN, checkUint('hwlen', packet.hwlen, 16));
  if (packet.hwheader !== undefined) w.attr(NFULA_HWHEADER, packet.hwheader);
  if (packet.timestamp !== undefined) {
    writePacketCommon.timestamp(w, NFULA_TIMESTAMP, packet.timestamp);
  }
  be32(NFULA_UID, 'uid', packet.uid);
  be32(NFULA_GID, 'gid', packet.gid);
  be32(NFULA_SEQ, 'seq', packet.seq);
  be32(NFULA_SEQ_GLOBAL, 'seqGlobal', packet.seqGlobal);
  if (packet.ct !== undefined) {
    const nest = w.nest(NFULA_CT);
    writeConntrackAttributes(w, packet.ct);
    w.endNest(nest);
  }
  be32(NFULA_CT_INFO, 'ctInfo', packet.ctInfo);
  if (packet.vlan !== undefined) writePacketCommon.vlan(w, NFULA_VLAN, packet.vlan);
  if (packet.l2hdr !== undefined) w.attr(NFULA_L2HDR, packet.l2hdr);
  if (packet.payload !== undefined) w.attr(NFULA_PAYLOAD, packet.payload);
  return w.end();
}

/**
 * Appends an NFQNL_MSG_PACKET for `packet` to `w` as `nfqnl_build_packet_message` lays it
 * out (same attributes, order and byte order), and returns `w`. The inverse of
 * {@link decodeNfqueuePacket}, for tests, replays and simulated kernels. Throws a
 * RangeError or TypeError for a field that does not fit.
 *
 * @example
 * const payload = new Uint8Array(20);
 * writeNfqueuePacket(w, { queue: 0, id: 1, family: AF_INET, hwProtocol: 0x0800, hook: netfilter.NF_INET_LOCAL_OUT, payload });
 */
export function writeNfqueuePacket(
  w: MessageWriter,
  packet: NfqueuePacket,
  seq = 0,
): MessageWriter {
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET),
    0,
    packet.family,
    packet.queue,
    seq,
  );
  // struct nfqnl_msg_packet_hdr { __be32 packet_id; __be16 hw_protocol; __u8 hook; } (packed)
  const hdr = new Uint8Array(NFQNL_MSG_PACKET_HDR_LEN);
  const view = new DataView(hdr.buffer);
  view.setUint32(0, checkUint('id', packet.id, 32), false);
  view.setUint16(4, checkUint('hwProtocol', packet.hwProtocol, 16), false);
  hdr[6] = checkUint('hook', packet.hook, 8);
  w.attr(NFQA_PACKET_HDR, hdr);
  const be32 = (type: number, name: string, value: number | undefined) => {
    if (value !== undefined) w.attrBe32(type, checkUint(name, value, 32));
  };
  be32(NFQA_IFINDEX_INDEV, 'indev', packet.indev);
  be32(NFQA_IFINDEX_PHYSINDEV, 'physindev', packet.physindev);
  be32(NFQA_IFINDEX_OUTDEV, 'outdev', packet.outdev);
  be32(NFQA_IFINDEX_PHYSOUTDEV, 'physoutdev', packet.physoutdev);
  be32(NFQA_MARK, 'mark', packet.mark);
  be32(NFQA_PRIORITY, 'priority', packet.priority);
  if (packet.hwaddr !== undefined) writePacketCommon.hwaddr(w, NFQA_HWADDR, packet.hwaddr);
  if (packet.vlan !== undefined) writePacketCommon.vlan(w, NFQA_VLAN, packet.vlan);
  if (packet.l2hdr !== undefined) w.attr(NFQA_L2HDR, packet.l2hdr);
  if (packet.timestamp !== undefined) {
    writePacketCommon.timestamp(w, NFQA_TIMESTAMP, packet.timestamp);
  }
  be32(NFQA_UID, 'uid', packet.uid);
  be32(NFQA_GID, 'gid', packet.gid);
  if (packet.secctx !== undefined) w.attrString(NFQA_SECCTX, packet.secctx);
  if (packet.ct !== undefined) {
    const nest = w.nest(NFQA_CT);
    writeConntrackAttributes(w, packet.ct);
    w.endNest(nest);
  }
  be32(NFQA_CT_INFO, 'ctInfo', packet.ctInfo);
  be32(NFQA_CAP_LEN, 'capLen', packet.capLen);
  be32(NFQA_SKB_INFO, 'skbInfo', packet.skbInfo);
  if (packet.payload !== undefined) w.attr(NFQA_PAYLOAD, packet.payload);
  return w.end();
}

/**
 * Writes the CTA_* attributes of a conntrack entry into the message (or nest) open in `w`,
 * nested and in byte order as `ctnetlink_fill_info` and the NFQA_CT / NFULA_CT glue emit
 * them. The inverse of {@link readConntrackAttributes}: for tests, replays and
 * simulated kernels. Derived fields (`statusNames`, `proto`, protoinfo `state`) are not
 * written; their numbers are. Protoinfo goes out as TCP or SCTP after the original tuple's
 * protocol. Throws a RangeError or TypeError for a field that does not fit.
 *
 * @example
 * declare const ct: ConntrackInfo;
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

/** How a conntrack message is framed beyond its entry. */
export interface ConntrackMessageOptions {
  /** nlmsg_seq. Default 0 (events). */
  seq?: number | undefined;
  /** Mark it as part of a dump reply (NLM_F_MULTI). */
  multi?: boolean | undefined;
}

/**
 * Appends a ctnetlink message for `entry` to `w` as the kernel sends it, and returns `w`:
 * `destroy` as IPCTNL_MSG_CT_DELETE, `new` as IPCTNL_MSG_CT_NEW with NLM_F_CREATE |
 * NLM_F_EXCL, `update` as IPCTNL_MSG_CT_NEW without. The inverse of
 * {@link decodeConntrack}, for tests, replays and simulated kernels.
 *
 * @example
 * declare const entry: ConntrackEntry;
 * writeConntrack(w, { ...entry, type: 'destroy' }).finish();
 */
export function writeConntrack(
  w: MessageWriter,
  entry: ConntrackEntry,
  options: ConntrackMessageOptions = {},
): MessageWriter {
  const msg = entry.type === 'destroy' ? IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW;
  const flags =
    (entry.type === 'new' ? NLM_F_CREATE | NLM_F_EXCL : 0) | (options.multi ? NLM_F_MULTI : 0);
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_CTNETLINK, msg),
    flags,
    entry.family,
    0,
    options.seq ?? 0,
  );
  writeConntrackAttributes(w, entry);
  return w.end();
}
