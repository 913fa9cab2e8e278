import { dumpCommand } from './dumpCommand.js';
import { neighbourView } from './neighbourView.js';

/**
 * `nlring neigh`: the neighbour (ARP and NDP) tables, like `ip neigh show nud all`.
 *
 * @example
 * // $ nlring neigh --family inet --json
 * await neighCommand.run(parseCommandLine(neighCommand, ['--json']), process);
 */
export const neighCommand = dumpCommand({
  name: 'neigh',
  view: neighbourView,
  family: true,
  table: false,
  summary: 'list neighbour entries (ip neigh show nud all)',
  description:
    'Dumps the neighbour tables (ARP for IPv4, NDP for IPv6) of a namespace through the ' +
    'netlink ring, entries in every state, and prints one row per entry: address, device, ' +
    'link-layer address, state and flags. With --json it prints one JSON array whose ' +
    "objects have the field names of 'ip -j -s neigh show'.",
  examples: [
    { command: 'nlring neigh', says: 'every neighbour entry' },
    { command: 'nlring neigh --family inet6 --json', says: 'the IPv6 neighbours, as JSON' },
  ],
});
