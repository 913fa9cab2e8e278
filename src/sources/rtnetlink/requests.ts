import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { type AddressRequestOptions, addressMessage } from '../../families/rtnetlink/address.js';
import {
  RTM_DELADDR,
  RTM_DELROUTE,
  RTM_NEWADDR,
  RTM_NEWROUTE,
} from '../../families/rtnetlink/constants.js';
import {
  type RouteNexthopOptions,
  type RouteRequestOptions,
  routeMessage,
} from '../../families/rtnetlink/route.js';
import { configureRequest, deviceOption, type InterfaceRef } from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

/**
 * Options of {@link addAddress}: {@link addAddressRequest}'s, with the interface as `dev`
 * (a name, resolved in the request's namespace) or `ifindex`.
 *
 * @example
 * const options: AddAddressOptions = { dev: 'v0', address: '10.1.0.1/24', netns: 'blue' };
 */
export interface AddAddressOptions
  extends Omit<AddressRequestOptions, 'ifindex'>,
    RtnetlinkRequestOptions {
  /** The interface by name. */
  dev?: string | undefined;
  /** The interface by ifindex (instead of `dev`). */
  ifindex?: number | undefined;
}

/**
 * Options of {@link deleteAddress}: the interface (`dev` or `ifindex`), `address` with its
 * prefix length and `peer`.
 *
 * @example
 * const options: DeleteAddressOptions = { dev: 'v0', address: '10.1.0.1/24' };
 */
export type DeleteAddressOptions = Pick<
  AddAddressOptions,
  'dev' | 'ifindex' | 'address' | 'peer' | 'seq' | 'netns' | 'open'
>;

/**
 * One path of a multipath route for {@link addRoute}: {@link RouteNexthopOptions} with the
 * interface as `dev` (a name) or `ifindex`.
 *
 * @example
 * const hop: AddRouteNexthop = { gateway: '10.1.0.2', dev: 'v0', weight: 2 };
 */
export interface AddRouteNexthop extends RouteNexthopOptions {
  /** The interface by name. */
  dev?: string | undefined;
}

/**
 * Options of {@link addRoute} and {@link deleteRoute}: {@link addRouteRequest}'s, with
 * interfaces as `dev` (a name, resolved in the request's namespace) or `ifindex`, for the
 * route and for each of its `nexthops`.
 *
 * @example
 * const options: AddRouteOptions = { dst: '10.9.0.0/16', nexthops: [{ gateway: '10.1.0.2', dev: 'v0' }, { gateway: '10.2.0.2', dev: 'v1' }] };
 */
export interface AddRouteOptions
  extends Omit<RouteRequestOptions, 'nexthops'>,
    RtnetlinkRequestOptions {
  /** The interface by name (RTA_OIF). */
  dev?: string | undefined;
  /** The paths of a multipath route. */
  nexthops?: readonly AddRouteNexthop[] | undefined;
}

/**
 * The address sources (@internal): `dev` resolved, then {@link addressMessage}.
 *
 * @example
 * addressRequest('addAddress', { dev: 'v0', address: '10.1.0.1/24' }, true);
 */
function addressRequest(fn: string, options: AddAddressOptions, add: boolean): Observable<void> {
  const o = argumentChecker(fn).options(options, true) as Partial<AddAddressOptions>;
  const dev = deviceOption(fn, o) as InterfaceRef;
  const { netns, open, dev: _d, ifindex: _i, ...fields } = o;
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces: [dev],
      namespaces: [],
      what: `${fn} ${String(fields.address)} dev ${String(dev)}`,
      build: ([ifindex], _namespaces, seq) =>
        addressMessage(
          fn,
          add ? RTM_NEWADDR : RTM_DELADDR,
          { seq, ...fields, ifindex } as AddressRequestOptions,
          add,
        ),
    },
  );
}

/**
 * The route sources (@internal): the route's `dev` and each next hop's resolved, then
 * {@link routeMessage}.
 *
 * @example
 * routeRequest('addRoute', { dst: '10.9.0.0/16', dev: 'v0' }, true);
 */
function routeRequest(fn: string, options: AddRouteOptions, add: boolean): Observable<void> {
  const check = argumentChecker(fn);
  const o = check.options(options, true) as Partial<AddRouteOptions>;
  const dev = deviceOption(fn, o, false);
  const { netns, open, dev: _d, ifindex: _i, nexthops, ...fields } = o;
  const interfaces: InterfaceRef[] = dev === undefined ? [] : [dev];
  // Each hop's interface, by its index in `interfaces` (-1: none).
  const hopDevices: number[] = [];
  if (Array.isArray(nexthops)) {
    nexthops.forEach((hop: AddRouteNexthop, i) => {
      const ref =
        hop !== null && typeof hop === 'object'
          ? deviceOption(`${fn}`, hop, false, `options.nexthops[${i}].`)
          : undefined;
      hopDevices.push(ref === undefined ? -1 : interfaces.push(ref) - 1);
    });
  }
  const what = `${fn} ${String(fields.dst)}${dev === undefined ? '' : ` dev ${String(dev)}`}`;
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces,
      namespaces: [],
      what,
      build: (ifindexes, _namespaces, seq) =>
        routeMessage(
          fn,
          add ? RTM_NEWROUTE : RTM_DELROUTE,
          {
            seq,
            ...fields,
            ifindex: dev === undefined ? undefined : ifindexes[0],
            nexthops: Array.isArray(nexthops)
              ? nexthops.map((hop: AddRouteNexthop, i) => {
                  if (hop === null || typeof hop !== 'object') return hop;
                  const { dev: _hopDev, ...rest } = hop;
                  return {
                    ...rest,
                    ifindex: hopDevices[i] < 0 ? undefined : ifindexes[hopDevices[i]],
                  };
                })
              : nexthops,
          } as RouteRequestOptions,
          add,
        ),
    },
  );
}

