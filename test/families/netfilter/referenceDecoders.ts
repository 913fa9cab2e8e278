import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { readConntrackAttributes } from '../../../src/families/netfilter/conntrack.js';
import {
  NFGENMSG_LEN,
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
  NFULNL_MSG_PACKET_HDR_LEN,
} from '../../../src/families/netfilter/constants.js';
import type { NflogPacket } from '../../../src/families/netfilter/nflogPacket.js';
import { nfnlMsgType, readNfgenmsg } from '../../../src/families/netfilter/nfnetlink.js';
import type { NfqueuePacket } from '../../../src/families/netfilter/nfqueuePacket.js';
import {
  type DecodeOptions,
  readPacketHwaddr,
  readPacketTimestamp,
  readPacketVlan,
} from '../../../src/families/netfilter/packet.js';
import type { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';

// The NFLOG and NFQUEUE packet decoders as first written, over an `Attributes` cursor: kept
// as the oracle that the in-place attribute walkers (readNflogPacket, readNfqueuePacket) must
// match, value for value and error for error.

const NFULNL_PACKET = nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET);
const NFQNL_PACKET = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);

/** decodeNflogPacket as first written. */
export function referenceDecodeNflogPacket(
  message: NetlinkMessage,
  options?: DecodeOptions,
): NflogPacket {
  if (message.type !== NFULNL_PACKET) {
    throw new DecodeError(
      `message type 0x${message.type.toString(16)} is not an NFULNL_MSG_PACKET`,
      message.offset,
    );
  }
  const copy = options?.copy === true;
  const { family, resId } = readNfgenmsg(message);
  const view = message.view;
  const packet: NflogPacket = {
    group: resId,
    family,
    hwProtocol: -1,
    hook: -1,
    mark: undefined,
    timestamp: undefined,
    indev: undefined,
    outdev: undefined,
    physindev: undefined,
    physoutdev: undefined,
    hwaddr: undefined,
    hwtype: undefined,
    hwlen: undefined,
    hwheader: undefined,
    prefix: undefined,
    uid: undefined,
    gid: undefined,
    seq: undefined,
    seqGlobal: undefined,
    ct: undefined,
    ctInfo: undefined,
    vlan: undefined,
    l2hdr: undefined,
    payload: undefined,
  };
  const a = message.attributes(NFGENMSG_LEN);
  while (a.next()) {
    switch (a.type) {
      case NFULA_PACKET_HDR:
        if (a.length < NFULNL_MSG_PACKET_HDR_LEN) {
          throw new DecodeError(
            `NFULA_PACKET_HDR: ${a.length} bytes, want ${NFULNL_MSG_PACKET_HDR_LEN}`,
            a.headerOffset,
          );
        }
        packet.hwProtocol = view.getUint16(a.offset, false);
        packet.hook = view.getUint8(a.offset + 2);
        break;
      case NFULA_MARK:
        packet.mark = a.be32();
        break;
      case NFULA_TIMESTAMP:
        packet.timestamp = readPacketTimestamp(view, a);
        break;
      case NFULA_IFINDEX_INDEV:
        packet.indev = a.be32();
        break;
      case NFULA_IFINDEX_OUTDEV:
        packet.outdev = a.be32();
        break;
      case NFULA_IFINDEX_PHYSINDEV:
        packet.physindev = a.be32();
        break;
      case NFULA_IFINDEX_PHYSOUTDEV:
        packet.physoutdev = a.be32();
        break;
      case NFULA_HWADDR:
        packet.hwaddr = readPacketHwaddr(view, a);
        break;
      case NFULA_HWTYPE:
        packet.hwtype = a.be16();
        break;
      case NFULA_HWLEN:
        packet.hwlen = a.be16();
        break;
      case NFULA_HWHEADER:
        packet.hwheader = copy ? a.copyBytes() : a.bytes();
        break;
      case NFULA_PREFIX:
        packet.prefix = a.string();
        break;
      case NFULA_UID:
        packet.uid = a.be32();
        break;
      case NFULA_GID:
        packet.gid = a.be32();
        break;
      case NFULA_SEQ:
        packet.seq = a.be32();
        break;
      case NFULA_SEQ_GLOBAL:
        packet.seqGlobal = a.be32();
        break;
      case NFULA_CT:
        packet.ct = readConntrackAttributes(view, a.offset, a.payloadEnd);
        break;
      case NFULA_CT_INFO:
        packet.ctInfo = a.be32();
        break;
      case NFULA_VLAN:
        packet.vlan = readPacketVlan(view, a);
        break;
      case NFULA_L2HDR:
        packet.l2hdr = copy ? a.copyBytes() : a.bytes();
        break;
      case NFULA_PAYLOAD:
        packet.payload = copy ? a.copyBytes() : a.bytes();
        break;
    }
  }
  if (packet.hook < 0) {
    throw new DecodeError('NFULNL_MSG_PACKET without NFULA_PACKET_HDR', message.offset);
  }
  return packet;
}

