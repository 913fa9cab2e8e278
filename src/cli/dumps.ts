// The dump commands — `links`, `addrs`, `routes`, `neigh`, `rules`, `nexthops` — made by one
// factory: each dumps one kind of rtnetlink object through the ring and prints a table or
// one JSON array.
import {
  type DumpRoutesOptions,
  decodeRouteAt,
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpNexthops,
  dumpRoutes,
  dumpRoutesWith,
  dumpRules,
  errnos,
  NetlinkError,
  type RtnetlinkOptions,
  type rtnetlink,
} from '../index.js';
import {
  type Command,
  type CommandLine,
  type CommandOption,
  familyOptions,
  jsonOption,
  NETNS_OPTION,
  readFamily,
  readNetns,
  UsageError,
} from './commandLine.js';
import { dumpJson, JsonArray, writeChunks } from './jsonText.js';
import { dumpTable, jsonObject, type ObjectView, writeText } from './output.js';
import { RouteJson } from './routeJson.js';
import { collectDump, eachOfDump, type Subscribable } from './streams.js';
import {
  addressView,
  linkViewWith,
  neighbourView,
  nexthopView,
  routeView,
  ruleView,
} from './views.js';

/**
 * What each dump kind emits: the library's decoded objects.
 *
 * @example
 * declare const routes: rtnetlink.Route[];
 * const route: DumpObjects['routes'] | undefined = routes[0];
 */
export interface DumpObjects {
  links: rtnetlink.Link;
  addrs: rtnetlink.InterfaceAddress;
  routes: rtnetlink.Route;
  neigh: rtnetlink.Neighbour;
  rules: rtnetlink.Rule;
  nexthops: rtnetlink.Nexthop;
}

/** What the command line narrows a dump to. */
interface DumpOptions {
  readonly netns: string | undefined;
  readonly family: 'inet' | 'inet6' | 'all';
  readonly table: DumpRoutesOptions['table'];
}

/** The library's dump for each kind, with the command's options. Cold, one socket each. */
const SOURCES: { [K in keyof DumpObjects]: (o: DumpOptions) => Subscribable<DumpObjects[K]> } = {
  links: (o) => dumpLinks(common(o)),
  addrs: (o) => dumpAddresses(common(o)),
  routes: (o) => dumpRoutes(routeOptions(o)),
  neigh: (o) => dumpNeighbours(common(o)),
  rules: (o) => dumpRules(common(o)),
  nexthops: (o) => dumpNexthops(o.netns === undefined ? {} : { netns: o.netns }),
};

function common(o: DumpOptions): RtnetlinkOptions {
  return o.netns === undefined ? { family: o.family } : { family: o.family, netns: o.netns };
}

function routeOptions(o: DumpOptions): DumpRoutesOptions {
  return o.table === undefined ? common(o) : { ...common(o), table: o.table };
}

/**
 * How a dump prints, as its command line asks: the table's view and the JSON. The JSON is
 * one array: by default `jsonEach`'s value of each object (if not given, the object without
 * `attrs`, as `jsonObject` makes it), written as the dump decodes; `json` instead makes it of
 * every object, collected first (a shape that groups them); `jsonText`, a command's own
 * writer, dumps and writes it itself.
 */
interface Presentation<T> {
  readonly view: ObjectView<T>;
  jsonEach?: ((object: T) => unknown) | undefined;
  json?: ((objects: readonly T[], options: DumpOptions) => unknown) | undefined;
  jsonText?: ((options: DumpOptions) => Promise<Buffer[]>) | undefined;
}

/** What makes one dump command: its kind, how it shows, and its help. */
interface DumpCommandSpec<K extends keyof DumpObjects> {
  readonly name: K;
  readonly aliases: readonly string[];
  /** The table view, or how the command line picks the view and the JSON. */
  readonly view: ObjectView<DumpObjects[K]> | ((line: CommandLine) => Presentation<DumpObjects[K]>);
  /** Options of this command alone, with their part of the synopsis. */
  readonly options?: Readonly<Record<string, CommandOption>> | undefined;
  readonly synopsis?: string | undefined;
  readonly summary: string;
  readonly description: string;
  readonly examples: Command['examples'];
  /** Whether `--family` narrows it (not for links). */
  readonly family: boolean;
  /** Whether it takes `--table` (routes). */
  readonly table: boolean;
}

const TABLE_OPTION: CommandOption = {
  type: 'string',
  value: 'TABLE',
  help: 'only this routing table: main, local, default, a number, or all (the default)',
};

