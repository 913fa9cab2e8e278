// JSON text written straight into byte buffers: what `nlring routes --json` prints for a large
// table without building a copy of each route or one string of the whole array. The bytes are
// exactly JSON.stringify's (plain data: objects in key order, arrays, strings, numbers,
// booleans, null; anything else is handed to JSON.stringify itself), UTF-8 encoded.
import type { OutputStream } from './commandLine.js';
import { eachOfDump, type Subscribable } from './streams.js';

/** How many bytes a chunk holds: large writes, few of them (16 for 100,000 routes). */
const CHUNK_BYTES = 1 << 20;

const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;
const BACKSLASH = 0x5c;

/** "0" … "9" as bytes. */
const DIGIT_0 = 0x30;
const DOT = 0x2e;
const SLASH = 0x2f;

/** Writes `value` (0…255) in decimal at `at` of `buffer`; returns where the digits end. */
function decimalByte(buffer: Buffer, at: number, value: number): number {
  let v = value;
  if (v >= 100) {
    const hundreds = (v / 100) | 0;
    buffer[at++] = DIGIT_0 + hundreds;
    v -= hundreds * 100;
    const tens = (v / 10) | 0;
    buffer[at++] = DIGIT_0 + tens;
    buffer[at++] = DIGIT_0 + v - tens * 10;
  } else if (v >= 10) {
    const tens = (v / 10) | 0;
    buffer[at++] = DIGIT_0 + tens;
    buffer[at++] = DIGIT_0 + v - tens * 10;
  } else {
    buffer[at++] = DIGIT_0 + v;
  }
  return at;
}

/**
 * A JSON array built element by element into chunks of bytes: `begin()`, then one
 * {@link JsonArray.element} or {@link JsonArray.object} per element, then `end()` to get the
 * chunks of `[…]\n` (the array as JSON.stringify prints it, and a newline). The chunks are
 * Buffers outside the JavaScript heap, so a large array costs the garbage collector nothing.
 * `begin()` again discards everything and starts over (a dump that is run again).
 *
 * `skip` names a key that `object` leaves out of its top level (`attrs`, the raw attributes
 * that have no JSON form in ip). `options.convert`, when given, replaces every bigint and
 * typed array before it is written, as a JSON.stringify replacer that changes only those
 * would (a conntrack entry's 64-bit counters as numbers, its label bitmap as hex).
 *
 * @example
 * const out = new JsonArray();
 * out.begin();
 * out.object({ dst: '10.0.0.0/8', attrs: [1, 2] }, 'attrs');
 * const chunks = out.end(); // [Buffer '[{"dst":"10.0.0.0/8"}]\n']
 */
export class JsonArray {
  private chunks: Buffer[] = [];
  private buffer: Buffer = Buffer.alloc(0);
  private at = 0;
  private count = 0;
  private marked: Buffer | undefined;
  private readonly convert: ((value: bigint | ArrayBufferView) => unknown) | undefined;
  /** `convert` as a JSON.stringify replacer, for what JSON.stringify writes (toJSON, classes). */
  private readonly replacer: ((key: string, value: unknown) => unknown) | undefined;

  constructor(options: JsonArrayOptions = {}) {
    const convert = options.convert;
    this.convert = convert;
    this.replacer =
      convert === undefined
        ? undefined
        : (_key, value) => (convertible(value) ? convert(value) : value);
  }

  /** Starts a new array, dropping whatever was written before. */
  begin(): void {
    this.chunks = [];
    this.buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    this.at = 0;
    this.count = 0;
    this.buffer[this.at++] = 0x5b; // [
  }

  /** The elements written so far. */
  get length(): number {
    return this.count;
  }

  /** Appends any JSON value (as JSON.stringify would write it; undefined as null). */
  element(value: unknown): void {
    this.separator();
    this.value(value);
  }

