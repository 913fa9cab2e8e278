import type { Observable } from 'rxjs';
import { deleteRouteRequest } from '../../families/rtnetlink/deleteRouteRequest.js';
import type { RouteRequestOptions } from '../../families/rtnetlink/routeMessage.js';
import type { RtnetlinkRequestOptions } from './RtnetlinkRequestOptions.js';
import { rtnetlinkRequest } from './rtnetlinkRequest.js';

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
  return rtnetlinkRequest('deleteRoute', options, deleteRouteRequest);
}
