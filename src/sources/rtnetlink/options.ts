import { argumentChecker } from '../../errors/check.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../families/rtnetlink/constants.js';
import { checkNetnsRef, type NetnsRef } from '../../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { RingStats } from '../../ring/RingStats.js';
import type { InterfaceNameLookup } from './interfaceNames.js';

/**
 * An address family for the rtnetlink sources: `'inet'` (AF_INET), `'inet6'` (AF_INET6),
 * `'all'` (AF_UNSPEC: both, the default) or an AF_* number (0–255).
 *
 * @example
 * dumpRoutes({ family: 'inet6' });
 * dumpAddresses({ family: AF_INET });
 */
export type RtnetlinkFamily = 'inet' | 'inet6' | 'all' | number;

/**
 * Options common to the rtnetlink dumps (`dumpLinks`, `dumpAddresses`, `dumpRoutes`,
 * `dumpNeighbours`).
 *
 * @example
 * dumpAddresses({ netns: 'blue', family: 'inet6', stats: new RingStats() });
 */
export interface RtnetlinkOptions {
  /**
   * Dump this network namespace instead of the process's own: a name (`ip netns add NAME`),
   * an absolute path (`/proc/PID/ns/net`), `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /** `'inet'`, `'inet6'`, `'all'` (default) or an AF_* number. Links are not per family: `dumpLinks` ignores it. */
  family?: RtnetlinkFamily | undefined;
  /**
   * Opens the endpoint to dump over — a simulated kernel's socket in tests, a socket with
   * other options — given `{ protocol: 'route', groups: [], netns }`. Called once per
   * subscription; the source closes what it returns. Default: `openNetlinkSocket` of that
   * request (engine RX ring of 32 KiB frames).
   */
  open?: OpenEndpoint | undefined;
  /** RX ring counters, updated in place across the subscription's dumps. */
  stats?: RingStats | undefined;
  /**
   * Interface names to print `dev` / `ifname` / `link` / `master` with. Without it the source
   * first dumps the links on the same socket to learn them, as iproute2 fills its cache.
   */
  ifnames?: InterfaceNameLookup | undefined;
}

/**
 * Where an rtnetlink request (`addAddress`, `deleteAddress`, `addRoute`, `deleteRoute`) is
 * sent, alongside the request builder's own options.
 *
 * @example
 * addRoute({ dst: '10.9.0.0/16', gateway: '10.1.0.2', netns: 'blue' });
 */
export interface RtnetlinkRequestOptions {
  /**
   * Change this network namespace instead of the process's own: a name (`ip netns add
   * NAME`), an absolute path (`/proc/PID/ns/net`), `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /**
   * Opens the endpoint to send on (a simulated kernel's socket in tests), given
   * `{ protocol: 'route', groups: [], netns }`. Called once per subscription; the request
   * closes what it returns. Default: a NETLINK_ROUTE socket in `netns` with a small ring
   * (acknowledgements are small; a large one arrives as COPY).
   */
  open?: OpenEndpoint | undefined;
}

const NAMES: Readonly<Record<string, number>> = { inet: AF_INET, inet6: AF_INET6, all: AF_UNSPEC };

/**
 * The AF_* number of an {@link RtnetlinkFamily} option (AF_UNSPEC when absent). Throws a
 * TypeError naming the function and the option for anything else.
 *
 * @example
 * familyNumber('dumpRoutes', 'inet6'); // 10
 */
export function familyNumber(fn: string, family: unknown): number {
  if (family === undefined) return AF_UNSPEC;
  if (typeof family === 'string' && Object.hasOwn(NAMES, family)) return NAMES[family];
  if (typeof family === 'number' && Number.isInteger(family) && family >= 0 && family <= 255) {
    return family;
  }
  return argumentChecker(fn).fail(
    'options.family',
    "'inet', 'inet6', 'all' or an AF_* number",
    family,
  );
}

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
  netns?: unknown | undefined;
  family?: unknown | undefined;
  open?: unknown | undefined;
  stats?: unknown | undefined;
  ifnames?: unknown | undefined;
}

/**
 * Checks the options every rtnetlink source takes, eagerly (a TypeError naming the function
 * and the option), and returns them with the default opener: a NETLINK_ROUTE socket in
 * `netns` with `socket` as extra `openNetlinkSocket` options, joining the groups asked for.
 *
 * @example
 * declare const options: RtnetlinkOptions;
 * const { open, family } = checkRtnetlinkOptions('dumpRoutes', options, {});
 */
export function checkRtnetlinkOptions(
  fn: string,
  options: UncheckedRtnetlinkOptions | undefined,
  socket: { messageSize?: number; ringMemory?: number; receiveBufferSize?: number },
): CheckedRtnetlinkOptions {
  const check = argumentChecker(fn);
  const o = check.options(
    options as UncheckedRtnetlinkOptions | undefined,
  ) as UncheckedRtnetlinkOptions;
  const netns = checkNetnsRef(fn, 'options.netns', o.netns);
  check.func('options.open', o.open);
  if (o.stats !== undefined && !(o.stats instanceof RingStats)) {
    check.fail('options.stats', 'a RingStats', o.stats);
  }
  const ifnames = o.ifnames;
  if (ifnames !== undefined && typeof ifnames !== 'function' && !(ifnames instanceof Map)) {
    check.fail('options.ifnames', 'a Map of ifindex to name or a function', ifnames);
  }
  const family = familyNumber(fn, o.family);
  const given = o.open as OpenEndpoint | undefined;
  const open =
    given === undefined
      ? (groups: readonly number[]) =>
          openNetlinkSocket({
            protocol: 'route',
            netns,
            groups,
            ...socket,
          })
      : (groups: readonly number[]) => given({ protocol: 'route', groups, netns });
  return {
    open,
    family,
    stats: o.stats as RingStats | undefined,
    ifnames: ifnames as InterfaceNameLookup | undefined,
  };
}
