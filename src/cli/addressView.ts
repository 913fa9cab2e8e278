import type { rtnetlink } from '../index.js';
import type { ObjectView } from './ObjectView.js';

/** The flags ip prints after an address, in ip's order, when set. */
const FLAGS = [
  'secondary',
  'temporary',
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'dynamic',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'stable-privacy',
] as const;

function flagList(address: rtnetlink.InterfaceAddress): string[] {
  return FLAGS.filter((flag) => address[flag] === true);
}

/** `10.0.0.1/24`, or `10.0.0.1 peer 10.0.0.2/32` for a point-to-point address. */
function addressText(address: rtnetlink.InterfaceAddress): string {
  const local = address.local ?? '';
  return address.address === undefined
    ? `${local}/${address.prefixlen}`
    : `${local} peer ${address.address}/${address.prefixlen}`;
}

/**
 * Interface addresses as a table, one row per address (interface, family, address with its
 * prefix, scope, flags such as `dynamic`/`secondary`), like a compact `ip addr`.
 *
 * @example
 * formatTable(addressView.header, addresses.map(addressView.row), addressView.numeric);
 */
export const addressView: ObjectView<rtnetlink.InterfaceAddress> = {
  header: ['INDEX', 'IFNAME', 'FAMILY', 'ADDRESS', 'SCOPE', 'FLAGS'],
  numeric: ['INDEX'],
  row: (address) => [
    String(address.ifindex),
    address.ifname,
    address.family,
    addressText(address),
    address.scope,
    flagList(address).join(','),
  ],
  line: (address) =>
    [
      `${address.ifindex}: ${address.ifname} ${address.family} ${addressText(address)}`,
      `scope ${address.scope}`,
      ...flagList(address),
    ].join(' '),
};
