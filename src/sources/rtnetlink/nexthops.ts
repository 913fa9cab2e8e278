// Nexthop objects (ip nexthop): dump, add, delete.

import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import {
  type Nexthop,
  type NexthopRequestOptions,
  writeAddNexthop,
  writeDeleteNexthop,
} from '../../families/rtnetlink/nexthop.js';
import { configureRequest, deviceOption } from './configureRequest.js';
import { nexthopObjects } from './dumps.js';
import {
  checkRtnetlinkOptions,
  type RtnetlinkOptions,
  type RtnetlinkRequestOptions,
} from './options.js';

/**
 * The nexthop objects of a namespace, as `ip -d -j nexthop show` lists them: one decoded
 * {@link Nexthop} per object (single nexthops, blackholes and groups), `dev` named, then
 * completes at NLMSG_DONE. `options.family` does not apply.
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe; `dev` names are learned from
 * a link dump on the same socket first, unless `options.ifnames` gives them. Errors with a
 * NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and extended ack);
 * a dump flagged NLM_F_DUMP_INTR errors at NLMSG_DONE with a `DumpInterruptedError` after
 * its values. Bad options throw a TypeError at once.
 *
 * @example
 * dumpNexthops({ netns: 'blue' }).subscribe((nh) => console.log(nh.id, nh.gateway ?? nh.group));
 */
export function dumpNexthops(options?: Omit<RtnetlinkOptions, 'family'>): Observable<Nexthop> {
  return nexthopObjects(checkRtnetlinkOptions('dumpNexthops', options, {}));
}

/**
 * Options of {@link addNexthop}: the id and one of a gateway and/or device (`dev` or
 * `ifindex`), a blackhole, or a group of existing nexthop ids with weights.
 *
 * @example
 * addNexthop({ id: 10, group: [{ id: 1, weight: 3 }, { id: 2 }] });
 */
export interface AddNexthopOptions
  extends Omit<NexthopRequestOptions, 'seq'>,
    RtnetlinkRequestOptions {
  /** The device by name (instead of `ifindex`). */
  dev?: string | undefined;
}

/**
 * Adds a nexthop object, as `ip nexthop add id N …` does: `{ id: 1, gateway: '10.1.0.2',
 * dev: 'v0' }`, `{ id: 2, blackhole: true }`, `{ id: 10, group: [{ id: 1, weight: 3 }, {
 * id: 2 }] }`; `replace: true` for `ip nexthop replace`. Routes then use it with `nhid`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`),
 * resolves `dev` there, sends the request, emits one `undefined` at the kernel's
 * acknowledgement and completes; the socket is closed exactly once. Errors with a
 * NetlinkError (`code`, `extack`, what was asked in `detail`): EEXIST for a taken id,
 * EINVAL with the kernel's reason (a group member that does not exist, a gateway without a
 * device), ENODEV for an unknown `dev`. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(addNexthop({ id: 1, gateway: '10.1.0.2', dev: 'v0', netns: 'blue' }));
 */
export function addNexthop(options: AddNexthopOptions): Observable<void> {
  const fn = 'addNexthop';
  const o = argumentChecker(fn).options(options, true) as Partial<AddNexthopOptions>;
  const dev = deviceOption(fn, o, false);
  const { netns, open, dev: _d, ifindex: _i, ...fields } = o;
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces: dev === undefined ? [] : [dev],
      namespaces: [],
      what: `${fn} id ${String(fields.id)}`,
      build: (ifindexes, _namespaces, seq) =>
        writeAddNexthop(fn, { ...fields, ifindex: ifindexes[0], seq } as NexthopRequestOptions),
    },
  );
}

/**
 * Deletes nexthop object `id`, as `ip nexthop del id N` does (routes that use it go with
 * it; groups lose it as a member).
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * the request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket is closed exactly once. Errors with a NetlinkError (`code`, `extack`, what was
 * asked in `detail`): ENOENT for an unknown id. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteNexthop({ id: 1, netns: 'blue' }));
 */
export function deleteNexthop(options: { id: number } & RtnetlinkRequestOptions): Observable<void> {
  const fn = 'deleteNexthop';
  const o = argumentChecker(fn).options(options, true);
  return configureRequest(
    fn,
    { netns: o.netns, open: o.open },
    {
      interfaces: [],
      namespaces: [],
      what: `${fn} id ${String(o.id)}`,
      build: (_ifindexes, _namespaces, seq) => writeDeleteNexthop(fn, { id: o.id as number, seq }),
    },
  );
}
