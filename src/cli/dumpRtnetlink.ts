import { concatMap, from, map, type Observable } from 'rxjs';
import { dumpMessages, openNetlinkSocket, rtnetlink } from '../index.js';
import type { Family } from './Family.js';
import { linkNames } from './linkNames.js';

/** What each dump kind emits. */
export interface DumpObjects {
  links: rtnetlink.Link;
  addrs: rtnetlink.InterfaceAddress;
  routes: rtnetlink.Route;
  neigh: rtnetlink.Neighbour;
}

/** Options of {@link dumpRtnetlink}. */
export interface DumpRtnetlinkOptions {
  /** A named network namespace; default the process's own. */
  readonly netns?: string;
  /** Only IPv4 or IPv6 (addresses, routes, neighbours); default both. */
  readonly family?: Family;
  /** Routes: only this table (name or id); default every table. */
  readonly table?: string | number;
}

const FAMILIES: Record<Family, number> = {
  all: rtnetlink.AF_UNSPEC,
  inet: rtnetlink.AF_INET,
  inet6: rtnetlink.AF_INET6,
};

/**
 * Dumps one kind of rtnetlink object through the ring and emits it decoded with `ip -j`'s
 * field names: links dumped first name the interfaces (as iproute2's link cache does), then
 * the kind asked for is dumped and decoded in place. Cold; each subscription opens its own
 * route sockets (in `netns` when given) and closes them. Errors with a NetlinkError, or a
 * DumpInterruptedError when the kernel flagged either dump (retry the whole with
 * `collectDump`).
 *
 * This is the command's own path until the library's rtnetlink sources (`dumpLinks`,
 * `dumpRoutes`, …) are exported; it uses the public API only.
 *
 * @example
 * dumpRtnetlink('routes', { family: 'inet', table: 'main' }).subscribe((r) => console.log(r.dst));
 */
export function dumpRtnetlink<K extends keyof DumpObjects>(
  kind: K,
  options: DumpRtnetlinkOptions = {},
): Observable<DumpObjects[K]> {
  const family = FAMILIES[options.family ?? 'all'];
  const netns = options.netns;
  const open = () =>
    openNetlinkSocket(netns === undefined ? { protocol: 'route' } : { protocol: 'route', netns });
  return linkNames({ netns }).pipe(
    concatMap((names): Observable<DumpObjects[keyof DumpObjects]> => {
      const decode = { ifname: names.ifname, ifflags: names.ifflags };
      switch (kind) {
        case 'links':
          return from(names.messages.map((m) => rtnetlink.decodeLink(m, decode)));
        case 'addrs':
          return dumpMessages(open, rtnetlink.addressDumpRequest({ family, seq: 2 })).pipe(
            map((m) => rtnetlink.decodeAddress(m, decode)),
          );
        case 'routes':
          return dumpMessages(
            open,
            rtnetlink.routeDumpRequest(
              options.table === undefined
                ? { family, seq: 2 }
                : { family, table: options.table, seq: 2 },
            ),
          ).pipe(map((m) => rtnetlink.decodeRoute(m, decode)));
        default:
          return dumpMessages(open, rtnetlink.neighbourDumpRequest({ family, seq: 2 })).pipe(
            map((m) => rtnetlink.decodeNeighbour(m, decode)),
          );
      }
    }),
  ) as Observable<DumpObjects[K]>;
}
