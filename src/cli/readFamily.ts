import type { CommandLine } from './CommandLine.js';
import type { Family } from './Family.js';
import { UsageError } from './UsageError.js';

const NAMES: Readonly<Record<string, Family>> = {
  inet: 'inet',
  inet6: 'inet6',
  ipv4: 'inet',
  ipv6: 'inet6',
  '4': 'inet',
  '6': 'inet6',
  all: 'all',
};

/**
 * The `--family` of a command line: `inet` (also `4`, `ipv4`), `inet6` (also `6`, `ipv6`),
 * or `all` when absent. Anything else is a usage error.
 *
 * @example
 * readFamily(line); // 'inet6' for `nlring routes --family 6`
 */
export function readFamily(line: CommandLine): Family {
  const name = line.string('family');
  if (name === undefined) return 'all';
  const family = Object.hasOwn(NAMES, name) ? NAMES[name] : undefined;
  if (family === undefined) {
    throw new UsageError(`--family: expected inet or inet6, got '${name}'`, line.command);
  }
  return family;
}
