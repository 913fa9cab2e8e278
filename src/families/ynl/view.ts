// What the generated attribute-set decoders and views share: the attribute walk's checks,
// scalar, string and byte readers with their display hints, enum and flag names, and the
// lazy view base class. Every reader takes (view, payload offset, payload length, header
// offset) and throws a DecodeError with the header's offset, as the table-driven codec does.
import { DecodeError, FrameReleasedError } from '../../errors/NetlinkError.js';
import { dottedQuad, formatIPv6 } from '../../netlink/inet.js';
import type { MessageOwner, NetlinkMessage } from '../../netlink/NetlinkMessage.js';

const utf8 = new TextDecoder();
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** Throws unless `[start, end)` lies inside the view. */
export function checkRange(view: DataView, start: number, end: number): void {
  if (!(start >= 0 && start <= end && end <= view.byteLength)) {
    throw new DecodeError(
      `attribute range [${start}, ${end}) is outside the ${view.byteLength}-byte buffer`,
      Math.max(0, Math.min(start, view.byteLength)),
    );
  }
}

/**
 * The `nla_len` of the attribute whose header is at `at` (checked: a whole header, at least
 * 4, not past `end`).
 */
export function attrLength(view: DataView, at: number, end: number): number {
  const remaining = end - at;
  if (remaining < 4)
    throw new DecodeError(`${remaining} trailing bytes are too short for an nlattr`, at);
  const len = view.getUint16(at, true);
  if (len < 4 || len > remaining) {
    throw new DecodeError(
      `attribute type ${view.getUint16(at + 2, true) & 0x3fff}: nla_len ${len} is outside [4, ${remaining}]`,
      at,
    );
  }
  return len;
}

/** Throws the DecodeError of a payload too short for its type. */
export function short(name: string, type: string, length: number, at: number): never {
  throw new DecodeError(`${name}: ${length}-byte payload is too short for ${type}`, at);
}

/** The payload as text up to its first NUL. */
export function text(view: DataView, at: number, length: number): string {
  // Names (ifname, qdisc, kind) are short ASCII: read them without a TextDecoder call.
  if (length <= 32) {
    let out = '';
    for (let i = 0; i < length; i++) {
      const c = view.getUint8(at + i);
      if (c === 0) return out;
      if (c >= 0x80) return decodeText(view, at, length);
      out += String.fromCharCode(c);
    }
    return out;
  }
  return decodeText(view, at, length);
}

/** {@link text} through the UTF-8 decoder. */
function decodeText(view: DataView, at: number, length: number): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + at, length);
  const nul = bytes.indexOf(0);
  return utf8.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
}

/** A copy of the payload. */
export function copy(view: DataView, at: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + at, length).slice();
}

/**
 * The payload's `display-hint` text: ipv4 and ipv6 as inet_ntop prints them (when the length
 * fits; ipv4-or-v6 by the length), mac as colon-separated hex, hex and uuid as plain hex; otherwise a copy.
 */
export function hinted(
  view: DataView,
  at: number,
  length: number,
  hint: string,
): string | Uint8Array {
  if ((hint === 'ipv4' || hint === 'ipv4-or-v6') && length === 4)
    return dottedQuad(
      view.getUint8(at),
      view.getUint8(at + 1),
      view.getUint8(at + 2),
      view.getUint8(at + 3),
    );
  const bytes = new Uint8Array(view.buffer, view.byteOffset + at, length);
  if (hint === 'ipv6' || hint === 'ipv4-or-v6')
    return length === 16 ? formatIPv6(bytes) : bytes.slice();
  if (hint === 'mac' || hint === 'hex' || hint === 'uuid') {
    let out = '';
    const sep = hint === 'mac' ? ':' : '';
    for (let i = 0; i < length; i++) out += (i === 0 ? '' : sep) + HEX[bytes[i] ?? 0];
    return out;
  }
  return bytes.slice();
}