/** decodeNfqueuePacket as first written. */
export function referenceDecodeNfqueuePacket(
  message: NetlinkMessage,
  options?: DecodeOptions,
): NfqueuePacket {
  if (message.type !== NFQNL_PACKET) {
    throw new DecodeError(
      `message type 0x${message.type.toString(16)} is not an NFQNL_MSG_PACKET`,
      message.offset,
    );
  }
  const copy = options?.copy === true;
  const { family, resId } = readNfgenmsg(message);
  const view = message.view;
  const packet: NfqueuePacket = {
    queue: resId,
    id: -1,
    family,
    hwProtocol: 0,
    hook: 0,
    mark: undefined,
    timestamp: undefined,
    indev: undefined,
    outdev: undefined,
    physindev: undefined,
    physoutdev: undefined,
    hwaddr: undefined,
    uid: undefined,
    gid: undefined,
    skbInfo: undefined,
    capLen: undefined,
    ct: undefined,
    ctInfo: undefined,
    secctx: undefined,
    priority: undefined,
    vlan: undefined,
    l2hdr: undefined,
    payload: undefined,
  };
  const a = message.attributes(NFGENMSG_LEN);
  while (a.next()) {
    switch (a.type) {
      case NFQA_PACKET_HDR:
        if (a.length < NFQNL_MSG_PACKET_HDR_LEN) {
          throw new DecodeError(
            `NFQA_PACKET_HDR: ${a.length} bytes, want ${NFQNL_MSG_PACKET_HDR_LEN}`,
            a.headerOffset,
          );
        }
        packet.id = view.getUint32(a.offset, false);
        packet.hwProtocol = view.getUint16(a.offset + 4, false);
        packet.hook = view.getUint8(a.offset + 6);
        break;
      case NFQA_MARK:
        packet.mark = a.be32();
        break;
      case NFQA_TIMESTAMP:
        packet.timestamp = readPacketTimestamp(view, a);
        break;
      case NFQA_IFINDEX_INDEV:
        packet.indev = a.be32();
        break;
      case NFQA_IFINDEX_OUTDEV:
        packet.outdev = a.be32();
        break;
      case NFQA_IFINDEX_PHYSINDEV:
        packet.physindev = a.be32();
        break;
      case NFQA_IFINDEX_PHYSOUTDEV:
        packet.physoutdev = a.be32();
        break;
      case NFQA_HWADDR:
        packet.hwaddr = readPacketHwaddr(view, a);
        break;
      case NFQA_UID:
        packet.uid = a.be32();
        break;
      case NFQA_GID:
        packet.gid = a.be32();
        break;
      case NFQA_SKB_INFO:
        packet.skbInfo = a.be32();
        break;
      case NFQA_CAP_LEN:
        packet.capLen = a.be32();
        break;
      case NFQA_CT:
        packet.ct = readConntrackAttributes(view, a.offset, a.payloadEnd);
        break;
      case NFQA_CT_INFO:
        packet.ctInfo = a.be32();
        break;
      case NFQA_SECCTX:
        packet.secctx = a.string();
        break;
      case NFQA_PRIORITY:
        packet.priority = a.be32();
        break;
      case NFQA_VLAN:
        packet.vlan = readPacketVlan(view, a);
        break;
      case NFQA_L2HDR:
        packet.l2hdr = copy ? a.copyBytes() : a.bytes();
        break;
      case NFQA_PAYLOAD:
        packet.payload = copy ? a.copyBytes() : a.bytes();
        break;
    }
  }
  if (packet.id < 0) {
    throw new DecodeError('NFQNL_MSG_PACKET without NFQA_PACKET_HDR', message.offset);
  }
  return packet;
}

/** What a decoder did with some bytes: the packet, or its error's kind, text and offset. */
export function outcome(decode: () => unknown): unknown {
  try {
    return { value: decode() };
  } catch (error) {
    if (error instanceof DecodeError) return { error: ['DecodeError', error.message, error.at] };
    return { error: [String(error)] };
  }
}
