import { NLM_F_DUMP, NLM_F_REQUEST } from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { argumentChecker } from './argumentChecker.js';
import { AF_UNSPEC, RTA_OIF, RTA_TABLE, RTM_GETROUTE, RTMSG_SIZE } from './constants.js';
import { rtnetlinkNames } from './rtnetlinkNames.js';

/**
 * Options of {@link routeDumpRequest}.
 *
 * @example
 * routeDumpRequest({ family: AF_INET6, table: 'main', protocol: 'kernel' });
 */
export interface RouteDumpOptions {
  /** `rtm_family`: AF_UNSPEC (default, IPv4 and IPv6), AF_INET or AF_INET6. */
  family?: number;
  /**
   * Only this table (id or name: "main", "local", "default"), as `rtm_table` and RTA_TABLE.
   * Without it every table is dumped. Like the other filters, honoured only on a socket with
   * NETLINK_GET_STRICT_CHK; otherwise the kernel dumps everything and the caller filters.
   */
  table?: number | string;
  /** Only routes of this protocol (`rtm_protocol`; id or name such as "static"). */
  protocol?: number | string;
  /** Only routes through this interface (RTA_OIF). */
  ifindex?: number;
  /** `nlmsg_seq` (default 0). */
  seq?: number;
}

/**
 * An RTM_GETROUTE dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full `struct rtmsg`
 * whose lengths, TOS, scope and type are 0, as strict checking requires. Every table is
 * dumped unless `table` is given. Replies decode with {@link decodeRoute}. Bad options
 * throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(routeDumpRequest({ family: AF_INET, seq: 3 }));
 */
export function routeDumpRequest(options?: RouteDumpOptions): Uint8Array {
  const check = argumentChecker('routeDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const table = check.named(
    'options.table',
    o.table,
    0xffffffff,
    rtnetlinkNames.tableId,
    'main, local, default',
  );
  const protocol = check.named(
    'options.protocol',
    o.protocol,
    255,
    rtnetlinkNames.protocolId,
    'kernel, boot, static, …',
  );
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const w = new MessageWriter(64)
    .begin(RTM_GETROUTE, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(3)
    .u8(table !== undefined && table < 256 ? table : 0)
    .u8(protocol ?? 0)
    .zeros(RTMSG_SIZE - 6);
  if (table !== undefined) w.attrU32(RTA_TABLE, table);
  if (ifindex !== undefined) w.attrU32(RTA_OIF, ifindex);
  return w.end().finish();
}
