import { rtnetlink } from '../index.js';
import type { Command, CommandOption } from './Command.js';
import type { CommandLine } from './CommandLine.js';
import { collectDump } from './collectDump.js';
import { type DumpObjects, dumpRtnetlink } from './dumpRtnetlink.js';
import { formatTable } from './formatTable.js';
import { jsonObject } from './jsonObject.js';
import type { ObjectView } from './ObjectView.js';
import { readFamily } from './readFamily.js';
import { readNetns } from './readNetns.js';
import { UsageError } from './UsageError.js';
import { writeText } from './writeText.js';

/**
 * What makes one dump command: its kind, how it shows, and its help.
 *
 * @example
 * const spec: DumpCommandSpec<'links'> = { name: 'links', view: linkView, family: false, table: false, summary, description, examples };
 */
export interface DumpCommandSpec<K extends keyof DumpObjects> {
  readonly name: K;
  readonly view: ObjectView<DumpObjects[K]>;
  readonly summary: string;
  readonly description: string;
  readonly examples: Command['examples'];
  /** Whether `--family` narrows it (not for links). */
  readonly family: boolean;
  /** Whether it takes `--table` (routes). */
  readonly table: boolean;
}

const JSON_OPTION: CommandOption = {
  type: 'boolean',
  help: "one JSON array of objects with iproute2's `ip -j` field names",
};
const NETNS_OPTION: CommandOption = {
  type: 'string',
  value: 'NAME',
  help: "the named network namespace (as 'ip netns list' shows it); default: this one",
};
const FAMILY_OPTION: CommandOption = {
  type: 'string',
  value: 'inet|inet6',
  help: 'only IPv4 or only IPv6; default: both',
};
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
 * Makes a dump command (`links`, `addrs`, `routes`, `neigh`): it dumps one kind of rtnetlink
 * object through the ring — in the host's namespace or `--netns NAME` — retrying a dump the
 * kernel marks interrupted up to 3 times, and prints an aligned table, or with `--json` one
 * JSON array whose objects carry `ip -j`'s field names.
 *
 * @example
 * export const linksCommand = dumpCommand({ name: 'links', view: linkView, family: false, table: false, … });
 */
export function dumpCommand<K extends keyof DumpObjects>(spec: DumpCommandSpec<K>): Command {
  const options: Record<string, CommandOption> = { json: JSON_OPTION, netns: NETNS_OPTION };
  let synopsis = `nlring ${spec.name} [--json] [--netns NAME]`;
  if (spec.family) {
    options.family = FAMILY_OPTION;
    synopsis += ' [--family inet|inet6]';
  }
  if (spec.table) {
    options.table = TABLE_OPTION;
    synopsis += ' [--table TABLE]';
  }
  return {
    name: spec.name,
    summary: spec.summary,
    synopsis,
    description: spec.description,
    options,
    examples: spec.examples,
    async run(line, io) {
      const netns = readNetns(line);
      const family = spec.family ? readFamily(line) : 'all';
      const table = spec.table ? readTable(line) : undefined;
      const objects = await collectDump(() =>
        dumpRtnetlink(spec.name, {
          ...(netns === undefined ? {} : { netns }),
          family,
          ...(table === undefined ? {} : { table }),
        }),
      );
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