/**
 * Adds an address to an interface, as `ip address add` does: NLM_F_CREATE | NLM_F_EXCL, or
 * NLM_F_REPLACE with `replace: true`. Takes {@link addAddressRequest}'s options plus
 * `netns` / `open`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket (or calls `options.open`), sends the
 * request, emits one `undefined` when the kernel acknowledges it and completes; the socket is
 * closed exactly once. A refusal errors the stream with a NetlinkError (op `request`): the
 * errno, its name in `code` and the kernel's extended-ack text in `extack` — `EEXIST` for an
 * address that is already there, `ENODEV` for an unknown `ifindex`. Bad options throw a
 * TypeError at once, naming the option.
 *
 * @example
 * await lastValueFrom(addAddress({ ifindex: 3, address: '10.1.0.1/24', netns: 'blue' }));
 * addAddress({ ifindex: 3, address: '10.1.0.1/24' }).subscribe({
 *   error: (e) => { if (e instanceof NetlinkError && e.code === 'EEXIST') console.log(e.extack); },
 * });
 */
export function addAddress(options: AddAddressOptions): Observable<void> {
  return addressRequest('addAddress', options, true);
}

/**
 * Adds a route, as `ip route add` does (table main, protocol boot, ip's scope by default;
 * `replace: true` for `ip route replace`). Takes {@link addRouteRequest}'s options plus
 * `netns` / `open`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket (or calls `options.open`), sends the
 * request, emits one `undefined` when the kernel acknowledges it and completes; the socket is
 * closed exactly once. A refusal errors the stream with a NetlinkError (op `request`, errno
 * name in `code`, extended ack in `extack`): `EEXIST` for a route that is already there,
 * `ENETUNREACH` for a gateway no route reaches. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(addRoute({ dst: '10.9.0.0/16', gateway: '10.1.0.2', metric: 50, netns: 'blue' }));
 */
export function addRoute(options: AddRouteOptions): Observable<void> {
  return routeRequest('addRoute', options, true);
}

/**
 * Adds a route or replaces the one of the same destination, table, TOS and metric, as
 * `ip route replace` does: {@link addRoute} with `replace: true`.
 *
 * @example
 * await lastValueFrom(replaceRoute({ dst: '10.9.0.0/16', nexthops: [{ gateway: '10.1.0.2', dev: 'v0' }, { gateway: '10.2.0.2', dev: 'v1' }] }));
 */
export function replaceRoute(
  options: Omit<AddRouteOptions, 'replace' | 'append'>,
): Observable<void> {
  const o = argumentChecker('replaceRoute').options(options, true);
  return routeRequest('replaceRoute', { ...o, replace: true } as AddRouteOptions, true);
}

/**
 * Removes an address from an interface, as `ip address del` does. Takes
 * {@link deleteAddressRequest}'s options (`ifindex`, `address` with its prefix length,
 * `peer`) plus `netns` / `open`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket (or calls `options.open`), sends the
 * request, emits one `undefined` when the kernel acknowledges it and completes; the socket is
 * closed exactly once. A refusal errors the stream with a NetlinkError (op `request`, errno
 * name in `code`, extended ack in `extack`): `EADDRNOTAVAIL` when there is no such address.
 * Bad options throw a TypeError at once, naming the option.
 *
 * @example
 * await lastValueFrom(deleteAddress({ ifindex: 3, address: '10.1.0.1/24' }));
 */
export function deleteAddress(options: DeleteAddressOptions): Observable<void> {
  return addressRequest('deleteAddress', options as AddAddressOptions, false);
}

/**
 * Removes the first route of the table (default main) that matches the options, as
 * `ip route del` does: protocol, type and scope left out match any. Takes
 * {@link deleteRouteRequest}'s options plus `netns` / `open`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket (or calls `options.open`), sends the
 * request, emits one `undefined` when the kernel acknowledges it and completes; the socket is
 * closed exactly once. A refusal errors the stream with a NetlinkError (op `request`, errno
 * name in `code`, extended ack in `extack`): `ESRCH` when no route matches. Bad options throw
 * a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteRoute({ dst: '10.9.0.0/16', netns: 'blue' }));
 */
export function deleteRoute(
  options: Omit<AddRouteOptions, 'replace' | 'append'>,
): Observable<void> {
  return routeRequest('deleteRoute', options, false);
}
