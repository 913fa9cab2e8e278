import { Observable, share } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { DumpInterruptedError } from '../../errors/NetlinkError.js';
import { decodeAddress, type InterfaceAddress } from '../../families/rtnetlink/address.js';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTEXT_FILTER_SKIP_STATS,
  RTNLGRP_LINK,
} from '../../families/rtnetlink/constants.js';
import { classifyRtnetlink, rtnetlinkGroups } from '../../families/rtnetlink/events.js';
import { decodeLink, type Link, linkDumpRequest } from '../../families/rtnetlink/link.js';
import { decodeNeighbour, type Neighbour } from '../../families/rtnetlink/neighbour.js';
import { decodeNetconf, type Netconf } from '../../families/rtnetlink/netconf.js';
import { decodeNexthop, type Nexthop } from '../../families/rtnetlink/nexthop.js';
import { decodeNsid, type Nsid } from '../../families/rtnetlink/nsid.js';
import { decodeRoute, type Route } from '../../families/rtnetlink/route.js';
import { decodeRule, type Rule } from '../../families/rtnetlink/rule.js';
import type { NetnsRef } from '../../io/inNetns.js';
import type { OpenEndpoint } from '../../io/openNetlinkSocket.js';
import { controlState, MESSAGE_DATA, routeMessage } from '../../netlink/control.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { parseMessages } from '../../operators/parseMessages.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import type { RingStats } from '../../ring/RingStats.js';
import { fromRing } from '../fromRing.js';
import { type InterfaceNameLookup, InterfaceNames } from './interfaceNames.js';
import { checkRtnetlinkOptions, type RtnetlinkFamily } from './options.js';

/**
 * One rtnetlink notification, decoded: what changed (`kind`), whether it was added or
 * changed (`'new'`: RTM_NEW*, which the kernel also sends when an object changes) or deleted
 * (`'del'`: RTM_DEL*), and the object in its full state at that moment, under a field named
 * after the kind. A discriminated union on `kind`, so a `switch` narrows it — together with
 * `Overrun` (`kind: 'overrun'`), the other value a `monitor` emits.
 *
 * @example
 * monitor({ kinds: ['link', 'route'] }).subscribe((change) => {
 *   switch (change.kind) {
 *     case 'link': console.log(change.action, change.link.ifname, change.link.operstate); break;
 *     case 'route': console.log(change.action, change.route.dst, change.route.dev); break;
 *     case 'overrun': console.warn(`lost ${change.lost} notifications`); break;
 *   }
 * });
 */
export type RtnetlinkChange =
  | { readonly kind: 'link'; readonly action: 'new' | 'del'; readonly link: Link }
  | { readonly kind: 'address'; readonly action: 'new' | 'del'; readonly address: InterfaceAddress }
  | { readonly kind: 'route'; readonly action: 'new' | 'del'; readonly route: Route }
  | { readonly kind: 'neighbour'; readonly action: 'new' | 'del'; readonly neighbour: Neighbour }
  | { readonly kind: 'rule'; readonly action: 'new' | 'del'; readonly rule: Rule }
  | { readonly kind: 'nexthop'; readonly action: 'new' | 'del'; readonly nexthop: Nexthop }
  | { readonly kind: 'netconf'; readonly action: 'new' | 'del'; readonly netconf: Netconf }
  | { readonly kind: 'nsid'; readonly action: 'new' | 'del'; readonly nsid: Nsid };

/** Options of {@link monitor}. */
export interface MonitorOptions {
  /**
   * What to watch: any of `'link'`, `'address'`, `'route'`, `'neighbour'`, `'rule'`,
   * `'nexthop'`, `'netconf'` (forwarding, rp_filter, … per interface), `'nsid'` (namespace
   * ids), at least one: together what `ip monitor all` prints.
   */
  kinds: ReadonlyArray<RtnetlinkChange['kind']>;
  /**
   * `'inet'`, `'inet6'` or `'all'` (default): joins only that family's address and route
   * groups, and keeps only that family's neighbours. AF_BRIDGE (7) watches the bridge
   * forwarding database (`neigh`) and bridge port link messages (`link`) instead.
   */
  family?: RtnetlinkFamily | undefined;
  /**
   * Watch this network namespace instead of the process's own: a name
   * (`ip netns add NAME`), an absolute path, `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /**
   * Opens the endpoint to listen on, given `{ protocol: 'route', groups, netns }` with the
   * multicast groups to join (a simulated kernel's socket in tests). Default:
   * `openNetlinkSocket` of that request with a monitor ring (frames of 2 KiB, 128 of them;
   * bigger messages arrive as COPY).
   */
  open?: OpenEndpoint | undefined;
  /** RX ring counters (frames, overruns, messages lost), updated in place. */
  stats?: RingStats | undefined;
  /**
   * Socket receive buffer in bytes for the default socket (default 1 MiB, as iproute2's
   * `ip monitor`): `SO_RCVBUFFORCE`, else `SO_RCVBUF` capped by `net.core.rmem_max`.
   */
  receiveBufferSize?: number | undefined;
  /** Interface names to use instead of learning them (no link dump, no link group). */
  ifnames?: InterfaceNameLookup | undefined;
}

