// `nlring conntrack`: the connection tracking table (conntrack -L) as a table or one JSON
// array, or with --events its changes as they happen (conntrack -E): the command, the
// entries' table and line form, and their JSON.
import { conntrackDump, conntrackEvents, netfilter, Overrun, rtnetlink } from '../index.js';
import {
  type Command,
  familyOptions,
  jsonOption,
  NETNS_OPTION,
  readFamily,
  readNetns,
} from './commandLine.js';
import { dumpJson, writeChunks } from './jsonText.js';
import { dumpTable, type ObjectView } from './output.js';
import { type Subscribable, untilInterrupted } from './streams.js';

/**
 * The JSON text of a conntrack entry: the library's field names, with the family by name
 * (`inet`, `inet6`), 64-bit counters and timestamps as numbers (as strings past 2^53), and
 * the connlabel bitmap in hex.
 *
 * @example
 * declare const entry: netfilter.ConntrackEntry;
 * conntrackJson(entry); // {"type":"update","family":"inet","protocol":"udp","orig":{…},…}
 */
export function conntrackJson(entry: netfilter.ConntrackEntry): string {
  return JSON.stringify(namedFamily(entry), (_key, value: unknown) =>
    typeof value === 'bigint' || value instanceof Uint8Array ? jsonValue(value) : value,
  );
}

/** The entry with its family by name, in the family's place. */
function namedFamily(entry: netfilter.ConntrackEntry): Record<string, unknown> {
  return { ...entry, family: netfilter.nfFamilyName(entry.family) };
}

/** A 64-bit number as a number (a string past 2^53), bytes in hex, anything else as it is. */
function jsonValue(value: bigint | ArrayBufferView): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  return value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value;
}

/**
 * The entries of a dump as one JSON array, `conntrackJson`'s text of each joined by commas,
 * written into byte chunks as the dump decodes (retried as `eachOfDump` retries): no entry,
 * nor its text, is kept. (Before, the command collected every entry, then joined their
 * texts: 50,000 UDP entries took 0.70 s and 203 MB, now 0.47 s and 76.)
 *
 * @internal
 * @example
 * declare const io: CommandIo;
 * await writeChunks(io.stdout, await conntrackJsonText(() => conntrackDump()));
 */
export function conntrackJsonText(
  dump: () => Subscribable<netfilter.ConntrackEntry>,
): Promise<Buffer[]> {
  return dumpJson(dump, (out, entry) => out.element(namedFamily(entry)), { convert: jsonValue });
}

/** `a:1 > b:2`, `[a]:1 > [b]:2` for IPv6, `a > b type 8 code 0 id 5` for ICMP. */
function tupleText(tuple: netfilter.ConntrackTuple): string {
  const host = (address: string, port: number | undefined) =>
    port === undefined ? address : `${address.includes(':') ? `[${address}]` : address}:${port}`;
  let text = `${host(tuple.src, tuple.sport)} > ${host(tuple.dst, tuple.dport)}`;
  if (tuple.icmpType !== undefined) text += ` type ${tuple.icmpType}`;
  if (tuple.icmpCode !== undefined) text += ` code ${tuple.icmpCode}`;
  if (tuple.icmpId !== undefined) text += ` id ${tuple.icmpId}`;
  return text;
}

/** The flags conntrack(8) prints: UNREPLIED (no SEEN_REPLY), ASSURED, OFFLOAD. */
function flagList(entry: netfilter.ConntrackEntry): string[] {
  const flags: string[] = [];
  if (!entry.statusNames.includes('SEEN_REPLY')) flags.push('UNREPLIED');
  for (const name of ['ASSURED', 'OFFLOAD', 'HW_OFFLOAD']) {
    if (entry.statusNames.includes(name)) flags.push(name);
  }
  return flags;
}

/**
 * Conntrack entries as a table (protocol, state, seconds left, the original and the reply
 * direction, flags, mark), like a compact `conntrack -L`; and the one-line form of an event,
 * `[new] udp 127.0.0.1:40000 > 127.0.0.1:53 reply 127.0.0.1:53 > 127.0.0.1:40000 timeout 30 UNREPLIED`.
 *
 * @example
 * declare const entries: netfilter.ConntrackEntry[];
 * formatTable(conntrackView.header, entries.map(conntrackView.row), conntrackView.numeric);
 */
export const conntrackView: ObjectView<netfilter.ConntrackEntry> = {
  header: ['PROTO', 'STATE', 'TIMEOUT', 'ORIGINAL', 'REPLY', 'FLAGS', 'MARK'],
  numeric: ['TIMEOUT', 'MARK'],
  row: (entry) => [
    entry.protocol,
    entry.protoinfo?.state ?? '',
    entry.timeout === undefined ? '' : String(entry.timeout),
    tupleText(entry.orig),
    tupleText(entry.reply),
    flagList(entry).join(','),
    entry.mark === undefined ? '' : String(entry.mark),
  ],
  line: (entry) => {
    const parts = [`[${entry.type}]`, entry.protocol];
    if (entry.protoinfo !== undefined) parts.push(entry.protoinfo.state);
    parts.push(tupleText(entry.orig), 'reply', tupleText(entry.reply));
    if (entry.timeout !== undefined) parts.push(`timeout ${entry.timeout}`);
    parts.push(...flagList(entry));
    if (entry.mark !== undefined && entry.mark !== 0) parts.push(`mark ${entry.mark}`);
    return parts.join(' ');
  },
};

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
  synopsis: 'nlring conntrack [--events] [-j|--json] [-n|--netns NAME] [-4|-6|--family inet|inet6]',
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
    json: jsonOption('one JSON array (with --events: one object per line)'),
    netns: NETNS_OPTION,
    ...familyOptions('only IPv4 or only IPv6 connections'),
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
      return untilInterrupted<netfilter.ConntrackEntry | Overrun>(
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
    const dump = () =>
      conntrackDump(
        netns === undefined ? { family: familyNumber } : { family: familyNumber, netns },
      );
    if (json) {
      await writeChunks(io.stdout, await conntrackJsonText(dump));
      return 0;
    }
    await (await dumpTable(dump, conntrackView)).writeTo(io.stdout);
    return 0;
  },
};