/** Variable-width `uint`/`sint`: 4 bytes read as a number, 8 as a bigint. */
export function varint(
  view: DataView,
  at: number,
  length: number,
  header: number,
  name: string,
  signed: boolean,
  little: boolean,
): number | bigint {
  if (length === 4) return signed ? view.getInt32(at, little) : view.getUint32(at, little);
  if (length === 8) return signed ? view.getBigInt64(at, little) : view.getBigUint64(at, little);
  throw new DecodeError(
    `${name}: ${signed ? 'sint' : 'uint'} must be 4 or 8 bytes, got ${length}`,
    header,
  );
}

/** A number mapped by `names`; a bigint left as it is. */
export function mapNumber<T>(value: number | bigint, names: (n: number) => T): T | bigint {
  return typeof value === 'number' ? names(value) : value;
}

/** A 64-bit value of named entries: names while it fits 32 bits, the bigint otherwise. */
export function mapBig<T>(value: bigint, names: (n: number) => T): T | bigint {
  return value >= 0n && value <= 0xffffffffn ? names(Number(value)) : value;
}

/** Appends `value` to the list under `key` (a multi-attr), starting the list if needed. */
export function append(out: Record<string, unknown>, key: string, value: unknown): void {
  const list = out[key] as unknown[] | undefined;
  if (list === undefined) out[key] = [value];
  else list.push(value);
}

/**
 * The names of the bits set in `value` (`table` lists each bit with its name), then the
 * bits no entry names as one number, so that nothing read is lost (the codec's builders
 * take the same array back).
 */
export function flagNames(
  table: readonly (readonly [number, string])[],
  value: number,
): Array<string | number> {
  const out: Array<string | number> = [];
  let rest = value;
  for (const [bit, name] of table) {
    if ((value & bit) !== 0) {
      out.push(name);
      rest &= ~bit;
    }
  }
  if (rest !== 0) out.push(rest >>> 0);
  return out;
}

const SCALAR_SIZE: Record<string, number> = {
  u8: 1,
  s8: 1,
  u16: 2,
  s16: 2,
  u32: 4,
  s32: 4,
  u64: 8,
  s64: 8,
};

/** One scalar of `type` at `at` (the caller checked the room). */
export function scalar(view: DataView, at: number, type: string, little: boolean): number | bigint {
  switch (type) {
    case 'u8':
      return view.getUint8(at);
    case 's8':
      return view.getInt8(at);
    case 'u16':
      return view.getUint16(at, little);
    case 's16':
      return view.getInt16(at, little);
    case 'u32':
      return view.getUint32(at, little);
    case 's32':
      return view.getInt32(at, little);
    case 'u64':
      return view.getBigUint64(at, little);
    default:
      return view.getBigInt64(at, little);
  }
}

/** A binary payload read as an array of `type` (`sub-type` of a binary attribute). */
export function scalars<T extends number | bigint>(
  view: DataView,
  at: number,
  length: number,
  type: string,
  little: boolean,
): T[] {
  const step = SCALAR_SIZE[type] ?? 1;
  const out: T[] = [];
  for (let i = at; i + step <= at + length; i += step) out.push(scalar(view, i, type, little) as T);
  return out;
}

/** `bitfield32`: `{ value, selector }`, each mapped by `names`. */
export function bitfield<T>(
  view: DataView,
  at: number,
  length: number,
  header: number,
  name: string,
  names: (n: number) => T,
): { value: T; selector: T } {
  if (length < 8) throw new DecodeError(`${name}: bitfield32 needs 8 bytes`, header);
  return { value: names(view.getUint32(at, true)), selector: names(view.getUint32(at + 4, true)) };
}

/** The identity of {@link bitfield} without an enum. */
export function plain(n: number): number {
  return n;
}

/** Walks the attributes nested in `[at, at + length)`, calling `each(offset, len, header)`. */
function nestedEach(
  view: DataView,
  at: number,
  length: number,
  each: (offset: number, len: number, header: number, type: number) => void,
): void {
  const end = at + length;
  let cursor = at;
  while (cursor < end) {
    const len = attrLength(view, cursor, end);
    each(cursor + 4, len - 4, cursor, view.getUint16(cursor + 2, true) & 0x3fff);
    cursor += Math.min((len + 3) & ~3, end - cursor);
  }
}

