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

/**
 * Bytes of a buffer that {@link TableText} lays its text out in: a 100k-route table (10 MB)
 * in few writes.
 */
const TABLE_CHUNK = 1 << 20;
const SPACE = 0x20;
const NEWLINE = 0x0a;
/** A cell's width code: the same as the cell above (no bytes stored). */
const SAME_AS_ABOVE = 0;
/** A cell's width code: width and bytes in `irregular` (non-ASCII, or 255 wide or more). */
const IRREGULAR = 255;

/**
 * {@link formatTable}'s table built a row at a time, as a dump decodes: each cell's UTF-8
 * bytes and width go into flat buffers at once, so neither the decoded objects nor their
 * rows are kept until the widths are known — for 100,000 routes, 1.1 M cell strings and
 * 100,000 arrays that the garbage collector would otherwise copy while the dump runs.
 * {@link TableText.writeTo} then lays the table out, one buffer at a time, and writes it;
 * `end()` gives the same text as chunks. `clear()` drops the rows (a dump run again after an
 * interruption).
 *
 * The rows of a large table mostly repeat the row before in all but a cell or two (a route
 * table's device, gateway, protocol, …). A cell equal to the one above it stores no bytes:
 * the layout copies it, with its padding and the run of such cells beside it, from the line
 * above as laid out (one `copyWithin` a run), since every column starts at the same offset
 * of every line. A cell costs one byte beside its text (its width; 0 for one the same as
 * above), and the text is laid out into two buffers taken in turn (the line above is in
 * one of them), each written when it is full. Before, each cell took 8 bytes (its end and
 * width), and every chunk of the output was held at once: fresh memory, a page fault every
 * 4 KiB. `nlring routes` of 100,000 routes peaked at 90 MB, now 63.
 *
 * @example
 * declare const io: CommandIo;
 * const table = new TableText(['NAME', 'MTU'], ['MTU']);
 * table.add(['lo', '65536']);
 * await table.writeTo(io.stdout);
 */
export class TableText {
  private readonly columns: number;
  private readonly right: boolean[];
  private readonly header: readonly string[];
  private widths: number[] = [];
  /** Per column, the most bytes a cell of it has beyond its width (multibyte UTF-8). */
  private extra: number[] = [];
  /** The cells' UTF-8 bytes, one after another (grown by doubling). */
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  /**
   * Per cell, row-major: its width in code points when it is ASCII and narrower than 255
   * (its bytes are as many), `SAME_AS_ABOVE`, or `IRREGULAR`.
   */
  private cellWidths = new Uint8Array(1024);
  /** Width and bytes of each `IRREGULAR` cell, by cell number. */
  private irregular = new Map<number, { width: number; bytes: number }>();
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
  /** The layout under way ({@link TableText.nextChunk}), or undefined. */
  private layout: Layout | undefined;

  /** Bytes of a layout buffer (at least a line's). */
  private readonly chunkBytes: number;

  /** `options.chunkBytes`: the size of the buffers the text is laid out in (default 1 MiB). */
  constructor(
    header: readonly string[],
    numeric: readonly string[] = [],
    options: { chunkBytes?: number | undefined } = {},
  ) {
    this.chunkBytes = options.chunkBytes ?? TABLE_CHUNK;
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
    this.extra = new Array<number>(this.columns).fill(0);
    this.used = 0;
    this.cells = 0;
    this.lines = 0;
    this.irregular = new Map();
    this.trimmed = new Map();
    this.above = new Array<string>(this.columns).fill('');
    this.aboveCopyable = false;
    this.layout = undefined;
    this.push(this.header);
  }

  /** Appends one row: its first `header.length` cells (missing ones print as `-`). */
  add(row: readonly string[]): void {
    this.push(row);
  }

  /** The table's text, header first, as UTF-8 chunks; the table is empty afterwards. */
  end(): Buffer[] {
    const chunks: Buffer[] = [];
    this.startLayout(false);
    for (let chunk = this.nextChunk(); chunk !== undefined; chunk = this.nextChunk()) {
      chunks.push(chunk);
    }
    this.clear();
    return chunks;
  }

