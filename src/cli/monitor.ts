// `nlring monitor`: rtnetlink changes as they happen, one line each (NDJSON with --json),
// optionally stamped with the time they were read (-t), until Ctrl-C.
import { monitor, Overrun, type RtnetlinkChange } from '../index.js';
import {
  type Command,
  familyOptions,
  jsonOption,
  NETNS_OPTION,
  readFamily,
  readNetns,
} from './commandLine.js';
import { jsonObject } from './output.js';
import { untilInterrupted } from './streams.js';
import { addressView, linkView, neighbourView, nexthopView, routeView, ruleView } from './views.js';

/** The command's kind words, and the library's names for them. */
const KINDS: Readonly<Record<string, RtnetlinkChange['kind']>> = {
  link: 'link',
  address: 'address',
  route: 'route',
  neighbour: 'neighbour',
  rule: 'rule',
  nexthop: 'nexthop',
  netconf: 'netconf',
  nsid: 'nsid',
  // iproute2's words for the same kinds (`ip monitor addr neigh`).
  addr: 'address',
  neigh: 'neighbour',
};

/** What `nlring monitor` watches when no kind is named: the six object kinds. */
const DEFAULT_KINDS = ['link', 'address', 'route', 'neighbour', 'rule', 'nexthop'];

/** An object with no table view as `key value` pairs (netconf and nsid events). */
function fields(object: Record<string, unknown>): string {
  return Object.entries(object)
    .map(
      ([key, value]) =>
        `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    )
    .join(' ');
}

/** One change as a person reads it: `[route] del 10.0.0.0/24 dev v0 …`. */
function changeLine(change: RtnetlinkChange): string {
  switch (change.kind) {
    case 'link':
      return `[link] ${change.action} ${linkView.line(change.link)}`;
    case 'address':
      return `[address] ${change.action} ${addressView.line(change.address)}`;
    case 'route':
      return `[route] ${change.action} ${routeView.line(change.route)}`;
    case 'neighbour':
      return `[neighbour] ${change.action} ${neighbourView.line(change.neighbour)}`;
    case 'rule':
      return `[rule] ${change.action} ${ruleView.line(change.rule)}`;
    case 'netconf':
      return `[netconf] ${change.action} ${fields(jsonObject(change.netconf))}`;
    case 'nsid':
      return `[nsid] ${change.action} ${fields(jsonObject(change.nsid))}`;
    default:
      return `[nexthop] ${change.action} ${nexthopView.line(change.nexthop)}`;
  }
}

/** One change as JSON: kind, action, and the object under its kind's name. */
function changeJson(change: RtnetlinkChange): Record<string, unknown> {
  switch (change.kind) {
    case 'link':
      return { kind: 'link', action: change.action, link: jsonObject(change.link) };
    case 'address':
      return { kind: 'address', action: change.action, address: jsonObject(change.address) };
    case 'route':
      return { kind: 'route', action: change.action, route: jsonObject(change.route) };
    case 'neighbour':
      return { kind: 'neighbour', action: change.action, neighbour: jsonObject(change.neighbour) };
    case 'rule':
      return { kind: 'rule', action: change.action, rule: jsonObject(change.rule) };
    case 'netconf':
      return { kind: 'netconf', action: change.action, netconf: jsonObject(change.netconf) };
    case 'nsid':
      return { kind: 'nsid', action: change.action, nsid: jsonObject(change.nsid) };
    default:
      return { kind: 'nexthop', action: change.action, nexthop: jsonObject(change.nexthop) };
  }
}

/** An overrun: notifications were lost (the socket buffer was full); the monitor goes on. */
function overrunJson(overrun: Overrun): Record<string, unknown> {
  return {
    kind: 'overrun',
    lost: Number.isNaN(overrun.lost) ? null : overrun.lost,
    count: overrun.count,
  };
}

function overrunLine(overrun: Overrun): string {
  const lost = Number.isNaN(overrun.lost) ? 'some' : String(overrun.lost);
  return `[overrun] ${lost} notifications lost (the socket buffer was full); going on`;
}

/**
 * `nlring monitor`: rtnetlink changes as they happen — links, addresses, routes, neighbours
 * — one line each (NDJSON with `--json`), until Ctrl-C, which ends it with status 0.
 * Overruns are printed in place and the monitor goes on. `-t` puts the time each change
 * was read in front (`[2026-12-01T21:20:27.123Z] [link] new …`; in JSON a `timestamp`).
 *
 * @example
 * // $ nlring monitor link route --json
 * await monitorCommand.run(parseCommandLine(monitorCommand, ['link', '--json']), process);
 */
export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'print link, address, route, neighbour, rule and nexthop changes (ip monitor)',
  synopsis:
    'nlring monitor [link] [address|addr] [route] [neighbour|neigh] [rule] [nexthop] [netconf] [nsid] [-t] [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6]',
  description:
    'Listens to the kernel’s rtnetlink notifications through the netlink ring and prints one ' +
    'line per change: the kind, new (added or changed) or del, and the object as the dump ' +
    'commands show it. Without kinds it watches the first six; netconf (per-interface ' +
    'forwarding, rp_filter, ...) and nsid (namespace ids) are watched when named. With --json each line is a JSON ' +
    'object {"kind", "action", and the object under "link", "address", "route", "neighbour", "rule", "nexthop", "netconf" or "nsid"} ' +
    "with ip -j's field names. With -t each line starts with the time it was read " +
    '(ISO 8601, UTC; with --json a "timestamp" field). Lost notifications (an overrun of the ' +
    'socket buffer) are reported as such and the monitor goes on. It prints a line on stderr ' +
    'once it is listening, and runs until Ctrl-C (exit status 0).',
  options: {
    timestamp: { type: 'boolean', short: 't', help: 'the time each change was read, in front' },
    json: jsonOption('one JSON object per line (NDJSON)'),
    netns: NETNS_OPTION,
    ...familyOptions('only IPv4 or only IPv6 changes'),
  },
  positionals: { value: 'KIND', choices: Object.keys(KINDS) },
  examples: [
    { command: 'nlring monitor', says: 'every change, until Ctrl-C' },
    { command: 'nlring monitor -t link route', says: 'interfaces and routes only, with times' },
    {
      command: 'nlring monitor addr --json | jq -c \'select(.action == "new") | .address.local\'',
      says: 'each address as it is added',
    },
  ],
  run(line, io) {
    const netns = readNetns(line);
    const family = readFamily(line);
    const json = line.flag('json');
    const stamped = line.flag('timestamp');
    const chosen = [...new Set(line.positionals.length > 0 ? line.positionals : DEFAULT_KINDS)];
    const kinds = [...new Set(chosen.map((word) => KINDS[word]))];
    const where = netns === undefined ? 'this namespace' : `namespace ${netns}`;
    const changes = monitor(netns === undefined ? { kinds, family } : { kinds, family, netns });
    // The monitor's socket is open and bound once subscribe returns: nothing is missed after.
    const ready = () =>
      io.stderr.write(
        `nlring monitor: listening for ${chosen.join(', ')} changes in ${where} (Ctrl-C to stop)\n`,
      );
    return untilInterrupted<RtnetlinkChange | Overrun>(changes, ready, (value) => {
      const timestamp = stamped ? new Date().toISOString() : undefined;
      let text: string;
      if (json) {
        const object = value instanceof Overrun ? overrunJson(value) : changeJson(value);
        text = JSON.stringify(timestamp === undefined ? object : { timestamp, ...object });
      } else {
        text = value instanceof Overrun ? overrunLine(value) : changeLine(value);
        if (timestamp !== undefined) text = `[${timestamp}] ${text}`;
      }
      io.stdout.write(`${text}\n`);
    });
  },
};
