import { DecodeError } from '../../errors/NetlinkError.js';
import {
  attrBe16,
  attrBe32,
  attrBytes,
  attributeHeader,
  attrString,
  withAttributeCursor,
} from '../../netlink/attributeReader.js';
import { NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN } from '../../netlink/constants.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { type ConntrackInfo, readConntrackAttributes } from './conntrack.js';
import {
  NFGENMSG_LEN,
  NFNL_SUBSYS_ULOG,
  NFULNL_MSG_PACKET,
  NFULNL_MSG_PACKET_HDR_LEN,
} from './constants.js';
import { checkNfgenmsg, nfnlMsgType } from './nfnetlink.js';
import {
  type DecodeOptions,
  type PacketTimestamp,
  type PacketVlan,
  readPacketHwaddr,
  readPacketTimestamp,
  readPacketVlan,
} from './packet.js';

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
  mark?: number | undefined;
  /** NFULA_TIMESTAMP (sent for PRE_ROUTING, LOCAL_IN and FORWARD). */
  timestamp?: PacketTimestamp | undefined;
  /** NFULA_IFINDEX_INDEV. */
  indev?: number | undefined;
  /** NFULA_IFINDEX_OUTDEV. */
  outdev?: number | undefined;
  /** NFULA_IFINDEX_PHYSINDEV (bridged packets). */
  physindev?: number | undefined;
  /** NFULA_IFINDEX_PHYSOUTDEV (bridged packets). */
  physoutdev?: number | undefined;
  /** NFULA_HWADDR: the source hardware address, `aa:bb:cc:dd:ee:ff`. */
  hwaddr?: string | undefined;
  /** NFULA_HWTYPE: ARPHRD_* of the input device. */
  hwtype?: number | undefined;
  /** NFULA_HWLEN: the hardware header length of the input device. */
  hwlen?: number | undefined;
  /** NFULA_HWHEADER: the link-layer header (a view unless decoded with `copy`). */
  hwheader?: Uint8Array | undefined;
  /** NFULA_PREFIX: the rule's log prefix. */
  prefix?: string | undefined;
  /** NFULA_UID: the fsuid of the sending socket's file, for local packets. */
  uid?: number | undefined;
  /** NFULA_GID. */
  gid?: number | undefined;
  /** NFULA_SEQ: the instance-local sequence number (NFULNL_CFG_F_SEQ). */
  seq?: number | undefined;
  /** NFULA_SEQ_GLOBAL: the global sequence number (NFULNL_CFG_F_SEQ_GLOBAL). */
  seqGlobal?: number | undefined;
  /** NFULA_CT (NFULNL_CFG_F_CONNTRACK): the packet's conntrack entry. */
  ct?: ConntrackInfo | undefined;
  /** NFULA_CT_INFO: enum ip_conntrack_info (IP_CT_NEW, IP_CT_ESTABLISHED...). */
  ctInfo?: number | undefined;
  /** NFULA_VLAN (bridge and netdev families). */
  vlan?: PacketVlan | undefined;
  /** NFULA_L2HDR: the full L2 header (a view unless decoded with `copy`). */
  l2hdr?: Uint8Array | undefined;
  /**
   * NFULA_PAYLOAD: the packet from its network header, cut to the copy range; absent with
   * NFULNL_COPY_META. A zero-copy view into the message's memory unless decoded with
   * `copy`: valid only while the frame is owned. Use `payload.slice()` to keep it.
   */
  payload?: Uint8Array | undefined;
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

/**
 * The body of {@link decodeNflogPacket}, over raw memory: decodes the NFULNL_MSG_PACKET
 * whose nlmsghdr starts at `offset` in `view`, without a NetlinkMessage handle (the NFLOG
 * source calls it for each message of a frame it owns). The caller has checked the message
 * type; everything else — the nfgenmsg, each attribute — is checked here, with the same
 * DecodeErrors and offsets as `decodeNflogPacket`. A caller that walked the message with
 * `walkMessages` (so it lies inside `view`) may pass `view.byteOffset` as `walked`, which
 * skips re-reading it and the view's length for every packet.
 *
 * It is the hot path of an NFLOG stream, so it walks the attributes in place rather than
 * through an `Attributes` cursor, and allocates the packet and its byte views only: the
 * prefix string is made once per distinct prefix (it repeats), and so is a hardware address.
 *
 * Internal to the netfilter family.
 *
 * @example
 * declare function emit(packet: NflogPacket): void;
 * const PACKET = nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET);
 * if (view.getUint16(offset + 4, true) === PACKET) emit(readNflogPacket(view, offset, false));
 */
