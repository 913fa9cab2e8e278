import type { rtnetlink } from '../index.js';
import type { ObjectView } from './ObjectView.js';

/** The flags ip prints for a neighbour (present with the value null when set). */
const FLAGS = ['router', 'proxy', 'extern_learn', 'offload', 'managed'] as const;

function flagList(neighbour: rtnetlink.Neighbour): string[] {
  return FLAGS.filter((flag) => neighbour[flag] !== undefined);
}

/**
 * Neighbour entries as a table (address, device, link-layer address, NUD state, flags),
 * like a compact `ip neigh show nud all`.
 *
 * @example
 * formatTable(neighbourView.header, entries.map(neighbourView.row), neighbourView.numeric);
 */
export const neighbourView: ObjectView<rtnetlink.Neighbour> = {
  header: ['DST', 'DEV', 'LLADDR', 'STATE', 'FLAGS'],
  numeric: [],
  row: (neighbour) => [
    neighbour.dst ?? '',
    neighbour.dev ?? '',
    neighbour.lladdr ?? '',
    (neighbour.state ?? []).join(','),
    flagList(neighbour).join(','),
  ],
  line: (neighbour) => {
    const parts = neighbour.dst === undefined ? [] : [neighbour.dst];
    if (neighbour.dev !== undefined) parts.push(`dev ${neighbour.dev}`);
    if (neighbour.lladdr !== undefined) parts.push(`lladdr ${neighbour.lladdr}`);
    parts.push(...flagList(neighbour), ...(neighbour.state ?? []));
    return parts.join(' ');
  },
};
