import { map, type Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import {
  type ConntrackEntry,
  type ConntrackEventType,
  decodeConntrack,
} from '../../families/netfilter/conntrack.js';
import {
  IPCTNL_MSG_CT_DELETE,
  IPCTNL_MSG_CT_NEW,
  NFNL_SUBSYS_CTNETLINK,
  NFNLGRP_CONNTRACK_DESTROY,
  NFNLGRP_CONNTRACK_NEW,
  NFNLGRP_CONNTRACK_UPDATE,
} from '../../families/netfilter/constants.js';
import { nfnlMsgType } from '../../families/netfilter/nfnetlink.js';
import type { NetnsRef } from '../../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import { ofType } from '../../operators/ofType.js';
import { parseMessages } from '../../operators/parseMessages.js';
import { chooseGeometry } from '../../ring/chooseGeometry.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingStats } from '../../ring/RingStats.js';
import { fromRing } from '../fromRing.js';
import { checkOpen } from './openOption.js';

/** Options of {@link conntrackEvents}. */
export interface ConntrackEventsOptions {
  /** Which events to receive (default all three): each is one multicast group. */
  events?: readonly ConntrackEventType[] | undefined;
  /**
   * Watch the table of this network namespace: a name
   * (`ip netns add NAME`), an absolute path, `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /** SO_RCVBUF(FORCE) of the socket, in bytes. Default: the kernel's. */
  receiveBufferSize?: number | undefined;
  /**
   * Opens the endpoint instead of a netfilter socket, given `{ protocol: 'netfilter', groups,
   * netns }` with the NFNLGRP_CONNTRACK_* groups of `events` to join; called once per
   * subscription, closed at teardown.
   */
  open?: OpenEndpoint | undefined;
  /** Counters of the RX ring, updated in place. */
  stats?: RingStats | undefined;
}

const GROUPS: Record<ConntrackEventType, number> = {
  new: NFNLGRP_CONNTRACK_NEW,
  update: NFNLGRP_CONNTRACK_UPDATE,
  destroy: NFNLGRP_CONNTRACK_DESTROY,
};
const CT_NEW = nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
const CT_DELETE = nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE);

/**
 * Conntrack events, as `conntrack -E` shows them: a decoded {@link ConntrackEntry} for each
 * connection created (`'new'`), changed (`'update'`: a TCP state, a status bit, a mark) or
 * destroyed (`'destroy'`, with its counters when accounting is on).
 *
 * Cold and hot at once: each subscription opens its own netfilter socket (in `netns` if
 * given) and joins the groups of `events`, so it sees the events from then on; it never
 * completes, and closes the socket at teardown. Entries are plain values, safe to keep.
 *
 * Loss is never silent and never ends the stream: when the socket drops events (ENOBUFS —
 * the ring or the socket buffer was full) an {@link Overrun} comes in order with the
 * events, its `lost` the events dropped (`sk_drops`: each event is one datagram). A larger
 * `receiveBufferSize` makes that rarer. Errors with a NetlinkError for any other socket error.
 *
 * Throws a TypeError at once for a bad option.
 *
 * @example
 * conntrackEvents({ events: ['new', 'destroy'], netns: 'blue' }).subscribe((e) =>
 *   console.log(e instanceof Overrun ? `lost ${e.lost}` : `${e.type} ${e.protocol} ${e.orig.dport}`),
 * );
 */
export function conntrackEvents(
  options: ConntrackEventsOptions = {},
): Observable<ConntrackEntry | Overrun> {
  const check = argumentChecker('conntrackEvents');
  check.options(options);
  const events = options.events ?? ['new', 'update', 'destroy'];
  if (!Array.isArray(events) || events.length === 0) {
    throw new TypeError("events: expected a non-empty array of 'new', 'update', 'destroy'");
  }
  const groups = events.map((event: ConntrackEventType) => {
    if (!Object.hasOwn(GROUPS, event)) {
      throw new TypeError(`events: ${String(event)} is not 'new', 'update' or 'destroy'`);
    }
    return GROUPS[event];
  });
  check.integer('options.receiveBufferSize', options.receiveBufferSize, 0, 0x7fffffff);
  const joined = [...new Set(groups)];
  const open = checkOpen(check, options.open, {
    protocol: 'netfilter',
    groups: joined,
    netns: options.netns,
  });
  const endpoint =
    open ??
    (() =>
      openNetlinkSocket({
        protocol: 'netfilter',
        netns: options.netns,
        groups: joined,
        receiveBufferSize: options.receiveBufferSize,
        rx: chooseGeometry({ messageSize: 2048 - 24, memory: 1 << 18 }),
      }));
  return fromRing(endpoint, { stats: options.stats }).pipe(
    parseMessages(),
    ofType(CT_NEW, CT_DELETE),
    map((value) => (value instanceof Overrun ? value : decodeConntrack(value))),
  );
}
