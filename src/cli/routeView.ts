import type { rtnetlink } from '../index.js';
import type { ObjectView } from './ObjectView.js';

/** The gateway of a route or of each of its paths (`via` for another family's gateway). */
function gateways(route: rtnetlink.Route): string {
  if (route.gateway !== undefined) return route.gateway;
  if (route.via !== undefined) return route.via.host;
  return (route.nexthops ?? [])
    .map((hop) => hop.gateway ?? hop.via?.host ?? '')
    .filter((gateway) => gateway !== '')
    .join(',');
}

/** The device of a route, or of each of its paths. */
function devices(route: rtnetlink.Route): string {
  if (route.dev !== undefined) return route.dev;
  return (route.nexthops ?? []).map((hop) => hop.dev).join(',');
}

/**
 * Routes as a table (table, type, destination, gateway, device, protocol, scope, metric,
 * preferred source), like a compact `ip route show table all`; multipath routes list each
 * path's gateway and device, comma-separated.
 *
 * @example
 * formatTable(routeView.header, routes.map(routeView.row), routeView.numeric);
 */
export const routeView: ObjectView<rtnetlink.Route> = {
  header: ['TABLE', 'TYPE', 'DST', 'GATEWAY', 'DEV', 'PROTO', 'SCOPE', 'METRIC', 'PREFSRC'],
  numeric: ['METRIC'],
  row: (route) => [
    route.table ?? '',
    route.type,
    route.dst,
    gateways(route),
    devices(route),
    route.protocol ?? '',
    route.scope ?? '',
    route.metric === undefined ? '' : String(route.metric),
    route.prefsrc ?? '',
  ],
  line: (route) => {
    const parts = route.type === 'unicast' ? [route.dst] : [route.type, route.dst];
    const gateway = gateways(route);
    if (gateway !== '') parts.push(`via ${gateway}`);
    const dev = devices(route);
    if (dev !== '') parts.push(`dev ${dev}`);
    if (route.table !== undefined) parts.push(`table ${route.table}`);
    if (route.protocol !== undefined) parts.push(`proto ${route.protocol}`);
    if (route.scope !== undefined) parts.push(`scope ${route.scope}`);
    if (route.prefsrc !== undefined) parts.push(`src ${route.prefsrc}`);
    if (route.metric !== undefined) parts.push(`metric ${route.metric}`);
    return parts.join(' ');
  },
};
