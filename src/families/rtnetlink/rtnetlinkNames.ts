import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_MPLS,
  AF_PACKET,
  AF_UNSPEC,
  IFF_ALLMULTI,
  IFF_AUTOMEDIA,
  IFF_BROADCAST,
  IFF_DEBUG,
  IFF_DORMANT,
  IFF_DYNAMIC,
  IFF_ECHO,
  IFF_LOOPBACK,
  IFF_LOWER_UP,
  IFF_MASTER,
  IFF_MULTICAST,
  IFF_NOARP,
  IFF_NOTRAILERS,
  IFF_POINTOPOINT,
  IFF_PORTSEL,
  IFF_PROMISC,
  IFF_RUNNING,
  IFF_SLAVE,
  IFF_UP,
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  RTM_F_NOTIFY,
  RTM_F_OFFLOAD,
  RTM_F_OFFLOAD_FAILED,
  RTM_F_TRAP,
  RTNH_F_DEAD,
  RTNH_F_LINKDOWN,
  RTNH_F_OFFLOAD,
  RTNH_F_ONLINK,
  RTNH_F_PERVASIVE,
  RTNH_F_TRAP,
  RTNH_F_UNRESOLVED,
} from './constants.js';

// The names below are iproute2's built-in tables (lib/rt_names.c, lib/ll_types.c,
// ip/ipaddress.c, ip/iproute.c, ip/ipneigh.c) as `ip -j` prints them, plus the default
// /etc/iproute2/rt_tables and rt_scopes files. Numbers without a name print in decimal
// (`"table": "100"`), as ip does. Names an administrator adds to /etc/iproute2 are not read:
// a decoder is a pure function of its bytes.

/** A table of 256 names, decimal strings where `names` has none. */
function byteTable(names: Record<number, string>): readonly string[] {
  return Array.from({ length: 256 }, (_, i) => names[i] ?? String(i));
}

function inverse(
  table: readonly string[],
  extra: Record<string, number> = {},
): Map<string, number> {
  const map = new Map<string, number>();
  table.forEach((name, i) => {
    if (name !== String(i)) map.set(name, i);
  });
  for (const [name, value] of Object.entries(extra)) map.set(name, value);
  return map;
}

const ROUTE_TYPES = byteTable({
  0: 'none',
  1: 'unicast',
  2: 'local',
  3: 'broadcast',
  4: 'anycast',
  5: 'multicast',
  6: 'blackhole',
  7: 'unreachable',
  8: 'prohibit',
  9: 'throw',
  10: 'nat',
  11: 'xresolve',
});
const PROTOCOLS = byteTable({
  0: 'unspec',
  1: 'redirect',
  2: 'kernel',
  3: 'boot',
  4: 'static',
  8: 'gated',
  9: 'ra',
  10: 'mrt',
  11: 'zebra',
  12: 'bird',
  13: 'dnrouted',
  14: 'xorp',
  15: 'ntk',
  16: 'dhcp',
  18: 'keepalived',
  42: 'babel',
  99: 'openr',
  186: 'bgp',
  187: 'isis',
  188: 'ospf',
  189: 'rip',
  192: 'eigrp',
});
const SCOPES = byteTable({ 0: 'global', 200: 'site', 253: 'link', 254: 'host', 255: 'nowhere' });
const TABLES = byteTable({ 0: 'unspec', 253: 'default', 254: 'main', 255: 'local' });
const ROUTE_TYPE_IDS = inverse(ROUTE_TYPES);
const PROTOCOL_IDS = inverse(PROTOCOLS);
const SCOPE_IDS = inverse(SCOPES);
const TABLE_IDS = inverse(TABLES);

const LINK_TYPES = new Map<number, string>([
  [0, 'generic'],
  [1, 'ether'],
  [2, 'eether'],
  [3, 'ax25'],
  [4, 'pronet'],
  [5, 'chaos'],
  [6, 'ieee802'],
  [7, 'arcnet'],
  [8, 'atalk'],
  [15, 'dlci'],
  [19, 'atm'],
  [23, 'metricom'],
  [24, 'ieee1394'],
  [32, 'infiniband'],
  [256, 'slip'],
  [257, 'cslip'],
  [258, 'slip6'],
  [259, 'cslip6'],
  [260, 'rsrvd'],
  [264, 'adapt'],
  [270, 'rose'],
  [271, 'x25'],
  [272, 'hwx25'],
  [280, 'can'],
  [512, 'ppp'],
  [513, 'hdlc'],
  [516, 'lapb'],
  [517, 'ddcmp'],
  [518, 'rawhdlc'],
  [768, 'ipip'],
  [769, 'tunnel6'],
  [770, 'frad'],
  [771, 'skip'],
  [772, 'loopback'],
  [773, 'ltalk'],
  [774, 'fddi'],
  [775, 'bif'],
  [776, 'sit'],
  [777, 'ip/ddp'],
  [778, 'gre'],
  [779, 'pimreg'],
  [780, 'hippi'],
  [781, 'ash'],
  [782, 'econet'],
  [783, 'irda'],
  [784, 'fcpp'],
  [785, 'fcal'],
  [786, 'fcpl'],
  ...Array.from({ length: 13 }, (_, i): [number, string] => [787 + i, `fcfb${i}`]),
  [800, 'tr'],
  [801, 'ieee802.11'],
  [802, 'ieee802.11/prism'],
  [803, 'ieee802.11/radiotap'],
  [804, 'ieee802.15.4'],
  [805, 'ieee802.15.4/monitor'],
  [820, 'phonet'],
  [821, 'phonet_pipe'],
  [822, 'caif'],
  [823, 'gre6'],
  [824, 'netlink'],
  [825, '6lowpan'],
  [65534, 'none'],
  [65535, 'void'],
]);

