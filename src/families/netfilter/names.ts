import {
  NFPROTO_ARP,
  NFPROTO_BRIDGE,
  NFPROTO_IPV4,
  NFPROTO_IPV6,
  NFPROTO_NETDEV,
} from './constants.js';

// enum tcp_conntrack of <linux/netfilter/nf_conntrack_tcp.h>, in order; 9 is the obsolete
// LISTEN, reused as TCP_CONNTRACK_SYN_SENT2 (a simultaneous open).
const tcpStates = [
  'NONE',
  'SYN_SENT',
  'SYN_RECV',
  'ESTABLISHED',
  'FIN_WAIT',
  'CLOSE_WAIT',
  'LAST_ACK',
  'TIME_WAIT',
  'CLOSE',
  'SYN_SENT2',
];

/**
 * The name of a conntrack TCP state (CTA_PROTOINFO_TCP_STATE), as conntrack(8) prints it:
 * `ESTABLISHED` for 3, `TIME_WAIT` for 7. A number past the known states gives `UNKNOWN`.
 *
 * @example
 * tcpStateName(TCP_CONNTRACK_TIME_WAIT); // 'TIME_WAIT'
 */
export function tcpStateName(state: number): string {
  return tcpStates[state] ?? 'UNKNOWN';
}

// enum sctp_conntrack of <linux/netfilter/nf_conntrack_sctp.h>, in order.
const sctpStates = [
  'NONE',
  'CLOSED',
  'COOKIE_WAIT',
  'COOKIE_ECHOED',
  'ESTABLISHED',
  'SHUTDOWN_SENT',
  'SHUTDOWN_RECD',
  'SHUTDOWN_ACK_SENT',
  'HEARTBEAT_SENT',
  'HEARTBEAT_ACKED',
];

/**
 * The name of a conntrack SCTP state (CTA_PROTOINFO_SCTP_STATE): `ESTABLISHED` for 4.
 * A number past the known states gives `UNKNOWN`.
 *
 * @example
 * sctpStateName(4); // 'ESTABLISHED'
 */
export function sctpStateName(state: number): string {
  return sctpStates[state] ?? 'UNKNOWN';
}

// The names conntrack(8) prints for the layer-4 protocols it knows (as in /etc/protocols,
// except 58, which conntrack calls icmpv6).
const protocols: Record<number, string> = {
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
  return protocols[protocol] ?? 'unknown';
}

// enum ip_conntrack_status of <linux/netfilter/nf_conntrack_common.h>, by bit number, with
// the IPS_ prefix dropped.
const bits = [
  'EXPECTED',
  'SEEN_REPLY',
  'ASSURED',
  'CONFIRMED',
  'SRC_NAT',
  'DST_NAT',
  'SEQ_ADJUST',
  'SRC_NAT_DONE',
  'DST_NAT_DONE',
  'DYING',
  'FIXED_TIMEOUT',
  'TEMPLATE',
  'UNTRACKED',
  'HELPER',
  'OFFLOAD',
  'HW_OFFLOAD',
];

/**
 * The names of the IPS_* bits set in a CTA_STATUS word, lowest bit first, without the
 * `IPS_` prefix. Bits the header does not name come out as `BIT<n>`. conntrack(8) shows
 * `[UNREPLIED]` for an entry without SEEN_REPLY and `[ASSURED]` for ASSURED.
 *
 * @example
 * conntrackStatusNames(IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED); // ['SEEN_REPLY', 'ASSURED', 'CONFIRMED']
 */
export function conntrackStatusNames(status: number): string[] {
  const out: string[] = [];
  for (let bit = 0; bit < 32; bit++) {
    if ((status >>> bit) & 1) out.push(bits[bit] ?? `BIT${bit}`);
  }
  return out;
}

// The NFPROTO_* values of <linux/netfilter.h> that NFLOG and conntrack report, by the words
// ip(8) and nft(8) use for them.
const families: Readonly<Record<number, string>> = {
  [NFPROTO_IPV4]: 'inet',
  [NFPROTO_ARP]: 'arp',
  [NFPROTO_NETDEV]: 'netdev',
  [NFPROTO_BRIDGE]: 'bridge',
  [NFPROTO_IPV6]: 'inet6',
};

/**
 * The name of a netfilter family (`nfgen_family`, an NFPROTO_* number) as the command's
 * JSON and text give it: `inet` for 2, `inet6` for 10, `arp`, `netdev`, `bridge`; any other
 * number as its decimal text. `NflogPacket.family` and `ConntrackEntry.family` stay numbers.
 *
 * @example
 * nfFamilyName(NFPROTO_IPV6); // 'inet6'
 */
export function nfFamilyName(family: number): string {
  return families[family] ?? String(family);
}

// enum nf_inet_hooks of <linux/netfilter.h>, in order, by nft's names.
const hooks = ['prerouting', 'input', 'forward', 'output', 'postrouting', 'ingress'];

/**
 * The name of a netfilter hook (NFULA_PACKET_HDR's hook, an NF_INET_* number) as nft(8)
 * names it: `prerouting` for 0 … `postrouting` for 4, `ingress` for 5; any other number as
 * its decimal text.
 *
 * @example
 * nfHookName(NF_INET_LOCAL_OUT); // 'output'
 */
export function nfHookName(hook: number): string {
  return hooks[hook] ?? String(hook);
}
