import { dumpCommand } from './dumpCommand.js';
import { routeView } from './routeView.js';

/**
 * `nlring routes`: the routes of every table, like `ip route show table all` for IPv4 and
 * IPv6 together.
 *
 * @example
 * // $ nlring routes --table main --family inet
 * await routesCommand.run(parseCommandLine(routesCommand, ['--table', 'main']), process);
 */
export const routesCommand = dumpCommand({
  name: 'routes',
  view: routeView,
  family: true,
  table: true,
  summary: 'list routes of every table (ip route show table all)',
  description:
    'Dumps the routes of a namespace through the netlink ring — every table, IPv4 and IPv6, ' +
    'unless --table or --family narrow it — and prints one row per route. With --json it ' +
    "prints one JSON array whose objects have the field names of 'ip -j -d route show', with " +
    'type, table, protocol and scope always present.',
  examples: [
    { command: 'nlring routes', says: 'every route of every table' },
    { command: 'nlring routes --table main --family inet', says: 'the IPv4 main table' },
    {
      command: 'nlring routes --json | jq \'.[] | select(.dst == "default")\'',
      says: 'the default routes',
    },
  ],
});
