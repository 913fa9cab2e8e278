import type { Observable } from 'rxjs';
import { addRouteRequest } from '../../families/rtnetlink/addRouteRequest.js';
import type { RouteRequestOptions } from '../../families/rtnetlink/routeMessage.js';
import type { RtnetlinkRequestOptions } from './RtnetlinkRequestOptions.js';
import { rtnetlinkRequest } from './rtnetlinkRequest.js';

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
  return rtnetlinkRequest('addRoute', options, addRouteRequest);
}
