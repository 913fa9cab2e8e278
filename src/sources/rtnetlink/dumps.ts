import {
  catchError,
  concatMap,
  EMPTY,
  map,
  Observable,
  Subscription,
  throwError,
  toArray,
} from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import {
  addressDumpRequest,
  decodeAddress,
  type InterfaceAddress,
} from '../../families/rtnetlink/address.js';
import {
  AF_UNSPEC,
  RTA_TABLE,
  RTEXT_FILTER_SKIP_STATS,
  RTMSG_SIZE,
} from '../../families/rtnetlink/constants.js';
import type { RtnetlinkDecodeOptions } from '../../families/rtnetlink/decoding.js';
import { decodeLink, type Link, linkDumpRequest } from '../../families/rtnetlink/link.js';
import {
  decodeNeighbour,
  type Neighbour,
  neighbourDumpRequest,
} from '../../families/rtnetlink/neighbour.js';
import {
  decodeNexthop,
  type Nexthop,
  nexthopDumpRequest,
} from '../../families/rtnetlink/nexthop.js';
import { decodeRouteAt, type Route, routeDumpRequest } from '../../families/rtnetlink/route.js';
import { rtnetlinkNames } from '../../families/rtnetlink/rtnetlinkNames.js';
import { NLA_HDRLEN, NLA_TYPE_MASK, NLMSG_HDRLEN } from '../../netlink/constants.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import type { MessageDecoderAt } from '../../operators/MessageStream.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { dumpDecoded, dumpDecodedAt } from '../dumpMessages.js';
import { InterfaceNames } from './interfaceNames.js';
import {
  type CheckedRtnetlinkOptions,
  checkRtnetlinkOptions,
  type RtnetlinkOptions,
} from './options.js';

/** Sequence numbers of the two dumps on a subscription's socket. */
const NAMES_SEQ = 1;
const DUMP_SEQ = 2;

/**
 * The shape of every rtnetlink dump source: open one endpoint, learn interface names with a
 * link dump on it (unless the caller gave them), then send `request(seq)` on the same
 * endpoint and emit `decode(message, names)` for each reply that decodes to a value
 * (undefined skips it), completing at NLMSG_DONE. Messages are borrowed and decoded in place;
 * the values own their memory. The endpoint is closed exactly once at teardown.
 *
 * Errors as `dumpMessages`: a NetlinkError for an error reply or a failed DONE, a
 * DumpInterruptedError at DONE when either dump was flagged NLM_F_DUMP_INTR, a NetlinkError
 * (ENOBUFS) when a reply was lost, and whatever `open()` throws.
 *
 * @example
 * const checked = checkRtnetlinkOptions('dumpRoutes', {}, {});
 * rtnetlinkDump(checked, (seq) => routeDumpRequest({ seq }), (m, names) => decodeRoute(m, names.decodeOptions));
 */
export function rtnetlinkDump<T>(
  options: CheckedRtnetlinkOptions,
  request: (seq: number) => Uint8Array,
  decode: ((message: NetlinkMessage, names: InterfaceNames) => T | undefined) | DecoderInPlace<T>,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = options.open([]);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const names = new InterfaceNames(options.ifnames);
    const stats = { stats: options.stats };
    // The values go from the frame walk to the subscriber: the decoder is fused into the
    // parser (dumpDecoded), with no operator or inner subscriber between them.
    const emit = () =>
      (typeof decode === 'function'
        ? dumpDecoded(endpoint, request(DUMP_SEQ), decode, names, stats)
        : dumpDecodedAt(endpoint, request(DUMP_SEQ), decode.at, names.decodeOptions, stats)
      ).subscribe(subscriber);
    const subscription = new Subscription();
    if (options.ifnames === undefined) {
      let learnt = false;
      const learning = dumpDecoded(
        endpoint,
        linkDumpRequest({ seq: NAMES_SEQ, extMask: RTEXT_FILTER_SKIP_STATS }),
        learnNames,
        names,
        stats,
      ).subscribe({
        error: (error) => subscriber.error(error),
        complete: () => {
          learnt = true;
        },
      });
      // The dump proper starts once the link dump's teardown has stopped watching the socket
      // (one RX source per ring); a teardown added to a closed subscription runs at once.
      learning.add(() => {
        if (learnt) subscription.add(emit());
      });
      subscription.add(learning);
    } else {
      subscription.add(emit());
    }
    return () => {
      subscription.unsubscribe();
      endpoint.close();
    };
  });
}