/**
 * `--table`: undefined for every table, else the table as `dumpRoutes` takes it. A name
 * `dumpRoutes` does not know is a usage error here, before any socket: it checks its
 * options when called and subscribes to nothing until asked. (Through `dumpRoutes`, not
 * `rtnetlink.rtnetlinkNames`: a use of the `rtnetlink` namespace as a value puts the whole
 * family into the command's bundle, ~70 KB that `nlring links` would load for nothing.)
 */
function readTable(line: CommandLine): DumpRoutesOptions['table'] {
  const table = line.string('table');
  if (table === undefined || table === 'all') return undefined;
  const given = table as DumpRoutesOptions['table'];
  try {
    dumpRoutes({ table: given });
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    throw new UsageError(
      `--table: expected main, local, default, all or a number, got '${table}'`,
      line.command,
    );
  }
  return given;
}

/**
 * Makes a dump command: it dumps one kind of rtnetlink object through the ring — in the
 * host's namespace or `--netns NAME` — retrying a dump the kernel marks interrupted up to 3
 * times, and prints an aligned table, or with `--json` one JSON array whose objects carry
 * `ip -j`'s field names.
 */
function dumpCommand<K extends keyof DumpObjects>(spec: DumpCommandSpec<K>): Command {
  const options: Record<string, CommandOption> = {
    json: jsonOption("one JSON array of objects with iproute2's `ip -j` field names"),
    netns: NETNS_OPTION,
  };
  let synopsis = `nlring ${spec.name} [-j|--json] [-n|--netns NAME]`;
  if (spec.family) {
    Object.assign(options, familyOptions('only IPv4 or only IPv6; default: both'));
    synopsis += ' [-4|-6|--family inet|inet6]';
  }
  if (spec.table) {
    options.table = TABLE_OPTION;
    synopsis += ' [--table TABLE]';
  }
  if (spec.options !== undefined) Object.assign(options, spec.options);
  if (spec.synopsis !== undefined) synopsis += ` ${spec.synopsis}`;
  const present = (line: CommandLine): Presentation<DumpObjects[K]> =>
    typeof spec.view === 'function' ? spec.view(line) : { view: spec.view };
  return {
    name: spec.name,
    aliases: spec.aliases,
    summary: spec.summary,
    synopsis,
    description: spec.description,
    options,
    examples: spec.examples,
    async run(line, io) {
      const netns = readNetns(line);
      const family = spec.family ? readFamily(line) : 'all';
      const table = spec.table ? readTable(line) : undefined;
      const { view, jsonEach, json, jsonText } = present(line);
      const options = { netns, family, table };
      const dump = () => SOURCES[spec.name](options);
      if (line.flag('json') && jsonText !== undefined) {
        await writeChunks(io.stdout, await jsonText(options));
        return 0;
      }
      if (line.flag('json') && json !== undefined) {
        const objects = await collectDump(dump);
        await writeText(io.stdout, `${JSON.stringify(await json(objects, options))}\n`);
        return 0;
      }
      if (line.flag('json')) {
        const chunks = await dumpJson<DumpObjects[K]>(
          dump,
          jsonEach === undefined
            ? (out, object) => out.object(object, 'attrs')
            : (out, object) => out.element(jsonEach(object)),
        );
        await writeChunks(io.stdout, chunks);
        return 0;
      }
      await (await dumpTable(dump, view)).writeTo(io.stdout);
      return 0;
    },
  };
}

/**
 * Routes as `ip -d -j route` prints them, written into JSON text as the dump decodes them
 * (no route is kept, no copy of one made): a route that uses a nexthop object (`nhid`) gets
 * that object as `nh_info` (the library's `nhInfo`, from one nexthop dump in the same
 * namespace first), after the route's other fields and before its paths (`nexthops`).
 */
async function routesJsonText(options: DumpOptions): Promise<Buffer[]> {
  const byId = await nexthopsById(options);
  const out = new JsonArray();
  let writer = new RouteJson(out);
  // The routes of a large table are written from their messages where the writer can
  // (RouteJson.writeAt), with no Route made; the rest are decoded and written as objects.
  const at = (
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    length: number,
    names: rtnetlink.RtnetlinkDecodeOptions,
  ): rtnetlink.Route | undefined =>
    writer.writeAt(bytes, view, offset, length, names)
      ? undefined
      : decodeRouteAt(bytes, view, offset, length, names);
  const source = routeOptions(options);
  await eachOfDump<rtnetlink.Route>(
    () => dumpRoutesWith(at, source),
    () => {
      out.begin();
      writer = new RouteJson(out);
    },
    (route) => {
      // What dumpRoutes({ nhInfo: true }) gives a route that uses a nexthop object.
      const info = route.nhid === undefined ? undefined : byId.get(route.nhid);
      if (info !== undefined) route.nh_info = info;
      writer.write(route);
    },
  );
  return out.end();
}

