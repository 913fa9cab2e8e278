import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET } from './constants.js';
import type { DecodeOptions } from './DecodeOptions.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import type { ConntrackInfo } from './readConntrackAttributes.js';
import { readNflogPacket } from './readNflogPacket.js';
import type { PacketTimestamp } from './readPacketTimestamp.js';
import type { PacketVlan } from './readPacketVlan.js';

/** One packet logged by nfnetlink_log (NFULNL_MSG_PACKET). */
export interface NflogPacket {
  /** The log group (`res_id`). */
  group: number;
  /** `nfgen_family`: NFPROTO_IPV4, NFPROTO_IPV6, NFPROTO_BRIDGE... */
  family: number;
  /** The link-layer protocol (ETH_P_IP 0x0800, ETH_P_IPV6 0x86dd...), host order. */
  hwProtocol: number;
  /** The netfilter hook (NF_INET_LOCAL_OUT...). */
  hook: number;
  /** NFULA_MARK: the packet mark (sent only when non-zero). */
  mark?: number;
  /** NFULA_TIMESTAMP (sent for PRE_ROUTING, LOCAL_IN and FORWARD). */
  timestamp?: PacketTimestamp;
  /** NFULA_IFINDEX_INDEV. */
  indev?: number;
  /** NFULA_IFINDEX_OUTDEV. */
  outdev?: number;
  /** NFULA_IFINDEX_PHYSINDEV (bridged packets). */
  physindev?: number;
  /** NFULA_IFINDEX_PHYSOUTDEV (bridged packets). */
  physoutdev?: number;
  /** NFULA_HWADDR: the source hardware address, `aa:bb:cc:dd:ee:ff`. */
  hwaddr?: string;
  /** NFULA_HWTYPE: ARPHRD_* of the input device. */
  hwtype?: number;
  /** NFULA_HWLEN: the hardware header length of the input device. */
  hwlen?: number;
  /** NFULA_HWHEADER: the link-layer header (a view unless decoded with `copy`). */
  hwheader?: Uint8Array;
  /** NFULA_PREFIX: the rule's log prefix. */
  prefix?: string;
  /** NFULA_UID: the fsuid of the sending socket's file, for local packets. */
  uid?: number;
  /** NFULA_GID. */
  gid?: number;
  /** NFULA_SEQ: the instance-local sequence number (NFULNL_CFG_F_SEQ). */
  seq?: number;
  /** NFULA_SEQ_GLOBAL: the global sequence number (NFULNL_CFG_F_SEQ_GLOBAL). */
  seqGlobal?: number;
  /** NFULA_CT (NFULNL_CFG_F_CONNTRACK): the packet's conntrack entry. */
  ct?: ConntrackInfo;
  /** NFULA_CT_INFO: enum ip_conntrack_info (IP_CT_NEW, IP_CT_ESTABLISHED...). */
  ctInfo?: number;
  /** NFULA_VLAN (bridge and netdev families). */
  vlan?: PacketVlan;
  /** NFULA_L2HDR: the full L2 header (a view unless decoded with `copy`). */
  l2hdr?: Uint8Array;
  /**
   * NFULA_PAYLOAD: the packet from its network header, cut to the copy range; absent with
   * NFULNL_COPY_META. A zero-copy view into the message's memory unless decoded with
   * `copy`: valid only while the frame is owned. Use `payload.slice()` to keep it.
   */
  payload?: Uint8Array;
}

const NFULNL_PACKET = nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET);

/**
 * Decodes one nfnetlink_log packet message. Several usually arrive in one datagram, followed
 * by an NLMSG_DONE when the kernel batched more than one: walk them with `walkMessages` and
 * decode those whose type is `nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET)`.
 *
 * Numbers come out in host order (the kernel sends them big-endian). Byte fields
 * (`payload`, `hwheader`, `l2hdr`) are zero-copy views into the frame by default: they go
 * stale when the frame is released, like the message itself. Decode with `{ copy: true }`,
 * copy the message first (`message.copy()`), or `slice()` the fields you keep, to hold a
 * packet past the synchronous `next()` that delivered it.
 *
 * Throws a {@link DecodeError} (with the byte offset) for a message of another type, one
 * without NFULA_PACKET_HDR, or malformed attributes; unknown attributes are skipped. A
 * message whose frame was released throws the frame's {@link NetlinkError}.
 *
 * @example
 * walkMessages(frame.view, frame.start, frame.length, (offset) => {
 *   const msg = NetlinkMessage.at(frame.bytes, frame.view, offset);
 *   if (msg.type === nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET)) {
 *     const p = decodeNflogPacket(msg);
 *     console.log(p.group, p.prefix, p.seq, p.payload?.length);
 *   }
 * });
 */
export function decodeNflogPacket(message: NetlinkMessage, options?: DecodeOptions): NflogPacket {
  if (message.type !== NFULNL_PACKET) {
    throw new DecodeError(
      `message type 0x${message.type.toString(16)} is not an NFULNL_MSG_PACKET`,
      message.offset,
    );
  }
  // The handle checks that its frame is still owned (a NetlinkError if not).
  return readNflogPacket(message.view, message.offset, options?.copy === true);
}
