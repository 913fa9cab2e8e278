import { RTM_DELROUTE } from './constants.js';
import { type RouteRequestOptions, routeMessage } from './routeMessage.js';

/**
 * An RTM_DELROUTE request (NLM_F_REQUEST | NLM_F_ACK) that removes the first route of the
 * table (default main) matching `dst` and whatever else is given, as `ip route del` does:
 * protocol, type and scope left out match any. The kernel answers with an acknowledgement
 * (ESRCH when nothing matches). Bad options, or `replace`, throw a `TypeError` naming the
 * option.
 *
 * @example
 * socket.send(deleteRouteRequest({ dst: '10.9.0.0/16', seq: 8 }));
 */
export function deleteRouteRequest(options: Omit<RouteRequestOptions, 'replace'>): Uint8Array {
  return routeMessage('deleteRouteRequest', RTM_DELROUTE, options, false);
}
