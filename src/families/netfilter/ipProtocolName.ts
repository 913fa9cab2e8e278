// The names conntrack(8) prints for the layer-4 protocols it knows (as in /etc/protocols,
// except 58, which conntrack calls icmpv6).
const names: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  6: 'tcp',
  17: 'udp',
  33: 'dccp',
  47: 'gre',
  58: 'icmpv6',
  132: 'sctp',
  136: 'udplite',
};

/**
 * The name conntrack(8) uses for an IP protocol number: `tcp` for 6, `icmpv6` for 58, and
 * `unknown` for a number it has no tracker for.
 *
 * @example
 * ipProtocolName(17); // 'udp'
 */
export function ipProtocolName(protocol: number): string {
  return names[protocol] ?? 'unknown';
}
