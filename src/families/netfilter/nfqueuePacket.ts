import { DecodeError } from '../../errors/NetlinkError.js';
import {
  attrBe32,
  attrBytes,
  attributeHeader,
  attrString,
  withAttributeCursor,
} from '../../netlink/attributeReader.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { type ConntrackInfo, readConntrackAttributes } from './conntrack.js';
import { NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET, NFQNL_MSG_PACKET_HDR_LEN } from './constants.js';
import type { NflogPacket } from './nflogPacket.js';
import { checkNfgenmsg, nfnlMsgType } from './nfnetlink.js';
import {
  type DecodeOptions,
  type PacketTimestamp,
  type PacketVlan,
  readPacketHwaddr,
  readPacketTimestamp,
  readPacketVlan,
} from './packet.js';

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
  mark?: number | undefined;
  /** NFQA_TIMESTAMP (sent when the packet carries one, e.g. received packets). */
  timestamp?: PacketTimestamp | undefined;
  /** NFQA_IFINDEX_INDEV. */
  indev?: number | undefined;
  /** NFQA_IFINDEX_OUTDEV. */
  outdev?: number | undefined;
  /** NFQA_IFINDEX_PHYSINDEV (bridged packets). */
  physindev?: number | undefined;
  /** NFQA_IFINDEX_PHYSOUTDEV (bridged packets). */
  physoutdev?: number | undefined;
  /** NFQA_HWADDR: the source hardware address, `aa:bb:cc:dd:ee:ff`. */
  hwaddr?: string | undefined;
  /** NFQA_UID: the socket's uid (with NFQA_CFG_F_UID_GID). */
  uid?: number | undefined;
  /** NFQA_GID. */
  gid?: number | undefined;
  /** NFQA_SKB_INFO: NFQA_SKB_CSUMNOTREADY | NFQA_SKB_GSO | NFQA_SKB_CSUM_NOTVERIFIED (sent when non-zero). */
  skbInfo?: number | undefined;
  /** NFQA_CAP_LEN: the packet's full length, sent only when the payload was cut to the copy range. */
  capLen?: number | undefined;
  /** NFQA_CT (NFQA_CFG_F_CONNTRACK): the packet's conntrack entry. */
  ct?: ConntrackInfo | undefined;
  /** NFQA_CT_INFO: enum ip_conntrack_info (IP_CT_NEW, IP_CT_ESTABLISHED...). */
  ctInfo?: number | undefined;
  /** NFQA_SECCTX (NFQA_CFG_F_SECCTX). */
  secctx?: string | undefined;
  /** NFQA_PRIORITY: skb->priority. */
  priority?: number | undefined;
  /** NFQA_VLAN (bridge family). */
  vlan?: PacketVlan | undefined;
  /** NFQA_L2HDR: the full L2 header (a view unless decoded with `copy`). */
  l2hdr?: Uint8Array | undefined;
  /**
   * NFQA_PAYLOAD: the packet from its network header, cut to the copy range; absent with
   * NFQNL_COPY_META. A zero-copy view into the message's memory unless decoded with
   * `copy`: valid only while the frame is owned. Defer the frame while the verdict is
   * pending, or `slice()` it.
   */
  payload?: Uint8Array | undefined;
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

/**
 * The body of {@link decodeNfqueuePacket}, over raw memory: decodes the NFQNL_MSG_PACKET
 * whose nlmsghdr starts at `offset` in `view`, without a NetlinkMessage handle (the NFQUEUE
 * source calls it for each packet of a frame it owns). The caller has checked the message
 * type; everything else — the nfgenmsg, each attribute — is checked here, with the same
 * DecodeErrors and offsets as `decodeNfqueuePacket`.
 *
 * It is the hot path of an NFQUEUE stream, so it walks the attributes in place rather than
 * through an `Attributes` cursor, and allocates the packet and its byte views only (strings
 * that repeat — a hardware address, a security context — are made once each).
 *
 * Internal to the netfilter family.
 *
 * @example
 * declare function emit(packet: NfqueuePacket): void;
 * const PACKET = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);
 * if (view.getUint16(offset + 4, true) === PACKET) emit(readNfqueuePacket(view, offset, false));
 */
