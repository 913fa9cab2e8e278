import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { checkUint } from './checkUint.js';
import { parseHwaddr } from './parseHwaddr.js';
import type { PacketTimestamp } from './readPacketTimestamp.js';
import type { PacketVlan } from './readPacketVlan.js';

/**
 * Attribute writers shared by the NFLOG and NFQUEUE packet encoders (the two families lay
 * out timestamps, hardware addresses and VLAN nests the same way).
 *
 * @example
 * writePacketCommon.timestamp(w, NFQA_TIMESTAMP, { sec: 1, usec: 2 });
 */
export const writePacketCommon = {
  /** `struct { __aligned_be64 sec; __aligned_be64 usec; }` */
  timestamp(w: MessageWriter, type: number, ts: PacketTimestamp): void {
    const bytes = new Uint8Array(16);
    const view = new DataView(bytes.buffer);
    view.setBigUint64(0, BigInt(ts.sec), false);
    view.setBigUint64(8, BigInt(ts.usec), false);
    w.attr(type, bytes);
  },
  /** `struct { __be16 hw_addrlen; __u16 _pad; __u8 hw_addr[8]; }` */
  hwaddr(w: MessageWriter, type: number, hwaddr: string): void {
    const address = parseHwaddr(hwaddr);
    const bytes = new Uint8Array(12);
    new DataView(bytes.buffer).setUint16(0, address.length, false);
    bytes.set(address, 4);
    w.attr(type, bytes);
  },
  /** A nest of type 1 (vlan_proto) and type 2 (vlan_tci), both __be16. */
  vlan(w: MessageWriter, type: number, vlan: PacketVlan): void {
    const nest = w.nest(type);
    if (vlan.tci !== undefined) w.attrBe16(2, checkUint('vlan.tci', vlan.tci, 16));
    if (vlan.proto !== undefined) w.attrBe16(1, checkUint('vlan.proto', vlan.proto, 16));
    w.endNest(nest);
  },
};
