import { DecodeError } from '../../errors/DecodeError.js';
import type { Attributes } from '../../netlink/Attributes.js';

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
