import { dumpCommand } from './dumpCommand.js';
import { linkView } from './linkView.js';

/**
 * `nlring links`: the network interfaces of a namespace, like `ip link show`.
 *
 * @example
 * // $ nlring links --json | jq -r '.[] | select(.operstate == "UP") | .ifname'
 * await linksCommand.run(parseCommandLine(linksCommand, ['--json']), process);
 */
export const linksCommand = dumpCommand({
  name: 'links',
  view: linkView,
  family: false,
  table: false,
  summary: 'list network interfaces (ip link show)',
  description:
    'Dumps the network interfaces of a namespace through the netlink ring and prints one row ' +
    'per interface: index, name (with its peer or parent after @), kind, operational state, ' +
    'MTU, hardware address, master and flags. With --json it prints one JSON array whose ' +
    "objects have the field names of 'ip -j -d link show'.",
  examples: [
    { command: 'nlring links', says: "this namespace's interfaces as a table" },
    { command: 'nlring links --netns blue --json', says: "namespace blue's, as JSON" },
    {
      command: 'nlring links --json | jq -r \'.[] | select(.operstate == "UP") | .ifname\'',
      says: 'the names of the interfaces that are up',
    },
  ],
});