  /**
   * Writes the table's text, header first, to `stream`, a buffer at a time (the next laid
   * out once the stream is done with the last: its callback), and empties the table. Rejects
   * with the stream's error (EPIPE: the reader went away).
   */
  async writeTo(stream: OutputStream): Promise<void> {
    this.startLayout(true);
    for (let chunk = this.nextChunk(); chunk !== undefined; chunk = this.nextChunk()) {
      // The buffer is laid out again two chunks on: a stream that keeps chunks gets a copy.
      await writeText(stream, stream.copiesChunks === true ? chunk : Buffer.from(chunk));
    }
    this.clear();
  }

  /** Starts laying the stored lines out: in two buffers taken in turn, or a new one a chunk. */
  private startLayout(reuse: boolean): void {
    const { columns, widths, extra } = this;
    // The most bytes a line can take: each cell padded to its column's width, the widest
    // multibyte cell of each column, the separators and the newline.
    let lineMost = 2 * columns + 1;
    for (let c = 0; c < columns; c++) lineMost += widths[c] + extra[c];
    // A small table gets a buffer of its own size, a large one buffers of about 1 MiB.
    const size = Math.max(lineMost, Math.min(this.chunkBytes, this.lines * lineMost));
    this.layout = {
      reuse,
      size,
      lineMost,
      buffers: [],
      turn: 0,
      line: 0,
      cell: 0,
      start: 0,
      above: undefined,
      aboveAt: 0,
      aboveColumns: new Int32Array(columns + 1),
      lineColumns: new Int32Array(columns + 1),
    };
  }

