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

/** The info_data fields `-d` shows in a table, per kind (ip's names). */
const DETAIL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  bridge: ['stp_state', 'forward_delay', 'hello_time', 'max_age', 'priority', 'vlan_filtering'],
  macvlan: ['mode'],
  macvtap: ['mode'],
  vxlan: ['id', 'remote', 'group', 'remote6', 'group6', 'local', 'local6', 'link', 'port'],
  tun: ['type', 'persist'],
};
/** The info_slave_data fields `-d` shows for a port, per master kind. */
const SLAVE_DETAIL_FIELDS: Readonly<Record<string, readonly string[]>> = {
  bridge: ['state', 'priority', 'cost'],
};

function pairs(
  data: rtnetlink.LinkInfoData | undefined,
  fields: readonly string[] | undefined,
): string[] {
  if (data === undefined || fields === undefined) return [];
  return fields.filter((f) => data[f] !== undefined).map((f) => `${f} ${String(data[f])}`);
}

/** `vxlan id 42 remote 10.1.0.2 …`, `bridge_slave state forwarding …`: the kind's details. */
function linkDetails(link: rtnetlink.Link): string {
  const info = link.linkinfo;
  if (info === undefined) return '';
  const parts: string[] = [];
  const kind = info.info_kind;
  const data = pairs(info.info_data, kind === undefined ? undefined : DETAIL_FIELDS[kind]);
  if (data.length > 0) parts.push(kind ?? '', ...data);
  const slaveKind = info.info_slave_kind;
  const slave = pairs(
    info.info_slave_data,
    slaveKind === undefined ? undefined : SLAVE_DETAIL_FIELDS[slaveKind],
  );
  if (slave.length > 0) parts.push(`${slaveKind}_slave`, ...slave);
  return parts.join(' ');
}

/**
 * What `-s` and `-d` add to the links table: `stats` the RX and TX byte and packet counters
 * (with errors and drops at 2, as `ip -s -s`), `details` a DETAILS column with the kind's
 * main settings (`vxlan id 42 remote 10.1.0.2 link v0 port 4789`, a bridge port's state,
 * priority and cost).
 *
 * @example
 * const view = linkViewWith({ stats: 1, details: true });
 */
export interface LinkViewOptions {
  readonly stats: number;
  readonly details: boolean;
}

/**
 * Links as a table (index, name, kind, state, MTU, hardware address, master, flags), like a
 * compact `ip link`; the kind is the IFLA_INFO_KIND (`veth`, `bridge`) or else the link
 * type (`loopback`, `ether`). With `stats` the counters follow, with `details` the kind's
 * settings (see {@link LinkViewOptions}).
 *
 * @example
 * declare const links: rtnetlink.Link[];
 * const view = linkViewWith({ stats: 1, details: false });
 * formatTable(view.header, links.map(view.row), view.numeric);
 */
export function linkViewWith(options: LinkViewOptions): ObjectView<rtnetlink.Link> {
  const counters: [string, 'rx' | 'tx', string][] = [
    ['RX-BYTES', 'rx', 'bytes'],
    ['RX-PACKETS', 'rx', 'packets'],
    ['TX-BYTES', 'tx', 'bytes'],
    ['TX-PACKETS', 'tx', 'packets'],
  ];
  if (options.stats > 1) {
    counters.push(
      ['RX-ERRORS', 'rx', 'errors'],
      ['RX-DROPPED', 'rx', 'dropped'],
      ['TX-ERRORS', 'tx', 'errors'],
      ['TX-DROPPED', 'tx', 'dropped'],
    );
  }
  const shown = options.stats > 0 ? counters : [];
  const header = [...linkView.header, ...shown.map(([title]) => title)];
  if (options.details) header.push('DETAILS');
  return {
    header,
    numeric: [...linkView.numeric, ...shown.map(([title]) => title)],
    row: (link) => {
      const row = linkView.row(link);
      for (const [, side, field] of shown) {
        const value = link.stats64?.[side][field];
        row.push(value === undefined ? '' : String(value));
      }
      if (options.details) row.push(linkDetails(link));
      return row;
    },
    line: linkView.line,
  };
}

