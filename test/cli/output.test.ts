import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fdOutput, formatTable, TableText } from '../../src/cli/output.js';

/** The definition, written plainly: the table the faster layout must reproduce. */
function reference(header: string[], rows: string[][], numeric: string[]): string {
  const cells = [header, ...rows].map((row) =>
    header.map((_, c) => ((row[c] ?? '') === '' ? '-' : row[c])),
  );
  const widths = header.map((_, c) => Math.max(...cells.map((row) => [...row[c]].length)));
  const lines = cells.map((row) =>
    row
      .map((cell, c) => {
        const pad = ' '.repeat(widths[c] - [...cell].length);
        if (numeric.includes(header[c])) return pad + cell;
        return c === row.length - 1 ? cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}

describe('formatTable', () => {
  it.each([
    {
      name: 'pads every column to its widest cell, two spaces apart',
      header: ['NAME', 'KIND'],
      rows: [
        ['lo', 'loopback'],
        ['eth0', 'ether'],
      ],
      numeric: [],
      text: 'NAME  KIND\nlo    loopback\neth0  ether\n',
    },
    {
      name: 'right-aligns numeric columns, header included',
      header: ['NAME', 'MTU'],
      rows: [
        ['lo', '65536'],
        ['eth0', '1500'],
      ],
      numeric: ['MTU'],
      text: 'NAME    MTU\nlo    65536\neth0   1500\n',
    },
    {
      name: 'prints an empty or missing cell as -',
      header: ['DST', 'GATEWAY', 'DEV'],
      rows: [['default', '', 'eth0'], ['10.0.0.0/8']],
      numeric: [],
      text: 'DST         GATEWAY  DEV\ndefault     -        eth0\n10.0.0.0/8  -        -\n',
    },
    {
      name: 'prints the header alone when there are no rows',
      header: ['A', 'B'],
      rows: [],
      numeric: [],
      text: 'A  B\n',
    },
    {
      name: 'measures cells in characters, not UTF-16 units',
      header: ['X', 'Y'],
      rows: [['😀', 'a']],
      numeric: [],
      text: 'X  Y\n😀  a\n',
    },
    {
      name: 'prints an empty line a row when there are no columns',
      header: [],
      rows: [['x'], []],
      numeric: [],
      text: '\n\n\n',
    },
    {
      name: 'trims a line whose last cell ends with white space, into the padding before it',
      header: ['A', 'B'],
      rows: [
        ['x', '  '],
        ['yyy', 'b '],
      ],
      numeric: [],
      text: 'A    B\nx\nyyy  b\n',
    },
    {
      name: 'writes non-ASCII cells as UTF-8 and pads them by code points',
      header: ['DEV', 'N'],
      rows: [
        ['é0', '1'],
        ['eth0', '22'],
      ],
      numeric: ['N'],
      text: 'DEV    N\né0     1\neth0  22\n',
    },
  ])('$name', ({ header, rows, numeric, text }) => {
    expect(formatTable(header, rows, numeric)).toBe(text);
  });

  it('equals the definition (pad, join, trimEnd) on any cells', () => {
    const cell = fc.oneof(
      fc.constantFrom('', ' ', 'a ', '-', '😀', 'é', '\u00a0'),
      fc.string({ maxLength: 6 }),
      fc.string({ unit: 'grapheme', maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 5 }),
        fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }),
        fc.integer({ min: 0, max: 31 }),
        (header, rows, mask) => {
          const numeric = header.filter((_, i) => (mask >> i) & 1);
          expect(formatTable(header, rows, numeric)).toBe(reference(header, rows, numeric));
        },
      ),
    );
  });

  it('equals the definition where rows repeat the cells above them (copied, not stored)', () => {
    // A small pool, so that most cells equal the one above: multibyte cells shift the
    // columns' byte offsets, white space at the end of a row lays that line out apart.
    const cell = fc.constantFrom('', '-', 'a', 'bb', 'é', '😀x', 'a ', ' ', '10.0.0.1');
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D'), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 15 }),
        (header, rows, mask) => {
          const numeric = header.filter((_, i) => (mask >> i) & 1);
          expect(formatTable(header, rows, numeric)).toBe(reference(header, rows, numeric));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('TableText', () => {
  /** Rows that repeat all but a cell or two, multibyte cells among them, over many chunks. */
  function routeRows(count: number): string[][] {
    const rows: string[][] = [];
    for (let i = 0; i < count; i++) {
      const dev = i % 7_000 === 0 ? 'vé0' : i % 9_001 === 0 ? 'v😀' : 'v0';
      const gateway = i % 5_000 < 3 ? `fe80::${i}` : '192.168.0.2';
      rows.push(['main', `10.${i >> 8}.${i & 255}.1`, gateway, dev, i > 30_000 ? '5' : '']);
    }
    return rows;
  }
  const routeHeader = ['TABLE', 'DST', 'GATEWAY', 'DEV', 'METRIC'];

  it('writeTo and end() equal the definition on any table laid out in buffers of any size', async () => {
    // Small buffers: many chunks, so the layout takes its two buffers in turn, copies
    // repeated cells out of the other one, and lays trimmed and multibyte lines out at
    // their edges.
    const cell = fc.constantFrom(
      '',
      '-',
      'a',
      'bb',
      'é',
      '😀x',
      'a ',
      ' ',
      '10.0.0.1',
      'x'.repeat(300),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.constantFrom('A', 'B', 'C', 'D'), { minLength: 1, maxLength: 4 }),
        fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 40 }),
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 200 }),
        async (header, rows, mask, chunkBytes) => {
          const numeric = header.filter((_, i) => (mask >> i) & 1);
          const expected = reference(header, rows, numeric);
          const table = new TableText(header, numeric, { chunkBytes });
          for (const row of rows) table.add(row);
          const written: Buffer[] = [];
          // A stream that is done with each chunk on return, as fdOutput: the buffers are reused.
          await table.writeTo({
            copiesChunks: true,
            write(chunk, callback) {
              written.push(Buffer.from(chunk));
              callback?.(null);
              return true;
            },
            once: () => undefined,
            off: () => undefined,
          });
          expect(Buffer.concat(written).toString()).toBe(expected);
          for (const row of rows) table.add(row);
          expect(Buffer.concat(table.end()).toString()).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lays out rows added one at a time into chunks of about 1 MiB, the header first', () => {
    const table = new TableText(['DST', 'METRIC'], ['METRIC']);
    const rows: string[][] = [];
    for (let i = 0; i < 60_000; i++) rows.push([`10.${i >> 8}.${i & 255}.0/24`, String(i)]);
    for (const row of rows) table.add(row);
    expect(table.rows).toBe(60_000);
    const chunks = table.end();
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.byteLength).toBeLessThanOrEqual(1 << 20);
    expect(Buffer.concat(chunks).toString()).toBe(reference(['DST', 'METRIC'], rows, ['METRIC']));
  });

  it('copies repeated cells from the line above across a chunk boundary', () => {
    // Rows that repeat all but one cell, long enough to fill several chunks: the first line
    // of each chunk copies its repeated cells out of the chunk before.
    const rows = routeRows(40_000);
    const table = new TableText(routeHeader, ['METRIC']);
    for (const row of rows) table.add(row);
    const chunks = table.end();
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).toString()).toBe(reference(routeHeader, rows, ['METRIC']));
    expect(table.rows).toBe(0);
  });

  it('clear() drops the rows and their widths; the header stays', () => {
    const table = new TableText(['NAME', 'KIND']);
    table.add(['a-very-long-name', 'x']);
    table.clear();
    table.add(['lo', 'loopback']);
    expect(Buffer.concat(table.end()).toString()).toBe('NAME  KIND\nlo    loopback\n');
  });

  it('keeps a cell longer than a chunk whole', () => {
    const table = new TableText(['X']);
    const long = 'x'.repeat((1 << 20) + 5);
    table.add([long]);
    expect(Buffer.concat(table.end()).toString()).toBe(`X\n${long}\n`);
  });

  it('writeTo: writes to an fd through two buffers taken in turn, copies across them read right', async () => {
    // fdOutput is done with each chunk when write returns, so the layout fills the same
    // two buffers again and again: the first line of each copies cells out of the other.
    const rows = routeRows(60_000);
    const table = new TableText(routeHeader, ['METRIC']);
    for (const row of rows) table.add(row);
    const dir = mkdtempSync(join(tmpdir(), 'nlring-table-'));
    const path = join(dir, 'out');
    const fd = openSync(path, 'w');
    try {
      const sizes: number[] = [];
      const out = fdOutput(fd, (error) => {
        throw error;
      });
      const counting = {
        ...out,
        copiesChunks: out.copiesChunks,
        write: (chunk: string | Uint8Array, callback?: (error?: Error | null) => void) => {
          sizes.push(chunk.length);
          return out.write(chunk, callback);
        },
      };
      await table.writeTo(counting);
      expect(sizes.length).toBeGreaterThan(2);
      for (const size of sizes) expect(size).toBeLessThanOrEqual(1 << 20);
      expect(readFileSync(path, 'utf8')).toBe(reference(routeHeader, rows, ['METRIC']));
      expect(table.rows).toBe(0);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('writeTo: a stream that keeps its chunks (a PassThrough read after) gets copies', async () => {
    const rows = routeRows(80_000);
    const table = new TableText(routeHeader, ['METRIC']);
    for (const row of rows) table.add(row);
    // Room for the whole table: each write's callback comes at once, the chunk still unread.
    const stream = new PassThrough({ highWaterMark: 64 << 20 });
    const kept: Buffer[] = [];
    let writes = 0;
    const counted = Object.assign(stream, {
      write: ((write) => (chunk: Uint8Array, callback: (error?: Error | null) => void) => {
        writes++;
        return write(chunk, callback);
      })(stream.write.bind(stream)),
    });
    const written = table.writeTo(counted).then(() => stream.end());
    // Read only once everything is written: the PassThrough holds every chunk meanwhile.
    await written;
    for await (const chunk of stream) kept.push(chunk as Buffer);
    expect(writes).toBeGreaterThan(2);
    expect(Buffer.concat(kept).toString()).toBe(reference(routeHeader, rows, ['METRIC']));
  });

  it("writeTo: rejects with the stream's error and writes nothing after it", async () => {
    const table = new TableText(routeHeader, ['METRIC']);
    for (const row of routeRows(40_000)) table.add(row);
    const broken = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    let writes = 0;
    const stream = new Writable({
      write(_chunk, _encoding, callback) {
        writes++;
        callback(writes === 2 ? broken : null);
      },
    });
    stream.on('error', () => {});
    await expect(table.writeTo(stream)).rejects.toBe(broken);
    expect(writes).toBe(2);
  });
});

describe('fdOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nlring-fd-output-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes strings and bytes to the fd in order, before write returns', async () => {
    const path = join(dir, 'out');
    const fd = openSync(path, 'w');
    try {
      const errors: Error[] = [];
      const out = fdOutput(fd, (error) => errors.push(error));
      expect(out.write('héllo ')).toBe(true);
      expect(readFileSync(path, 'utf8')).toBe('héllo ');
      const done = new Promise<Error | null | undefined>((resolve) =>
        out.write(new Uint8Array([0x77, 0x6f, 0x72, 0x6c, 0x64]), resolve),
      );
      expect(await done).toBeNull();
      expect(readFileSync(path, 'utf8')).toBe('héllo world');
      expect(errors).toEqual([]);
    } finally {
      closeSync(fd);
    }
  });

  it('a failed write goes to onError and to its callback', async () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const errors: NodeJS.ErrnoException[] = [];
      const out = fdOutput(fd, (error) => errors.push(error));
      const heard = await new Promise<Error | null | undefined>((resolve) =>
        out.write('x', resolve),
      );
      expect(errors.map((e) => e.code)).toEqual(['ENOSPC']);
      expect(heard).toBe(errors[0]);
      out.write('y');
      expect(errors.map((e) => e.code)).toEqual(['ENOSPC', 'ENOSPC']);
    } finally {
      closeSync(fd);
    }
  });

  it('a non-blocking fd that fills (EAGAIN) hands the rest, and what follows, to the fallback', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    try {
      const taken: Buffer[] = [];
      const fallback = new PassThrough();
      fallback.on('data', (chunk: Buffer) => taken.push(chunk));
      const errors: Error[] = [];
      const out = fdOutput(
        writer,
        (error) => errors.push(error),
        () => fallback,
      );
      // Far more than a pipe holds (64 KiB by default), in one chunk.
      const chunk = Buffer.alloc(1 << 20);
      for (let i = 0; i < chunk.length; i++) chunk[i] = i % 251;
      out.write(chunk);
      // What the fallback holds is its own: the caller may fill its buffer again at once.
      const original = Buffer.from(chunk);
      chunk.fill(0);
      out.write('after');
      const piped = Buffer.alloc(chunk.length);
      let got = 0;
      for (;;) {
        try {
          const n = readSync(reader, piped, got, piped.length - got, null);
          if (n === 0) break;
          got += n;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EAGAIN') break;
          throw error;
        }
      }
      expect(got).toBeGreaterThan(0);
      expect(got).toBeLessThan(chunk.length);
      const all = Buffer.concat([piped.subarray(0, got), ...taken]);
      expect(all.length).toBe(chunk.length + 'after'.length);
      expect(all.subarray(0, chunk.length).equals(original)).toBe(true);
      expect(all.subarray(chunk.length).toString()).toBe('after');
      fallback.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      expect(errors.map((e) => (e as NodeJS.ErrnoException).code)).toEqual(['EPIPE']);
    } finally {
      closeSync(writer);
      closeSync(reader);
    }
  });
});
