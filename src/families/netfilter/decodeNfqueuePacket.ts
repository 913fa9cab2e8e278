import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET } from './constants.js';
import type { DecodeOptions } from './DecodeOptions.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import type { ConntrackInfo } from './readConntrackAttributes.js';
import { readNfqueuePacket } from './readNfqueuePacket.js';
import type { PacketTimestamp } from './readPacketTimestamp.js';
import type { PacketVlan } from './readPacketVlan.js';

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
  // The handle checks that its frame is still owned (a NetlinkError if not).
  return readNfqueuePacket(message.view, message.offset, options?.copy === true);
}
