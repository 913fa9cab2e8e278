// The six dump commands alone — routes, links, addrs, neigh, rules, nexthops — as a build of
// `nlring` of their own (dist/cli/nlring-dumps.cjs, scripts/bundle.mjs): a fresh process
// that runs one of them loads their part of the library, not every command's.
import type { CommandIo } from './commandLine.js';
import { describeError } from './describeError.js';
import { dumpCommands } from './dumps.js';
import { runCommand } from './run.js';

/** The dump commands, in the overview's order. */
export const commands = dumpCommands;

/**
 * `main` (main.ts) for these commands alone: what bin/nlring.js runs when the command line
 * names one of them (or one of their aliases).
 *
 * @example
 * process.exitCode = await main(['links', '--json']);
 */
export function main(argv: readonly string[], given?: CommandIo): Promise<number> {
  return runCommand(async () => ({ commands, describeError }), argv, given);
}
