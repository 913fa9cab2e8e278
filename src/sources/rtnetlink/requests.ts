import { endWith, ignoreElements, type Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { type AddressRequestOptions, addressMessage } from '../../families/rtnetlink/address.js';
import {
  RTM_DELADDR,
  RTM_DELROUTE,
  RTM_NEWADDR,
  RTM_NEWROUTE,
} from '../../families/rtnetlink/constants.js';
import { type RouteRequestOptions, routeMessage } from '../../families/rtnetlink/route.js';
import { request } from '../request.js';
import { checkRtnetlinkOptions, type RtnetlinkRequestOptions } from './options.js';

/** A request socket's ring: acknowledgements are small (a big one arrives as COPY). */
const ACK_MESSAGE_SIZE = 4096 - 24;
const ACK_RING_MEMORY = 1 << 14;

/**
 * Sends one rtnetlink request that asks for an acknowledgement: `build` gets the caller's
 * options without `netns` and `open` (and `seq` 1 unless given) and is called at once, so a
 * bad option throws its TypeError here. The Observable emits one `undefined` at the kernel's
 * acknowledgement and completes, or errors with the kernel's NetlinkError. Cold: one
 * endpoint per subscription, closed exactly once.
 *
 * @example
 * rtnetlinkRequest('addAddress', options, (fields) => addressMessage('addAddress', RTM_NEWADDR, fields, true));
 */
export function rtnetlinkRequest<O extends object>(
  fn: string,
  options: O & RtnetlinkRequestOptions,
  build: (fields: O) => Uint8Array,
): Observable<void> {
  argumentChecker(fn).options(options, true);
  const { netns, open, ...fields } = options;
  const checked = checkRtnetlinkOptions(
    fn,
    { netns, open },
    { messageSize: ACK_MESSAGE_SIZE, ringMemory: ACK_RING_MEMORY },
  );
  const message = build({ seq: 1, ...fields } as unknown as O);
  return request(() => checked.open([]), message).pipe(ignoreElements(), endWith(undefined));
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
export function addAddress(
  options: AddressRequestOptions & RtnetlinkRequestOptions,
): Observable<void> {
  return rtnetlinkRequest('addAddress', options, (fields) =>
    addressMessage('addAddress', RTM_NEWADDR, fields, true),
  );
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
export function addRoute(options: RouteRequestOptions & RtnetlinkRequestOptions): Observable<void> {
  return rtnetlinkRequest('addRoute', options, (fields) =>
    routeMessage('addRoute', RTM_NEWROUTE, fields, true),
  );
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
export function deleteAddress(
  options: Pick<AddressRequestOptions, 'ifindex' | 'address' | 'peer' | 'seq'> &
    RtnetlinkRequestOptions,
): Observable<void> {
  return rtnetlinkRequest('deleteAddress', options, (fields) =>
    addressMessage('deleteAddress', RTM_DELADDR, fields as AddressRequestOptions, false),
  );
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
  options: Omit<RouteRequestOptions, 'replace'> & RtnetlinkRequestOptions,
): Observable<void> {
  return rtnetlinkRequest('deleteRoute', options, (fields) =>
    routeMessage('deleteRoute', RTM_DELROUTE, fields, false),
  );
}
