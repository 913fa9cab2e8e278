import { monitor, Overrun, type RtnetlinkChange } from '../index.js';
import { addressView } from './addressView.js';
import type { Command } from './Command.js';
import { jsonObject } from './jsonObject.js';
import { linkView } from './linkView.js';
import { neighbourView } from './neighbourView.js';
import { readFamily } from './readFamily.js';
import { readNetns } from './readNetns.js';
import { routeView } from './routeView.js';
import { untilInterrupted } from './untilInterrupted.js';

/** The command's kind words, and the library's names for them. */
const KINDS: Readonly<Record<string, RtnetlinkChange['kind']>> = {
  link: 'link',
  addr: 'address',
  route: 'route',
  neigh: 'neigh',
};

/** One change as a person reads it: `[route] del 10.0.0.0/24 dev v0 …`. */
function changeLine(change: RtnetlinkChange): string {
  switch (change.kind) {
    case 'link':
      return `[link] ${change.action} ${linkView.line(change.link)}`;
    case 'address':
      return `[addr] ${change.action} ${addressView.line(change.address)}`;
    case 'route':
      return `[route] ${change.action} ${routeView.line(change.route)}`;
    default:
      return `[neigh] ${change.action} ${neighbourView.line(change.neighbour)}`;
  }
}

/** One change as an NDJSON line: kind, action, and the object under its kind's name. */
function changeJson(change: RtnetlinkChange): string {
  switch (change.kind) {
    case 'link':
      return JSON.stringify({ kind: 'link', action: change.action, link: jsonObject(change.link) });
    case 'address':
      return JSON.stringify({
        kind: 'address',
        action: change.action,
        address: jsonObject(change.address),
      });
    case 'route':
      return JSON.stringify({
        kind: 'route',
        action: change.action,
        route: jsonObject(change.route),
      });
    default:
      return JSON.stringify({
        kind: 'neigh',
        action: change.action,
        neighbour: jsonObject(change.neighbour),
      });
  }
}

/** An overrun: notifications were lost (the socket buffer was full); the monitor goes on. */
function overrunLine(overrun: Overrun, json: boolean): string {
  const lost = Number.isNaN(overrun.lost) ? null : overrun.lost;
  if (json) return JSON.stringify({ kind: 'overrun', lost, count: overrun.count });
  return `[overrun] ${lost === null ? 'some' : lost} notifications lost (the socket buffer was full); going on`;
}

/**
 * `nlring monitor`: rtnetlink changes as they happen — links, addresses, routes, neighbours
 * — one line each (NDJSON with `--json`), until Ctrl-C, which ends it with status 0.
 * Overruns are printed in place and the monitor goes on.
 *
 * @example
 * // $ nlring monitor link route --json
 * await monitorCommand.run(parseCommandLine(monitorCommand, ['link', '--json']), process);
 */
export const monitorCommand: Command = {
  name: 'monitor',
  summary: 'print link, address, route and neighbour changes as they happen (ip monitor)',
  synopsis:
    'nlring monitor [link] [addr] [route] [neigh] [--json] [--netns NAME] [--family inet|inet6]',
  description:
    'Listens to the kernel’s rtnetlink notifications through the netlink ring and prints one ' +
    'line per change: the kind, new (added or changed) or del, and the object as the dump ' +
    'commands show it. Without kinds it watches all four. With --json each line is a JSON ' +
    'object {"kind", "action", and the object under "link", "address", "route" or "neighbour"} ' +
    "with ip -j's field names. Lost notifications (an overrun of the socket buffer) are " +
    'reported as such and the monitor goes on. It prints a line on stderr once it is ' +
    'listening, and runs until Ctrl-C (exit status 0).',
  options: {
    json: { type: 'boolean', help: 'one JSON object per line (NDJSON)' },
    netns: {
      type: 'string',
      value: 'NAME',
      help: "the named network namespace (as 'ip netns list' shows it); default: this one",
    },
    family: { type: 'string', value: 'inet|inet6', help: 'only IPv4 or only IPv6 changes' },
  },
  positionals: { value: 'KIND', choices: Object.keys(KINDS) },
  examples: [
    { command: 'nlring monitor', says: 'every change, until Ctrl-C' },
    { command: 'nlring monitor link route', says: 'interfaces and routes only' },
    {
      command: 'nlring monitor addr --json | jq -c \'select(.action == "new") | .address.local\'',
      says: 'each address as it is added',
    },
  ],
  run(line, io) {
    const netns = readNetns(line);
    const family = readFamily(line);
    const json = line.flag('json');
    const chosen = [
      ...new Set(line.positionals.length > 0 ? line.positionals : Object.keys(KINDS)),
    ];
    const kinds = [...new Set(chosen.map((word) => KINDS[word]))];
    const where = netns === undefined ? 'this namespace' : `namespace ${netns}`;
    const changes = monitor(netns === undefined ? { kinds, family } : { kinds, family, netns });
    // The monitor's socket is open and bound once subscribe returns: nothing is missed after.
    const ready = () =>
      io.stderr.write(
        `nlring monitor: listening for ${chosen.join(', ')} changes in ${where} (Ctrl-C to stop)\n`,
      );
    return untilInterrupted(changes, ready, (value) => {
      const text =
        value instanceof Overrun
          ? overrunLine(value, json)
          : json
            ? changeJson(value)
            : changeLine(value);
      io.stdout.write(`${text}\n`);
    });
  },
};
