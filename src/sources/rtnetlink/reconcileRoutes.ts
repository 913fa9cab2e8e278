import { concatMap, type Observable, toArray } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { AF_INET6 } from '../../families/rtnetlink/constants.js';
import type { Route, RouteRequestOptions } from '../../families/rtnetlink/route.js';
import { rtnetlinkNames } from '../../families/rtnetlink/rtnetlinkNames.js';
import { formatIPv4, formatIPv6, parsePrefix } from '../../netlink/inet.js';
import {
  type ApplyChangesOptions,
  applyChanges,
  type Change,
  type ChangeResult,
} from './applyChanges.js';
import { dumpRoutes } from './dumps.js';

/**
 * A route as {@link reconcileRoutes} wants it: the fields it compares and writes.
 *
 * @example
 * const r: DesiredRoute = { dst: '10.9.0.0/16', gateway: '10.1.0.2', ifindex: 3 };
 */
export type DesiredRoute = Pick<
  RouteRequestOptions,
  'dst' | 'gateway' | 'ifindex' | 'metric' | 'type' | 'prefsrc' | 'scope'
>;

/**
 * Options of {@link reconcileRoutes}.
 *
 * @example
 * reconcileRoutes(desired, { table: 100, protocol: 'static', netns: 'blue' });
 */
export interface ReconcileRoutesOptions extends Omit<ApplyChangesOptions, 'open'> {
  /** The table to make equal to the desired set: an id or main, local, default. */
  table: number | string;
  /**
   * The routes this caller owns: only live routes of this protocol are replaced or deleted,
   * and added ones get it (default static). Routes of other protocols — the kernel's prefix
   * routes, a routing daemon's — are left alone.
   */
  protocol?: number | string | undefined;
}

/** The identity of a route in its table, as the kernel keys it: family, prefix, metric. */
function key(family: number, bytes: Uint8Array, prefixlen: number, metric: number): string {
  const text = family === AF_INET6 ? formatIPv6(bytes, 0) : formatIPv4(bytes, 0);
  return `${text}/${prefixlen} ${metric}`;
}

/** A live route's key (dst as ip prints it: "default", a host, or prefix/length). */
function liveKey(route: Route): string | undefined {
  const inet6 = route.family === 'inet6';
  const dst =
    route.dst === 'default'
      ? inet6
        ? '::/0'
        : '0.0.0.0/0'
      : route.dst.includes('/')
        ? route.dst
        : `${route.dst}/${inet6 ? 128 : 32}`;
  const p = parsePrefix(dst);
  return p === undefined ? undefined : key(p.family, p.bytes, p.prefixlen, route.metric ?? 0);
}

/**
 * Makes one routing table hold the desired routes, as a routing daemon does: dumps the
 * table, compares it with `desired` by the kernel's key (prefix and metric), and applies
 * the fewest changes — adds for routes missing, replaces for routes whose gateway, device,
 * type, prefsrc or scope differ, deletes for routes of `protocol` that are not desired —
 * in one {@link applyChanges} burst.
 *
 * Emits the {@link ChangeResult} of each change (none when the table already matches) and
 * completes when all are answered; a failed change is reported in its result and the others
 * go on (or, with `stopOnError`, the stream errors). Cold: each subscription dumps anew.
 * Errors as {@link dumpRoutes} and {@link applyChanges} do. Bad options or routes throw a
 * TypeError at once.
 *
 * @example
 * reconcileRoutes(
 *   [{ dst: '10.9.0.0/16', gateway: '10.1.0.2', ifindex: 3 }, { dst: '10.8.0.0/16', type: 'blackhole' }],
 *   { table: 100 },
 * ).subscribe((r) => console.log(r.change.op, r.change.dst, r.error?.code ?? 'ok'));
 */
export function reconcileRoutes(
  desired: readonly DesiredRoute[],
  options: ReconcileRoutesOptions,
): Observable<ChangeResult> {
  const fn = 'reconcileRoutes';
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  if (!Array.isArray(desired)) check.fail('desired', 'an array of routes', desired);
  const table = check.named(
    'options.table',
    o.table,
    0xffffffff,
    rtnetlinkNames.tableId,
    'main, local, default',
  );
  if (table === undefined || table === 0)
    check.fail('options.table', 'a table id or name', o.table);
  const protocol =
    check.named(
      'options.protocol',
      o.protocol,
      255,
      rtnetlinkNames.protocolId,
      'static, boot, …',
    ) ?? 4;
  const protocolName = rtnetlinkNames.protocol(protocol);
  const wanted = new Map<string, DesiredRoute>();
  for (const [i, route] of desired.entries()) {
    const dst =
      route?.dst === 'default' ? (route.gateway?.includes(':') ? '::/0' : '0.0.0.0/0') : route?.dst;
    const p = typeof dst === 'string' ? parsePrefix(dst) : undefined;
    if (p === undefined) throw check.fail(`desired[${i}].dst`, 'a prefix or "default"', route?.dst);
    const k = key(p.family, p.bytes, p.prefixlen, route.metric ?? 0);
    if (wanted.has(k))
      check.fail(`desired[${i}]`, 'a route whose prefix and metric no other has', route);
    wanted.set(k, route);
  }
  const { table: _t, protocol: _p, stopOnError, window, netns } = o;

  return dumpRoutes({ table: table as number, netns }).pipe(
    toArray(),
    concatMap((live) => {
      const changes: Change[] = [];
      const seen = new Set<string>();
      for (const route of live) {
        const k = liveKey(route);
        if (k === undefined) continue;
        const want = wanted.get(k);
        if (want === undefined) {
          if (route.protocol === protocolName) {
            changes.push({
              op: 'deleteRoute',
              dst: route.dst,
              table: table as number,
              metric: route.metric,
              protocol,
              ...(route.family === 'inet6' && route.dst === 'default'
                ? { gateway: route.gateway }
                : {}),
            });
          }
          continue;
        }
        seen.add(k);
        if (!differs(route, want)) continue;
        changes.push({ op: 'replaceRoute', ...want, table: table as number, protocol });
      }
      for (const [k, want] of wanted) {
        if (!seen.has(k))
          changes.push({ op: 'addRoute', ...want, table: table as number, protocol });
      }
      return applyChanges(changes, { netns, stopOnError, window });
    }),
  );
}

/** Whether the live route differs from the desired one in what reconcileRoutes writes. */
function differs(live: Route, want: DesiredRoute): boolean {
  if ((want.gateway ?? undefined) !== live.gateway) return true;
  if (want.ifindex !== undefined && want.ifindex !== live.ifindex) return true;
  const type =
    want.type === undefined
      ? 'unicast'
      : typeof want.type === 'number'
        ? rtnetlinkNames.routeType(want.type)
        : want.type;
  if (type !== live.type) return true;
  if (want.prefsrc !== undefined && want.prefsrc !== live.prefsrc) return true;
  if (want.scope !== undefined) {
    const scope = typeof want.scope === 'number' ? rtnetlinkNames.scope(want.scope) : want.scope;
    if (scope !== live.scope) return true;
  }
  return false;
}
