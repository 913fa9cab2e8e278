/**
 * The nlmsg_type of a netfilter netlink message: an 8-bit subsystem and an 8-bit operation.
 *
 * ```
 * static inline u16 nfnl_msg_type(u8 subsys, u8 msg_type) { return subsys << 8 | msg_type; }
 * ```
 *
 * @example
 * nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_VERDICT); // 0x0301
 */
export function nfnlMsgType(subsys: number, msg: number): number {
  return ((subsys & 0xff) << 8) | (msg & 0xff);
}