  /**
   * The next chunk of the layout, or undefined once every line is in one. With `reuse`, a
   * chunk's buffer is laid out again two chunks later (the chunk between reads the line
   * above from it), so the consumer must be done with a chunk before it asks for the next.
   */
  private nextChunk(): Buffer | undefined {
    const layout = this.layout;
    if (layout === undefined || layout.line >= this.lines) return undefined;
    const { columns, right, widths, cellWidths, irregular, bytes, trimmed } = this;
    const { lineMost } = layout;
    const last = columns - 1;
    let out: Buffer;
    if (layout.reuse) {
      const turn = layout.turn;
      layout.turn = 1 - turn;
      out = layout.buffers[turn] ?? Buffer.allocUnsafe(layout.size);
      layout.buffers[turn] = out;
    } else {
      out = Buffer.allocUnsafe(layout.size);
    }
    let at = 0;
    let { line, cell, start, above, aboveAt, aboveColumns, lineColumns } = layout;
    for (; line < this.lines && at + lineMost <= out.length; line++) {
      const strings = trimmed.size === 0 ? undefined : trimmed.get(line);
      if (strings !== undefined) {
        // trimEnd reaches into the cells only when the last one ends with white space:
        // that rare line is built as a string, as the definition says (it is no longer
        // than the line laid out, so it fits). The next line copies nothing from it.
        at += out.write(`${lineText(strings, widths, right)}\n`, at, 'utf8');
        for (let c = 0; c < columns; c++, cell++) {
          const code = cellWidths[cell];
          if (code !== SAME_AS_ABOVE) {
            start += code === IRREGULAR ? (irregular.get(cell)?.bytes ?? 0) : code;
          }
        }
        continue;
      }
      const lineAt = at;
      // The first column of the run of cells to copy from the line above, or -1.
      let run = -1;
      for (let c = 0; c <= columns; c++, cell++) {
        const code = c < columns ? cellWidths[cell] : IRREGULAR;
        if (code === SAME_AS_ABOVE) {
          if (run < 0) run = c;
          continue;
        }
        if (run >= 0 && above !== undefined) {
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
        let width = code;
        let end = start + code;
        if (code === IRREGULAR) {
          const odd = irregular.get(cell);
          width = odd?.width ?? 0;
          end = start + (odd?.bytes ?? 0);
        }
        let pad = widths[c] - width;
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
    Object.assign(layout, { line, cell, start, above, aboveAt, aboveColumns, lineColumns });
    return out.subarray(0, at);
  }

  private push(row: readonly string[]): void {
    const columns = this.columns;
    if (this.cells + columns > this.cellWidths.length) this.grow();
    const lastCell = cellText(row, columns - 1);
    const trim = columns > 0 && lastCell !== lastCell.trimEnd();
    if (trim) this.trimmed.set(this.lines, row.slice(0, columns));
    this.lines++;
    const { cellWidths, widths, above } = this;
    const copyable = this.aboveCopyable;
    let cells = this.cells;
    for (let c = 0; c < columns; c++) {
      const text = cellText(row, c);
      if (copyable && text === above[c]) {
        // The cell above, laid out the same: the layout copies it (its width is counted).
        cellWidths[cells] = SAME_AS_ABOVE;
      } else {
        const from = this.used;
        const w = this.store(text);
        const stored = this.used - from;
        if (w > widths[c]) widths[c] = w;
        if (stored === w && w !== SAME_AS_ABOVE && w < IRREGULAR) {
          cellWidths[cells] = w;
        } else {
          cellWidths[cells] = IRREGULAR;
          this.irregular.set(cells, { width: w, bytes: stored });
          if (stored - w > this.extra[c]) this.extra[c] = stored - w;
        }
        above[c] = text;
      }
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
    const widths = new Uint8Array(Math.max(this.cellWidths.length * 2, this.cells + this.columns));
    widths.set(this.cellWidths);
    this.cellWidths = widths;
  }
}

/** Where a {@link TableText} layout goes on from, chunk after chunk. */
interface Layout {
  readonly reuse: boolean;
  /** Bytes of a buffer, and the most a line can take (every buffer holds one). */
  readonly size: number;
  readonly lineMost: number;
  /** With `reuse`: the two buffers, and whose turn it is. */
  readonly buffers: Buffer[];
  turn: number;
  /** The next line and cell, and where its bytes start. */
  line: number;
  cell: number;
  start: number;
  /**
   * The line above as laid out: its buffer, where it starts, and where each of its columns
   * starts in it (in bytes: a cell's UTF-8 may be longer than its width), its length last.
   */
  above: Buffer | undefined;
  aboveAt: number;
  aboveColumns: Int32Array;
  lineColumns: Int32Array;
}

/**
 * A dump as a table: each value's row goes into a {@link TableText} as the dump decodes,
 * retried as `eachOfDump` retries (an interrupted attempt's rows are dropped), so no decoded
 * value, nor its row, outlives its turn. Resolves to the table, to write.
 *
 * @example
 * declare const io: CommandIo;
 * declare const dump: () => Subscribable<rtnetlink.Route>;
 * await (await dumpTable(dump, routeView)).writeTo(io.stdout);
 */
export async function dumpTable<T>(
  dump: () => Subscribable<T>,
  view: ObjectView<T>,
): Promise<TableText> {
  const text = new TableText(view.header, view.numeric);
  await eachOfDump<T>(
    dump,
    () => text.clear(),
    (value) => text.add(view.row(value)),
  );
  return text;
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
 * Writes text (a string, or its bytes) to a stream and resolves once it is handed to the
 * system (or rejects with the stream's error), so a command that prints a large table waits
 * for the pipe instead of queueing everything in memory.
 *
 * @example
 * declare const io: CommandIo;
 * const header = ['IFINDEX', 'IFNAME'];
 * const rows = [['1', 'lo']];
 * await writeText(io.stdout, formatTable(header, rows));
 */
export function writeText(stream: OutputStream, text: string | Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error) => (error ? reject(error) : resolve()));
  });
}

/** A chunk that the caller may change or reuse, made the stream's own (strings are). */
function copyOf(chunk: string | Uint8Array): string | Uint8Array {
  return typeof chunk === 'string' ? chunk : Buffer.from(chunk);
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
 * waits for the pipe; `onError` then hears that stream's errors. What it hands over is a
 * copy, so the caller may reuse a buffer once `write` returns (`copiesChunks`).
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
    // What this writes before it returns; what it hands to the stream is a copy.
    copiesChunks: true,
    write(chunk, callback) {
      if (stream !== null) return stream.write(copyOf(chunk), callback);
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      let offset = 0;
      try {
        while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
      } catch (error) {
        const failure = error as NodeJS.ErrnoException;
        if (failure.code === 'EAGAIN') {
          return handOver().write(copyOf(bytes.subarray(offset)), callback);
        }
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
