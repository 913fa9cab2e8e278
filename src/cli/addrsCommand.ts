import { addressView } from './addressView.js';
import { dumpCommand } from './dumpCommand.js';

/**
 * `nlring addrs`: the IPv4 and IPv6 addresses of a namespace, like `ip addr show`.
 *
 * @example
 * // $ nlring addrs --family inet --json
 * await addrsCommand.run(parseCommandLine(addrsCommand, ['--family', 'inet']), process);
 */
export const addrsCommand = dumpCommand({
  name: 'addrs',
  view: addressView,
  family: true,
  table: false,
  summary: 'list interface addresses (ip addr show)',
  description:
    'Dumps the addresses of a namespace through the netlink ring and prints one row per ' +
    'address: interface, family, address/prefix, scope and flags. With --json it prints one ' +
    "JSON array with one object per address: the fields of an 'ip -j addr show' addr_info " +
    'entry, with the ifindex and ifname of its interface in front.',
  examples: [
    { command: 'nlring addrs', says: 'every address of this namespace' },
    { command: 'nlring addrs --family inet6', says: 'only the IPv6 addresses' },
    {
      command: 'nlring addrs --json | jq -r \'.[] | "\\(.ifname) \\(.local)/\\(.prefixlen)"\'',
      says: 'interface and address, one per line',
    },
  ],
});
