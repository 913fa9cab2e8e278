// Neighbour entries: add (or replace) and delete, v4 and v6, proxy entries.

import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import {
  type NeighbourRequestOptions,
  writeNeighbour,
} from '../../families/rtnetlink/neighbour.js';
import { configureRequest, deviceOption, type InterfaceRef } from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

/**
 * Options of {@link addNeighbour}: the interface (`dev` or `ifindex`) and the entry.
 *
 * @example
 * addNeighbour({ dev: 'v0', dst: '10.1.0.9', lladdr: '02:00:00:00:00:09', state: 'permanent' });
 */
export interface AddNeighbourOptions
  extends Omit<NeighbourRequestOptions, 'ifindex' | 'seq'>,
    RtnetlinkRequestOptions {
  /** The interface by name. */
  dev?: string | undefined;
  /** The interface by ifindex (instead of `dev`). */
  ifindex?: number | undefined;
}

/**
 * Adds a neighbour (ARP / NDP) entry, as `ip neigh add DST lladdr LL dev D nud STATE`
 * does — permanent unless `state` says otherwise (noarp, reachable, stale, …), a proxy
 * entry with `proxy: true` (no lladdr), IPv4 or IPv6 by the address — or changes it with
 * `replace: true` (`ip neigh replace`).
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`),
 * resolves `dev` there, sends the request, emits one `undefined` at the kernel's
 * acknowledgement and completes; the socket is closed exactly once. Errors with a
 * NetlinkError (`code`, `extack`, what was asked in `detail`): EEXIST for an entry that is
 * there, ENODEV for an unknown `dev`, EINVAL for a link-layer address of the wrong size.
 * Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(addNeighbour({ dev: 'v0', dst: '2001:db8::9', lladdr: '02:00:00:00:00:19', netns: 'blue' }));
 */
export function addNeighbour(options: AddNeighbourOptions): Observable<void> {
  return neighbourRequest('addNeighbour', options, true);
}

/**
 * The add and delete neighbour sources (@internal).
 *
 * @example
 * neighbourRequest('deleteNeighbour', { dev: 'v0', dst: '10.1.0.9' }, false);
 */
export function neighbourRequest(
  fn: string,
  options: AddNeighbourOptions,
  add: boolean,
): Observable<void> {
  const o = argumentChecker(fn).options(options, true) as Partial<AddNeighbourOptions>;
  const dev = deviceOption(fn, o) as InterfaceRef;
  const { netns, open, dev: _d, ifindex: _i, ...fields } = o;
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces: [dev],
      namespaces: [],
      what: `${fn} ${String(fields.dst)} dev ${String(dev)}`,
      build: ([ifindex], _namespaces, seq) =>
        writeNeighbour(fn, { ...fields, ifindex, seq } as NeighbourRequestOptions, add),
    },
  );
}

/**
 * Deletes the neighbour entry for `dst` on an interface (`dev` or `ifindex`; `proxy: true`
 * for a proxy entry), as `ip neigh del DST dev D` does.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`),
 * resolves `dev` there, sends the request, emits one `undefined` at the kernel's
 * acknowledgement and completes; the socket is closed exactly once. Errors with a
 * NetlinkError (`code`, `extack`, what was asked in `detail`): ENOENT when there is no
 * such entry, ENODEV for an unknown `dev`. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteNeighbour({ dev: 'v0', dst: '10.1.0.9', netns: 'blue' }));
 */
export function deleteNeighbour(
  options: Omit<AddNeighbourOptions, 'lladdr' | 'router' | 'replace'>,
): Observable<void> {
  return neighbourRequest('deleteNeighbour', options, false);
}
