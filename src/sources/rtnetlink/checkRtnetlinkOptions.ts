import { openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { RingStats } from '../../ring/RingStats.js';
import { familyNumber } from './familyNumber.js';
import type { InterfaceNameLookup } from './InterfaceNameLookup.js';

/** The rtnetlink source options, checked and with defaults filled in. */
export interface CheckedRtnetlinkOptions {
  /** Opens the endpoint (the caller's factory, or a route socket in `netns`). */
  readonly open: (groups: readonly number[]) => RingEndpoint;
  /** AF_* number; AF_UNSPEC for all. */
  readonly family: number;
  readonly stats: RingStats | undefined;
  readonly ifnames: InterfaceNameLookup | undefined;
}

/** What {@link checkRtnetlinkOptions} reads; every field is checked at run time. */
export interface UncheckedRtnetlinkOptions {
  netns?: unknown;
  family?: unknown;
  open?: unknown;
  stats?: unknown;
  ifnames?: unknown;
}

/**
 * Checks the options every rtnetlink source takes, eagerly (a TypeError naming the function
 * and the option), and returns them with the default opener: a NETLINK_ROUTE socket in
 * `netns` with `socket` as extra `openNetlinkSocket` options, joining the groups asked for.
 *
 * @example
 * const { open, family } = checkRtnetlinkOptions('dumpRoutes', options, {});
 */
export function checkRtnetlinkOptions(
  fn: string,
  options: UncheckedRtnetlinkOptions | undefined,
  socket: { messageSize?: number; ringMemory?: number; receiveBufferSize?: number },
): CheckedRtnetlinkOptions {
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new TypeError(
      `${fn}: options.${name} must be ${expected}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`,
    );
  };
  const o: UncheckedRtnetlinkOptions = options ?? {};
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    throw new TypeError(`${fn}: options must be an object, got ${String(options)}`);
  }
  const netns = o.netns;
  if (
    netns !== undefined &&
    (typeof netns !== 'string' ||
      netns === '' ||
      netns === '.' ||
      netns === '..' ||
      netns.includes('/') ||
      netns.includes('\0'))
  ) {
    fail('netns', "a namespace name as given to 'ip netns'", netns);
  }
  if (o.open !== undefined && typeof o.open !== 'function') {
    fail('open', 'a function that returns a RingEndpoint', o.open);
  }
  if (o.stats !== undefined && !(o.stats instanceof RingStats)) {
    fail('stats', 'a RingStats', o.stats);
  }
  const ifnames = o.ifnames;
  if (ifnames !== undefined && typeof ifnames !== 'function' && !(ifnames instanceof Map)) {
    fail('ifnames', 'a Map of ifindex to name or a function', ifnames);
  }
  const family = familyNumber(fn, o.family);
  const open =
    (o.open as ((groups: readonly number[]) => RingEndpoint) | undefined) ??
    ((groups: readonly number[]) =>
      openNetlinkSocket({
        protocol: 'route',
        netns: netns as string | undefined,
        groups,
        ...socket,
      }));
  return {
    open,
    family,
    stats: o.stats as RingStats | undefined,
    ifnames: ifnames as InterfaceNameLookup | undefined,
  };
}
