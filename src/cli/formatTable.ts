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
