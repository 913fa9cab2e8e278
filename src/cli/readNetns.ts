import type { CommandLine } from './CommandLine.js';
import { UsageError } from './UsageError.js';

/**
 * The `--netns NAME` of a command line: a name as `ip netns add` makes them (a plain file
 * name under /var/run/netns), or undefined for the process's own namespace. An empty name
 * or one with a slash is a usage error.
 *
 * @example
 * readNetns(line); // 'blue' for `nlring links --netns blue`
 */
export function readNetns(line: CommandLine): string | undefined {
  const name = line.string('netns');
  if (name === undefined) return undefined;
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new UsageError(
      `--netns: expected a namespace name as 'ip netns list' shows it, got '${name}'`,
      line.command,
    );
  }
  return name;
}