/**
 * The nexthop objects of the namespace by id, for routes' `nh_info`: none on a kernel
 * without them (before 5.3 RTM_GETNEXTHOP answers EOPNOTSUPP), as `dumpRoutes({ nhInfo })`
 * finds none there.
 */
async function nexthopsById(options: DumpOptions): Promise<Map<number, rtnetlink.Nexthop>> {
  try {
    const list = await collectDump(() => SOURCES.nexthops(options));
    return new Map(list.map((nexthop) => [nexthop.id, nexthop]));
  } catch (error) {
    if (error instanceof NetlinkError && error.errno === errnos.EOPNOTSUPP) return new Map();
    throw error;
  }
}

/**
 * `nlring routes` (also `route`): the routes of every table, like `ip route show table all`
 * for IPv4 and IPv6 together.
 *
 * @example
 * // $ nlring routes --table main -4
 * await routesCommand.run(parseCommandLine(routesCommand, ['--table', 'main']), process);
 */
export const routesCommand = dumpCommand({
  name: 'routes',
  aliases: ['route'],
  view: () => ({
    view: routeView,
    jsonText: routesJsonText,
  }),
  family: true,
  table: true,
  summary: 'list routes of every table (ip route show table all)',
  description:
    'Dumps the routes of a namespace through the netlink ring — every table, IPv4 and IPv6, ' +
    'unless --table or --family narrow it — and prints one row per route. With --json it ' +
    "prints one JSON array whose objects have the field names of 'ip -j -d route show', with " +
    'type, table, protocol and scope always present.',
  examples: [
    { command: 'nlring routes', says: 'every route of every table' },
    { command: 'nlring routes --table main -4', says: 'the IPv4 main table' },
    {
      command: 'nlring routes -j | jq \'.[] | select(.dst == "default")\'',
      says: 'the default routes',
    },
  ],
});

/** The `stats64` counters `ip -s -j link` prints (once); `-s -s` prints them all. */
const STATS_ONCE: Readonly<Record<'rx' | 'tx', readonly string[]>> = {
  rx: ['bytes', 'packets', 'errors', 'dropped', 'over_errors', 'multicast', 'compressed'],
  tx: ['bytes', 'packets', 'errors', 'dropped', 'carrier_errors', 'collisions', 'compressed'],
};

function pick(record: Readonly<Record<string, number>>, keys: readonly string[]) {
  return Object.fromEntries(Object.entries(record).filter(([key]) => keys.includes(key)));
}

/**
 * A link's JSON as `ip -j [-s [-s]] [-d] link` prints it: `linkinfo` with only the kinds
 * unless `details`; `stats64` only with `stats` (ip's `-s` counters at 1, all at 2).
 */
function linkJson(link: rtnetlink.Link, stats: number, details: boolean): Record<string, unknown> {
  const out = jsonObject(link);
  const info = link.linkinfo;
  if (info !== undefined && !details) {
    const kinds: Record<string, string> = {};
    if (info.info_kind !== undefined) kinds.info_kind = info.info_kind;
    if (info.info_slave_kind !== undefined) kinds.info_slave_kind = info.info_slave_kind;
    out.linkinfo = kinds;
  }
  const stats64 = link.stats64;
  if (stats64 === undefined || stats === 0) {
    delete out.stats64;
  } else if (stats === 1) {
    out.stats64 = { rx: pick(stats64.rx, STATS_ONCE.rx), tx: pick(stats64.tx, STATS_ONCE.tx) };
  }
  return out;
}

/**
 * `nlring links` (also `link`): the network interfaces of a namespace, like `ip link show`.
 *
 * @example
 * // $ nlring links --json | jq -r '.[] | select(.operstate == "UP") | .ifname'
 * await linksCommand.run(parseCommandLine(linksCommand, ['--json']), process);
 */
