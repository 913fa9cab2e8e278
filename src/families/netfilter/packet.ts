import { DecodeError } from '../../errors/NetlinkError.js';
import type { Attributes } from '../../netlink/Attributes.js';
import { StringCache } from '../../netlink/attributeReader.js';

/**
 * Options of the packet decoders ({@link decodeNflogPacket}, {@link decodeNfqueuePacket}).
 *
 * @example
 * const packet = decodeNfqueuePacket(msg, { copy: true }); // keeps its payload past the frame
 */
export interface DecodeOptions {
  /**
   * Copy byte fields (payload, hardware header, L2 header) out of the message instead of
   * returning views into it. Default false: zero-copy views, valid only while the frame the
   * message came in is owned (during `next()`, or until a deferred frame is released).
   */
  copy?: boolean | undefined;
}

/** Addresses repeat from packet to packet (a flow's peer): format each one once. */
const formatted = new StringCache((view, at, length) => {
  const parts: string[] = [];
  for (let i = 0; i < length; i++)
    parts.push(
      view
        .getUint8(at + i)
        .toString(16)
        .padStart(2, '0'),
    );
  return parts.join(':');
});

/**
 * Reads the NFULA_HWADDR / NFQA_HWADDR payload at the cursor —
 * `struct { __be16 hw_addrlen; __u16 _pad; __u8 hw_addr[8]; }` — as lowercase hex bytes
 * joined by `:` (`52:54:00:12:34:56`), only the first `hw_addrlen` bytes. Throws a
 * {@link DecodeError} when the payload is shorter than its header or its stated length.
 *
 * @example
 * declare const a: Attributes;
 * declare const packet: NfqueuePacket;
 * if (a.type === NFQA_HWADDR) packet.hwaddr = readPacketHwaddr(view, a);
 */
export function readPacketHwaddr(view: DataView, a: Attributes): string {
  if (a.length < 4) {
    throw new DecodeError(`hwaddr attribute type ${a.type}: ${a.length} bytes`, a.headerOffset);
  }
  const length = view.getUint16(a.offset, false);
  if (length > 8 || 4 + length > a.length) {
    throw new DecodeError(
      `hwaddr attribute type ${a.type}: hw_addrlen ${length} exceeds its ${a.length - 4}-byte field`,
      a.headerOffset,
    );
  }
  return formatted.get(view, a.offset + 4, length);
}

/** When the kernel stamped a packet: `struct nf{ul,qn}l_msg_packet_timestamp`. */
export interface PacketTimestamp {
  /** Seconds since the epoch. */
  sec: number;
  /** Microseconds within the second. */
  usec: number;
}

/**
 * Reads the NFULA_TIMESTAMP / NFQA_TIMESTAMP payload at the cursor:
 * `struct { __aligned_be64 sec; __aligned_be64 usec; }`. Each be64 is read as two be32
 * halves, exact below 2^53. Throws a {@link DecodeError} when the payload is short.
 *
 * @example
 * declare const a: Attributes;
 * declare const packet: NfqueuePacket;
 * if (a.type === NFULA_TIMESTAMP) packet.timestamp = readPacketTimestamp(view, a);
 */
export function readPacketTimestamp(view: DataView, a: Attributes): PacketTimestamp {
  if (a.length < 16) {
    throw new DecodeError(
      `timestamp attribute type ${a.type}: ${a.length} bytes, want 16`,
      a.headerOffset,
    );
  }
  const at = a.offset;
  return {
    sec: view.getUint32(at, false) * 0x1_0000_0000 + view.getUint32(at + 4, false),
    usec: view.getUint32(at + 8, false) * 0x1_0000_0000 + view.getUint32(at + 12, false),
  };
}

/** The VLAN tag of a bridged or netdev packet (NFULA_VLAN / NFQA_VLAN). */
export interface PacketVlan {
  /** `vlan_proto`: 0x8100 or 0x88a8. */
  proto?: number | undefined;
  /** `vlan_tci`: priority, DEI and VLAN id. */
  tci?: number | undefined;
}

/**
 * Reads the nested NFULA_VLAN / NFQA_VLAN attribute at the cursor: type 1 is the protocol,
 * type 2 the TCI, both __be16 in both families. It takes the view it does not need so that
 * it has the shape of readPacketTimestamp and readPacketHwaddr, and withAttributeCursor
 * calls all three alike.
 *
 * @example
 * declare const a: Attributes;
 * declare const packet: NfqueuePacket;
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