export function readNfqueuePacket(view: DataView, offset: number, copy: boolean): NfqueuePacket {
  const packet: NfqueuePacket = {
    queue: 0,
    id: -1,
    family: 0,
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
  readNfqueueFields(view, offset, packet, spans);
  packet.queue = view.getUint16(offset + 18, false);
  packet.family = view.getUint8(offset + 16);
  if (spans[0] >= 0) packet.l2hdr = nfqueueBytes(view, spans[0], copy);
  if (spans[1] >= 0) packet.payload = nfqueueBytes(view, spans[1], copy);
  return packet;
}

/** The byte fields' attributes of the last {@link readNfqueuePacket}. */
const spans = new Int32Array(2);

/**
 * The fields of an {@link NfqueuePacket} that {@link readNfqueueFields} sets: the
 * attributes' but the byte views, which it reports by where their attributes are. (`queue`
 * and `family` are the nfgenmsg's, at `offset + 18` and `offset + 16`.)
 */
export type NfqueueFields = Omit<NfqueuePacket, 'queue' | 'family' | 'l2hdr' | 'payload'>;

/**
 * The attribute walk of {@link readNfqueuePacket}, into an object the caller made: checks
 * the nfgenmsg, sets every field whose attribute the message carries on `packet` (the
 * others are left as they are; `id` must start negative), and writes the offset of the last
 * NFQA_L2HDR attribute to `spans[0]` and of the last NFQA_PAYLOAD to `spans[1]` (-1 when
 * absent) instead of making views of them: {@link nfqueueBytes} makes one. Every check
 * throws the DecodeError of `decodeNfqueuePacket`.
 *
 * So the NFQUEUE source decodes straight into the packet it emits, and makes the payload
 * view only when the pipeline reads it.
 *
 * Internal to the netfilter family and sources.
 *
 * @example
 * declare const fields: NfqueueFields;
 * const spans = new Int32Array(2);
 * readNfqueueFields(view, 0, fields, spans);
 * const payload = spans[1] < 0 ? undefined : nfqueueBytes(view, spans[1], false);
 */
export function readNfqueueFields(
  view: DataView,
  offset: number,
  packet: NfqueueFields,
  spans: Int32Array,
): void {
  checkNfgenmsg(view, offset);
  spans[0] = -1;
  spans[1] = -1;
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
      case 1: // NFQA_PACKET_HDR
        if (n < NFQNL_MSG_PACKET_HDR_LEN) {
          throw new DecodeError(
            `NFQA_PACKET_HDR: ${n} bytes, want ${NFQNL_MSG_PACKET_HDR_LEN}`,
            at,
          );
        }
        packet.id = view.getUint32(at + 4, false);
        packet.hwProtocol = view.getUint16(at + 8, false);
        packet.hook = view.getUint8(at + 10);
        break;
      case 3: // NFQA_MARK
        packet.mark = attrBe32(view, at, n);
        break;
      case 4: // NFQA_TIMESTAMP
        packet.timestamp = withAttributeCursor(view, at, end, readPacketTimestamp);
        break;
      case 5: // NFQA_IFINDEX_INDEV
        packet.indev = attrBe32(view, at, n);
        break;
      case 6: // NFQA_IFINDEX_OUTDEV
        packet.outdev = attrBe32(view, at, n);
        break;
      case 7: // NFQA_IFINDEX_PHYSINDEV
        packet.physindev = attrBe32(view, at, n);
        break;
      case 8: // NFQA_IFINDEX_PHYSOUTDEV
        packet.physoutdev = attrBe32(view, at, n);
        break;
      case 9: // NFQA_HWADDR
        packet.hwaddr = withAttributeCursor(view, at, end, readPacketHwaddr);
        break;
      case 16: // NFQA_UID
        packet.uid = attrBe32(view, at, n);
        break;
      case 17: // NFQA_GID
        packet.gid = attrBe32(view, at, n);
        break;
      case 14: // NFQA_SKB_INFO
        packet.skbInfo = attrBe32(view, at, n);
        break;
      case 13: // NFQA_CAP_LEN
        packet.capLen = attrBe32(view, at, n);
        break;
      case 11: // NFQA_CT
        packet.ct = readConntrackAttributes(view, at + NLA_HDRLEN, at + len);
        break;
      case 12: // NFQA_CT_INFO
        packet.ctInfo = attrBe32(view, at, n);
        break;
      case 18: // NFQA_SECCTX
        packet.secctx = attrString(view, at, n);
        break;
      case 21: // NFQA_PRIORITY
        packet.priority = attrBe32(view, at, n);
        break;
      case 19: // NFQA_VLAN
        packet.vlan = withAttributeCursor(view, at, end, readPacketVlan);
        break;
      case 20: // NFQA_L2HDR
        spans[0] = at;
        break;
      case 10: // NFQA_PAYLOAD
        spans[1] = at;
        break;
    }
    at += (len + 3) & ~3;
  }
  if (packet.id < 0) {
    throw new DecodeError('NFQNL_MSG_PACKET without NFQA_PACKET_HDR', offset);
  }
}

/**
 * The bytes of the attribute at `at` in `view` (an offset {@link readNfqueueFields} reported):
 * a view into `view`'s memory, or with `copy` a copy.
 *
 * Internal to the netfilter family and sources.
 *
 * @example
 * declare const fields: NfqueueFields;
 * const spans = new Int32Array(2);
 * readNfqueueFields(view, 0, fields, spans);
 * if (spans[1] >= 0) console.log(nfqueueBytes(view, spans[1], false).byteLength);
 */
export function nfqueueBytes(view: DataView, at: number, copy: boolean): Uint8Array {
  return attrBytes(view, at, view.getUint16(at, true) - NLA_HDRLEN, copy);
}

/**
 * A copy of a decoded packet that no longer points into its frame: the zero-copy byte
 * fields (`payload`, `hwheader`, `l2hdr`) are sliced, everything else is plain values
 * already. Call it inside the synchronous `next()` that delivered the frame, before the
 * frame is released — afterwards the views are stale and copying them copies garbage.
 * Decoding with `{ copy: true }` does the same in one pass.
 *
 * @example
 * const kept = detachPacket(decodeNfqueuePacket(msg)); // safe to hold across an await
 */
export function detachPacket<T extends NflogPacket | NfqueuePacket>(packet: T): T {
  const copy = { ...packet };
  if (copy.payload !== undefined) copy.payload = copy.payload.slice();
  if (copy.l2hdr !== undefined) copy.l2hdr = copy.l2hdr.slice();
  if ('hwheader' in copy && copy.hwheader !== undefined) copy.hwheader = copy.hwheader.slice();
  return copy;
}
