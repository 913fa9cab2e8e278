// The four dump commands — `links`, `addrs`, `routes`, `neigh` — made by one factory: each
// dumps one kind of rtnetlink object through the ring and prints a table or one JSON array.
import {
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
  type RtnetlinkOptions,
  rtnetlink,
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
import { formatTable, jsonObject, type ObjectView, writeText } from './output.js';
import { collectDump, type Subscribable } from './streams.js';
import { addressView, linkView, neighbourView, routeView } from './views.js';

/**
 * What each dump kind emits: the library's decoded objects.
 *
 * @example
 * const route: DumpObjects['routes'] = routes[0];
 */
export interface DumpObjects {
  links: rtnetlink.Link;
  addrs: rtnetlink.InterfaceAddress;
  routes: rtnetlink.Route;
  neigh: rtnetlink.Neighbour;
}

/** What the command line narrows a dump to. */
interface DumpOptions {
  readonly netns: string | undefined;
  readonly family: 'inet' | 'inet6' | 'all';
  readonly table: number | undefined;
}

/** The library's dump for each kind, with the command's options. Cold, one socket each. */
const SOURCES: { [K in keyof DumpObjects]: (o: DumpOptions) => Subscribable<DumpObjects[K]> } = {
  links: (o) => dumpLinks(common(o)),
  addrs: (o) => dumpAddresses(common(o)),
  routes: (o) => dumpRoutes(o.table === undefined ? common(o) : { ...common(o), table: o.table }),
  neigh: (o) => dumpNeighbours(common(o)),
};

function common(o: DumpOptions): RtnetlinkOptions {
  return o.netns === undefined ? { family: o.family } : { family: o.family, netns: o.netns };
}

/** What makes one dump command: its kind, how it shows, and its help. */
interface DumpCommandSpec<K extends keyof DumpObjects> {
  readonly name: K;
  readonly aliases: readonly string[];
  readonly view: ObjectView<DumpObjects[K]>;
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

/** `--table`: undefined for every table, else the id of the one named. */
function readTable(line: CommandLine): number | undefined {
  const table = line.string('table');
  if (table === undefined || table === 'all') return undefined;
  const id = rtnetlink.rtnetlinkNames.tableId(table);
  if (id === undefined) {
    throw new UsageError(
      `--table: expected main, local, default, all or a number, got '${table}'`,
      line.command,
    );
  }
  return id === 0 ? undefined : id;
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
      const objects = await collectDump(() => SOURCES[spec.name]({ netns, family, table }));
      if (line.flag('json')) {
        await writeText(io.stdout, `${JSON.stringify(objects.map(jsonObject))}\n`);
      } else {
        const rows = objects.map((object) => spec.view.row(object));
        await writeText(io.stdout, formatTable(spec.view.header, rows, spec.view.numeric));
      }
      return 0;
    },
  };
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
  view: routeView,
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
  view: linkView,
  family: false,
  table: false,
  summary: 'list network interfaces (ip link show)',
  description:
    'Dumps the network interfaces of a namespace through the netlink ring and prints one row ' +
    'per interface: index, name (with its peer or parent after @), kind, operational state, ' +
    'MTU, hardware address, master and flags. With --json it prints one JSON array whose ' +
    "objects have the field names of 'ip -j -d link show'.",
  examples: [
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
  view: addressView,
  family: true,
  table: false,
  summary: 'list interface addresses (ip addr show)',
  description:
    'Dumps the addresses of a namespace through the netlink ring and prints one row per ' +
    'address: interface, family, address/prefix, scope and flags. With --json it prints one ' +
    "JSON array with one object per address: the fields of an 'ip -j addr show' addr_info " +
    'entry, with the ifindex and ifname of its interface in front.',
  examples: [
    { command: 'nlring addrs', says: 'every address of this namespace' },
    { command: 'nlring addr -6', says: 'only the IPv6 addresses' },
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
