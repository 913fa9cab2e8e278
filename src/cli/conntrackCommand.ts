import { conntrackDump, conntrackEvents, Overrun, rtnetlink } from '../index.js';
import type { Command } from './Command.js';
import { collectDump } from './collectDump.js';
import { conntrackJson } from './conntrackJson.js';
import { conntrackView } from './conntrackView.js';
import { formatTable } from './formatTable.js';
import { readFamily } from './readFamily.js';
import { readNetns } from './readNetns.js';
import { untilInterrupted } from './untilInterrupted.js';
import { writeText } from './writeText.js';

/** An overrun of the events socket: events were lost; the command goes on. */
function overrunLine(overrun: Overrun, json: boolean): string {
  const lost = Number.isNaN(overrun.lost) ? null : overrun.lost;
  if (json) return JSON.stringify({ kind: 'overrun', lost, count: overrun.count });
  return `[overrun] ${lost ?? 'some'} events lost (the socket buffer was full); going on`;
}

/**
 * `nlring conntrack`: the connection tracking table (`conntrack -L`) as an aligned table or
 * one JSON array; with `--events`, its changes as they happen (`conntrack -E`), one line each
 * (NDJSON with `--json`), until Ctrl-C (exit status 0). Needs CAP_NET_ADMIN.
 *
 * @example
 * // $ nlring conntrack --events --json
 * await conntrackCommand.run(parseCommandLine(conntrackCommand, ['--json']), process);
 */
export const conntrackCommand: Command = {
  name: 'conntrack',
  summary: 'list tracked connections, or with --events watch them (needs CAP_NET_ADMIN)',
  synopsis: 'nlring conntrack [--events] [--json] [--netns NAME] [--family inet|inet6]',
  description:
    'Dumps the connection tracking table through the netlink ring, like conntrack -L, and ' +
    'prints one row per connection: protocol, state, seconds left, the original and the ' +
    'reply direction, flags (UNREPLIED, ASSURED) and mark; with --json one JSON array of ' +
    'entries (type, family, protocol, orig and reply tuples, status and statusNames, ' +
    'timeout, mark, id, use, protoinfo, counters, …). A dump the kernel marks interrupted is ' +
    'run again, up to 3 times. With --events it prints the table’s changes as they happen ' +
    'instead, like conntrack -E: new, update and destroy, one line each (NDJSON with --json), ' +
    'with lost events reported as such, until Ctrl-C (exit status 0); it prints a line on ' +
    'stderr once it listens. Tracking happens only in namespaces where a rule uses it. ' +
    'Needs CAP_NET_ADMIN.',
  options: {
    events: { type: 'boolean', help: 'watch new, update and destroy events until Ctrl-C' },
    json: { type: 'boolean', help: 'one JSON array (with --events: one object per line)' },
    netns: {
      type: 'string',
      value: 'NAME',
      help: "the named network namespace (as 'ip netns list' shows it); default: this one",
    },
    family: { type: 'string', value: 'inet|inet6', help: 'only IPv4 or only IPv6 connections' },
  },
  examples: [
    { command: 'nlring conntrack', says: 'the tracked connections, as a table' },
    {
      command: 'nlring conntrack --json | jq \'[.[] | select(.protocol == "tcp")] | length\'',
      says: 'how many TCP connections are tracked',
    },
    { command: 'nlring conntrack --events', says: 'connections as they come and go' },
  ],
  async run(line, io) {
    const netns = readNetns(line);
    const family = readFamily(line);
    const json = line.flag('json');
    const familyNumber = { all: 0, inet: rtnetlink.AF_INET, inet6: rtnetlink.AF_INET6 }[family];
    if (line.flag('events')) {
      const where = netns === undefined ? 'this namespace' : `namespace ${netns}`;
      const events = conntrackEvents(netns === undefined ? {} : { netns });
      return untilInterrupted(
        events,
        () =>
          io.stderr.write(
            `nlring conntrack: listening for conntrack events in ${where} (Ctrl-C to stop)\n`,
          ),
        (value) => {
          if (!(value instanceof Overrun) && familyNumber !== 0 && value.family !== familyNumber) {
            return;
          }
          const text =
            value instanceof Overrun
              ? overrunLine(value, json)
              : json
                ? conntrackJson(value)
                : conntrackView.line(value);
          io.stdout.write(`${text}\n`);
        },
      );
    }
    const entries = await collectDump(() =>
      conntrackDump(
        netns === undefined ? { family: familyNumber } : { family: familyNumber, netns },
      ),
    );
    if (json) {
      await writeText(io.stdout, `[${entries.map(conntrackJson).join(',')}]\n`);
    } else {
      const rows = entries.map((entry) => conntrackView.row(entry));
      await writeText(io.stdout, formatTable(conntrackView.header, rows, conntrackView.numeric));
    }
    return 0;
  },
};