  /**
   * Appends a plain object: its own keys in order but `skip`, each value as JSON.stringify
   * writes it (keys whose value is undefined, a function or a symbol left out). `last`, when
   * given, is written after the other keys as `last.key: last.value`, and then the object's
   * own `last.follow` field, if it has one; both keys are left out of their usual place. How
   * a route gets its `nh_info` where ip prints it, before the paths.
   */
  object(
    object: object,
    skip: string | undefined,
    last?: { key: string; value: unknown; follow?: string | undefined } | undefined,
  ): void {
    this.separator();
    this.objectBody(object, skip, last);
  }

  /**
   * Starts an element that the caller writes piece by piece with {@link JsonArray.ascii},
   * {@link JsonArray.string}, {@link JsonArray.number}, {@link JsonArray.field} and
   * {@link JsonArray.value} (a writer that knows its objects' fields).
   */
  startElement(): void {
    this.separator();
  }

  /** JSON text that needs no escaping, byte for byte: punctuation, `,"key":`. ASCII only. */
  ascii(text: string): void {
    const length = text.length;
    this.reserve(length);
    const buffer = this.buffer;
    let at = this.at;
    for (let i = 0; i < length; i++) buffer[at++] = text.charCodeAt(i);
    this.at = at;
  }

  /**
   * The IPv4 address of the four bytes at `offset` as a JSON string, `"a.b.c.d"`, with
   * `/prefixLength` after it unless that is 32: the text of `ipv4Text` (and of a route's
   * `dst`), written as bytes with no string made.
   */
  ipv4(bytes: Uint8Array, offset: number, prefixLength: number): void {
    this.reserve(20); // `"255.255.255.255/31"`
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = QUOTE;
    at = decimalByte(buffer, at, bytes[offset]);
    buffer[at++] = DOT;
    at = decimalByte(buffer, at, bytes[offset + 1]);
    buffer[at++] = DOT;
    at = decimalByte(buffer, at, bytes[offset + 2]);
    buffer[at++] = DOT;
    at = decimalByte(buffer, at, bytes[offset + 3]);
    if (prefixLength !== 32) {
      buffer[at++] = SLASH;
      at = decimalByte(buffer, at, prefixLength);
    }
    buffer[at++] = QUOTE;
    this.at = at;
  }

  /** Bytes of JSON text written before (what {@link JsonArray.copySince} returned). */
  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** Where the next byte goes: a mark for {@link JsonArray.copySince}. */
  mark(): number {
    this.marked = this.buffer;
    return this.at;
  }

  /**
   * A copy of the bytes written since `mark`, or undefined when they are not in one chunk
   * (a new chunk began meanwhile): a piece of text to write again with
   * {@link JsonArray.bytes}.
   */
  copySince(mark: number): Uint8Array | undefined {
    if (this.marked !== this.buffer) return undefined;
    return new Uint8Array(this.buffer.subarray(mark, this.at));
  }

  /** Closes the array: the chunks of its text, `]` and a newline at the end. */
  end(): Buffer[] {
    this.reserve(2);
    this.buffer[this.at++] = 0x5d; // ]
    this.buffer[this.at++] = 0x0a; // \n
    this.chunks.push(this.buffer.subarray(0, this.at));
    const chunks = this.chunks;
    this.chunks = [];
    this.buffer = Buffer.alloc(0);
    this.at = 0;
    return chunks;
  }

  private separator(): void {
    if (this.count++ > 0) {
      this.reserve(1);
      this.buffer[this.at++] = COMMA;
    }
  }

