/**
 * The subsystem of a netfilter netlink message type (its high byte).
 *
 * ```
 * #define NFNL_SUBSYS_ID(x) ((x & 0xff00) >> 8)
 * ```
 *
 * @example
 * nfnlSubsysId(msg.type) === NFNL_SUBSYS_ULOG;
 */
export function nfnlSubsysId(type: number): number {
  return (type & 0xff00) >> 8;
}
