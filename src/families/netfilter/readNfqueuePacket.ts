import { DecodeError } from '../../errors/DecodeError.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import { attrBe32 } from './attrBe32.js';
import { attrBytes } from './attrBytes.js';
import { attributeHeaderError } from './attributeHeaderError.js';
import { attrString } from './attrString.js';
import { checkNfgenmsg } from './checkNfgenmsg.js';
import { NFQNL_MSG_PACKET_HDR_LEN } from './constants.js';
import type { NfqueuePacket } from './decodeNfqueuePacket.js';
import { readConntrackAttributes } from './readConntrackAttributes.js';
import { readPacketHwaddr } from './readPacketHwaddr.js';
import { readPacketTimestamp } from './readPacketTimestamp.js';
import { readPacketVlan } from './readPacketVlan.js';
import { withAttributeCursor } from './withAttributeCursor.js';

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
 * if (view.getUint16(offset + 4, true) === PACKET) emit(readNfqueuePacket(view, offset, false));
 */
export function readNfqueuePacket(view: DataView, offset: number, copy: boolean): NfqueuePacket {
  checkNfgenmsg(view, offset);
  const packet: NfqueuePacket = {
    queue: view.getUint16(offset + 18, false),
    id: -1,
    family: view.getUint8(offset + 16),
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
  const end = offset + view.getUint32(offset, true);
  // NLA_F_NESTED/NLA_F_NET_BYTEORDER are masked off the type, as Attributes does. The cases
  // are literal numbers (the kernel's names beside them): V8 compiles a switch over small
  // literal integers to a jump table, but over imported constants to a chain of compares,
  // which cost ~40 ns a packet here. The round-trip tests check every number.
  for (let at = offset + 20; at < end; ) {
    const remaining = end - at;
    const len = remaining < NLA_HDRLEN ? 0 : view.getUint16(at, true);
    if (len < NLA_HDRLEN || len > remaining) throw attributeHeaderError(view, at, end);
    const n = len - NLA_HDRLEN;
    switch (view.getUint16(at + 2, true) & NLA_TYPE_MASK) {
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
        packet.l2hdr = attrBytes(view, at, n, copy);
        break;
      case 10: // NFQA_PAYLOAD
        packet.payload = attrBytes(view, at, n, copy);
        break;
    }
    at += Math.min((len + 3) & ~3, remaining);
  }
  if (packet.id < 0) {
    throw new DecodeError('NFQNL_MSG_PACKET without NFQA_PACKET_HDR', offset);
  }
  return packet;
}
