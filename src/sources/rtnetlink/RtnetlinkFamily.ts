/**
 * An address family for the rtnetlink sources: `'inet'` (AF_INET), `'inet6'` (AF_INET6),
 * `'all'` (AF_UNSPEC: both, the default) or an AF_* number (0–255).
 *
 * @example
 * dumpRoutes({ family: 'inet6' });
 * dumpAddresses({ family: AF_INET });
 */
export type RtnetlinkFamily = 'inet' | 'inet6' | 'all' | number;
