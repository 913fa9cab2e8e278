// The `nlring` command, every command of it: what bin/nlring.js runs (dist/cli/nlring.cjs)
// unless the command line names a command that has a build of its own (dumpCommands.ts).
import type { CommandIo } from './commandLine.js';
import { runCommand } from './run.js';

export { helpText } from './run.js';

/**
 * The `nlring` command: parses `argv` (the arguments after the program name), runs the
 * command it names and resolves to the exit status — 0 on success, 1 on a failure, 2 on a
 * usage error — having printed any error as one line on stderr (with its stack trace only
 * under `--debug`). Never rejects. `nlring --help`, `nlring help [COMMAND]` and
 * `nlring COMMAND --help` print help on stdout; `nlring --version` the version. On a system
 * other than Linux it says so in one line and resolves to 1, before loading the library.
 *
 * Writing to standard output: a reader that goes away (EPIPE) ends the command quietly
 * with status 0; any other failure to write (a full disk) is said on stderr and ends it
 * with status 1, as does a standard output closed from the start (`>&-`). Without `given`
 * it writes fd 1 itself (`fdOutput`) and stderr through `process.stderr`; a test gives its
 * own streams.
 *
 * @example
 * // bin/nlring.js
 * process.exitCode = await main(process.argv.slice(2));
 */
export function main(argv: readonly string[], given?: CommandIo): Promise<number> {
  return runCommand(() => import('./commands.js'), argv, given);
}
