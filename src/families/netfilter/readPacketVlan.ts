import type { Attributes } from '../../netlink/Attributes.js';

/** The VLAN tag of a bridged or netdev packet (NFULA_VLAN / NFQA_VLAN). */
export interface PacketVlan {
  /** `vlan_proto`: 0x8100 or 0x88a8. */
  proto?: number;
  /** `vlan_tci`: priority, DEI and VLAN id. */
  tci?: number;
}

/**
 * Reads the nested NFULA_VLAN / NFQA_VLAN attribute at the cursor: type 1 is the protocol,
 * type 2 the TCI, both __be16 in both families. It takes the view it does not need so that
 * it has the shape of readPacketTimestamp and readPacketHwaddr, and withAttributeCursor
 * calls all three alike.
 *
 * @example
 * if (a.type === NFQA_VLAN) packet.vlan = readPacketVlan(view, a);
 */
export function readPacketVlan(_view: DataView, a: Attributes): PacketVlan {
  const vlan: PacketVlan = {};
  const n = a.nested();
  while (n.next()) {
    if (n.type === 1) vlan.proto = n.be16();
    else if (n.type === 2) vlan.tci = n.be16();
  }
  return vlan;
}
