import type { rtnetlink } from '../index.js';
import type { ObjectView } from './ObjectView.js';

/** `v0@v1` for a link with a peer or parent, `v0@if7` when that one is in another namespace. */
function linkName(link: rtnetlink.Link): string {
  const name = link.ifname ?? `if${link.ifindex}`;
  if (typeof link.link === 'string') return `${name}@${link.link}`;
  if (link.link_index !== undefined) return `${name}@if${link.link_index}`;
  return name;
}

/**
 * Links as a table (index, name, kind, state, MTU, hardware address, master, flags), like a
 * compact `ip link`; the kind is the IFLA_INFO_KIND (`veth`, `bridge`) or else the link
 * type (`loopback`, `ether`).
 *
 * @example
 * formatTable(linkView.header, links.map(linkView.row), linkView.numeric);
 */
export const linkView: ObjectView<rtnetlink.Link> = {
  header: ['INDEX', 'NAME', 'KIND', 'STATE', 'MTU', 'ADDRESS', 'MASTER', 'FLAGS'],
  numeric: ['INDEX', 'MTU'],
  row: (link) => [
    String(link.ifindex),
    linkName(link),
    link.linkinfo?.info_kind ?? link.link_type,
    link.operstate ?? '',
    link.mtu === undefined ? '' : String(link.mtu),
    link.address ?? '',
    link.master ?? '',
    link.flags.join(','),
  ],
  line: (link) => {
    const parts = [`${link.ifindex}: ${linkName(link)} <${link.flags.join(',')}>`];
    if (link.mtu !== undefined) parts.push(`mtu ${link.mtu}`);
    if (link.master !== undefined) parts.push(`master ${link.master}`);
    if (link.operstate !== undefined) parts.push(`state ${link.operstate}`);
    parts.push(link.linkinfo?.info_kind ?? link.link_type);
    if (link.address !== undefined) parts.push(link.address);
    return parts.join(' ');
  },
};