/**
 * A dump's decoder of each reply in place (`dumpDecodedAt`), given the decoder options that
 * name interfaces from what the dump learned: no message handle per reply.
 *
 * @internal
 */
export interface DecoderInPlace<T> {
  readonly at: MessageDecoderAt<T, RtnetlinkDecodeOptions>;
}

/** Learns the names and flags of a link message (the decoder of the link dump before a dump). */
function learnNames(message: NetlinkMessage, names: InterfaceNames): undefined {
  names.learn(message);
  return undefined;
}

/**
 * The network interfaces of a namespace, as `ip -j -d link show` lists them: one decoded
 * {@link Link} per interface, in the kernel's order, then completes at NLMSG_DONE.
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, when the dump completes or errors or the subscriber unsubscribes.
 * To name a veth peer (`link`), a `master` and to add ip's `M-DOWN` flag, it first dumps the
 * links once on that socket to learn every name and flag, then dumps them again to emit them
 * (a link may refer to one listed after it); with `options.ifnames` it dumps once and names
 * from that (no `M-DOWN`). `options.family` does not apply to links. Values are emitted as
 * they are decoded, never buffered.
 *
 * Errors with a NetlinkError: from opening the socket (EPERM, ENOENT for an unknown
 * `netns`), from the kernel (errno name in `code`, its extended-ack text in `extack`), ENOBUFS
 * when a reply was lost. If the kernel flagged a reply NLM_F_DUMP_INTR (the link table changed
 * during the dump) the links are still emitted and the stream then errors at NLMSG_DONE with
 * a `DumpInterruptedError`; the result may be inconsistent, so a caller that collects retries
 * the whole dump (see the example). Bad options throw a TypeError at once.
 *
 * @example
 * const links = await lastValueFrom(
 *   dumpLinks({ netns: 'blue' }).pipe(
 *     toArray(),
 *     retry({ count: 3, delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)) }),
 *   ),
 * );
 * console.log(links.map((l) => `${l.ifindex}: ${l.ifname} ${l.operstate}`));
 */
export function dumpLinks(options?: RtnetlinkOptions): Observable<Link> {
  const checked = checkRtnetlinkOptions('dumpLinks', options, {});
  return rtnetlinkDump(
    checked,
    (seq) => linkDumpRequest({ seq }),
    (message, names) => decodeLink(message, names.decodeOptions),
  );
}

/**
 * The interface addresses of a namespace: one decoded {@link InterfaceAddress} per address —
 * an `addr_info` entry of `ip -j addr show` with its link's `ifindex` and `ifname` in front —
 * in the kernel's order, then completes at NLMSG_DONE. `options.family` picks IPv4
 * (`'inet'`), IPv6 (`'inet6'`) or both (`'all'`, the default).
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe. `ifname` is learned from a
 * link dump on the same socket first, unless `options.ifnames` gives the names. Values are
 * emitted as they are decoded, never buffered.
 *
 * Errors with a NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and
 * extended ack, ENOBUFS for a lost reply); a dump flagged NLM_F_DUMP_INTR errors at
 * NLMSG_DONE with a `DumpInterruptedError` after its values: retry it (see `dumpLinks`). Bad
 * options throw a TypeError at once.
 *
 * @example
 * dumpAddresses({ family: 'inet6' }).subscribe((a) => console.log(`${a.ifname} ${a.local}/${a.prefixlen}`));
 */
