import { RTM_NEWROUTE } from './constants.js';
import { type RouteRequestOptions, routeMessage } from './routeMessage.js';

/**
 * An RTM_NEWROUTE request that adds a route, as `ip route add` does: NLM_F_REQUEST |
 * NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL (EEXIST if it is there), or NLM_F_REPLACE instead
 * of NLM_F_EXCL with `replace: true` (`ip route replace`). Defaults follow ip: table main,
 * protocol boot, type unicast, and ip's scope. The kernel answers with an acknowledgement.
 * Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addRouteRequest({ dst: '10.9.0.0/16', gateway: '10.1.0.2', ifindex: 3, protocol: 'static', metric: 50, seq: 7 }));
 */
export function addRouteRequest(options: RouteRequestOptions): Uint8Array {
  return routeMessage('addRouteRequest', RTM_NEWROUTE, options, true);
}
