// Many changes at once: applyChanges through the TX ring, and reconcileRoutes on top of it.

import {
  asapScheduler,
  concatMap,
  from,
  isObservable,
  Observable,
  Subject,
  type Subscription,
  toArray,
} from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import { type AddressRequestOptions, addressMessage } from '../../families/rtnetlink/address.js';
import {
  AF_INET6,
  RTM_DELADDR,
  RTM_DELROUTE,
  RTM_NEWADDR,
  RTM_NEWROUTE,
} from '../../families/rtnetlink/constants.js';
import {
  type CreateLinkRequestOptions,
  type DeleteLinkRequestOptions,
  type SetLinkRequestOptions,
  writeCreateLink,
  writeDeleteLink,
  writeSetLink,
} from '../../families/rtnetlink/link.js';
import {
  type NeighbourRequestOptions,
  writeNeighbour,
} from '../../families/rtnetlink/neighbour.js';
import {
  type NexthopRequestOptions,
  writeAddNexthop,
  writeDeleteNexthop,
} from '../../families/rtnetlink/nexthop.js';
import {
  type Route,
  type RouteRequestOptions,
  routeMessage,
} from '../../families/rtnetlink/route.js';
import { rtnetlinkNames } from '../../families/rtnetlink/rtnetlinkNames.js';
import { type RuleRequestOptions, writeRule } from '../../families/rtnetlink/rule.js';
import type { NetnsRef } from '../../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import { NLMSG_ERROR } from '../../netlink/constants.js';
import { ackError, readAck } from '../../netlink/control.js';
import { formatIPv4, formatIPv6, parsePrefix } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { parseMessages } from '../../operators/parseMessages.js';
import { chooseGeometry } from '../../ring/chooseGeometry.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { toTxRing } from '../../sinks/toTxRing.js';
import { fromRing } from '../fromRing.js';
import { dumpRoutes } from './dumps.js';
import { checkRtnetlinkOptions } from './options.js';

/**
 * One change for {@link applyChanges}: the operation and the request builder's options
 * (interfaces by ifindex; `seq` is chosen by applyChanges).
 *
 * @example
 * const change: Change = { op: 'addRoute', dst: '10.9.0.0/16', gateway: '10.1.0.2' };
 */
export type Change =
  | ({ op: 'addRoute' | 'replaceRoute' | 'deleteRoute' } & Omit<RouteRequestOptions, 'seq'>)
  | ({ op: 'addAddress' | 'deleteAddress' } & Omit<AddressRequestOptions, 'seq'>)
  | ({ op: 'addNeighbour' | 'deleteNeighbour' } & Omit<NeighbourRequestOptions, 'seq'>)
  | ({ op: 'addRule' | 'deleteRule' } & Omit<RuleRequestOptions, 'seq'>)
  | ({ op: 'addNexthop' } & Omit<NexthopRequestOptions, 'seq'>)
  | { op: 'deleteNexthop'; id: number }
  | ({ op: 'createLink' } & CreateLinkRequestOptions)
  | ({ op: 'setLink' } & SetLinkRequestOptions)
  | ({ op: 'deleteLink' } & DeleteLinkRequestOptions);

/**
 * The outcome of one {@link Change}: `error` is absent when the kernel acknowledged it,
 * else its NetlinkError (errno, extended ack, and `detail` naming the op and index) or the
 * TypeError of a change whose options were bad (it was not sent).
 *
 * @example
 * declare const results: ChangeResult[];
 * const failed = results.filter((r) => r.error !== undefined);
 */
export interface ChangeResult {
  /** Position of the change in the input, from 0. */
  readonly index: number;
  readonly change: Change;
  readonly error?: NetlinkError | TypeError | undefined;
}

/**
 * Options of {@link applyChanges}.
 *
 * @example
 * declare const changes: Change[];
 * applyChanges(changes, { netns: 'blue', stopOnError: true });
 */
export interface ApplyChangesOptions {
  /** Apply them in this network namespace: a name, an absolute path, `{ fd }` or `{ pid }`. */
  netns?: NetnsRef | undefined;
  /** Error the stream at the first failure and send nothing more (default: report, go on). */
  stopOnError?: boolean | undefined;
  /** Most changes sent and not yet acknowledged (default 1024): bounds the acks queued. */
  window?: number | undefined;
  /**
   * Opens the endpoint (needs a TX ring), given `{ protocol: 'route', groups: [], netns }`;
   * default: a route socket with TX and RX rings.
   */
  open?: OpenEndpoint | undefined;
}

/** TX frames of 16 KiB: a datagram carries many requests, one sendmmsg many datagrams. */
const TX = { blockSize: 16384, blockNr: 16, frameSize: 16384, frameNr: 16 };
/** Room per datagram, behind the 24-byte frame header. */
const DATAGRAM = TX.frameSize - 24;
/** Acknowledgements are small; an error echoing a large request arrives as COPY. */
const RX_MESSAGE = 512 - 24;
const RX_MEMORY = 1 << 18;
/** 4 MiB of socket buffer for acknowledgements: the window's worth many times over. */
const RECEIVE_BUFFER = 1 << 22;