  /** Room for `bytes` more in the current chunk (a new chunk when it is short). */
  private reserve(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    if (this.at > 0) this.chunks.push(this.buffer.subarray(0, this.at));
    this.buffer = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes));
    this.at = 0;
  }

  private objectBody(
    object: object,
    skip: string | undefined,
    last: { key: string; value: unknown; follow?: string | undefined } | undefined,
  ): void {
    const record = object as Record<string, unknown>;
    this.reserve(1);
    this.buffer[this.at++] = 0x7b; // {
    let first = true;
    for (const key of Object.keys(record)) {
      if (key === skip) continue;
      if (last !== undefined && (key === last.key || key === last.follow)) continue;
      first = this.field(key, record[key], first);
    }
    if (last !== undefined) {
      first = this.field(last.key, last.value, first);
      if (last.follow !== undefined) this.field(last.follow, record[last.follow], first);
    }
    this.reserve(1);
    this.buffer[this.at++] = 0x7d; // }
  }

  /**
   * `"key":value` (after a comma unless `first`), or nothing for a value that JSON.stringify
   * leaves out of an object (undefined, a function, a symbol, what toJSON makes undefined).
   * Returns whether the object still has no member written, i.e. `first` when nothing was.
   */
  field(key: string, given: unknown, first: boolean): boolean {
    const value = this.convert === undefined ? given : this.converted(given);
    let text: string | undefined;
    switch (typeof value) {
      case 'undefined':
      case 'function':
      case 'symbol':
        return first;
      case 'object':
        if (value !== null && !isPlain(value)) {
          // toJSON or a class of its own: JSON.stringify decides, and may leave it out.
          text = JSON.stringify(value, this.replacer);
          if (text === undefined) return first;
        }
        break;
      case 'bigint':
        JSON.stringify(value); // throws the TypeError JSON.stringify throws
    }
    if (!first) {
      this.reserve(1);
      this.buffer[this.at++] = COMMA;
    }
    this.string(key);
    this.reserve(1);
    this.buffer[this.at++] = COLON;
    if (text === undefined) this.value(value);
    else this.text(text);
    return false;
  }

  /** One JSON value; undefined (and what JSON cannot hold) as null, as in an array. */
  value(given: unknown): void {
    const value = this.convert === undefined ? given : this.converted(given);
    switch (typeof value) {
      case 'string':
        this.string(value);
        return;
      case 'number':
        this.number(value);
        return;
      case 'boolean':
        this.ascii(value ? 'true' : 'false');
        return;
      case 'object':
        if (value === null) {
          this.ascii('null');
        } else if (Array.isArray(value) && isPlain(value)) {
          this.array(value);
        } else if (isPlain(value)) {
          this.objectBody(value, undefined, undefined);
        } else {
          this.text(JSON.stringify(value, this.replacer) ?? 'null');
        }
        return;
      case 'bigint':
        JSON.stringify(value); // throws the TypeError JSON.stringify throws
        return;
      default:
        this.ascii('null'); // undefined, a function or a symbol, in an array
    }
  }

  private array(values: readonly unknown[]): void {
    this.reserve(1);
    this.buffer[this.at++] = 0x5b; // [
    for (let i = 0; i < values.length; i++) {
      if (i > 0) {
        this.reserve(1);
        this.buffer[this.at++] = COMMA;
      }
      this.value(values[i]);
    }
    this.reserve(1);
    this.buffer[this.at++] = 0x5d; // ]
  }

  /** A number as JSON.stringify writes it: integers digit by digit, others by String. */
  number(value: number): void {
    if (value >>> 0 === value) {
      this.reserve(10);
      const buffer = this.buffer;
      const at = this.at;
      if (value < 10) {
        buffer[at] = DIGIT_0 + value;
        this.at = at + 1;
        return;
      }
      // Digits counted by comparison, then written from the last (one division a digit).
      let digits = 2;
      for (let bound = 100; digits < 10 && value >= bound; bound *= 10) digits++;
      let rest = value;
      for (let i = at + digits - 1; i >= at; i--) {
        const tenth = (rest / 10) >>> 0;
        buffer[i] = DIGIT_0 + (rest - tenth * 10);
        rest = tenth;
      }
      this.at = at + digits;
    } else {
      this.text(Number.isFinite(value) ? String(value) : 'null');
    }
  }

  /** A string in quotes: printable ASCII byte for byte, anything else JSON.stringify's. */
  string(value: string): void {
    const length = value.length;
    this.reserve(length + 2);
    const buffer = this.buffer;
    let at = this.at;
    buffer[at++] = QUOTE;
    for (let i = 0; i < length; i++) {
      const c = value.charCodeAt(i);
      if (c < 0x20 || c > 0x7e || c === QUOTE || c === BACKSLASH) {
        this.text(JSON.stringify(value)); // escapes, UTF-8 (lone surrogates escaped)
        return;
      }
      buffer[at++] = c;
    }
    buffer[at++] = QUOTE;
    this.at = at;
  }

  /** `value`, or what `convert` makes of it when it is a bigint or a typed array. */
  private converted(value: unknown): unknown {
    return convertible(value) ? this.convert?.(value) : value;
  }

  /** Text written as UTF-8 (JSON.stringify's output, or ASCII words). */
  private text(text: string): void {
    this.reserve(text.length * 3);
    this.at += this.buffer.write(text, this.at, 'utf8');
  }
}

