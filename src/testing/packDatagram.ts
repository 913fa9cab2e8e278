import { nlmsgAlign } from '../netlink/NetlinkMessage.js';

/**
 * Several netlink messages packed into one datagram, each starting at an NLMSG_ALIGN'ed
 * offset, as the kernel packs a dump step: one datagram becomes one ring frame (RING-SPEC
 * §4.4), and a reader walks the messages in it.
 *
 * @example
 * declare const socket: SimSocket;
 * const [route1, route2, route3] = [1, 2, 3].map((n) => buildRouteMessage({ family: 2, dst: [10, n, 0, 0], dstLen: 16, table: 254 }));
 * socket.dump([packDatagram([route1, route2]), packDatagram([route3])], { seq: 1 });
 */
export function packDatagram(messages: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const m of messages) length += nlmsgAlign(m.byteLength);
  const out = new Uint8Array(length);
  let at = 0;
  for (const m of messages) {
    out.set(m, at);
    at += nlmsgAlign(m.byteLength);
  }
  return out;
}