/** A monitor ring: frames of 2 KiB (link notifications fit), 128 of them. */
const MONITOR_MESSAGE_SIZE = 2048 - 24;
const MONITOR_RING_MEMORY = 1 << 18;
const MONITOR_RECEIVE_BUFFER = 1 << 20;
/** Sequence number of the link dump that teaches the monitor interface names. */
const NAMES_SEQ = 1;
const KINDS: ReadonlySet<string> = new Set([
  'link',
  'address',
  'route',
  'neighbour',
  'rule',
  'nexthop',
  'netconf',
  'nsid',
]);

/**
 * Watches rtnetlink notifications — links, addresses, routes, neighbours appearing, changing
 * and disappearing — as a stream of decoded {@link RtnetlinkChange} values (the same objects
 * the dumps emit), plus an `Overrun` whenever notifications were lost.
 *
 * Hot while subscribed: the first subscriber opens one NETLINK_ROUTE socket that joins the
 * groups of `kinds` (`rtnetlinkGroups`), and every later subscriber shares it and sees the
 * changes from the moment it joins (rxjs `share()`); when the last one unsubscribes, or the
 * stream errors, the socket is closed, and the next subscriber opens a new one. The socket
 * is open and has joined its groups when `subscribe()` returns, so no change made after that
 * is missed (list-then-watch: subscribe first, then dump, or use `resyncOnOverrun` with
 * `initial: true`). It never completes.
 *
 * Interface names (`dev`, `ifname`, `master`) are learned as iproute2's `ip monitor` does:
 * the socket also joins RTNLGRP_LINK and dumps the links once at the start (events are not
 * held back meanwhile); link notifications keep the names current. `options.ifnames` turns
 * that off.
 *
 * Overruns: when the kernel could not deliver notifications (the socket buffer or the ring
 * was full, ENOBUFS), an `Overrun` (with `lost`, from the socket's drop counter) is emitted in
 * order and the stream goes on; drops later in the same congestion episode (which raise no
 * second ENOBUFS) are more Overruns, so Σ `lost` is the socket's drop count. What was lost is unknown: re-dump to resync, e.g. with
 * `resyncOnOverrun`. Errors with a NetlinkError for a socket error or when opening fails
 * (EPERM, ENOENT for an unknown `netns`); bad options throw a TypeError at once.
 *
 * @example
 * monitor({ kinds: ['link', 'address'], netns: 'blue' }).subscribe((c) => {
 *   if (c.kind === 'link') console.log(c.action, c.link.ifname, c.link.flags.join(','));
 *   else if (c.kind === 'address') console.log(c.action, c.address.ifname, c.address.local);
 *   else if (c.kind === 'overrun') console.warn('lost', c.lost);
 * });
 */