const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'];
const LINKMODES = ['DEFAULT', 'DORMANT', 'TESTING'];
const ADDR_GEN_MODES = ['eui64', 'none', 'stable_secret', 'random'];

/** ip's order for link flags; IFF_RUNNING is shown as NO-CARRIER when missing on an UP link. */
const LINK_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [IFF_LOOPBACK, 'LOOPBACK'],
  [IFF_BROADCAST, 'BROADCAST'],
  [IFF_POINTOPOINT, 'POINTOPOINT'],
  [IFF_MULTICAST, 'MULTICAST'],
  [IFF_NOARP, 'NOARP'],
  [IFF_ALLMULTI, 'ALLMULTI'],
  [IFF_PROMISC, 'PROMISC'],
  [IFF_MASTER, 'MASTER'],
  [IFF_SLAVE, 'SLAVE'],
  [IFF_DEBUG, 'DEBUG'],
  [IFF_DYNAMIC, 'DYNAMIC'],
  [IFF_AUTOMEDIA, 'AUTOMEDIA'],
  [IFF_PORTSEL, 'PORTSEL'],
  [IFF_NOTRAILERS, 'NOTRAILERS'],
  [IFF_UP, 'UP'],
  [IFF_LOWER_UP, 'LOWER_UP'],
  [IFF_DORMANT, 'DORMANT'],
  [IFF_ECHO, 'ECHO'],
];

const ROUTE_FLAGS: ReadonlyArray<readonly [number, string]> = [
  [RTNH_F_DEAD, 'dead'],
  [RTNH_F_ONLINK, 'onlink'],
  [RTNH_F_PERVASIVE, 'pervasive'],
  [RTNH_F_OFFLOAD, 'offload'],
  [RTNH_F_TRAP, 'trap'],
  [RTM_F_NOTIFY, 'notify'],
  [RTNH_F_LINKDOWN, 'linkdown'],
  [RTNH_F_UNRESOLVED, 'unresolved'],
  [RTM_F_OFFLOAD, 'rt_offload'],
  [RTM_F_TRAP, 'rt_trap'],
  [RTM_F_OFFLOAD_FAILED, 'rt_offload_failed'],
];

const NUD_STATES: ReadonlyArray<readonly [number, string]> = [
  [NUD_INCOMPLETE, 'INCOMPLETE'],
  [NUD_REACHABLE, 'REACHABLE'],
  [NUD_STALE, 'STALE'],
  [NUD_DELAY, 'DELAY'],
  [NUD_PROBE, 'PROBE'],
  [NUD_FAILED, 'FAILED'],
  [NUD_NOARP, 'NOARP'],
  [NUD_PERMANENT, 'PERMANENT'],
];

/** Flag arrays are frozen and shared per distinct value; the caches stop growing here. */
const CACHE_LIMIT = 4096;
const linkFlagCache = new Map<number, readonly string[]>();
const routeFlagCache = new Map<number, readonly string[]>();
const neighbourStateCache: Array<readonly string[] | undefined> = [];

function remember<K>(cache: Map<K, readonly string[]>, key: K, value: string[]): readonly string[] {
  const frozen = Object.freeze(value);
  if (cache.size < CACHE_LIMIT) cache.set(key, frozen);
  return frozen;
}

/**
 * iproute2's names for rtnetlink numbers, both ways: what `ip -j` prints for a route type,
 * protocol, scope or table, a link type, operational state, link mode or group, and the
 * flag arrays of links, routes and neighbours. Unnamed numbers print in decimal (as ip
 * does); the `*Id` functions take a name or a decimal string back to the number, or
 * undefined. Flag arrays are frozen and shared between equal values, so decoding allocates
 * none after the first few.
 *
 * @example
 * rtnetlinkNames.table(254); // 'main'
 * rtnetlinkNames.protocolId('static'); // 4
 * rtnetlinkNames.linkFlags(0x11043, false); // ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']
 */
