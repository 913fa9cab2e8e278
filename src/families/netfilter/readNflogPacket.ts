import { DecodeError } from '../../errors/DecodeError.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import { attrBe16 } from './attrBe16.js';
import { attrBe32 } from './attrBe32.js';
import { attrBytes } from './attrBytes.js';
import { attributeHeaderError } from './attributeHeaderError.js';
import { attrString } from './attrString.js';
import { checkNfgenmsg } from './checkNfgenmsg.js';
import { NFULNL_MSG_PACKET_HDR_LEN } from './constants.js';
import type { NflogPacket } from './decodeNflogPacket.js';
import { readConntrackAttributes } from './readConntrackAttributes.js';
import { readPacketHwaddr } from './readPacketHwaddr.js';
import { readPacketTimestamp } from './readPacketTimestamp.js';
import { readPacketVlan } from './readPacketVlan.js';
import { withAttributeCursor } from './withAttributeCursor.js';

/**
 * The body of {@link decodeNflogPacket}, over raw memory: decodes the NFULNL_MSG_PACKET
 * whose nlmsghdr starts at `offset` in `view`, without a NetlinkMessage handle (the NFLOG
 * source calls it for each message of a frame it owns). The caller has checked the message
 * type; everything else — the nfgenmsg, each attribute — is checked here, with the same
 * DecodeErrors and offsets as `decodeNflogPacket`.
 *
 * It is the hot path of an NFLOG stream, so it walks the attributes in place rather than
 * through an `Attributes` cursor, and allocates the packet and its byte views only: the
 * prefix string is made once per distinct prefix (it repeats), and so is a hardware address.
 *
 * Internal to the netfilter family.
 *
 * @example
 * if (view.getUint16(offset + 4, true) === PACKET) emit(readNflogPacket(view, offset, false));
 */
export function readNflogPacket(view: DataView, offset: number, copy: boolean): NflogPacket {
  checkNfgenmsg(view, offset);
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
    const remaining = end - at;
    const len = remaining < NLA_HDRLEN ? 0 : view.getUint16(at, true);
    if (len < NLA_HDRLEN || len > remaining) throw attributeHeaderError(view, at, end);
    const n = len - NLA_HDRLEN;
    switch (view.getUint16(at + 2, true) & NLA_TYPE_MASK) {
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
        packet.hwheader = attrBytes(view, at, n, copy);
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
        packet.l2hdr = attrBytes(view, at, n, copy);
        break;
      case 9: // NFULA_PAYLOAD
        packet.payload = attrBytes(view, at, n, copy);
        break;
    }
    at += Math.min((len + 3) & ~3, remaining);
  }
  if (packet.hook < 0) {
    throw new DecodeError('NFULNL_MSG_PACKET without NFULA_PACKET_HDR', offset);
  }
  return packet;
}