export function dumpAddresses(options?: RtnetlinkOptions): Observable<InterfaceAddress> {
  const checked = checkRtnetlinkOptions('dumpAddresses', options, {});
  const family = checked.family;
  return rtnetlinkDump(
    checked,
    (seq) => addressDumpRequest({ family, seq }),
    (message, names) =>
      family !== AF_UNSPEC && message.view.getUint8(message.payloadOffset) !== family
        ? undefined
        : decodeAddress(message, names.decodeOptions),
  );
}

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
  table?: number | 'all' | 'main' | 'local' | 'default' | `${number}` | undefined;
  /**
   * Give a route that uses a nexthop object (`nhid`) that object as `nh_info`, as
   * `ip -d -j route` prints it: the nexthop objects are dumped first, on a socket of their
   * own, then the routes (a kernel without nexthop objects, before 5.3, has none to give).
   * Default false.
   */
  nhInfo?: boolean | undefined;
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
  const table = tableId(options?.table);
  const tableName = table === undefined ? undefined : rtnetlinkNames.table(table);
  const nhInfo = argumentChecker('dumpRoutes').boolean('options.nhInfo', options?.nhInfo);
  // The table applied to the decoded route (a message of another table is still decoded, so
  // a malformed one errors as it always has).
  const routes = routeDump(
    checked,
    table,
    tableName === undefined
      ? decodeRouteAt
      : (bytes, view, offset, length, decodeOptions) => {
          const route = decodeRouteAt(bytes, view, offset, length, decodeOptions);
          return route.table === tableName ? route : undefined;
        },
  );
  if (nhInfo !== true) return routes;
  return nexthopObjects(checked).pipe(
    // A kernel without nexthop objects (before 5.3) answers RTM_GETNEXTHOP with EOPNOTSUPP:
    // none to look up, so the routes come without nh_info, as ip prints them there.
    catchError((error: unknown) =>
      error instanceof NetlinkError && error.errno === errnos.EOPNOTSUPP
        ? EMPTY
        : throwError(() => error),
    ),
    toArray(),
    concatMap((list) => {
      // No nexthop objects (most hosts): nothing to look up, so no operator per route.
      if (list.length === 0) return routes;
      const byId = new Map(list.map((nexthop) => [nexthop.id, nexthop]));
      return routes.pipe(
        map((route) => {
          const info = route.nhid === undefined ? undefined : byId.get(route.nhid);
          if (info !== undefined) route.nh_info = info;
          return route;
        }),
      );
    }),
  );
}

/**
 * A decoder of one route message in place, for {@link dumpRoutesWith}: the RTM_NEWROUTE
 * message whose nlmsghdr is at `offset` of `bytes` (`view` over the same memory), `length`
 * its `nlmsg_len`, and the decoder options that name interfaces from what the dump learned
 * (what `rtnetlink.decodeRouteAt` takes). Returns the value to emit, or undefined for none.
 * The bytes are the ring's frame: read them during the call and keep nothing that points
 * into them.
 *
 * @example
 * const prefixLength: RouteDecoderAt<number> = (bytes, view, offset) => bytes[offset + 17];
 */
export type RouteDecoderAt<T> = (
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  length: number,
  options: RtnetlinkDecodeOptions,
) => T | undefined;

/**
 * The route dump of {@link dumpRoutes}, with your own decoder in place of the library's:
 * `decodeAt` gets each route message where it lies in the RX ring, with the decoder options
 * that name its interface, and its value (undefined: none) is emitted. For a program that
 * reads a few fields of a large table, or writes its own text of each route, without a
 * `Route` object per route; `rtnetlink.decodeRouteAt` with the same arguments is the
 * library's decoder, for the routes it does not handle itself. The dump is the same: the
 * link dump for names first (unless `options.ifnames` gives them), `options.family` and
 * `options.table` sent to the kernel and applied again here before `decodeAt` is called,
 * the same errors and completion. There is no `nhInfo`: that is a field of the decoded route.
 *
 * An error thrown by `decodeAt` errors the stream. Bad options throw a TypeError at once.
 *
 * @example
 * // How many IPv4 routes of each prefix length, without decoding them (rtm_dst_len is the
 * // byte after rtm_family, which follows the 16-byte nlmsghdr).
 * const perLength = new Array<number>(33).fill(0);
 * dumpRoutesWith((bytes, view, offset) => bytes[offset + 17], { family: 'inet' })
 *   .subscribe((length) => perLength[length]++);
 */
export function dumpRoutesWith<T>(
  decodeAt: RouteDecoderAt<T>,
  options?: Omit<DumpRoutesOptions, 'nhInfo'>,
): Observable<T> {
  const check = argumentChecker('dumpRoutesWith');
  if (typeof decodeAt !== 'function') check.fail('decodeAt', 'a function', decodeAt);
  if ((options as DumpRoutesOptions | undefined)?.nhInfo !== undefined) {
    check.fail(
      'options.nhInfo',
      'not given (dumpRoutes has it)',
      (options as DumpRoutesOptions).nhInfo,
    );
  }
  const checked = checkRtnetlinkOptions('dumpRoutesWith', options, {});
  const table = tableId(options?.table, 'dumpRoutesWith');
  // The table applied before the decoder, which may not make a Route to look at.
  return routeDump(
    checked,
    table,
    table === undefined
      ? decodeAt
      : (bytes, view, offset, length, decodeOptions) =>
          routeTableAt(bytes, view, offset, length) === table
            ? decodeAt(bytes, view, offset, length, decodeOptions)
            : undefined,
  );
}