/** The function names of the ops in errors, built once. */
const OP_NAMES: Readonly<Record<string, string>> = Object.fromEntries(
  [
    'addRoute',
    'replaceRoute',
    'deleteRoute',
    'addAddress',
    'deleteAddress',
    'addNeighbour',
    'deleteNeighbour',
    'addRule',
    'deleteRule',
    'addNexthop',
    'deleteNexthop',
    'createLink',
    'setLink',
    'deleteLink',
  ].map((op) => [op, `applyChanges ${op}`]),
);

/** The writer route requests are built in; the caller copies each out before the next. */
const writer = new MessageWriter(256);

/**
 * Writes one change's request (a TypeError for bad options, naming the op). A route's
 * bytes are a view of the shared writer, valid until the next call.
 */
function build(change: Change, seq: number): Uint8Array {
  if (typeof change !== 'object' || change === null) {
    throw new TypeError(`applyChanges: a change must be an object with op, got ${String(change)}`);
  }
  const op = (change as { op: unknown }).op;
  const fn = OP_NAMES[String(op)] ?? `applyChanges ${String(op)}`;
  // Routes, the bulk case, are written into one shared writer from the change itself (its
  // `op` is not a route option); the others from a copy with `seq`.
  switch (op) {
    case 'addRoute':
      return routeMessage(fn, RTM_NEWROUTE, change as never, true, { writer, seq });
    case 'replaceRoute':
      return routeMessage(
        fn,
        RTM_NEWROUTE,
        { ...(change as object), replace: true } as never,
        true,
        { writer, seq },
      );
    case 'deleteRoute':
      return routeMessage(fn, RTM_DELROUTE, change as never, false, { writer, seq });
  }
  const { op: _op, ...o } = change as { op: unknown } & Record<string, unknown>;
  const fields = { ...o, seq } as never;
  switch (op) {
    case 'addAddress':
      return addressMessage(fn, RTM_NEWADDR, fields, true);
    case 'deleteAddress':
      return addressMessage(fn, RTM_DELADDR, fields, false);
    case 'addNeighbour':
      return writeNeighbour(fn, fields, true);
    case 'deleteNeighbour':
      return writeNeighbour(fn, fields, false);
    case 'addRule':
      return writeRule(fn, fields, true);
    case 'deleteRule':
      return writeRule(fn, fields, false);
    case 'addNexthop':
      return writeAddNexthop(fn, fields);
    case 'deleteNexthop':
      return writeDeleteNexthop(fn, fields);
    case 'createLink':
      return writeCreateLink(fn, fields);
    case 'setLink':
      return writeSetLink(fn, fields);
    case 'deleteLink':
      return writeDeleteLink(fn, fields);
    default:
      throw new TypeError(
        `applyChanges: change.op must be a known operation, got ${JSON.stringify(op)}`,
      );
  }
}

/**
 * Applies many changes — routes, addresses, neighbours, rules, nexthops, links — with one
 * socket, through its TX ring in bursts: the requests of a burst are packed several to a
 * datagram (up to 16 KiB) and the datagrams leave in one `sendmmsg`; the kernel answers
 * each request with its own acknowledgement. At most `window` changes are unacknowledged at
 * a time, so the acknowledgements always fit the socket buffer (none is lost).
 *
 * Emits one {@link ChangeResult} per change, in input order, when the kernel answered it —
 * with `error` for a refusal (the kernel's NetlinkError: errno, extended ack, and `detail`
 * naming the op and index) and going on with the next changes; a change whose options are
 * bad gets its TypeError and is not sent. With `stopOnError`, the first failure errors the
 * stream instead and nothing more is sent (changes already in flight may have been applied).
 * Completes when the input completed and every change was answered.
 *
 * Cold: each subscription opens its socket (in `netns`) and closes it exactly once. Errors
 * with a NetlinkError when the socket cannot be opened, or ENOBUFS if acknowledgements were
 * lost anyway. Bad options throw a TypeError at once.
 *
 * @example
 * const changes = Array.from({ length: 10000 }, (_, i) => ({
 *   op: 'addRoute' as const, dst: `10.100.${i >> 8}.${i & 255}/32`, ifindex: 3,
 * }));
 * applyChanges(changes, { netns: 'blue' }).subscribe((r) => {
 *   if (r.error) console.log(r.index, r.error.message);
 * });
 */