export const rtnetlinkNames = {
  /** An address family as ip names it: inet, inet6, link, mpls, bridge; else the number. */
  family(family: number): string {
    switch (family) {
      case AF_INET:
        return 'inet';
      case AF_INET6:
        return 'inet6';
      case AF_PACKET:
        return 'link';
      case AF_MPLS:
        return 'mpls';
      case AF_BRIDGE:
        return 'bridge';
      case AF_UNSPEC:
        return 'unspec';
      default:
        return String(family);
    }
  },
  /** `rtm_type`: unicast, local, broadcast, blackhole, … (`none` for RTN_UNSPEC). */
  routeType(type: number): string {
    return ROUTE_TYPES[type] ?? String(type);
  },
  routeTypeId(name: string): number | undefined {
    return lookupId(ROUTE_TYPE_IDS, name, 255);
  },
  /** `rtm_protocol`: kernel, boot, static, dhcp, bgp, … */
  protocol(protocol: number): string {
    return PROTOCOLS[protocol] ?? String(protocol);
  },
  protocolId(name: string): number | undefined {
    return lookupId(PROTOCOL_IDS, name, 255);
  },
  /** `rtm_scope` / `ifa_scope`: global, site, link, host, nowhere. */
  scope(scope: number): string {
    return SCOPES[scope] ?? String(scope);
  },
  scopeId(name: string): number | undefined {
    return lookupId(SCOPE_IDS, name, 255);
  },
  /** A routing table id: main, local, default, unspec; else decimal. */
  table(table: number): string {
    return table < 256 ? TABLES[table] : String(table);
  },
  tableId(name: string): number | undefined {
    return lookupId(TABLE_IDS, name, 0xffffffff);
  },
  /** `ifi_type` (ARPHRD_*): ether, loopback, none, ipip, gre6, …; else `[N]`. */
  linkType(type: number): string {
    return LINK_TYPES.get(type) ?? `[${type}]`;
  },
  /** IFLA_OPERSTATE: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, … */
  operstate(state: number): string {
    return OPERSTATES[state] ?? String(state);
  },
  /** IFLA_LINKMODE: DEFAULT, DORMANT, TESTING. */
  linkmode(mode: number): string {
    return LINKMODES[mode] ?? String(mode);
  },
  /** IFLA_GROUP: `default` for 0, else decimal. */
  group(group: number): string {
    return group === 0 ? 'default' : String(group);
  },
  /** IFLA_INET6_ADDR_GEN_MODE: eui64, none, stable_secret, random; else `0xNN`. */
  addrGenMode(mode: number): string {
    return ADDR_GEN_MODES[mode] ?? `0x${mode.toString(16).padStart(2, '0')}`;
  },
  /** RTA_PREF (ICMPV6_ROUTER_PREF_*): medium, high, low; else the number. */
  routePreference(pref: number): string | number {
    return pref === 0 ? 'medium' : pref === 1 ? 'high' : pref === 3 ? 'low' : pref;
  },
  /**
   * `ifi_flags` as ip lists them: NO-CARRIER first when UP without RUNNING, the named flags in
   * ip's order, leftover bits as one hex string, and M-DOWN last when `masterDown`.
   */
  linkFlags(flags: number, masterDown: boolean): readonly string[] {
    const key = masterDown ? -1 - flags : flags;
    const cached = linkFlagCache.get(key);
    if (cached) return cached;
    const names: string[] = [];
    let rest = flags & ~IFF_RUNNING;
    if (flags & IFF_UP && !(flags & IFF_RUNNING)) names.push('NO-CARRIER');
    for (const [bit, name] of LINK_FLAGS) {
      if (rest & bit) {
        names.push(name);
        rest &= ~bit;
      }
    }
    if (rest) names.push((rest >>> 0).toString(16));
    if (masterDown) names.push('M-DOWN');
    return remember(linkFlagCache, key, names);
  },
  /** `rtm_flags` / `rtnh_flags` as ip lists them: onlink, linkdown, offload, … */
  routeFlags(flags: number): readonly string[] {
    const cached = routeFlagCache.get(flags);
    if (cached) return cached;
    const names: string[] = [];
    for (const [bit, name] of ROUTE_FLAGS) if (flags & bit) names.push(name);
    return remember(routeFlagCache, flags, names);
  },
  /** `ndm_state` as ip lists it: ['REACHABLE'], ['STALE'], ['NOARP'], … */
  neighbourState(state: number): readonly string[] {
    const index = state & 0xffff;
    const cached = neighbourStateCache[index];
    if (cached) return cached;
    const names: string[] = [];
    let rest = index;
    for (const [bit, name] of NUD_STATES) {
      if (rest & bit) {
        names.push(name);
        rest &= ~bit;
      }
    }
    if (rest) names.push(`0x${rest.toString(16)}`);
    const frozen = Object.freeze(names);
    neighbourStateCache[index] = frozen;
    return frozen;
  },
} as const;

function lookupId(ids: Map<string, number>, name: string, max: number): number | undefined {
  const id = ids.get(name);
  if (id !== undefined) return id;
  if (!/^(0|[1-9][0-9]*)$/.test(name)) return undefined;
  const value = Number(name);
  return value <= max ? value : undefined;
}
