/** One path of a multipath route (an `RTA_MULTIPATH` entry), as `ip -j` prints it. */
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
