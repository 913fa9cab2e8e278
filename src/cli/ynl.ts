// `nlring ynl`: any netlink family the kernel's YNL specs describe, scripted from the command
// line, as the kernel's tools/net/ynl CLI does.
import { ynlCommand } from '../index.js';
import { type Command, jsonOption } from './commandLine.js';

const passed = ['family', 'dump', 'do', 'json-args', 'spec', 'netns'] as const;

/**
 * `nlring ynl`: `--list` prints the families the package carries with their operations;
 * `--family NAME --dump OP` or `--do OP` runs an operation, `--json-args` giving its
 * attributes, with the package's generated spec or `--spec FILE`.
 *
 * @example
 * // $ nlring ynl --family netdev --dump dev-get --json
 * await ynlCommandLine.run(parseCommandLine(ynlCommandLine, ['--list']), process);
 */
export const ynlCommandLine: Command = {
  name: 'ynl',
  summary: 'any family of the kernel YNL specs: do, dump, list',
  synopsis:
    'nlring ynl --family NAME (--dump OP | --do OP) [--json-args JSON] [--spec FILE] [-n NETNS] [-j] | --list [-j]',
  description:
    'Runs one operation of a netlink family described by the kernel YNL specs (generic netlink ' +
    'families resolved by name), with --json-args as the request attributes, and prints the ' +
    'replies. --list names the families nlring carries and their operations (* marks a dump).',
  options: {
    list: { type: 'boolean', help: 'list the families and their operations' },
    family: { type: 'string', value: 'NAME', help: 'the family (its spec name)' },
    dump: { type: 'string', value: 'OP', help: 'run operation OP as a dump' },
    do: { type: 'string', value: 'OP', help: 'run operation OP once' },
    'json-args': { type: 'string', value: 'JSON', help: 'request attributes as a JSON object' },
    spec: { type: 'string', value: 'FILE', help: 'a spec file instead of the generated one' },
    netns: { type: 'string', short: 'n', value: 'NAME', help: 'in network namespace NAME' },
    json: jsonOption('JSON'),
  },
  examples: [
    { command: 'nlring ynl --list', says: 'lists the families and their operations' },
    {
      command: 'nlring ynl --family netdev --dump dev-get --json',
      says: 'every netdev device, as JSON',
    },
  ],
  run: async (line, io) => {
    const argv: string[] = [];
    if (line.flag('list')) argv.push('--list');
    for (const name of passed) {
      const v = line.string(name);
      if (v !== undefined) argv.push(`--${name}`, v);
    }
    if (line.flag('json')) argv.push('--json');
    return ynlCommand(argv, { write: (text) => io.stdout.write(text) });
  },
};
