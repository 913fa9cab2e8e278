/**
 * One path of a multipath route (an `RTA_MULTIPATH` entry), as `ip -j` prints it, plus
 * its `ifindex`.
 *
 * @example
 * // { gateway: '10.1.0.2', dev: 'v1', weight: 2, flags: [], ifindex: 2 }
 * route.nexthops?.map((hop) => hop.gateway);
 */
export interface RouteNexthop {
  /** RTA_GATEWAY. */
  gateway?: string;
  /** RTA_VIA: a gateway of another family. */
  via?: { family: string; host: string };
  /** `rtnh_ifindex` by name. */
  dev: string;
  /** `rtnh_ifindex`. */
  ifindex: number;
  /** `rtnh_hops + 1`. */
  weight: number;
  /** `rtnh_flags`: onlink, dead, linkdown, … */
  flags: readonly string[];
}
