// What the command prints: aligned tables for a person, JSON for a script, and the writes
// that wait for the pipe. The per-object views (ObjectView) describe the columns and the
// one-line form of each kind of object.

/**
 * How the command shows one kind of object to a person: the columns of the table a dump
 * prints (`header`, with the `numeric` ones right-aligned, and `row`), and the one-line form
 * a monitor prints for a change (`line`).
 *
 * @example
 * const view: ObjectView<{ name: string; mtu: number }> = {
 *   header: ['NAME', 'MTU'], numeric: ['MTU'],
 *   row: (o) => [o.name, String(o.mtu)], line: (o) => `${o.name} mtu ${o.mtu}`,
 * };
 */
export interface ObjectView<T> {
  readonly header: readonly string[];
  readonly numeric: readonly string[];
  row(object: T): string[];
  line(object: T): string;
}

/**
 * Lays rows out as aligned text columns under a header, two spaces apart, for a person to
 * read at a glance. Every cell is padded to its column's widest cell (numbers are
 * right-aligned when `numeric` names the column), the last column is not padded, and
 * trailing spaces are trimmed. An empty cell prints as `-`, so columns never collapse.
 * Returns the lines joined with newlines, ending with one; no rows give the header alone.
 *
 * @example
 * formatTable(['NAME', 'MTU'], [['lo', '65536'], ['eth0', '1500']], ['MTU']);
 * // NAME    MTU
 * // lo    65536
 * // eth0   1500
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly string[] = [],
): string {
  const cells = [header, ...rows].map((row) =>
    header.map((_, column) => {
      const cell = row[column] ?? '';
      return cell === '' ? '-' : cell;
    }),
  );
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => [...row[column]].length)),
  );
  const right = header.map((title) => numeric.includes(title));
  const lines = cells.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column] - [...cell].length);
        if (right[column]) return pad + cell;
        return column === row.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * The JSON form of a decoded object: its `ip -j` fields, without `attrs` (the raw
 * attributes the decoder did not map, which have no JSON form in ip). Shallow: nested values
 * are the decoder's plain data already.
 *
 * @example
 * declare const route: rtnetlink.Route;
 * JSON.stringify(jsonObject(route)); // {"type":"unicast","dst":"default",…}
 */
export function jsonObject(object: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(object)) {
    if (key !== 'attrs') out[key] = value;
  }
  return out;
}

/**
 * Writes text to a stream and resolves once it is handed to the system (or rejects with the
 * stream's error), so a command that prints a large table waits for the pipe instead of
 * queueing everything in memory.
 *
 * @example
 * declare const io: CommandIo;
 * const header = ['IFINDEX', 'IFNAME'];
 * const rows = [['1', 'lo']];
 * await writeText(io.stdout, formatTable(header, rows));
 */
export function writeText(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}
