import { describe, expect, it } from 'vitest';
import { describeIpPacket } from '../../src/cli/nflog.js';

/** An IPv4 header (IHL `ihl`, protocol `proto`, 10.0.0.1 → 10.0.0.2) and then `rest`. */
function ipv4(proto: number, rest: number[], ihl = 5): Uint8Array {
  // biome-ignore format: byte literals four per line
  const header = [
    0x40 | ihl, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x40, 0x00,
    0x40, proto, 0x00, 0x00,
    0x0a, 0x00, 0x00, 0x01,
    0x0a, 0x00, 0x00, 0x02,
  ];
  const options = new Array(Math.max(0, ihl - 5) * 4).fill(0x01);
  return new Uint8Array([...header, ...options, ...rest]);
}

/** An IPv6 header (next header `next`, fd00::1 → fd00::2) and then `rest`. */
function ipv6(next: number, rest: number[]): Uint8Array {
  // biome-ignore format: byte literals four per line
  const address = (last: number) => [
    0xfd, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, last,
  ];
  // biome-ignore format: byte literals four per line
  const header = [
    0x60, 0x00, 0x00, 0x00,
    0x00, rest.length, next, 0x40,
  ];
  return new Uint8Array([...header, ...address(1), ...address(2), ...rest]);
}

/** Source port 0x1234 (4660), destination 0x0035 (53). */
const PORTS = [0x12, 0x34, 0x00, 0x35];

describe('describeIpPacket', () => {
  it.each([
    {
      name: 'IPv4 UDP with ports',
      bytes: ipv4(17, [...PORTS, 0x00, 0x08, 0x00, 0x00]),
      summary: {
        version: 4,
        src: '10.0.0.1',
        dst: '10.0.0.2',
        protocol: 'udp',
        sport: 4660,
        dport: 53,
        length: 28,
      },
    },
    {
      name: 'IPv4 with options: ports after IHL × 4 bytes',
      bytes: ipv4(6, PORTS, 6),
      summary: {
        version: 4,
        src: '10.0.0.1',
        dst: '10.0.0.2',
        protocol: 'tcp',
        sport: 4660,
        dport: 53,
        length: 28,
      },
    },
    {
      name: 'IPv4 ICMP: no ports',
      bytes: ipv4(1, [0x08, 0x00, 0x00, 0x00]),
      summary: { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 'icmp', length: 24 },
    },
    {
      name: 'IPv4 cut before the ports',
      bytes: ipv4(17, [0x12, 0x34]),
      summary: { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', length: 22 },
    },
    {
      name: 'an unnamed protocol prints its number',
      bytes: ipv4(253, []),
      summary: { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: '253', length: 20 },
    },
    {
      name: 'IPv6 TCP with ports',
      bytes: ipv6(6, PORTS),
      summary: {
        version: 6,
        src: 'fd00::1',
        dst: 'fd00::2',
        protocol: 'tcp',
        sport: 4660,
        dport: 53,
        length: 44,
      },
    },
    {
      name: 'IPv6 ICMPv6',
      bytes: ipv6(58, [0x80, 0x00, 0x00, 0x00]),
      summary: { version: 6, src: 'fd00::1', dst: 'fd00::2', protocol: 'icmpv6', length: 44 },
    },
  ])('$name', ({ bytes, summary }) => {
    expect(describeIpPacket(bytes)).toEqual(summary);
  });

  it.each([
    { name: 'empty', bytes: new Uint8Array(0) },
    { name: 'an IPv4 header cut short', bytes: ipv4(17, []).subarray(0, 19) },
    { name: 'an IHL below 5', bytes: ipv4(17, [], 4) },
    { name: 'an IPv6 header cut short', bytes: ipv6(6, []).subarray(0, 39) },
    { name: 'not IP (an ARP packet)', bytes: new Uint8Array([0x00, 0x01, 0x08, 0x00]) },
  ])('$name: undefined', ({ bytes }) => {
    expect(describeIpPacket(bytes)).toBeUndefined();
  });

  it('reads a view into a larger buffer at its own offset', () => {
    const packet = ipv4(17, PORTS);
    const buffer = new Uint8Array(packet.byteLength + 8);
    buffer.set(packet, 8);
    expect(describeIpPacket(buffer.subarray(8))).toMatchObject({ src: '10.0.0.1', dport: 53 });
  });
});