export function applyChanges(
  changes: Observable<Change> | Iterable<Change>,
  options?: ApplyChangesOptions,
): Observable<ChangeResult> {
  const fn = 'applyChanges';
  const check = argumentChecker(fn);
  const o = check.options(options);
  const input = isObservable(changes)
    ? changes
    : typeof (changes as Iterable<Change> | null)?.[Symbol.iterator] === 'function'
      ? from(changes as Iterable<Change>)
      : check.fail('changes', 'an Observable or an iterable of changes', changes);
  const stopOnError = check.flag('options.stopOnError', o.stopOnError);
  const window = check.integer('options.window', o.window, 1, 1 << 20) ?? 1024;
  checkRtnetlinkOptions(fn, { netns: o.netns, open: o.open }, {});
  const given = o.open;
  const open =
    given === undefined
      ? () =>
          openNetlinkSocket({
            protocol: 'route',
            netns: o.netns,
            rx: chooseGeometry({ messageSize: RX_MESSAGE, memory: RX_MEMORY }),
            tx: TX,
            receiveBufferSize: RECEIVE_BUFFER,
          })
      : () => given({ protocol: 'route', groups: [], netns: o.netns });

  return new Observable<ChangeResult>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = open();
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const queue: Array<{ index: number; change: Change }> = [];
    let queueHead = 0;
    // Sent and not yet answered, by seq (index + 1); answered in order.
    const pending = new Map<number, { index: number; change: Change }>();
    let count = 0;
    let inputDone = false;
    let stopped = false;
    let pumpScheduled = false;
    const datagrams = new Subject<Uint8Array>();
    const subscriptions: Subscription[] = [];

    const finishIfDone = () => {
      if (inputDone && queueHead === queue.length && pending.size === 0 && !subscriber.closed) {
        subscriber.complete();
      }
    };
    const fail = (error: unknown) => {
      stopped = true;
      if (!subscriber.closed) subscriber.error(error);
    };

    // Packs as many queued changes as the window allows into datagrams and hands them to
    // the TX sink, which flushes them together at the end of this burst.
    const pump = () => {
      pumpScheduled = false;
      let datagram = new Uint8Array(DATAGRAM);
      let used = 0;
      while (!stopped && queueHead < queue.length && pending.size < window) {
        const item = queue[queueHead++];
        const seq = ((item.index + 1) % 0x100000000) >>> 0;
        let message: Uint8Array;
        try {
          message = build(item.change, seq);
        } catch (error) {
          if (stopOnError) {
            fail(error);
            return;
          }
          subscriber.next({ index: item.index, change: item.change, error: error as TypeError });
          continue;
        }
        if (used + message.byteLength > DATAGRAM && used > 0) {
          datagrams.next(datagram.slice(0, used));
          datagram = new Uint8Array(DATAGRAM);
          used = 0;
        }
        if (message.byteLength > DATAGRAM) {
          // A copy: a route's bytes are the shared writer's, and the sink may queue them.
          datagrams.next(message.slice());
        } else {
          datagram.set(message, used);
          used += (message.byteLength + 3) & ~3;
        }
        pending.set(seq, item);
      }
      if (used > 0) datagrams.next(datagram.slice(0, used));
      finishIfDone();
    };
    const schedulePump = () => {
      if (pumpScheduled || stopped) return;
      pumpScheduled = true;
      subscriptions.push(asapScheduler.schedule(pump));
    };

    subscriptions.push(
      fromRing(endpoint)
        .pipe(parseMessages())
        .subscribe({
          next: (value) => {
            if (value instanceof Overrun) {
              fail(
                new NetlinkError({
                  op: 'request',
                  errno: errnos.ENOBUFS,
                  detail: `${fn}: acknowledgements were lost to an overrun`,
                }),
              );
              return;
            }
            if (value.type !== NLMSG_ERROR) return;
            const item = pending.get(value.seq);
            if (item === undefined) return;
            pending.delete(value.seq);
            const ack = readAck(value.view, value.offset);
            if (ack.errno === 0) {
              subscriber.next({ index: item.index, change: item.change });
            } else {
              const kernel = ackError(ack);
              const error = new NetlinkError({
                op: 'request',
                errno: kernel.errno,
                seq: kernel.seq,
                extack: kernel.extack,
                offset: kernel.offset,
                detail: `${fn}: change #${item.index} (${item.change.op})`,
                cause: kernel,
              });
              if (stopOnError) {
                fail(error);
                return;
              }
              subscriber.next({ index: item.index, change: item.change, error });
            }
            schedulePump();
            finishIfDone();
          },
          error: fail,
        }),
    );
    subscriptions.push(datagrams.pipe(toTxRing(endpoint)).subscribe({ error: fail }));
    subscriptions.push(
      input.subscribe({
        next: (change) => {
          queue.push({ index: count++, change });
          schedulePump();
        },
        error: fail,
        complete: () => {
          inputDone = true;
          schedulePump();
        },
      }),
    );
    return () => {
      stopped = true;
      for (const s of subscriptions) s.unsubscribe();
      datagrams.complete();
      endpoint.close();
    };
  });
}

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
 * declare const desired: RouteRequestOptions[];
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
 * ).subscribe((r) => console.log(r.change.op, r.error instanceof NetlinkError ? r.error.code : 'ok'));
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
