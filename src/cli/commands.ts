// Every `nlring` command, in the order the overview lists them. Its own module because it
// is where the library comes in: `main` imports it only after checking the platform, so
// that on a system without netlink nothing loads the native binding.
import { bench } from './bench.js';
import type { Command } from './commandLine.js';
import { conntrackCommand } from './conntrack.js';
import { dumpCommands } from './dumps.js';
import { infoCommand } from './info.js';
import { monitorCommand } from './monitor.js';
import { nflogCommand } from './nflog.js';
import { ynlCommandLine } from './ynl.js';

export { describeError } from './describeError.js';

/**
 * Every `nlring` command, in the order the overview lists them.
 *
 * @example
 * commands.find((c) => c.name === 'routes')?.synopsis;
 */
export const commands: readonly Command[] = [
  ...dumpCommands,
  monitorCommand,
  nflogCommand,
  conntrackCommand,
  ynlCommandLine,
  infoCommand,
  bench,
];
