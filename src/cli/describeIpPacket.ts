import { netfilter } from '../index.js';

/**
 * What {@link describeIpPacket} reads from an IP header.
 *
 * @example
 * const udp: IpPacketSummary = { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', sport: 5353, dport: 53, length: 60 };
 */
export interface IpPacketSummary {
  /** 4 or 6. */
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** The transport protocol by name (`tcp`, `udp`, `icmp`, …) or number. */
  readonly protocol: string;
  /** Ports of TCP, UDP, UDP-Lite, SCTP and DCCP packets whose header is there. */
  readonly sport?: number;
  readonly dport?: number;
  /** Bytes of the packet that were copied (from the network header on). */
  readonly length: number;
}

/** IP protocols whose header starts with a 16-bit source and destination port. */
const PORTS = new Set([6, 17, 33, 132, 136]);

/**
 * Reads the addresses, transport protocol and ports of a packet that starts at its IP
 * header (what NFLOG and NFQUEUE copy): IPv4 (header length from IHL) or IPv6 (ports only
 * when no extension header comes first). Undefined when the bytes are not a whole IPv4 or
 * IPv6 header.
 *
 * @example
 * describeIpPacket(packet.payload); // { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', sport: 5353, dport: 53, length: 60 }
 */
export function describeIpPacket(bytes: Uint8Array): IpPacketSummary | undefined {
  if (bytes.byteLength < 1) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[0] >> 4;
  let headerEnd: number;
  let number: number;
  let src: string;
  let dst: string;
  if (version === 4) {
    headerEnd = (bytes[0] & 0x0f) * 4;
    if (headerEnd < 20 || bytes.byteLength < headerEnd) return undefined;
    number = bytes[9];
    src = netfilter.formatAddress(view, 12, 4);
    dst = netfilter.formatAddress(view, 16, 4);
  } else if (version === 6) {
    headerEnd = 40;
    if (bytes.byteLength < headerEnd) return undefined;
    number = bytes[6];
    src = netfilter.formatAddress(view, 8, 16);
    dst = netfilter.formatAddress(view, 24, 16);
  } else {
    return undefined;
  }
  const name = netfilter.ipProtocolName(number);
  const summary = {
    version: version as 4 | 6,
    src,
    dst,
    protocol: name === 'unknown' ? String(number) : name,
    length: bytes.byteLength,
  };
  if (PORTS.has(number) && bytes.byteLength >= headerEnd + 4) {
    return {
      ...summary,
      sport: view.getUint16(headerEnd),
      dport: view.getUint16(headerEnd + 2),
    };
  }
  return summary;
}
