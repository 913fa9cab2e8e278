import type { netfilter } from '../index.js';
import type { ObjectView } from './ObjectView.js';

/** `a:1 > b:2`, `[a]:1 > [b]:2` for IPv6, `a > b type 8 code 0 id 5` for ICMP. */
function tupleText(tuple: netfilter.ConntrackTuple): string {
  const host = (address: string, port: number | undefined) =>
    port === undefined ? address : `${address.includes(':') ? `[${address}]` : address}:${port}`;
  let text = `${host(tuple.src, tuple.sport)} > ${host(tuple.dst, tuple.dport)}`;
  if (tuple.icmpType !== undefined) text += ` type ${tuple.icmpType}`;
  if (tuple.icmpCode !== undefined) text += ` code ${tuple.icmpCode}`;
  if (tuple.icmpId !== undefined) text += ` id ${tuple.icmpId}`;
  return text;
}

/** The flags conntrack(8) prints: UNREPLIED (no SEEN_REPLY), ASSURED, OFFLOAD. */
function flagList(entry: netfilter.ConntrackEntry): string[] {
  const flags: string[] = [];
  if (!entry.statusNames.includes('SEEN_REPLY')) flags.push('UNREPLIED');
  for (const name of ['ASSURED', 'OFFLOAD', 'HW_OFFLOAD']) {
    if (entry.statusNames.includes(name)) flags.push(name);
  }
  return flags;
}

/**
 * Conntrack entries as a table (protocol, state, seconds left, the original and the reply
 * direction, flags, mark), like a compact `conntrack -L`; and the one-line form of an event,
 * `[new] udp 127.0.0.1:40000 > 127.0.0.1:53 reply 127.0.0.1:53 > 127.0.0.1:40000 timeout 30 UNREPLIED`.
 *
 * @example
 * formatTable(conntrackView.header, entries.map(conntrackView.row), conntrackView.numeric);
 */
export const conntrackView: ObjectView<netfilter.ConntrackEntry> = {
  header: ['PROTO', 'STATE', 'TIMEOUT', 'ORIGINAL', 'REPLY', 'FLAGS', 'MARK'],
  numeric: ['TIMEOUT', 'MARK'],
  row: (entry) => [
    entry.protocol,
    entry.protoinfo?.state ?? '',
    entry.timeout === undefined ? '' : String(entry.timeout),
    tupleText(entry.orig),
    tupleText(entry.reply),
    flagList(entry).join(','),
    entry.mark === undefined ? '' : String(entry.mark),
  ],
  line: (entry) => {
    const parts = [`[${entry.type}]`, entry.protocol];
    if (entry.protoinfo !== undefined) parts.push(entry.protoinfo.state);
    parts.push(tupleText(entry.orig), 'reply', tupleText(entry.reply));
    if (entry.timeout !== undefined) parts.push(`timeout ${entry.timeout}`);
    parts.push(...flagList(entry));
    if (entry.mark !== undefined && entry.mark !== 0) parts.push(`mark ${entry.mark}`);
    return parts.join(' ');
  },
};
