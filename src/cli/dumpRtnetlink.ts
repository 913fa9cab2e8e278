import type { Observable } from 'rxjs';
import {
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
  type RtnetlinkOptions,
  type rtnetlink,
} from '../index.js';
import type { Family } from './Family.js';

/**
 * What each dump kind emits: the library's decoded objects.
 *
 * @example
 * const route: DumpObjects['routes'] = (await collectDump(() => dumpRtnetlink('routes')))[0];
 */
export interface DumpObjects {
  links: rtnetlink.Link;
  addrs: rtnetlink.InterfaceAddress;
  routes: rtnetlink.Route;
  neigh: rtnetlink.Neighbour;
}

/**
 * Options of {@link dumpRtnetlink}.
 *
 * @example
 * const options: DumpRtnetlinkOptions = { netns: 'blue', family: 'inet6', table: 254 };
 */
export interface DumpRtnetlinkOptions {
  /** A named network namespace; default the process's own. */
  readonly netns?: string;
  /** Only IPv4 or IPv6 (addresses, routes, neighbours); default both. */
  readonly family?: Family;
  /** Routes: only this table id; default every table. */
  readonly table?: number;
}

/**
 * One dump command's source: the library's `dumpLinks`, `dumpAddresses`, `dumpRoutes` or
 * `dumpNeighbours` for the command's kind, with the command's options. Cold, like them: each
 * subscription opens its own socket, learns interface names from a link dump on it, and
 * errors with a DumpInterruptedError when the kernel flags the dump (retry the whole with
 * `collectDump`).
 *
 * @example
 * dumpRtnetlink('routes', { family: 'inet', table: 254 }).subscribe((r) => console.log(r.dst));
 */
export function dumpRtnetlink<K extends keyof DumpObjects>(
  kind: K,
  options: DumpRtnetlinkOptions = {},
): Observable<DumpObjects[K]> {
  const common: RtnetlinkOptions = { family: options.family ?? 'all' };
  if (options.netns !== undefined) common.netns = options.netns;
  const sources: { [T in keyof DumpObjects]: () => Observable<DumpObjects[T]> } = {
    links: () => dumpLinks(common),
    addrs: () => dumpAddresses(common),
    routes: () =>
      dumpRoutes(options.table === undefined ? common : { ...common, table: options.table }),
    neigh: () => dumpNeighbours(common),
  };
  return sources[kind]();
}
