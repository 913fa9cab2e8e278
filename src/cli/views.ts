// The rtnetlink objects as a person reads them: the table columns of each dump and the
// one-line form `monitor` prints, like a compact `ip link`, `ip addr`, `ip route`,
// `ip neigh`.
import type { rtnetlink } from '../index.js';
import type { ObjectView } from './output.js';

/** `v0@v1` for a link with a peer or parent, `v0@if7` when that one is in another namespace. */
function linkName(link: rtnetlink.Link): string {
  const name = link.ifname ?? `if${link.ifindex}`;
  if (typeof link.link === 'string') return `${name}@${link.link}`;
  if (link.link_index !== undefined) return `${name}@if${link.link_index}`;
  return name;
}

/**
 * Links as a table (index, name, kind, state, MTU, hardware address, master, flags), like a
 * compact `ip link`; the kind is the IFLA_INFO_KIND (`veth`, `bridge`) or else the link
 * type (`loopback`, `ether`).
 *
 * @example
 * formatTable(linkView.header, links.map(linkView.row), linkView.numeric);
 */
export const linkView: ObjectView<rtnetlink.Link> = {
  header: ['INDEX', 'NAME', 'KIND', 'STATE', 'MTU', 'ADDRESS', 'MASTER', 'FLAGS'],
  numeric: ['INDEX', 'MTU'],
  row: (link) => [
    String(link.ifindex),
    linkName(link),
    link.linkinfo?.info_kind ?? link.link_type,
    link.operstate ?? '',
    link.mtu === undefined ? '' : String(link.mtu),
    link.address ?? '',
    link.master ?? '',
    link.flags.join(','),
  ],
  line: (link) => {
    const parts = [`${link.ifindex}: ${linkName(link)} <${link.flags.join(',')}>`];
    if (link.mtu !== undefined) parts.push(`mtu ${link.mtu}`);
    if (link.master !== undefined) parts.push(`master ${link.master}`);
    if (link.operstate !== undefined) parts.push(`state ${link.operstate}`);
    parts.push(link.linkinfo?.info_kind ?? link.link_type);
    if (link.address !== undefined) parts.push(link.address);
    return parts.join(' ');
  },
};

/** The flags ip prints after an address, in ip's order, when set. */
const ADDRESS_FLAGS = [
  'secondary',
  'temporary',
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'dynamic',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'stable-privacy',
] as const;

function addressFlags(address: rtnetlink.InterfaceAddress): string[] {
  return ADDRESS_FLAGS.filter((flag) => address[flag] === true);
}

/** `10.0.0.1/24`, or `10.0.0.1 peer 10.0.0.2/32` for a point-to-point address. */
function addressText(address: rtnetlink.InterfaceAddress): string {
  const local = address.local ?? '';
  return address.address === undefined
    ? `${local}/${address.prefixlen}`
    : `${local} peer ${address.address}/${address.prefixlen}`;
}

/**
 * Interface addresses as a table, one row per address (interface, family, address with its
 * prefix, scope, flags such as `dynamic`/`secondary`), like a compact `ip addr`.
 *
 * @example
 * formatTable(addressView.header, addresses.map(addressView.row), addressView.numeric);
 */
export const addressView: ObjectView<rtnetlink.InterfaceAddress> = {
  header: ['INDEX', 'IFNAME', 'FAMILY', 'ADDRESS', 'SCOPE', 'FLAGS'],
  numeric: ['INDEX'],
  row: (address) => [
    String(address.ifindex),
    address.ifname,
    address.family,
    addressText(address),
    address.scope,
    addressFlags(address).join(','),
  ],
  line: (address) =>
    [
      `${address.ifindex}: ${address.ifname} ${address.family} ${addressText(address)}`,
      `scope ${address.scope}`,
      ...addressFlags(address),
    ].join(' '),
};

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

/** The flags ip prints for a neighbour (present with the value null when set). */
const NEIGHBOUR_FLAGS = ['router', 'proxy', 'extern_learn', 'offload', 'managed'] as const;

function neighbourFlags(neighbour: rtnetlink.Neighbour): string[] {
  return NEIGHBOUR_FLAGS.filter((flag) => neighbour[flag] !== undefined);
}

/**
 * Neighbour entries as a table (address, device, link-layer address, NUD state, flags),
 * like a compact `ip neigh show nud all`.
 *
 * @example
 * formatTable(neighbourView.header, entries.map(neighbourView.row), neighbourView.numeric);
 */
export const neighbourView: ObjectView<rtnetlink.Neighbour> = {
  header: ['DST', 'DEV', 'LLADDR', 'STATE', 'FLAGS'],
  numeric: [],
  row: (neighbour) => [
    neighbour.dst ?? '',
    neighbour.dev ?? '',
    neighbour.lladdr ?? '',
    (neighbour.state ?? []).join(','),
    neighbourFlags(neighbour).join(','),
  ],
  line: (neighbour) => {
    const parts = neighbour.dst === undefined ? [] : [neighbour.dst];
    if (neighbour.dev !== undefined) parts.push(`dev ${neighbour.dev}`);
    if (neighbour.lladdr !== undefined) parts.push(`lladdr ${neighbour.lladdr}`);
    parts.push(...neighbourFlags(neighbour), ...(neighbour.state ?? []));
    return parts.join(' ');
  },
};
