import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginNfnlMessage } from './beginNfnlMessage.js';
import { checkUint } from './checkUint.js';
import {
  NFNL_SUBSYS_ULOG,
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
} from './constants.js';
import type { NflogPacket } from './decodeNflogPacket.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import { writeConntrackAttributes } from './writeConntrackAttributes.js';
import { writePacketCommon } from './writePacketCommon.js';

/**
 * Appends an NFULNL_MSG_PACKET for `packet` to `w` as `__build_packet_message` lays it out
 * (same attributes, order and byte order), and returns `w`. The inverse of
 * {@link decodeNflogPacket}, for tests, replays and simulated kernels; a batch of several
 * is followed by an NLMSG_DONE, which the caller adds. Throws a RangeError or TypeError for
 * a field that does not fit.
 *
 * @example
 * writeNflogPacket(w, { group: 7, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT, prefix: 'x', payload });
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
