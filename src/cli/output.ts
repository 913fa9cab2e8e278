// What the command prints: aligned tables for a person, JSON for a script, and the writes
// that wait for the pipe. The per-object views (ObjectView) describe the columns and the
// one-line form of each kind of object.
import { writeSync } from 'node:fs';
import type { OutputStream } from './commandLine.js';

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
export function writeText(stream: OutputStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * Standard output for the command run as a process: each write is one `write(2)` loop on
 * `fd`, done before `write` returns, as Node's own stdout does on Linux for files, pipes and
 * terminals. It spares a short command the ~3 ms of making `process.stdout` (Node loads its
 * stream modules for it; docs/ARCHITECTURE.md, "Start-up").
 *
 * A failed write goes to `onError` (which ends the command: see `main`) and then to its
 * callback. An fd that is non-blocking (EAGAIN, a pipe set so by another process) hands
 * the rest of the chunk, and every write after it, to `fallback()` (`process.stdout`), which
 * waits for the pipe; `onError` then hears that stream's errors.
 *
 * @example
 * const out = fdOutput(1, (error) => { process.stderr.write(`${error.message}\n`); process.exit(1); });
 * out.write('hello\n');
 */
export function fdOutput(
  fd: number,
  onError: (error: NodeJS.ErrnoException) => void,
  fallback: () => NodeJS.WritableStream = () => process.stdout,
): OutputStream {
  let stream: NodeJS.WritableStream | null = null;
  const handOver = (): NodeJS.WritableStream => {
    stream = fallback();
    stream.on('error', onError);
    return stream;
  };
  return {
    write(chunk, callback) {
      if (stream !== null) return stream.write(chunk, callback);
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      } catch (error) {
        const failure = error as NodeJS.ErrnoException;
        if (failure.code === 'EAGAIN') return handOver().write(bytes.subarray(offset), callback);
        // As a Node stream does: its 'error' (here onError, which ends the command) and
        // then the callback.
        onError(failure);
        if (callback !== undefined) process.nextTick(callback, failure);
        return true;
      }
      if (callback !== undefined) process.nextTick(callback, null);
      return true;
    },
    once(event, listener) {
      return stream?.once(event, listener);
    },
    off(event, listener) {
      return stream?.off(event, listener);
    },
  };
}
