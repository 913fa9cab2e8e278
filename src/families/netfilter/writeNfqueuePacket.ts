import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginNfnlMessage } from './beginNfnlMessage.js';
import { checkUint } from './checkUint.js';
import {
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
import type { NfqueuePacket } from './decodeNfqueuePacket.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import { writeConntrackAttributes } from './writeConntrackAttributes.js';
import { writePacketCommon } from './writePacketCommon.js';

/**
 * Appends an NFQNL_MSG_PACKET for `packet` to `w` as `nfqnl_build_packet_message` lays it
 * out (same attributes, order and byte order), and returns `w`. The inverse of
 * {@link decodeNfqueuePacket}, for tests, replays and simulated kernels. Throws a
 * RangeError or TypeError for a field that does not fit.
 *
 * @example
 * writeNfqueuePacket(w, { queue: 0, id: 1, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT, payload });
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
