// enum tcp_conntrack of <linux/netfilter/nf_conntrack_tcp.h>, in order; 9 is the obsolete
// LISTEN, reused as TCP_CONNTRACK_SYN_SENT2 (a simultaneous open).
const names = [
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
  return names[state] ?? 'UNKNOWN';
}