/**
 * Links as a table (index, name, kind, state, MTU, hardware address, master, flags), like a
 * compact `ip link`; the kind is the IFLA_INFO_KIND (`veth`, `bridge`) or else the link
 * type (`loopback`, `ether`).
 *
 * @example
 * declare const links: rtnetlink.Link[];
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

/** INFINITY_LIFE_TIME of <linux/if_addr.h> (struct ifa_cacheinfo): ip's `forever`. */
const FOREVER = 0xffffffff;

/** A lifetime as ip prints it: `forever` or `3599sec`. */
function lifetime(seconds: number | undefined): string {
  if (seconds === undefined) return '';
  return seconds === FOREVER ? 'forever' : `${seconds}sec`;
}

/**
 * Interface addresses as a table, one row per address (interface, family, address with its
 * prefix, scope, flags such as `dynamic`/`secondary`, the IPv4 label, and the valid and
 * preferred lifetimes as ip prints them, `forever` or `3599sec`), like a compact `ip addr`.
 *
 * @example
 * declare const addresses: rtnetlink.InterfaceAddress[];
 * formatTable(addressView.header, addresses.map(addressView.row), addressView.numeric);
 */
export const addressView: ObjectView<rtnetlink.InterfaceAddress> = {
  header: ['INDEX', 'IFNAME', 'FAMILY', 'ADDRESS', 'SCOPE', 'FLAGS', 'LABEL', 'VALID', 'PREFERRED'],
  numeric: ['INDEX', 'VALID', 'PREFERRED'],
  row: (address) => [
    String(address.ifindex),
    address.ifname,
    address.family,
    addressText(address),
    address.scope,
    addressFlags(address).join(','),
    address.label ?? '',
    lifetime(address.valid_life_time),
    lifetime(address.preferred_life_time),
  ],
  line: (address) => {
    const parts = [
      `${address.ifindex}: ${address.ifname} ${address.family} ${addressText(address)}`,
      `scope ${address.scope}`,
      ...addressFlags(address),
    ];
    if (address.label !== undefined && address.label !== address.ifname) {
      parts.push(address.label);
    }
    return parts.join(' ');
  },
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

/** The weight of each path of a multipath route, comma-separated, as ip's `weight N`. */
function weights(route: rtnetlink.Route): string {
  if (route.nexthops === undefined) return '';
  return route.nexthops.map((hop) => String(hop.weight)).join(',');
}

/** A metric value as ip prints it after its name (`mtu 1400`, `ecn`, `lock mtu 1400`). */
function metricWords(metrics: rtnetlink.Route['metrics']): string[] {
  const words: string[] = [];
  for (const set of metrics ?? []) {
    for (const [name, value] of Object.entries(set)) {
      words.push(value === null ? name : `${name} ${value}`);
    }
  }
  return words;
}

/**
 * What ip prints of a route besides the table's columns, in ip's words and order: `from`,
 * `nhid`, `iif`, `tos`, the flags (`onlink`, `linkdown`, …), the metrics (`mtu 1400`,
 * `advmss 1360`, …), `pref` and `expires`.
 */
function routeOptions(route: rtnetlink.Route): string {
  const parts: string[] = [];
  if (route.from !== undefined) parts.push(`from ${route.from}`);
  if (route.nhid !== undefined) parts.push(`nhid ${route.nhid}`);
  if (route.iif !== undefined) parts.push(`iif ${route.iif}`);
  if (route.tos !== undefined) parts.push(`tos ${route.tos}`);
  for (const flag of route.flags) parts.push(flag);
  // The paths' flags that the route does not carry itself, once each, in order of first use.
  if (route.nexthops !== undefined) {
    const own = parts.length;
    for (const hop of route.nexthops) {
      for (const flag of hop.flags) {
        if (!route.flags.includes(flag) && !parts.includes(flag, own)) parts.push(flag);
      }
    }
  }
  if (route.metrics !== undefined) parts.push(...metricWords(route.metrics));
  if (route.pref !== undefined) parts.push(`pref ${route.pref}`);
  if (route.expires !== undefined) parts.push(`expires ${route.expires}sec`);
  return parts.join(' ');
}

/** The device of a route, or of each of its paths. */
function devices(route: rtnetlink.Route): string {
  if (route.dev !== undefined) return route.dev;
  return (route.nexthops ?? []).map((hop) => hop.dev).join(',');
}

/**
 * Routes as a table (table, type, destination, gateway, device, weight, protocol, scope,
 * metric, preferred source, options), like a compact `ip route show table all`: multipath
 * routes list each path's gateway, device and weight, comma-separated; OPTIONS holds the
 * rest in ip's words — `from`, `nhid`, `iif`, `tos`, flags such as `onlink`, metrics such as
 * `mtu 1400`, `pref`, `expires`.
 *
 * @example
 * declare const routes: rtnetlink.Route[];
 * formatTable(routeView.header, routes.map(routeView.row), routeView.numeric);
 */
export const routeView: ObjectView<rtnetlink.Route> = {
  header: [
    'TABLE',
    'TYPE',
    'DST',
    'GATEWAY',
    'DEV',
    'WEIGHT',
    'PROTO',
    'SCOPE',
    'METRIC',
    'PREFSRC',
    'OPTIONS',
  ],
  numeric: ['METRIC'],
  row: (route) => [
    route.table ?? '',
    route.type,
    route.dst,
    gateways(route),
    devices(route),
    weights(route),
    route.protocol ?? '',
    route.scope ?? '',
    route.metric === undefined ? '' : String(route.metric),
    route.prefsrc ?? '',
    routeOptions(route),
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
    const options = routeOptions(route);
    if (options !== '') parts.push(options);
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
 * declare const entries: rtnetlink.Neighbour[];
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

/** The selector of a rule as ip prints it: `from 10.0.0.0/8 to … iif … fwmark 0x1/0xff …`. */
function ruleSelector(rule: rtnetlink.Rule): string {
  const parts: string[] = [];
  if (rule.not !== undefined) parts.push('not');
  parts.push(`from ${rule.src}${rule.srclen === undefined ? '' : `/${rule.srclen}`}`);
  if (rule.dst !== undefined) {
    parts.push(`to ${rule.dst}${rule.dstlen === undefined ? '' : `/${rule.dstlen}`}`);
  }
  if (rule.tos !== undefined) parts.push(`tos ${rule.tos}`);
  if (rule.fwmark !== undefined) {
    parts.push(`fwmark ${rule.fwmark}${rule.fwmask === undefined ? '' : `/${rule.fwmask}`}`);
  }
  if (rule.iif !== undefined) parts.push(`iif ${rule.iif}`);
  if (rule.oif !== undefined) parts.push(`oif ${rule.oif}`);
  if (rule.l3mdev !== undefined) parts.push('l3mdev');
  if (rule.uid_start !== undefined) parts.push(`uidrange ${rule.uid_start}-${rule.uid_end}`);
  if (rule.ipproto !== undefined) parts.push(`ipproto ${rule.ipproto}`);
  if (rule.sport !== undefined) parts.push(`sport ${rule.sport}`);
  if (rule.sport_start !== undefined) {
    parts.push(`sport ${rule.sport_start}-${rule.sport_end}`);
  }
  if (rule.dport !== undefined) parts.push(`dport ${rule.dport}`);
  if (rule.dport_start !== undefined) {
    parts.push(`dport ${rule.dport_start}-${rule.dport_end}`);
  }
  return parts.join(' ');
}

/** What a rule does: `lookup main`, `goto 100`, `blackhole`, with `suppress_prefixlength`. */
function ruleAction(rule: rtnetlink.Rule): string {
  const parts: string[] = [];
  if (rule.table !== undefined) parts.push(`lookup ${rule.table}`);
  if (rule.suppress_prefixlen !== undefined) {
    parts.push(`suppress_prefixlength ${rule.suppress_prefixlen}`);
  }
  if (rule.suppress_ifgroup !== undefined) parts.push(`suppress_ifgroup ${rule.suppress_ifgroup}`);
  if (rule.goto !== undefined) parts.push(`goto ${rule.goto}`);
  if (rule.unresolved !== undefined) parts.push('unresolved');
  if (rule.nop !== undefined) parts.push('nop');
  if (rule.action !== undefined) parts.push(rule.action);
  return parts.join(' ');
}

/**
 * FIB rules as a table (priority, family, selector, action, protocol), like a compact
 * `ip rule show` for IPv4 and IPv6 together.
 *
 * @example
 * declare const rules: rtnetlink.Rule[];
 * formatTable(ruleView.header, rules.map(ruleView.row), ruleView.numeric);
 */
export const ruleView: ObjectView<rtnetlink.Rule> = {
  header: ['PRIORITY', 'FAMILY', 'SELECTOR', 'ACTION', 'PROTO'],
  numeric: ['PRIORITY'],
  row: (rule) => [
    String(rule.priority),
    rule.family,
    ruleSelector(rule),
    ruleAction(rule),
    rule.protocol,
  ],
  line: (rule) => `${rule.priority}: ${ruleSelector(rule)} ${ruleAction(rule)}`.trimEnd(),
};

/** A group's members as ip prints them: `1,2/3` (id, with its weight when not 1). */
function nexthopGroup(nexthop: rtnetlink.Nexthop): string {
  return (nexthop.group ?? [])
    .map((member) =>
      member.weight === undefined || member.weight === 1
        ? String(member.id)
        : `${member.id},${member.weight}`,
    )
    .join('/');
}

/**
 * Nexthop objects as a table (id, group, gateway, device, scope, protocol, flags), like a
 * compact `ip nexthop show`; a blackhole shows `blackhole` in FLAGS, a group its members
 * (`1/2,3`: id 2 with weight 3).
 *
 * @example
 * declare const nexthops: rtnetlink.Nexthop[];
 * formatTable(nexthopView.header, nexthops.map(nexthopView.row), nexthopView.numeric);
 */
export const nexthopView: ObjectView<rtnetlink.Nexthop> = {
  header: ['ID', 'GROUP', 'GATEWAY', 'DEV', 'SCOPE', 'PROTO', 'FLAGS'],
  numeric: ['ID'],
  row: (nexthop) => [
    String(nexthop.id),
    nexthopGroup(nexthop) + (nexthop.type === undefined ? '' : ` ${nexthop.type}`),
    nexthop.gateway ?? '',
    nexthop.dev ?? '',
    nexthop.scope,
    nexthop.protocol,
    [
      ...(nexthop.blackhole === undefined ? [] : ['blackhole']),
      ...(nexthop.fdb === undefined ? [] : ['fdb']),
      ...nexthop.flags,
    ].join(','),
  ],
  line: (nexthop) => {
    const parts = [`id ${nexthop.id}`];
    const group = nexthopGroup(nexthop);
    if (group !== '') parts.push(`group ${group}`);
    if (nexthop.gateway !== undefined) parts.push(`via ${nexthop.gateway}`);
    if (nexthop.dev !== undefined) parts.push(`dev ${nexthop.dev}`);
    if (nexthop.blackhole !== undefined) parts.push('blackhole');
    parts.push(`scope ${nexthop.scope}`, `proto ${nexthop.protocol}`, ...nexthop.flags);
    return parts.join(' ');
  },
};
