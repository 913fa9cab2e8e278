import { concatMap, Observable } from 'rxjs';
import {
  fromRing,
  type NetlinkMessage,
  Overrun,
  openNetlinkSocket,
  parseMessages,
  rtnetlink,
} from '../index.js';
import type { Family } from './Family.js';
import { linkNames } from './linkNames.js';
import type { MonitorChange } from './MonitorChange.js';

/** Options of {@link monitorRtnetlink}. */
export interface MonitorRtnetlinkOptions {
  readonly kinds: readonly MonitorChange['kind'][];
  readonly family?: Family;
  readonly netns?: string;
  /** Called once the notification socket is bound: from then on no change is missed. */
  readonly onReady?: () => void;
}

const FAMILIES: Record<Family, number> = {
  all: rtnetlink.AF_UNSPEC,
  inet: rtnetlink.AF_INET,
  inet6: rtnetlink.AF_INET6,
};

/** Decodes one notification into a change of a kind that was asked for, or undefined. */
function decodeChange(
  message: NetlinkMessage,
  kinds: readonly MonitorChange['kind'][],
  names: rtnetlink.RtnetlinkDecodeOptions,
): MonitorChange | undefined {
  const event = rtnetlink.classifyRtnetlink(message.type);
  if (event === undefined || !kinds.includes(event.kind)) return undefined;
  const action = event.action;
  switch (event.kind) {
    case 'link':
      return { kind: 'link', action, link: rtnetlink.decodeLink(message, names) };
    case 'address':
      return { kind: 'address', action, address: rtnetlink.decodeAddress(message, names) };
    case 'route':
      return { kind: 'route', action, route: rtnetlink.decodeRoute(message, names) };
    default:
      return { kind: 'neigh', action, neighbour: rtnetlink.decodeNeighbour(message, names) };
  }
}

/**
 * Live rtnetlink changes of the kinds asked for, decoded with `ip -j`'s field names, with
 * an {@link Overrun} in the stream wherever notifications were lost (the stream goes on).
 * Interfaces are named from a link dump taken first and kept current from link
 * notifications (the socket always listens to RTNLGRP_LINK for that; link changes are
 * emitted only when asked). Hot once subscribed, never completes; errors with a
 * NetlinkError; unsubscribing closes its sockets.
 *
 * The command's own path until the library's `monitor` source is exported; public API only.
 *
 * @example
 * monitorRtnetlink({ kinds: ['link'] }).subscribe((c) => console.log(c.kind));
 */
export function monitorRtnetlink(
  options: MonitorRtnetlinkOptions,
): Observable<MonitorChange | Overrun> {
  const netns = options.netns;
  const family = FAMILIES[options.family ?? 'all'];
  const groups = new Set<number>(rtnetlink.rtnetlinkGroups('link'));
  for (const kind of options.kinds) {
    for (const group of rtnetlink.rtnetlinkGroups(kind, family)) groups.add(group);
  }
  return linkNames(netns === undefined ? {} : { netns }).pipe(
    concatMap(
      (seed) =>
        new Observable<MonitorChange | Overrun>((subscriber) => {
          const ifname = new Map(seed.ifname);
          const ifflags = new Map(seed.ifflags);
          const names = { ifname, ifflags };
          const socket = openNetlinkSocket({
            protocol: 'route',
            groups: [...groups],
            ...(netns === undefined ? {} : { netns }),
          });
          const subscription = fromRing(socket)
            .pipe(parseMessages())
            .subscribe({
              next: (value) => {
                if (value instanceof Overrun) {
                  subscriber.next(value);
                  return;
                }
                const change = decodeChange(value, [...options.kinds, 'link'], names);
                if (change === undefined) return;
                if (change.kind === 'link' && change.link.ifname !== undefined) {
                  if (change.action === 'new') {
                    ifname.set(change.link.ifindex, change.link.ifname);
                  } else if (change.link.linkinfo?.info_slave_kind === undefined) {
                    ifname.delete(change.link.ifindex);
                  }
                }
                if (change.kind !== 'link' || options.kinds.includes('link')) {
                  subscriber.next(change);
                }
              },
              error: (error: unknown) => subscriber.error(error),
              complete: () => subscriber.complete(),
            });
          options.onReady?.();
          return () => {
            subscription.unsubscribe();
            socket.close();
          };
        }),
    ),
  );
}