/** `indexed-array` of nests: each entry decoded by `decode(view, start, end)`. */
export function indexedSets<T>(
  view: DataView,
  at: number,
  length: number,
  decode: (view: DataView, start: number, end: number) => T,
): T[] {
  const out: T[] = [];
  nestedEach(view, at, length, (o, n) => {
    out.push(decode(view, o, o + n));
  });
  return out;
}

/** `indexed-array` of scalars. */
export function indexedScalars<T extends number | bigint>(
  view: DataView,
  at: number,
  length: number,
  name: string,
  type: string,
  little: boolean,
): T[] {
  const size = SCALAR_SIZE[type] ?? 1;
  const out: T[] = [];
  nestedEach(view, at, length, (o, n, h) => {
    if (n < size) short(name, type, n, h);
    out.push(scalar(view, o, type, little) as T);
  });
  return out;
}

/** `indexed-array` of anything else: each entry's payload copied. */
export function indexedBytes(view: DataView, at: number, length: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  nestedEach(view, at, length, (o, n) => {
    out.push(copy(view, o, n));
  });
  return out;
}

/**
 * `nest-type-value`: each of `levels` nesting levels keyed by its attribute type (as text),
 * the innermost decoded by `decode` (or copied).
 */
export function typeValue<T>(
  view: DataView,
  at: number,
  length: number,
  levels: number,
  decode: ((view: DataView, start: number, end: number) => T) | undefined,
): Record<string, unknown> {
  const level = (o: number, n: number, depth: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    nestedEach(view, o, n, (io, il, _h, type) => {
      out[String(type)] =
        depth + 1 < levels
          ? level(io, il, depth + 1)
          : decode === undefined
            ? copy(view, io, il)
            : decode(view, io, io + il);
    });
    return out;
  };
  return level(at, length, 0);
}

/**
 * A scalar with `type-value` (ethtool's `stat`): the payload `[at, at + length)` is a nest
 * of attributes, each one's type the key (as text) and its payload the scalar that `read`
 * decodes; merged into `record` (every occurrence of the attribute adds to one record).
 */
export function typeValued<T>(
  record: Record<string, T> | undefined,
  view: DataView,
  at: number,
  length: number,
  read: (view: DataView, at: number, length: number, header: number) => T,
): Record<string, T> {
  const out = record ?? {};
  nestedEach(view, at, length, (o, n, h, type) => {
    out[String(type)] = read(view, o, n, h);
  });
  return out;
}

/**
 * `sized-entries` (RTA_MULTIPATH): the payload `[at, at + length)` as a run of entries, each
 * a `size`-byte struct whose first member (u16) is the entry's length, followed by the
 * entry's attributes; `decode(view, start, end)` reads one entry. Entries start 4-aligned.
 */
export function sizedEntries<T>(
  view: DataView,
  at: number,
  length: number,
  name: string,
  size: number,
  decode: (view: DataView, start: number, end: number) => T,
): T[] {
  const end = at + length;
  const out: T[] = [];
  for (let cursor = at; cursor < end; ) {
    const len = end - cursor < 2 ? 0 : view.getUint16(cursor, true);
    if (end - cursor < size || len < size || len > end - cursor)
      throw new DecodeError(
        `${name}: entry length ${len} is outside [${size}, ${end - cursor}]`,
        cursor,
      );
    out.push(decode(view, cursor, cursor + len));
    cursor += Math.min((len + 3) & ~3, end - cursor);
  }
  return out;
}

/** Throws the DecodeError of a struct past the end of its bytes. */
export function structPast(name: string, at: number): never {
  throw new DecodeError(`struct ${name} past the end`, at);
}

