import type { RawAttributes } from './RawAttributes.js';

/**
 * An interface address (RTM_NEWADDR / RTM_DELADDR), one per message. `ip -j addr show`
 * groups addresses under their link in `addr_info`; this object is one `addr_info` entry —
 * same field names and value formats — with the link's `ifindex` and `ifname` in front. So
 * for every link `l` of ip's output and every entry `e` of `l.addr_info`, there is one
 * decoded address equal to `{ ifindex: l.ifindex, ifname: l.ifname, ...e }` (plus the
 * fields ip does not print: `protocol`, `deleted`, `attrs`).
 *
 * Flags are booleans present only when set, as ip prints them: IFA_F_SECONDARY is
 * `secondary` (IPv4) or `temporary` (IPv6), a missing IFA_F_PERMANENT is `dynamic`, the rest
 * keep their ip names (`nodad`, `tentative`, `deprecated`, `noprefixroute`, …). Plain data
 * that owns its memory: valid after the ring frame it came from is released.
 *
 * @example
 * const a = decodeAddress(message, { ifname });
 * console.log(`${a.ifname}: ${a.local}/${a.prefixlen} scope ${a.scope}${a.dynamic ? ' dynamic' : ''}`);
 */
export interface InterfaceAddress {
  /** Present (true) when the message was RTM_DELADDR. */
  deleted?: true;
  /** `ifa_index`. */
  ifindex: number;
  /** `ifa_index` by name (see RtnetlinkDecodeOptions.ifname). */
  ifname: string;
  /** `ifa_family`: inet, inet6. */
  family: string;
  /** IFA_LOCAL (or IFA_ADDRESS when there is no IFA_LOCAL). */
  local?: string;
  /** IFA_ADDRESS when it differs from IFA_LOCAL: the peer of a point-to-point address. */
  address?: string;
  /** `ifa_prefixlen`. */
  prefixlen: number;
  /** IFA_BROADCAST. */
  broadcast?: string;
  /** IFA_ANYCAST. */
  anycast?: string;
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  metric?: number;
  /** IFA_PROTO: kernel_lo, kernel_ra, kernel_ll, or decimal (newer ip prints it; 6.1 does not). */
  protocol?: string;
  /** `ifa_scope`: global, link, host, … */
  scope: string;
  secondary?: true;
  temporary?: true;
  nodad?: true;
  optimistic?: true;
  dadfailed?: true;
  home?: true;
  deprecated?: true;
  tentative?: true;
  dynamic?: true;
  mngtmpaddr?: true;
  noprefixroute?: true;
  autojoin?: true;
  'stable-privacy'?: true;
  /** Flag bits ip has no name for, as two or more hex digits. */
  ifa_flags?: string;
  /** IFA_LABEL (IPv4). */
  label?: string;
  /** IFA_CACHEINFO `ifa_valid` (4294967295 = forever). */
  valid_life_time?: number;
  /** IFA_CACHEINFO `ifa_prefered` (4294967295 = forever). */
  preferred_life_time?: number;
  /** Attributes not mapped above. */
  attrs: RawAttributes;
}
