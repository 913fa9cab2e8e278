import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { type NexthopRequestOptions, writeAddNexthop } from '../../families/rtnetlink/nexthop.js';
import { configureRequest, deviceOption } from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

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
