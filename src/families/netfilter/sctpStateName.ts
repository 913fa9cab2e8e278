// enum sctp_conntrack of <linux/netfilter/nf_conntrack_sctp.h>, in order.
const names = [
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
  return names[state] ?? 'UNKNOWN';
}
