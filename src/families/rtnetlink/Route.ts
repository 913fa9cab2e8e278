import type { RawAttributes } from './RawAttributes.js';
import type { RouteNexthop } from './RouteNexthop.js';

/**
 * A route (RTM_NEWROUTE / RTM_DELROUTE) with the field names and value formats of
 * `ip -j -d route show`: `type`, `table`, `protocol` and `scope` are always there (ip
 * leaves the defaults out unless `-d`; `protocol`/`scope` are left out for cloned routes,
 * as ip does), `dst` is `"default"`, `"a.b.c.d/len"` or a bare host address, tables and
 * protocols print by name (`"main"`, `"kernel"`) or in decimal (`"100"`).
 *
 * Fields beyond ip's: `family`, `ifindex` (RTA_OIF), `deleted` (RTM_DELROUTE) and `attrs`,
 * the attributes not mapped here. The object is plain data that owns its memory: it stays
 * valid after the ring frame it came from is released.
 *
 * @example
 * const route = decodeRoute(message, { ifname });
 * if (route.type === 'unicast' && route.table === 'main') console.log(route.dst, route.gateway ?? route.dev);
 */
export interface Route {
  /** Present (true) when the message was RTM_DELROUTE. */
  deleted?: true;
  /** `rtm_type`: unicast, local, broadcast, blackhole, unreachable, prohibit, … */
  type: string;
  /** RTA_DST with `rtm_dst_len`: "default", "10.0.0.0/8", "10.0.0.1" (host), "fd00::/64". */
  dst: string;
  /** RTA_SRC with `rtm_src_len` (source-specific routes). */
  from?: string;
  /** RTA_NH_ID: the nexthop object used. */
  nhid?: number;
  /** `rtm_tos` as "0x10" when not zero. */
  tos?: string;
  /** RTA_GATEWAY. */
  gateway?: string;
  /** RTA_VIA: a gateway of another family. */
  via?: { family: string; host: string };
  /** RTA_OIF by name. */
  dev?: string;
  /** RTA_TABLE (or `rtm_table`): "main", "local", "default", or decimal. */
  table?: string;
  /** `rtm_protocol`: kernel, boot, static, dhcp, … */
  protocol?: string;
  /** `rtm_scope`: global, link, host, … */
  scope?: string;
  /** RTA_PREFSRC. */
  prefsrc?: string;
  /** RTA_PRIORITY. */
  metric?: number;
  /** `rtm_flags`: onlink, linkdown, offload, … */
  flags: readonly string[];
  /** RTA_METRICS as ip prints them: `[{ mtu: 1400, rtt: 100, congestion: "cubic" }]`. */
  metrics?: Array<Record<string, number | string | null>>;
  /** RTA_IIF by name. */
  iif?: string;
  /** RTA_MULTIPATH. */
  nexthops?: RouteNexthop[];
  /** RTA_PREF (IPv6 router preference): medium, high, low. */
  pref?: string | number;
  /** RTA_CACHEINFO `rta_expires` in seconds, when not zero. */
  expires?: number;
  /** RTA_CACHEINFO `rta_error`, when not zero. */
  error?: number;
  /** `rtm_family`: inet, inet6, … */
  family: string;
  /** RTA_OIF. */
  ifindex?: number;
  /** Attributes not mapped above. */
  attrs: RawAttributes;
}