/**
 * Options of {@link JsonArray}.
 *
 * @example
 * const options: JsonArrayOptions = { convert: (v) => (typeof v === 'bigint' ? Number(v) : v) };
 */
export interface JsonArrayOptions {
  /** What a bigint or a typed array is written as (plain JSON data, or the value itself). */
  convert?: ((value: bigint | ArrayBufferView) => unknown) | undefined;
}

/**
 * A value that `convert` is given: a bigint, or a typed array without a toJSON of its own
 * (JSON.stringify calls a Buffer's toJSON first, and a replacer then sees what it made).
 */
function convertible(value: unknown): value is bigint | ArrayBufferView {
  return (
    typeof value === 'bigint' ||
    (typeof value === 'object' &&
      value !== null &&
      ArrayBuffer.isView(value) &&
      typeof (value as { toJSON?: unknown }).toJSON !== 'function')
  );
}

/** An array or an object that JSON.stringify writes member by member (no toJSON of its own). */
function isPlain(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Object.prototype || prototype === null) {
    return typeof (value as { toJSON?: unknown }).toJSON !== 'function';
  }
  return (
    prototype === Array.prototype && typeof (value as { toJSON?: unknown }).toJSON !== 'function'
  );
}

/**
 * A dump as one JSON array, written into byte chunks as the dump decodes: `write` appends
 * each object (`out.element(value)`, or `out.object(value, 'attrs')` for a decoded object
 * without its raw attributes), retried as `eachOfDump` retries (an interrupted attempt's
 * text is dropped), so no decoded object, nor its text, is kept. Resolves to the array's
 * chunks.
 *
 * @example
 * declare const io: CommandIo;
 * declare const neighbours: () => Subscribable<rtnetlink.Neighbour>;
 * const chunks = await dumpJson(neighbours, (out, n) => out.object(n, 'attrs'));
 * await writeChunks(io.stdout, chunks);
 */
export async function dumpJson<T>(
  dump: () => Subscribable<T>,
  write: (out: JsonArray, value: T) => void,
  options?: JsonArrayOptions,
): Promise<Buffer[]> {
  const out = new JsonArray(options);
  await eachOfDump<T>(
    dump,
    () => out.begin(),
    (value) => write(out, value),
  );
  return out.end();
}

/**
 * Writes chunks of bytes to a stream, one `write` each, waiting for `drain` when the stream
 * asks to (a pipe whose reader is slower), and resolves once the last one is handed to the
 * system — or rejects with the stream's error (EPIPE: the reader went away).
 *
 * @example
 * declare const io: CommandIo;
 * await writeChunks(io.stdout, [Buffer.from('[]\n')]);
 */
export function writeChunks(stream: OutputStream, chunks: readonly Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    let index = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      stream.off('drain', next);
      reject(error);
    };
    const next = (): void => {
      while (index < chunks.length && !failed) {
        const chunk = chunks[index++];
        const lastOne = index === chunks.length;
        const ready = stream.write(chunk, (error) => {
          if (error) fail(error);
          else if (lastOne) resolve();
        });
        if (!ready && !lastOne) {
          stream.once('drain', next);
          return;
        }
      }
      if (chunks.length === 0) resolve();
    };
    next();
  });
}
