import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  NFGENMSG_LEN,
  NFNL_SUBSYS_QUEUE,
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
} from './constants.js';
import type { DecodeOptions } from './DecodeOptions.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import { type ConntrackInfo, readConntrackAttributes } from './readConntrackAttributes.js';
import { readNfgenmsg } from './readNfgenmsg.js';
import { readPacketHwaddr } from './readPacketHwaddr.js';
import { type PacketTimestamp, readPacketTimestamp } from './readPacketTimestamp.js';
import { type PacketVlan, readPacketVlan } from './readPacketVlan.js';

/** One packet queued to userspace by nfnetlink_queue (NFQNL_MSG_PACKET). */
export interface NfqueuePacket {
  /** The queue number (`res_id`). */
  queue: number;
  /** NFQA_PACKET_HDR `packet_id`: what a verdict names. Increases by one per queued packet (mod 2^32). */
  id: number;
  /** `nfgen_family`: NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_BRIDGE... */
  family: number;
  /** The link-layer protocol (ETH_P_IP 0x0800, ETH_P_IPV6 0x86dd...), host order. */
  hwProtocol: number;
  /** The netfilter hook (NF_INET_LOCAL_OUT...). */
  hook: number;
  /** NFQA_MARK (sent only when non-zero). */
  mark?: number;
  /** NFQA_TIMESTAMP (sent when the packet carries one, e.g. received packets). */
  timestamp?: PacketTimestamp;
  /** NFQA_IFINDEX_INDEV. */
  indev?: number;
  /** NFQA_IFINDEX_OUTDEV. */
  outdev?: number;
  /** NFQA_IFINDEX_PHYSINDEV (bridged packets). */
  physindev?: number;
  /** NFQA_IFINDEX_PHYSOUTDEV (bridged packets). */
  physoutdev?: number;
  /** NFQA_HWADDR: the source hardware address, `aa:bb:cc:dd:ee:ff`. */
  hwaddr?: string;
  /** NFQA_UID: the socket's uid (with NFQA_CFG_F_UID_GID). */
  uid?: number;
  /** NFQA_GID. */
  gid?: number;
  /** NFQA_SKB_INFO: NFQA_SKB_CSUMNOTREADY | NFQA_SKB_GSO | NFQA_SKB_CSUM_NOTVERIFIED (sent when non-zero). */
  skbInfo?: number;
  /** NFQA_CAP_LEN: the packet's full length, sent only when the payload was cut to the copy range. */
  capLen?: number;
  /** NFQA_CT (NFQA_CFG_F_CONNTRACK): the packet's conntrack entry. */
  ct?: ConntrackInfo;
  /** NFQA_CT_INFO: enum ip_conntrack_info (IP_CT_NEW, IP_CT_ESTABLISHED...). */
  ctInfo?: number;
  /** NFQA_SECCTX (NFQA_CFG_F_SECCTX). */
  secctx?: string;
  /** NFQA_PRIORITY: skb->priority. */
  priority?: number;
  /** NFQA_VLAN (bridge family). */
  vlan?: PacketVlan;
  /** NFQA_L2HDR: the full L2 header (a view unless decoded with `copy`). */
  l2hdr?: Uint8Array;
  /**
   * NFQA_PAYLOAD: the packet from its network header, cut to the copy range; absent with
   * NFQNL_COPY_META. A zero-copy view into the message's memory unless decoded with
   * `copy`: valid only while the frame is owned. Defer the frame while the verdict is
   * pending, or `slice()` it.
   */
  payload?: Uint8Array;
}

const NFQNL_PACKET = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);

/**
 * Decodes one nfnetlink_queue packet message. The kernel sends one message per datagram
 * (and expects one verdict per packet id, or a batch verdict).
 *
 * Numbers come out in host order (the kernel sends them big-endian). Byte fields
 * (`payload`, `l2hdr`) are zero-copy views into the frame by default: they go stale when
 * the frame is released. Decode with `{ copy: true }`, copy the message first
 * (`message.copy()`), or defer the frame until the verdict is sent.
 *
 * Throws a {@link DecodeError} (with the byte offset) for a message of another type, one
 * without NFQA_PACKET_HDR, or malformed attributes; unknown attributes are skipped.
 *
 * @example
 * const p = decodeNfqueuePacket(msg);
 * const verdict = p.payload && p.payload[9] === IPPROTO_UDP ? NF_DROP : NF_ACCEPT;
 * socket.send(writeNfqueueVerdict(new MessageWriter(), { queue: p.queue, id: p.id, verdict }).finish());
 */
export function decodeNfqueuePacket(
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
        packet.vlan = readPacketVlan(a);
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
