// What the command prints: aligned tables for a person, JSON for a script, and the writes
// that wait for the pipe. The per-object views (ObjectView) describe the columns and the
// one-line form of each kind of object.
import { writeSync } from 'node:fs';
import type { OutputStream } from './commandLine.js';
import { eachOfDump, type Subscribable } from './streams.js';

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
 * Widths count code points. Returns the lines joined with newlines, ending with one; no rows
 * give the header alone. {@link TableText} makes the same text row by row, as UTF-8 chunks.
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
  const table = new TableText(header, numeric);
  for (const row of rows) table.add(row);
  return Buffer.concat(table.end()).toString('utf8');
}

/** Bytes of an output chunk of {@link TableText}: a 100k-route table (10 MB) in few writes. */
const TABLE_CHUNK = 1 << 20;
const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * {@link formatTable}'s table built a row at a time, as a dump decodes: each cell's UTF-8
 * bytes and width go into flat buffers at once, so neither the decoded objects nor their
 * rows are kept until the widths are known — for 100,000 routes, 1.1 M cell strings and
 * 100,000 arrays that the garbage collector would otherwise copy while the dump runs. `end()`
 * then lays the table out into UTF-8 chunks of about 1 MiB. `clear()` drops the rows (a
 * dump run again after an interruption).
 *
 * The rows of a large table mostly repeat the row before in all but a cell or two (a route
 * table's device, gateway, protocol, …). A cell equal to the one above it stores no bytes:
 * `end()` copies it, with its padding and the run of such cells beside it, from the line
 * above as laid out (one `copyWithin` a run), since every column starts at the same offset
 * of every line.
 *
 * @example
 * declare const io: CommandIo;
 * const table = new TableText(['NAME', 'MTU'], ['MTU']);
 * table.add(['lo', '65536']);
 * await writeChunks(io.stdout, table.end());
 */
export class TableText {
  private readonly columns: number;
  private readonly right: boolean[];
  private readonly header: readonly string[];
  private widths: number[] = [];
  /** The cells' UTF-8 bytes, one after another (grown by doubling). */
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /** Per cell, row-major: where its bytes end (they start where the last cell's end). */
  private ends = new Int32Array(1024);
  /** Per cell: its width in code points. */
  private cellWidths = new Int32Array(1024);
  private cells = 0;
  /** Lines stored, the header's included. */
  private lines = 0;
  /** Rows whose last cell ends with white space, by row number: laid out as strings. */
  private trimmed = new Map<number, readonly string[]>();
  /**
   * The cells of the line stored last, when the next line may copy cells from it (not after
   * a trimmed line, which is laid out apart).
   */
  private above: string[] = [];
  private aboveCopyable = false;

  constructor(header: readonly string[], numeric: readonly string[] = []) {
    this.header = header;
    this.columns = header.length;
    this.right = header.map((title) => numeric.includes(title));
    this.clear();
  }

  /** Rows added so far (the header not counted). */
  get rows(): number {
    return this.lines - 1;
  }

  /** Drops every row added; the header stays. */
  clear(): void {
    this.widths = new Array<number>(this.columns).fill(0);
    this.used = 0;
    this.cells = 0;
    this.lines = 0;
    this.trimmed = new Map();
    this.above = new Array<string>(this.columns).fill('');
    this.aboveCopyable = false;
    this.push(this.header);
  }

  /** Appends one row: its first `header.length` cells (missing ones print as `-`). */
  add(row: readonly string[]): void {
    this.push(row);
  }

  /** The table's text, header first, as UTF-8 chunks; the table is empty afterwards. */
  end(): Buffer[] {
    const { columns, right, widths, ends, cellWidths, bytes, trimmed } = this;
    const chunks: Buffer[] = [];
    const last = columns - 1;
    // Bytes a line needs beyond its cells' own: the widest padding, separators, newline.
    let spare = 2 * columns + 1;
    for (const w of widths) spare += w;
    // A small table gets one chunk of its own size, a large one chunks of about 1 MiB.
    let out = Buffer.allocUnsafe(Math.min(TABLE_CHUNK, this.used + this.lines * spare));
    let at = 0;
    let cell = 0;
    let start = 0;
    // The line above as laid out: its buffer, where it starts, and where each of its columns
    // starts in it (in bytes: a cell's UTF-8 may be longer than its width), its length last.
    let above = out;
    let aboveAt = 0;
    let aboveColumns = new Int32Array(columns + 1);
    let lineColumns = new Int32Array(columns + 1);
    for (let line = 0; line < this.lines; line++) {
      const rowEnd = columns > 0 ? ends[cell + last] : start;
      const need = rowEnd - start + spare + aboveColumns[columns];
      if (at + need > out.length) {
        if (at > 0) chunks.push(out.subarray(0, at));
        out = Buffer.allocUnsafe(Math.max(TABLE_CHUNK, need));
        at = 0;
      }
      const strings = trimmed.size === 0 ? undefined : trimmed.get(line);
      if (strings !== undefined) {
        // trimEnd reaches into the cells only when the last one ends with white space:
        // that rare line is built as a string, as the definition says (it is no longer
        // than the line laid out, so it fits). The next line copies nothing from it.
        at += out.write(`${lineText(strings, widths, right)}\n`, at, 'utf8');
        start = rowEnd;
        cell += columns;
        continue;
      }
      const lineAt = at;
      // The first column of the run of cells to copy from the line above, or -1.
      let run = -1;
      for (let c = 0; c <= columns; c++, cell++) {
        const width = c < columns ? cellWidths[cell] : 0;
        if (width < 0) {
          if (run < 0) run = c;
          continue;
        }
        if (run >= 0) {
          const from = aboveAt + aboveColumns[run];
          const to = aboveAt + aboveColumns[c];
          const shift = at - lineAt - aboveColumns[run];
          for (let k = run; k < c; k++) lineColumns[k] = aboveColumns[k] + shift;
          copyLine(above, from, to, out, at);
          at += to - from;
          run = -1;
        }
        lineColumns[c] = at - lineAt;
        if (c === columns) break;
        let pad = widths[c] - width;
        const end = ends[cell];
        if (right[c]) for (; pad > 0; pad--) out[at++] = SPACE;
        // Cells are short: a loop costs less than `copy` for a few bytes.
        for (let i = start; i < end; i++) out[at++] = bytes[i];
        if (c < last) {
          if (!right[c]) for (; pad > 0; pad--) out[at++] = SPACE;
          out[at++] = SPACE;
          out[at++] = SPACE;
        }
        start = end;
      }
      out[at++] = NEWLINE;
      above = out;
      aboveAt = lineAt;
      const swap = aboveColumns;
      aboveColumns = lineColumns;
      lineColumns = swap;
    }
    if (at > 0) chunks.push(out.subarray(0, at));
    this.clear();
    return chunks;
  }

  private push(row: readonly string[]): void {
    const columns = this.columns;
    if (this.cells + columns > this.ends.length) this.grow();
    const lastCell = cellText(row, columns - 1);
    const trim = columns > 0 && lastCell !== lastCell.trimEnd();
    if (trim) this.trimmed.set(this.lines, row.slice(0, columns));
    this.lines++;
    const { ends, cellWidths, widths, above } = this;
    const copyable = this.aboveCopyable;
    let cells = this.cells;
    for (let c = 0; c < columns; c++) {
      const text = cellText(row, c);
      if (copyable && text === above[c]) {
        // The cell above, laid out the same: end() copies it (its width is counted).
        cellWidths[cells] = -1;
      } else {
        const w = this.store(text);
        if (w > widths[c]) widths[c] = w;
        cellWidths[cells] = w;
        above[c] = text;
      }
      ends[cells] = this.used;
      cells++;
    }
    this.cells = cells;
    this.aboveCopyable = !trim;
  }

  /**
   * Appends `text` as UTF-8 to the bytes stored so far and returns its width in code points:
   * ASCII byte by byte (its width is its length), anything else through Buffer's encoder.
   */
  private store(text: string): number {
    const length = text.length;
    let used = this.used;
    if (used + length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, used + length * 3));
      this.bytes.copy(bigger, 0, 0, used);
      this.bytes = bigger;
    }
    const bytes = this.bytes;
    for (let i = 0; i < length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) {
        this.used = used - i + bytes.write(text, used - i, 'utf8');
        return codePoints(text);
      }
      bytes[used++] = c;
    }
    this.used = used;
    return length;
  }

  private grow(): void {
    const ends = new Int32Array(this.ends.length * 2);
    ends.set(this.ends);
    this.ends = ends;
    const widths = new Int32Array(this.cellWidths.length * 2);
    widths.set(this.cellWidths);
    this.cellWidths = widths;
  }
}