/**
 * The route dump of checked options (one family or all, one table or all, asked of the
 * kernel) with `at` decoding each reply in place; replies of another family never reach it.
 * Without a family the decoder itself, with no closure around it.
 */
function routeDump<T>(
  checked: CheckedRtnetlinkOptions,
  table: number | undefined,
  at: MessageDecoderAt<T, RtnetlinkDecodeOptions>,
): Observable<T> {
  const family = checked.family;
  const decode: MessageDecoderAt<T, RtnetlinkDecodeOptions> =
    family === AF_UNSPEC
      ? at
      : (bytes, view, offset, length, decodeOptions) =>
          bytes[offset + NLMSG_HDRLEN] === family
            ? at(bytes, view, offset, length, decodeOptions)
            : undefined;
  return rtnetlinkDump(checked, (seq) => routeDumpRequest({ family, table, seq }), {
    at: decode,
  });
}

/**
 * The table id of the route message at `offset`: RTA_TABLE's (the last one), else
 * `rtm_table`. A message too short or malformed to say gives `rtm_table` or -1, and
 * reaches no decoder unless that is the table asked for (the decoder then reports it).
 */
function routeTableAt(bytes: Uint8Array, view: DataView, offset: number, length: number): number {
  const end = offset + length;
  const header = offset + NLMSG_HDRLEN;
  if (end - header < RTMSG_SIZE) return -1;
  let table = bytes[header + 4];
  let at = header + RTMSG_SIZE;
  while (end - at >= NLA_HDRLEN) {
    const nlaLen = view.getUint16(at, true);
    if (nlaLen < NLA_HDRLEN || nlaLen > end - at) break;
    if ((view.getUint16(at + 2, true) & NLA_TYPE_MASK) === RTA_TABLE && nlaLen >= NLA_HDRLEN + 4) {
      table = view.getUint32(at + NLA_HDRLEN, true);
    }
    at += (nlaLen + 3) & ~3;
  }
  return table;
}

/**
 * The nexthop objects of checked options' namespace (RTM_GETNEXTHOP dump), decoded: what
 * `dumpNexthops` emits and what `dumpRoutes({ nhInfo })` looks `nhid` up in.
 *
 * @internal
 * @example
 * nexthopObjects(checkRtnetlinkOptions('dumpNexthops', {}, {}));
 */
export function nexthopObjects(checked: CheckedRtnetlinkOptions): Observable<Nexthop> {
  return rtnetlinkDump(
    checked,
    (seq) => nexthopDumpRequest({ seq }),
    (message, names) => decodeNexthop(message, names.decodeOptions),
  );
}

/** The table id to dump, or undefined for all of them. */
function tableId(table: unknown, fn = 'dumpRoutes'): number | undefined {
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
    `${fn}: options.table must be 'all', 'main', 'local', 'default' or a table id, got ${JSON.stringify(table)}`,
  );
}

/**
 * The neighbour tables (ARP and NDP caches) of a namespace, as `ip -j -s neigh show nud all`
 * lists them: one decoded {@link Neighbour} per entry, `dev` named, then completes at
 * NLMSG_DONE. `options.family` picks ARP (`'inet'`), NDP (`'inet6'`) or both (`'all'`, the
 * default); AF_BRIDGE (7) dumps the bridge forwarding database instead.
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe. `dev` names are learned from
 * a link dump on the same socket first, unless `options.ifnames` gives them. Values are
 * emitted as they are decoded, never buffered.
 *
 * Errors with a NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and
 * extended ack, ENOBUFS for a lost reply); a dump flagged NLM_F_DUMP_INTR errors at
 * NLMSG_DONE with a `DumpInterruptedError` after its values: retry it (see `dumpLinks`). Bad
 * options throw a TypeError at once.
 *
 * @example
 * dumpNeighbours({ family: 'inet' })
 *   .pipe(filter((n) => n.state?.includes('REACHABLE') ?? false))
 *   .subscribe((n) => console.log(n.dst, n.lladdr, n.dev));
 */
export function dumpNeighbours(options?: RtnetlinkOptions): Observable<Neighbour> {
  const checked = checkRtnetlinkOptions('dumpNeighbours', options, {});
  const family = checked.family;
  return rtnetlinkDump(
    checked,
    (seq) => neighbourDumpRequest({ family, seq }),
    (message, names) =>
      family !== AF_UNSPEC && message.view.getUint8(message.payloadOffset) !== family
        ? undefined
        : decodeNeighbour(message, names.decodeOptions),
  );
}