export const linksCommand = dumpCommand({
  name: 'links',
  aliases: ['link'],
  view: (line) => {
    const stats = line.count('stats');
    const details = line.flag('details');
    return {
      view: linkViewWith({ stats, details }),
      jsonEach: (link) => linkJson(link, stats, details),
    };
  },
  options: {
    stats: {
      type: 'boolean',
      short: 's',
      multiple: true,
      help: 'statistics: RX/TX counters (stats64 in JSON); twice for the error counters too',
    },
    details: {
      type: 'boolean',
      short: 'd',
      help: "details: the kind's settings (linkinfo info_data, info_slave_data in JSON)",
    },
  },
  synopsis: '[-s [-s]] [-d]',
  family: false,
  table: false,
  summary: 'list network interfaces (ip link show)',
  description:
    'Dumps the network interfaces of a namespace through the netlink ring and prints one row ' +
    'per interface: index, name (with its peer or parent after @), kind, operational state, ' +
    'MTU, hardware address, master and flags; -s adds the RX and TX counters (twice: errors ' +
    "and drops too), -d the kind's settings (vxlan id and remote, a bridge port's state, …). " +
    "With --json it prints one JSON array whose objects have the field names of 'ip -j -d " +
    "link show' (linkinfo with info_kind and info_slave_kind); -d adds info_data and " +
    "info_slave_data as 'ip -d -j link' prints them, -s stats64 as 'ip -s -j link' (-s -s: " +
    "as 'ip -s -s -j link').",
  examples: [
    { command: 'nlring links -s', says: 'with the RX and TX byte and packet counters' },
    { command: 'nlring links -d -j', says: 'as JSON, with the kind-specific settings' },
    { command: 'nlring links', says: "this namespace's interfaces as a table" },
    { command: 'nlring links -n blue -j', says: "namespace blue's, as JSON" },
    {
      command: 'nlring links --json | jq -r \'.[] | select(.operstate == "UP") | .ifname\'',
      says: 'the names of the interfaces that are up',
    },
  ],
});

/**
 * `nlring addrs` (also `addr`, `address`): the IPv4 and IPv6 addresses of a namespace, like
 * `ip addr show`.
 *
 * @example
 * // $ nlring addr -4 --json
 * await addrsCommand.run(parseCommandLine(addrsCommand, ['--family', 'inet']), process);
 */
export const addrsCommand = dumpCommand({
  name: 'addrs',
  aliases: ['addr', 'address'],
  view: (line) => ({
    view: addressView,
    json: line.flag('nested') ? nestedAddresses : undefined,
  }),
  options: {
    nested: {
      type: 'boolean',
      help: "with --json: ip -j addr's shape, one object per link with its addr_info array",
    },
  },
  synopsis: '[--nested]',
  family: true,
  table: false,
  summary: 'list interface addresses (ip addr show)',
  description:
    'Dumps the addresses of a namespace through the netlink ring and prints one row per ' +
    'address: interface, family, address/prefix, scope and flags. With --json it prints one ' +
    "JSON array with one object per address: the fields of an 'ip -j addr show' addr_info " +
    'entry, with the ifindex and ifname of its interface in front; with --json --nested, ' +
    "the shape of 'ip -j addr show': one object per link (its ip -j link fields) with its " +
    'addresses in addr_info.',
  examples: [
    { command: 'nlring addrs', says: 'every address of this namespace' },
    { command: 'nlring addr -6', says: 'only the IPv6 addresses' },
    { command: 'nlring addr -j --nested', says: "as 'ip -j addr show' prints them" },
    {
      command: 'nlring addrs --json | jq -r \'.[] | "\\(.ifname) \\(.local)/\\(.prefixlen)"\'',
      says: 'interface and address, one per line',
    },
  ],
});

/**
 * `nlring neigh` (also `neighbour`, `neighbor`): the neighbour (ARP and NDP) tables, like
 * `ip neigh show nud all`.
 *
 * @example
 * // $ nlring neigh -4 --json
 * await neighCommand.run(parseCommandLine(neighCommand, ['--json']), process);
 */
export const neighCommand = dumpCommand({
  name: 'neigh',
  aliases: ['neighbour', 'neighbor'],
  view: neighbourView,
  family: true,
  table: false,
  summary: 'list neighbour entries (ip neigh show nud all)',
  description:
    'Dumps the neighbour tables (ARP for IPv4, NDP for IPv6) of a namespace through the ' +
    'netlink ring, entries in every state, and prints one row per entry: address, device, ' +
    'link-layer address, state and flags. With --json it prints one JSON array whose ' +
    "objects have the field names of 'ip -j -s neigh show'.",
  examples: [
    { command: 'nlring neigh', says: 'every neighbour entry' },
    { command: 'nlring neigh -6 --json', says: 'the IPv6 neighbours, as JSON' },
  ],
});