/**
 * A dump as a table: each value's row goes into a {@link TableText} as the dump decodes,
 * retried as `eachOfDump` retries (an interrupted attempt's rows are dropped), so no decoded
 * value, nor its row, outlives its turn. Resolves to the table's UTF-8 chunks.
 *
 * @example
 * declare const io: CommandIo;
 * declare const dump: () => Subscribable<rtnetlink.Route>;
 * await writeChunks(io.stdout, await dumpTable(dump, routeView));
 */
export async function dumpTable<T>(
  dump: () => Subscribable<T>,
  view: ObjectView<T>,
): Promise<Buffer[]> {
  const text = new TableText(view.header, view.numeric);
  await eachOfDump<T>(
    dump,
    () => text.clear(),
    (value) => text.add(view.row(value)),
  );
  return text.end();
}

/** A cell as the table prints it: `-` for an empty or missing one. */
function cellText(row: readonly string[], column: number): string {
  const cell = row[column] ?? '';
  return cell === '' ? '-' : cell;
}

/** Copies bytes [from, to) of the line above (in `source`) to `target` at `at`. */
function copyLine(source: Buffer, from: number, to: number, target: Buffer, at: number): void {
  if (source === target) target.copyWithin(at, from, to);
  else target.set(source.subarray(from, to), at);
}

/** Code points of `text` (`[...text].length`) without making the array. */
function codePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** One table line as a string, trimmed at the end: the rare path of {@link TableText}. */
function lineText(
  row: readonly string[],
  widths: readonly number[],
  right: readonly boolean[],
): string {
  const cells: string[] = [];
  for (let c = 0; c < widths.length; c++) {
    const text = cellText(row, c);
    const pad = ' '.repeat(widths[c] - codePoints(text));
    cells.push(right[c] ? pad + text : c === widths.length - 1 ? text : text + pad);
  }
  return cells.join('  ').trimEnd();
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
