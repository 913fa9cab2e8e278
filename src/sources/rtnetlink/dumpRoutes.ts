import type { Observable } from 'rxjs';
import { AF_UNSPEC } from '../../families/rtnetlink/constants.js';
import { decodeRoute } from '../../families/rtnetlink/decodeRoute.js';
import type { Route } from '../../families/rtnetlink/Route.js';
import { routeDumpRequest } from '../../families/rtnetlink/routeDumpRequest.js';
import { rtnetlinkNames } from '../../families/rtnetlink/rtnetlinkNames.js';
import { checkRtnetlinkOptions } from './checkRtnetlinkOptions.js';
import type { RtnetlinkOptions } from './RtnetlinkOptions.js';
import { rtnetlinkDump } from './rtnetlinkDump.js';

/**
 * Options of {@link dumpRoutes}.
 *
 * @example
 * dumpRoutes({ table: 'main', family: 'inet' });
 */
export interface DumpRoutesOptions extends RtnetlinkOptions {
  /**
   * Only this routing table: an id (1–4294967295, also as a decimal string, as a command
   * line gives it) or `'main'`, `'local'`, `'default'`. `'all'` or 0 (the default) dumps
   * every table, like `ip route show table all`.
   */
  table?: number | 'all' | 'main' | 'local' | 'default' | `${number}`;
}

/**
 * The routes of a namespace, as `ip -j -d route show table all` lists them: one decoded
 * {@link Route} per route, `dev` named, then completes at NLMSG_DONE. `options.family` picks
 * IPv4 (`'inet'`), IPv6 (`'inet6'`) or both (`'all'`, the default); `options.table` one
 * table (by default every table: main, local, default and numbered ones).
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe. `dev` names are learned from a
 * link dump on the same socket first, unless `options.ifnames` gives them. The table filter
 * is sent to the kernel (honoured under NETLINK_GET_STRICT_CHK, which the default socket
 * sets) and applied again here, so it holds on any endpoint. Values are emitted as they are
 * decoded, never buffered: a dump of 100,000 routes streams.
 *
 * Errors with a NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and
 * extended ack, ENOBUFS for a lost reply); a dump flagged NLM_F_DUMP_INTR errors at
 * NLMSG_DONE with a `DumpInterruptedError` after its values: retry it (see `dumpLinks`). Bad
 * options throw a TypeError at once.
 *
 * @example
 * dumpRoutes({ table: 'main', family: 'inet' })
 *   .subscribe((r) => console.log(r.dst, r.gateway ? `via ${r.gateway}` : '', r.dev ?? ''));
 */
export function dumpRoutes(options?: DumpRoutesOptions): Observable<Route> {
  const checked = checkRtnetlinkOptions('dumpRoutes', options, {});
  const family = checked.family;
  const table = tableId(options?.table);
  const tableName = table === undefined ? undefined : rtnetlinkNames.table(table);
  return rtnetlinkDump(
    checked,
    (seq) => routeDumpRequest({ family, table, seq }),
    (message, names) => {
      if (family !== AF_UNSPEC && message.view.getUint8(message.payloadOffset) !== family) {
        return undefined;
      }
      const route = decodeRoute(message, names.decodeOptions);
      return tableName === undefined || route.table === tableName ? route : undefined;
    },
  );
}

/** The table id to dump, or undefined for all of them. */
function tableId(table: unknown): number | undefined {
  if (table === undefined || table === 'all') return undefined;
  let id: number | undefined;
  if (typeof table === 'number' && Number.isInteger(table) && table >= 0 && table <= 0xffffffff) {
    id = table;
  } else if (typeof table === 'string') {
    // main, local, default, or decimal (what `ip route show table …` takes).
    id = rtnetlinkNames.tableId(table);
  }
  if (id === 0) return undefined; // RT_TABLE_UNSPEC: every table, as ip reads it
  if (id !== undefined) return id;
  throw new TypeError(
    `dumpRoutes: options.table must be 'all', 'main', 'local', 'default' or a table id, got ${JSON.stringify(table)}`,
  );
}
