import { addrsCommand } from './addrsCommand.js';
import { benchCommand } from './benchCommand.js';
import type { Command } from './Command.js';
import { conntrackCommand } from './conntrackCommand.js';
import { infoCommand } from './infoCommand.js';
import { linksCommand } from './linksCommand.js';
import { monitorCommand } from './monitorCommand.js';
import { neighCommand } from './neighCommand.js';
import { nflogCommand } from './nflogCommand.js';
import { routesCommand } from './routesCommand.js';

/**
 * Every `nlring` command, in the order the overview lists them.
 *
 * @example
 * commands.find((c) => c.name === 'routes')?.synopsis;
 */
export const commands: readonly Command[] = [
  routesCommand,
  linksCommand,
  addrsCommand,
  neighCommand,
  monitorCommand,
  nflogCommand,
  conntrackCommand,
  infoCommand,
  benchCommand,
];