/** Attribute types the shared index covers (every spec's attribute types are below it). */
const INDEX_TYPES = 1024;
/** Header offset + 1 per attribute type of the view that indexed last, 0 when absent. */
const sharedIndex = new Int32Array(INDEX_TYPES);
/** The types set in `sharedIndex`, to clear them for the next view. */
const indexedTypes = new Int32Array(INDEX_TYPES);
let indexedCount = 0;
/** Whether the view that indexed last had an attribute type at or above INDEX_TYPES. */
let indexedBeyond = false;
/** The `_id` of the view the index holds, 0 for none. */
let indexOwner = 0;
/** Views made so far (each view's `_id`). */
let views = 0;

/** Who owns a view's memory: a ring frame, or null for bytes of the view's own. */
export type ViewOwner = MessageOwner | null;

/** A view class's constructor, as {@link YnlView.of} and {@link YnlView.detach} call it. */
export type YnlViewClass<T> = new (
  view: DataView,
  start: number,
  end: number,
  owner?: ViewOwner,
) => T;

// The view's work is done by the functions below, given the view's fields, rather than by
// methods of the base class reading them from `this`: a program reads views of many classes
// (decodeLink alone reads five), and code shared by every class that reads `this._v` sees
// objects of every class's shape, until V8 gives up on knowing where the field is and looks
// it up each time. A generated class's getters and constructor read and write its fields
// themselves, so each access sees one shape (docs/ARCHITECTURE.md, "Generated views").

/** The `_id` of a new view over `[start, end)` of `view`; throws unless the range lies in it. */
export function viewId(view: DataView, start: number, end: number): number {
  checkRange(view, start, end);
  return ++views;
}

/** Throws once the frame behind a view was released. */
export function checkOwner(owner: ViewOwner): void {
  if (owner !== null && !owner.live) throw new FrameReleasedError(owner.index ?? -1, 'message');
}

/**
 * The header offset of the attribute of type `type` (the last one of the type, as the eager
 * decoder keeps) in the view `id` of `[start, end)` of `view`, or -1; throws once `owner`
 * released the frame. The first lookup indexes the view's attributes in one walk into the
 * one index all views share (a view read for a few fields allocates nothing); a lookup on
 * another view re-indexes for that one.
 */
export function findAttr(
  owner: ViewOwner,
  id: number,
  view: DataView,
  start: number,
  end: number,
  type: number,
): number {
  checkOwner(owner);
  if (indexOwner !== id) indexAttrs(id, view, start, end);
  if (type < INDEX_TYPES) return (sharedIndex[type] ?? 0) - 1;
  let found = -1;
  for (let cursor = start; cursor < end; ) {
    const len = attrLength(view, cursor, end);
    if ((view.getUint16(cursor + 2, true) & 0x3fff) === type) found = cursor;
    cursor += Math.min((len + 3) & ~3, end - cursor);
  }
  return found;
}

/** The header offsets of every attribute of type `type` (a multi-attr), in order. */
export function allAttrs(
  owner: ViewOwner,
  view: DataView,
  start: number,
  end: number,
  type: number,
): number[] {
  checkOwner(owner);
  const out: number[] = [];
  let cursor = start;
  while (cursor < end) {
    const len = attrLength(view, cursor, end);
    if ((view.getUint16(cursor + 2, true) & 0x3fff) === type) out.push(cursor);
    cursor += Math.min((len + 3) & ~3, end - cursor);
  }
  return out;
}

/** Fills the shared index with the attributes of view `id`. */
function indexAttrs(id: number, view: DataView, start: number, end: number): void {
  for (let i = 0; i < indexedCount; i++) sharedIndex[indexedTypes[i] ?? 0] = 0;
  indexedCount = 0;
  indexedBeyond = false;
  // Nobody owns a half-built index (the walk throws on a malformed attribute).
  indexOwner = 0;
  for (let cursor = start; cursor < end; ) {
    const len = attrLength(view, cursor, end);
    const t = view.getUint16(cursor + 2, true) & 0x3fff;
    if (t < INDEX_TYPES) {
      if (sharedIndex[t] === 0) indexedTypes[indexedCount++] = t;
      sharedIndex[t] = cursor + 1;
    } else indexedBeyond = true;
    cursor += Math.min((len + 3) & ~3, end - cursor);
  }
  indexOwner = id;
}

