import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import type { RingStats } from '../../ring/RingStats.js';
import type { InterfaceNameLookup } from './InterfaceNameLookup.js';
import type { RtnetlinkFamily } from './RtnetlinkFamily.js';

/**
 * Options common to the rtnetlink dumps (`dumpLinks`, `dumpAddresses`, `dumpRoutes`,
 * `dumpNeighbours`).
 *
 * @example
 * dumpAddresses({ netns: 'blue', family: 'inet6', stats: new RingStats() });
 */
export interface RtnetlinkOptions {
  /** Dump this named network namespace (`ip netns add NAME`) instead of the process's own. */
  netns?: string;
  /** `'inet'`, `'inet6'`, `'all'` (default) or an AF_* number. Links are not per family: `dumpLinks` ignores it. */
  family?: RtnetlinkFamily;
  /**
   * Opens the endpoint to dump over — a simulated kernel's socket in tests, a socket with
   * other options. Called once per subscription; the source closes what it returns. Default:
   * `openNetlinkSocket({ protocol: 'route', netns })` (engine RX ring of 32 KiB frames).
   */
  open?: () => RingEndpoint;
  /** RX ring counters, updated in place across the subscription's dumps. */
  stats?: RingStats;
  /**
   * Interface names to print `dev` / `ifname` / `link` / `master` with. Without it the source
   * first dumps the links on the same socket to learn them, as iproute2 fills its cache.
   */
  ifnames?: InterfaceNameLookup;
}