/** The link fields `ip -j addr show` prints before `addr_info`, in its order. */
const ADDR_LINK_FIELDS = [
  'ifindex',
  'link',
  'link_index',
  'ifname',
  'flags',
  'mtu',
  'qdisc',
  'master',
  'operstate',
  'group',
  'txqlen',
  'link_type',
  'address',
  'permaddr',
  'link_pointtopoint',
  'broadcast',
  'link_netnsid',
  'altnames',
] as const;

/**
 * `ip -j addr show`'s shape: one object per link (the fields of ADDR_LINK_FIELDS) with its
 * addresses, without their ifindex and ifname, in `addr_info`. Every link is listed when both
 * families are; with one family, only the links that have an address of it.
 */
async function nestedAddresses(
  addresses: readonly rtnetlink.InterfaceAddress[],
  options: DumpOptions,
): Promise<Record<string, unknown>[]> {
  const links = await collectDump(() => SOURCES.links(options));
  const byLink = new Map<number, Record<string, unknown>[]>();
  for (const address of addresses) {
    const { ifindex, ifname: _, ...info } = jsonObject(address);
    const list = byLink.get(ifindex as number) ?? [];
    list.push(info);
    byLink.set(ifindex as number, list);
  }
  return links
    .filter((link) => options.family === 'all' || byLink.has(link.ifindex))
    .map((link) => {
      const out: Record<string, unknown> = {};
      for (const field of ADDR_LINK_FIELDS) {
        if (link[field] !== undefined) out[field] = link[field];
      }
      out.addr_info = byLink.get(link.ifindex) ?? [];
      return out;
    });
}

/**
 * `nlring rules` (also `rule`): the FIB rules of a namespace, IPv4 and IPv6, like
 * `ip rule show` and `ip -6 rule show` together.
 *
 * @example
 * // $ nlring rules -4 --json
 * await rulesCommand.run(parseCommandLine(rulesCommand, ['-4', '--json']), process);
 */
export const rulesCommand = dumpCommand({
  name: 'rules',
  aliases: ['rule'],
  view: ruleView,
  family: true,
  table: false,
  summary: 'list routing policy rules (ip rule show)',
  description:
    'Dumps the routing policy (FIB) rules of a namespace through the netlink ring, IPv4 and ' +
    'IPv6 unless --family narrows it, and prints one row per rule: priority, family, ' +
    'selector (from, to, iif, oif, fwmark, …) and action (lookup TABLE, goto, blackhole, …). ' +
    "With --json it prints one JSON array whose objects have the field names of 'ip -j rule " +
    "show', plus family and protocol.",
  examples: [
    { command: 'nlring rules', says: 'every rule, IPv4 and IPv6' },
    { command: 'nlring rules -6 --json', says: 'the IPv6 rules, as JSON' },
  ],
});

/**
 * `nlring nexthops` (also `nexthop`): the nexthop objects of a namespace, like
 * `ip nexthop show`.
 *
 * @example
 * // $ nlring nexthops --json
 * await nexthopsCommand.run(parseCommandLine(nexthopsCommand, ['--json']), process);
 */
export const nexthopsCommand = dumpCommand({
  name: 'nexthops',
  aliases: ['nexthop'],
  view: nexthopView,
  family: false,
  table: false,
  summary: 'list nexthop objects (ip nexthop show)',
  description:
    'Dumps the nexthop objects (Linux 5.3 and later) of a namespace through the netlink ring ' +
    'and prints one row per nexthop: id, group members (id,weight), gateway, device, scope, ' +
    'protocol and flags (blackhole, onlink, …). With --json it prints one JSON array whose ' +
    "objects have the field names of 'ip -j nexthop show'.",
  examples: [
    { command: 'nlring nexthops', says: 'every nexthop object' },
    { command: 'nlring nexthops --json', says: 'as JSON' },
  ],
});

/**
 * The six dump commands, in the overview's order: the first of `nlring`'s commands, and all
 * of the build of their own (dumpCommands.ts).
 *
 * @example
 * dumpCommands.map((c) => c.name); // ['routes', 'links', 'addrs', 'neigh', 'rules', 'nexthops']
 */
export const dumpCommands: readonly Command[] = [
  routesCommand,
  linksCommand,
  addrsCommand,
  neighCommand,
  rulesCommand,
  nexthopsCommand,
];