/**
 * A lazy view of one attribute set over borrowed bytes (a ring frame): nothing is decoded
 * until a getter asks, the first getter indexes the attribute headers once, and each getter
 * reads its attribute from the bytes. While the frame is borrowed the view is too: after
 * the frame is released, getters and {@link toJSON} throw a FrameReleasedError;
 * {@link detach} copies the set's bytes out first. The generated classes add one typed
 * getter per attribute (camelCase names), nested sets as views.
 *
 * @example
 * const link = LinkAttrsView.of(message, 16);
 * console.log(link.ifname, link.mtu, link.linkinfo?.kind);
 * const kept = link.detach(); // or link.toJSON() for the plain object
 */
export abstract class YnlView<J> {
  // Declared, not initialized as class fields: a constructor assigns every field once, so
  // a view costs no field initializer per object (the decoders make one per message).
  /** The bytes (a ring, or a detached copy). */
  declare protected _v: DataView;
  /** Where the set's attributes start and end in `_v`. */
  declare protected _s: number;
  declare protected _e: number;
  /** The owner of the memory (a ring frame), or null. */
  declare protected _o: ViewOwner;
  /** This view's number, which names the owner of the shared index. */
  declare protected _id: number;

  /**
   * The view of `[start, end)` of `view`. A generated class calls `super()` without
   * arguments and sets the fields in its own constructor (one shape per store, see
   * {@link findAttr}); a class written by hand passes them here.
   */
  constructor(view?: DataView, start = 0, end = 0, owner: ViewOwner = null) {
    if (view === undefined) return;
    this._id = viewId(view, start, end);
    this._v = view;
    this._s = start;
    this._e = end;
    this._o = owner;
  }

  /**
   * The view of the attributes of `message` after `headerLength` bytes of headers (the
   * genetlink header and the family's fixed header; `headerLengths` of the generated
   * module has them per operation), borrowed from the message's frame.
   */
  static of<T>(this: YnlViewClass<T>, message: NetlinkMessage, headerLength: number): T {
    const start = message.payloadOffset + ((headerLength + 3) & ~3);
    if (start > message.end) {
      throw new DecodeError(
        `message type ${message.type}: ${message.payloadLength}-byte payload is shorter than its ${headerLength}-byte headers`,
        message.offset,
      );
    }
    return new this(message.view, start, message.end, message.context.owner);
  }

  /** The plain object (names as in the spec), owning its memory. */
  abstract toJSON(): J;

  /** Whether the memory behind the view is still owned by the process. */
  get live(): boolean {
    return this._o === null || this._o.live;
  }

  /** {@link findAttr} of this view. */
  protected _find(type: number): number {
    return findAttr(this._o, this._id, this._v, this._s, this._e, type);
  }

  /**
   * Whether the set holds an attribute of a type that `listed` does not mark
   * (`listed[type] === 1`): what a decoder that maps some types to fields asks to know
   * whether anything is left over. Answered from the index, without another walk.
   */
  protected _unlisted(listed: Uint8Array): boolean {
    checkOwner(this._o);
    if (indexOwner !== this._id) indexAttrs(this._id, this._v, this._s, this._e);
    if (indexedBeyond) return true;
    for (let i = 0; i < indexedCount; i++) {
      const t = indexedTypes[i] ?? 0;
      if (t >= listed.length || listed[t] !== 1) return true;
    }
    return false;
  }

  /** The same view over a copy of its bytes: valid after the frame is released. */
  detach(): this {
    checkOwner(this._o);
    const bytes = new Uint8Array(this._v.buffer, this._v.byteOffset + this._s, this._e - this._s);
    const own = bytes.slice();
    const Class = this.constructor as YnlViewClass<this>;
    return new Class(new DataView(own.buffer), 0, own.byteLength, null);
  }
}