export function readNflogPacket(
  view: DataView,
  offset: number,
  copy: boolean,
  walked = -1,
): NflogPacket {
  // `view.byteOffset` and `view.byteLength` are builtin calls, not loads: a source that
  // walked the frame passes the offset once, and only a payload short of an nfgenmsg (the
  // one thing its walk did not check) goes through the whole check.
  let base = walked;
  if (base < 0) {
    checkNfgenmsg(view, offset);
    base = view.byteOffset;
  } else if (view.getUint32(offset, true) < NLMSG_HDRLEN + NFGENMSG_LEN) {
    checkNfgenmsg(view, offset);
  }
  const packet: NflogPacket = {
    group: view.getUint16(offset + 18, false),
    family: view.getUint8(offset + 16),
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
  const end = offset + view.getUint32(offset, true);
  // NLA_F_NESTED/NLA_F_NET_BYTEORDER are masked off the type, as Attributes does. The cases
  // are literal numbers (the kernel's names beside them): V8 compiles a switch over small
  // literal integers to a jump table, but over imported constants to a chain of compares,
  // which cost ~40 ns a packet here. The round-trip tests check every number.
  for (let at = offset + 20; at < end; ) {
    const header = attributeHeader(view, at, end);
    const len = header & 0xffff;
    const n = len - NLA_HDRLEN;
    switch ((header >>> 16) & NLA_TYPE_MASK) {
      case 1: // NFULA_PACKET_HDR
        if (n < NFULNL_MSG_PACKET_HDR_LEN) {
          throw new DecodeError(
            `NFULA_PACKET_HDR: ${n} bytes, want ${NFULNL_MSG_PACKET_HDR_LEN}`,
            at,
          );
        }
        packet.hwProtocol = view.getUint16(at + 4, false);
        packet.hook = view.getUint8(at + 6);
        break;
      case 2: // NFULA_MARK
        packet.mark = attrBe32(view, at, n);
        break;
      case 3: // NFULA_TIMESTAMP
        packet.timestamp = withAttributeCursor(view, at, end, readPacketTimestamp);
        break;
      case 4: // NFULA_IFINDEX_INDEV
        packet.indev = attrBe32(view, at, n);
        break;
      case 5: // NFULA_IFINDEX_OUTDEV
        packet.outdev = attrBe32(view, at, n);
        break;
      case 6: // NFULA_IFINDEX_PHYSINDEV
        packet.physindev = attrBe32(view, at, n);
        break;
      case 7: // NFULA_IFINDEX_PHYSOUTDEV
        packet.physoutdev = attrBe32(view, at, n);
        break;
      case 8: // NFULA_HWADDR
        packet.hwaddr = withAttributeCursor(view, at, end, readPacketHwaddr);
        break;
      case 15: // NFULA_HWTYPE
        packet.hwtype = attrBe16(view, at, n);
        break;
      case 17: // NFULA_HWLEN
        packet.hwlen = attrBe16(view, at, n);
        break;
      case 16: // NFULA_HWHEADER
        packet.hwheader = attrBytes(view, at, n, copy, base);
        break;
      case 10: // NFULA_PREFIX
        packet.prefix = attrString(view, at, n);
        break;
      case 11: // NFULA_UID
        packet.uid = attrBe32(view, at, n);
        break;
      case 14: // NFULA_GID
        packet.gid = attrBe32(view, at, n);
        break;
      case 12: // NFULA_SEQ
        packet.seq = attrBe32(view, at, n);
        break;
      case 13: // NFULA_SEQ_GLOBAL
        packet.seqGlobal = attrBe32(view, at, n);
        break;
      case 18: // NFULA_CT
        packet.ct = readConntrackAttributes(view, at + NLA_HDRLEN, at + len);
        break;
      case 19: // NFULA_CT_INFO
        packet.ctInfo = attrBe32(view, at, n);
        break;
      case 20: // NFULA_VLAN
        packet.vlan = withAttributeCursor(view, at, end, readPacketVlan);
        break;
      case 21: // NFULA_L2HDR
        packet.l2hdr = attrBytes(view, at, n, copy, base);
        break;
      case 9: // NFULA_PAYLOAD
        packet.payload = attrBytes(view, at, n, copy, base);
        break;
    }
    at += (len + 3) & ~3;
  }
  if (packet.hook < 0) {
    throw new DecodeError('NFULNL_MSG_PACKET without NFULA_PACKET_HDR', offset);
  }
  return packet;
}