export function monitor(options: MonitorOptions): Observable<RtnetlinkChange | Overrun> {
  const check = argumentChecker('monitor');
  check.options(options, true);
  const kinds = options.kinds;
  if (
    !Array.isArray(kinds) ||
    kinds.length === 0 ||
    !kinds.every((k: unknown) => typeof k === 'string' && KINDS.has(k))
  ) {
    check.fail(
      'options.kinds',
      "a non-empty array of 'link', 'address', 'route', 'neighbour', 'rule', 'nexthop', 'netconf', 'nsid'",
      kinds,
    );
  }
  const size = check.integer('options.receiveBufferSize', options.receiveBufferSize, 1, 0x7fffffff);
  const checked = checkRtnetlinkOptions('monitor', options, {
    messageSize: MONITOR_MESSAGE_SIZE,
    ringMemory: MONITOR_RING_MEMORY,
    receiveBufferSize: size ?? MONITOR_RECEIVE_BUFFER,
  });
  const family = checked.family;
  const wanted = new Set<string>(kinds);
  const learnNames = checked.ifnames === undefined;
  const ipFamily = family === AF_INET || family === AF_INET6;
  const joined = new Set<number>();
  for (const kind of wanted) {
    if (
      (kind === 'address' || kind === 'route' || kind === 'rule' || kind === 'netconf') &&
      !ipFamily &&
      family !== AF_UNSPEC
    ) {
      check.fail('options.family', `'inet', 'inet6' or 'all' to watch ${kind}s`, options.family);
    }
    for (const g of rtnetlinkGroups(kind as RtnetlinkChange['kind'], ipFamily ? family : AF_UNSPEC))
      joined.add(g);
  }
  if (learnNames) joined.add(RTNLGRP_LINK);
  const groups = Object.freeze([...joined].sort((a, b) => a - b));
  // Which message families are kept: links are the devices themselves (AF_UNSPEC), not a
  // bridge's AF_BRIDGE port copies (whose RTM_DELLINK means "left the bridge"); neighbours
  // are the ARP/NDP entries a family-less neighbour dump lists.
  const linkFamily = family === AF_BRIDGE ? AF_BRIDGE : AF_UNSPEC;
  const keepFamily = (kind: string, messageFamily: number): boolean => {
    if (kind === 'link') return messageFamily === linkFamily;
    if (kind === 'nsid') return true; // rtgen_family is AF_UNSPEC
    if (family === AF_UNSPEC) {
      return kind !== 'neighbour' || messageFamily === AF_INET || messageFamily === AF_INET6;
    }
    return messageFamily === family;
  };

  const watch = new Observable<RtnetlinkChange | Overrun>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = checked.open(groups);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const names = new InterfaceNames(checked.ifnames);
    // The replies to our link dump (names) go through the one control-message router: our
    // seq and port id only, errors with their extended ack. An interrupted dump needs
    // nothing (names are best effort, link notifications keep them current), so the DONE
    // is routed without the interruption count.
    const namesDump = controlState({
      seq: NAMES_SEQ,
      portId: endpoint.portid,
      op: 'dump',
      request: 'monitor: link dump for interface names',
    });

    const onMessage = (message: NetlinkMessage): void => {
      if (message.group === 0) {
        // Unicast: the replies to our link dump (names), nothing else is ours.
        namesDump.counters.interrupted = 0;
        let routed: number;
        try {
          routed = routeMessage(namesDump, message.view, message.offset);
        } catch (error) {
          if (!(error instanceof DumpInterruptedError)) subscriber.error(error);
          return;
        }
        if (routed === MESSAGE_DATA) names.learn(message);
        return;
      }
      const event = classifyRtnetlink(message.type);
      if (event === undefined) return;
      const kind = event.kind;
      if (!keepFamily(kind, message.view.getUint8(message.payloadOffset))) return;
      const action = event.action;
      const decodeOptions = names.decodeOptions;
      let change: RtnetlinkChange | undefined;
      if (wanted.has(kind)) {
        switch (kind) {
          case 'link':
            change = { kind, action, link: decodeLink(message, decodeOptions) };
            break;
          case 'address':
            change = { kind, action, address: decodeAddress(message, decodeOptions) };
            break;
          case 'route':
            change = { kind, action, route: decodeRoute(message, decodeOptions) };
            break;
          case 'neighbour':
            change = { kind, action, neighbour: decodeNeighbour(message, decodeOptions) };
            break;
          case 'rule':
            change = { kind, action, rule: decodeRule(message) };
            break;
          case 'nexthop':
            change = { kind, action, nexthop: decodeNexthop(message, decodeOptions) };
            break;
          case 'netconf':
            change = { kind, action, netconf: decodeNetconf(message, decodeOptions) };
            break;
          case 'nsid':
            change = { kind, action, nsid: decodeNsid(message) };
            break;
        }
      }
      // After decoding: a deleted link's peer and master are still named in its event.
      if (kind === 'link') names.learn(message);
      if (change !== undefined) subscriber.next(change);
    };

    const subscription = fromRing(endpoint, { stats: checked.stats })
      .pipe(parseMessages())
      .subscribe({
        next: (value) => {
          if (value instanceof Overrun) {
            subscriber.next(value);
            return;
          }
          try {
            onMessage(value);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    if (learnNames && !subscriber.closed) {
      try {
        endpoint.send(linkDumpRequest({ seq: NAMES_SEQ, extMask: RTEXT_FILTER_SKIP_STATS }));
      } catch (error) {
        subscriber.error(error);
      }
    }
    return () => {
      subscription.unsubscribe();
      endpoint.close();
    };
  });
  return watch.pipe(share());
}
