// The YNL codec: decodes and builds the attributes of any family from its normalized spec
// (spec.ts). Generated modules and run-time specs share it, so both speak the same type
// system: scalars with byte order, variable-width uint/sint, flag, string and binary with
// checks, binary with struct, display hints, nest, multi-attr, indexed-array,
// nest-type-value, bitfield32, sub-message chosen by a selector, enums and flags by name.
import { DecodeError } from '../../errors/NetlinkError.js';
import { Attributes } from '../../netlink/Attributes.js';
import { formatIPv4, formatIPv6, parseAddress, parseLinkAddress } from '../../netlink/inet.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import type { YnlAttribute, YnlAttributeSet, YnlEnum, YnlFamily, YnlStruct } from './spec.js';
import { flagNames } from './view.js';

/** A decoded attribute set: attribute names (kebab-case, as in the spec) to values. */
export type YnlValue = { [name: string]: unknown };

const utf8 = new TextDecoder();
const utf8e = new TextEncoder();

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

function readScalar(view: DataView, at: number, type: string, little: boolean): number | bigint {
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

function writeScalar(
  view: DataView,
  at: number,
  type: string,
  value: unknown,
  little: boolean,
): void {
  const n = typeof value === 'bigint' ? value : BigInt(Number(value ?? 0));
  switch (type) {
    case 'u8':
    case 's8':
      view.setUint8(at, Number(BigInt.asUintN(8, n)));
      return;
    case 'u16':
    case 's16':
      view.setUint16(at, Number(BigInt.asUintN(16, n)), little);
      return;
    case 'u32':
    case 's32':
      view.setUint32(at, Number(BigInt.asUintN(32, n)), little);
      return;
    default:
      view.setBigUint64(at, BigInt.asUintN(64, n), little);
  }
}

/** `display-hint` text forms: ipv4, ipv6, ipv4-or-v6 (by length), mac, hex (and uuid as hex). */
function showBytes(bytes: Uint8Array, hint: string | undefined): string | Uint8Array {
  const ip = hint === 'ipv4-or-v6';
  if ((hint === 'ipv4' || ip) && bytes.length === 4) return formatIPv4(bytes);
  if ((hint === 'ipv6' || ip) && bytes.length === 16) return formatIPv6(bytes);
  if (hint === 'mac') return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(':');
  if (hint === 'hex' || hint === 'uuid')
    return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return bytes.slice();
}

function parseBytes(value: unknown, hint: string | undefined, name: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value)) {
    if (value.every((b) => Number.isInteger(b) && b >= 0 && b <= 255))
      return Uint8Array.from(value);
    throw new TypeError(
      `ynl: ${name}: expected bytes 0-255, got [${value.map(String).join(', ')}]`,
    );
  }
  if (typeof value !== 'string') {
    throw new TypeError(`ynl: ${name}: expected bytes (a Uint8Array or text), got ${typeof value}`);
  }
  const bytes = parseText(value, hint);
  if (bytes === undefined) {
    throw new TypeError(
      `ynl: ${name}: expected ${HINT_TEXT[hint ?? ''] ?? 'hex bytes'}, got "${value}"`,
    );
  }
  return bytes;
}

/** What each hint's text is, for the errors of {@link parseBytes}. */
const HINT_TEXT: Record<string, string> = {
  ipv4: 'an IPv4 address',
  ipv6: 'an IPv6 address',
  'ipv4-or-v6': 'an IPv4 or IPv6 address',
  mac: 'a hardware address (hex bytes joined by ":")',
  uuid: 'a UUID (32 hex digits, dashes allowed)',
};

const HEX_BYTES = /^(?:[0-9a-f]{2})*$/i;

/** The inverse of {@link showBytes}: the bytes of `text`, or undefined if it is not that form. */
function parseText(text: string, hint: string | undefined): Uint8Array | undefined {
  if (hint === 'ipv4' || hint === 'ipv6' || hint === 'ipv4-or-v6') {
    const a = parseAddress(text);
    if (a === undefined) return undefined;
    if (hint === 'ipv4' && a.bytes.length !== 4) return undefined;
    if (hint === 'ipv6' && a.bytes.length !== 16) return undefined;
    return a.bytes;
  }
  if (hint === 'mac') return parseLinkAddress(text);
  const hex = hint === 'uuid' ? text.replaceAll('-', '') : text;
  if (!HEX_BYTES.test(hex)) return undefined;
  return Uint8Array.from(hex.match(/../g) ?? [], (h) => Number.parseInt(h, 16));
}

/**
 * The codec of one family: decoders and builders for each attribute set, struct and fixed
 * header, by name. Build with {@link ynlCodec}.
 */
export class YnlCodec {
  readonly family: YnlFamily;
  private readonly sets = new Map<string, YnlAttributeSet>();
  private readonly byType = new Map<string, Map<number, YnlAttribute>>();
  private readonly byName = new Map<string, Map<string, YnlAttribute>>();
  private readonly enums = new Map<string, YnlEnum>();
  private readonly flagTables = new Map<YnlEnum, ReadonlyArray<readonly [number, string]>>();
  private readonly structs = new Map<string, YnlStruct>();

  constructor(family: YnlFamily) {
    this.family = family;
    for (const set of family.attributeSets) {
      this.sets.set(set.name, set);
      this.byType.set(set.name, new Map(set.attributes.map((a) => [a.value, a])));
      this.byName.set(set.name, new Map(set.attributes.map((a) => [a.name, a])));
    }
    for (const e of family.enums) this.enums.set(e.name, e);
    for (const s of family.structs) this.structs.set(s.name, s);
  }

  private set(name: string): YnlAttributeSet {
    const set = this.sets.get(name);
    if (set === undefined) throw new TypeError(`ynl ${this.family.name}: no attribute set ${name}`);
    return set;
  }

  /** The size in bytes of a struct. */
  structSize(name: string): number {
    const s = this.structs.get(name);
    if (s === undefined) throw new TypeError(`ynl ${this.family.name}: no struct ${name}`);
    let size = 0;
    for (const m of s.members) {
      size +=
        SCALAR_SIZE[m.type] ?? (m.struct !== undefined ? this.structSize(m.struct) : (m.len ?? 0));
    }
    return size;
  }

  /**
   * A value read as its enum's name, or names for flags. Flag bits no entry names are kept
   * as one number after the names, so that nothing read is lost and {@link enumValue} gives
   * the same value back.
   */
  private enumName(enumName: string | undefined, value: number, asFlags: boolean): unknown {
    const e = enumName === undefined ? undefined : this.enums.get(enumName);
    if (e === undefined) return value;
    if (e.flags || asFlags) return flagNames(this.flagTable(e), value);
    return e.entries.find((x) => x.value === value)?.name ?? value;
  }

  /** Each entry's bit with its name, as the generated decoders' tables hold them. */
  private flagTable(e: YnlEnum): ReadonlyArray<readonly [number, string]> {
    let table = this.flagTables.get(e);
    if (table === undefined) {
      table = e.entries.map((x) => [e.flags ? x.value : 2 ** x.value, x.name] as const);
      this.flagTables.set(e, table);
    }
    return table;
  }

  /** The number to write for `value`: a number, an enum name, or an array of flag names and numbers. */
  private enumValue(
    enumName: string | undefined,
    value: unknown,
    asFlags: boolean,
    what: string,
  ): number | bigint {
    if (typeof value === 'number' || typeof value === 'bigint') return value;
    const e = enumName === undefined ? undefined : this.enums.get(enumName);
    if (e === undefined) {
      const shown = typeof value === 'string' ? `"${value}"` : typeof value;
      throw new TypeError(`ynl: ${what}: expected a number, got ${shown}`);
    }
    const one = (name: unknown): number => {
      if (typeof name === 'number' && Array.isArray(value)) return name;
      const entry = e.entries.find((x) => x.name === name);
      if (entry === undefined)
        throw new TypeError(
          `ynl: ${what}: ${JSON.stringify(name) ?? String(name)} is not in enum ${enumName}`,
        );
      return e.flags || !asFlags ? entry.value : 2 ** entry.value;
    };
    if (Array.isArray(value)) return value.reduce((acc: number, n) => (acc | one(n)) >>> 0, 0);
    return one(value);
  }

  /** Decodes a struct at `offset` of `view`. */
  decodeStruct(name: string, view: DataView, offset: number): YnlValue {
    const s = this.structs.get(name);
    if (s === undefined) throw new TypeError(`ynl ${this.family.name}: no struct ${name}`);
    const out: YnlValue = {};
    let at = offset;
    for (const m of s.members) {
      const size = SCALAR_SIZE[m.type];
      if (size !== undefined) {
        if (at + size > view.byteLength)
          throw new DecodeError(`struct ${name}.${m.name} past the end`, at);
        const v = readScalar(view, at, m.type, m.byteOrder !== 'big-endian');
        out[m.name] =
          typeof v === 'number' && m.enum !== undefined ? this.enumName(m.enum, v, false) : v;
        at += size;
      } else if (m.struct !== undefined) {
        out[m.name] = this.decodeStruct(m.struct, view, at);
        at += this.structSize(m.struct);
      } else {
        const len = m.len ?? 0;
        if (at + len > view.byteLength)
          throw new DecodeError(`struct ${name}.${m.name} past the end`, at);
        const bytes = new Uint8Array(view.buffer, view.byteOffset + at, len);
        if (m.type === 'pad') {
          at += len;
          continue;
        }
        out[m.name] =
          m.type === 'string'
            ? utf8.decode(bytes).replace(/\0.*$/s, '')
            : showBytes(bytes, m.displayHint);
        at += len;
      }
    }
    return out;
  }

  /**
   * Decodes `sized-entries` in `[start, end)`: each entry a struct whose first member (u16)
   * is the entry's length, then the entry's own attributes of set `nested`.
   */
  private decodeEntries(
    attr: YnlAttribute,
    struct: string,
    nested: string,
    view: DataView,
    start: number,
    end: number,
  ): YnlValue[] {
    const size = this.structSize(struct);
    const out: YnlValue[] = [];
    for (let at = start; at < end; ) {
      const len = end - at < 2 ? 0 : view.getUint16(at, true);
      if (end - at < size || len < size || len > end - at)
        throw new DecodeError(
          `${attr.name}: entry length ${len} is outside [${size}, ${end - at}] (struct ${struct})`,
          at,
        );
      out.push({
        ...this.decodeStruct(struct, view, at),
        ...this.decode(nested, view, at + size, at + len),
      });
      at += Math.min((len + 3) & ~3, end - at);
    }
    return out;
  }

  /** Writes `sized-entries`: each entry's struct, its attributes, its length patched in. */
  private buildEntries(
    attr: YnlAttribute,
    struct: string,
    nested: string,
    w: MessageWriter,
    v: unknown,
  ): void {
    if (!Array.isArray(v))
      throw new TypeError(`ynl ${this.family.name}: ${attr.name} must be an array of entries`);
    const members = new Set(this.structs.get(struct)?.members.map((m) => m.name));
    // The attribute's header as ip writes RTA_MULTIPATH: no NLA_F_NESTED.
    const token = (w.length + 3) & ~3;
    w.attr(attr.value, new Uint8Array(0));
    for (const item of v as YnlValue[]) {
      const entry = w.length;
      const rest: YnlValue = {};
      for (const [k, x] of Object.entries(item)) if (!members.has(k)) rest[k] = x;
      this.buildStruct(struct, w, item);
      this.build(nested, w, rest);
      w.endNest(entry); // the entry's first u16: its length
    }
    w.endNest(token);
  }

  /** Writes a struct (missing members are zero). */
  buildStruct(name: string, writer: MessageWriter, value: YnlValue = {}): void {
    const size = this.structSize(name);
    const bytes = new Uint8Array(size);
    this.fillStruct(name, new DataView(bytes.buffer), 0, value);
    writer.bytes(bytes);
  }

  private fillStruct(name: string, view: DataView, offset: number, value: YnlValue): void {
    const s = this.structs.get(name);
    if (s === undefined) throw new TypeError(`ynl ${this.family.name}: no struct ${name}`);
    let at = offset;
    for (const m of s.members) {
      const size = SCALAR_SIZE[m.type];
      const v = value[m.name];
      if (size !== undefined) {
        if (v !== undefined)
          writeScalar(
            view,
            at,
            m.type,
            this.enumValue(m.enum, v, false, `${name}.${m.name}`),
            m.byteOrder !== 'big-endian',
          );
        at += size;
      } else if (m.struct !== undefined) {
        this.fillStruct(m.struct, view, at, (v ?? {}) as YnlValue);
        at += this.structSize(m.struct);
      } else {
        const len = m.len ?? 0;
        if (v !== undefined && m.type !== 'pad') {
          const bytes =
            typeof v === 'string' && m.type === 'string'
              ? utf8e.encode(v)
              : parseBytes(v, m.displayHint, `${name}.${m.name}`);
          // A shorter value is zero-filled (an IPv4 address in a 16-byte field); a longer
          // one would lose its tail.
          if (bytes.length > len) {
            throw new TypeError(
              `ynl: ${name}.${m.name}: ${bytes.length} bytes do not fit its ${len}`,
            );
          }
          new Uint8Array(view.buffer, view.byteOffset + at, len).set(bytes);
        }
        at += len;
      }
    }
  }

  /**
   * Decodes the attributes in `[start, end)` of `view` as attribute set `setName` into a
   * plain object that owns its memory (strings, numbers, bigints, copied bytes). Unknown
   * attributes are skipped; malformed ones throw a DecodeError with the offset.
   */
  decode(setName: string, view: DataView, start: number, end: number): YnlValue {
    const types = this.byType.get(setName) ?? this.byType.get(this.set(setName).name);
    const out: YnlValue = {};
    const pending: { attr: YnlAttribute; offset: number; length: number }[] = [];
    const a = new Attributes(view, start, end);
    while (a.next()) {
      const attr = types?.get(a.type);
      if (attr === undefined || attr.type === 'pad' || attr.type === 'unused') continue;
      if (attr.type === 'sub-message') {
        pending.push({ attr, offset: a.offset, length: a.length });
        continue;
      }
      if (isTypeValued(attr)) {
        // A scalar keyed by its inner attribute's type (ethtool's `stat`): each occurrence is
        // a nest of `type → scalar` attributes, all merged into one record.
        const record = (out[attr.name] ?? {}) as Record<string, unknown>;
        const inner = a.nested();
        while (inner.next()) record[String(inner.type)] = this.decodeOne(attr, inner, view);
        out[attr.name] = record;
        continue;
      }
      const value = this.decodeOne(attr, a, view);
      if (attr.multiAttr) {
        const list = (out[attr.name] ?? []) as unknown[];
        list.push(value);
        out[attr.name] = list;
      } else {
        out[attr.name] = value;
      }
    }
    // A sub-message's format is named by a sibling attribute (the selector), which may come
    // after it: decode them once the whole set was read.
    for (const p of pending) {
      const selector = p.attr.selector === undefined ? undefined : out[p.attr.selector];
      const sub = this.family.subMessages.find((s) => s.name === p.attr.subMessage);
      const format = sub?.formats.find((f) => f.value === String(selector));
      if (format === undefined) {
        out[p.attr.name] = new Uint8Array(
          view.buffer,
          view.byteOffset + p.offset,
          p.length,
        ).slice();
        continue;
      }
      let at = p.offset;
      const value: YnlValue = {};
      if (format.fixedHeader !== undefined) {
        Object.assign(value, this.decodeStruct(format.fixedHeader, view, at));
        at += this.structSize(format.fixedHeader);
      }
      if (format.attributeSet !== undefined)
        Object.assign(value, this.decode(format.attributeSet, view, at, p.offset + p.length));
      out[p.attr.name] = value;
    }
    return out;
  }

  private decodeOne(attr: YnlAttribute, a: Attributes, view: DataView): unknown {
    const little = attr.byteOrder !== 'big-endian';
    const type = attr.type;
    const size = SCALAR_SIZE[type];
    if (size !== undefined) {
      if (a.length < size)
        throw new DecodeError(
          `${attr.name}: ${a.length}-byte payload is too short for ${type}`,
          a.headerOffset,
        );
      const v = readScalar(view, a.offset, type, little);
      if (typeof v === 'number') return this.enumName(attr.enum, v, attr.enumAsFlags);
      // A 64-bit field of named flags (netdev xdp-features) still reads as names.
      return attr.enum !== undefined && v >= 0n && v <= 0xffffffffn
        ? this.enumName(attr.enum, Number(v), attr.enumAsFlags)
        : v;
    }
    switch (type) {
      case 'flag':
        return true;
      case 'uint':
      case 'sint': {
        if (a.length === 4) {
          const v =
            type === 'uint' ? view.getUint32(a.offset, little) : view.getInt32(a.offset, little);
          return this.enumName(attr.enum, v, attr.enumAsFlags);
        }
        if (a.length === 8)
          return type === 'uint'
            ? view.getBigUint64(a.offset, little)
            : view.getBigInt64(a.offset, little);
        throw new DecodeError(
          `${attr.name}: ${type} must be 4 or 8 bytes, got ${a.length}`,
          a.headerOffset,
        );
      }
      case 'string': {
        const bytes = a.bytes();
        const nul = bytes.indexOf(0);
        return utf8.decode(nul === -1 ? bytes : bytes.subarray(0, nul));
      }
      case 'binary': {
        if (attr.struct !== undefined && attr.sizedEntries === true && attr.nested !== undefined)
          return this.decodeEntries(attr, attr.struct, attr.nested, view, a.offset, a.payloadEnd);
        if (attr.struct !== undefined)
          return this.decodeStruct(attr.struct, new DataView(a.copyBytes().buffer), 0);
        if (attr.subType !== undefined && SCALAR_SIZE[attr.subType] !== undefined) {
          const step = SCALAR_SIZE[attr.subType] ?? 1;
          const out: unknown[] = [];
          for (let at = a.offset; at + step <= a.offset + a.length; at += step)
            out.push(readScalar(view, at, attr.subType, little));
          return out;
        }
        return showBytes(a.bytes(), attr.displayHint);
      }
      case 'bitfield32':
        if (a.length < 8)
          throw new DecodeError(`${attr.name}: bitfield32 needs 8 bytes`, a.headerOffset);
        return {
          value: this.enumName(attr.enum, view.getUint32(a.offset, true), true),
          selector: this.enumName(attr.enum, view.getUint32(a.offset + 4, true), true),
        };
      case 'nest': {
        if (attr.nested === undefined) return a.copyBytes();
        if (attr.fixedHeader === undefined)
          return this.decode(attr.nested, view, a.offset, a.payloadEnd);
        const size = this.structSize(attr.fixedHeader);
        if (a.length < size)
          throw new DecodeError(
            `${attr.name}: ${a.length}-byte payload is too short for struct ${attr.fixedHeader}`,
            a.headerOffset,
          );
        return {
          ...this.decodeStruct(attr.fixedHeader, view, a.offset),
          ...this.decode(attr.nested, view, a.offset + size, a.payloadEnd),
        };
      }
      case 'indexed-array': {
        const out: unknown[] = [];
        const inner = a.nested();
        while (inner.next()) {
          if (attr.subType === 'nest' && attr.nested !== undefined)
            out.push(this.decode(attr.nested, view, inner.offset, inner.payloadEnd));
          else if (attr.subType !== undefined && SCALAR_SIZE[attr.subType] !== undefined) {
            if (inner.length < (SCALAR_SIZE[attr.subType] ?? 0))
              throw new DecodeError(
                `${attr.name}: ${inner.length}-byte payload is too short for ${attr.subType}`,
                inner.headerOffset,
              );
            out.push(readScalar(view, inner.offset, attr.subType, little));
          } else out.push(inner.copyBytes());
        }
        return out;
      }
      case 'nest-type-value': {
        // Each level's attribute type is a key (type-value names the keys), innermost a set.
        const decodeLevel = (cursor: Attributes, depth: number): unknown => {
          const out: Record<string, unknown> = {};
          while (cursor.next()) {
            out[String(cursor.type)] =
              depth + 1 < (attr.typeValue?.length ?? 1)
                ? decodeLevel(cursor.nested(), depth + 1)
                : attr.nested === undefined
                  ? cursor.copyBytes()
                  : this.decode(attr.nested, view, cursor.offset, cursor.payloadEnd);
          }
          return out;
        };
        return decodeLevel(a.nested(), 0);
      }
      default:
        return a.copyBytes();
    }
  }

  /**
   * Writes the attributes of `value` (names as in the spec) for attribute set `setName`.
   * Unknown names throw a TypeError naming the set.
   */
  build(setName: string, writer: MessageWriter, value: YnlValue): void {
    const names = this.byName.get(this.set(setName).name);
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      const attr = names?.get(key);
      if (attr === undefined)
        throw new TypeError(`ynl ${this.family.name}: ${setName} has no attribute ${key}`);
      if (attr.multiAttr && Array.isArray(v))
        for (const item of v) this.buildOne(attr, writer, item, value);
      else this.buildOne(attr, writer, v, value);
    }
  }

  private buildOne(attr: YnlAttribute, w: MessageWriter, v: unknown, siblings: YnlValue): void {
    const little = attr.byteOrder !== 'big-endian';
    const type = attr.type;
    const size = SCALAR_SIZE[type];
    const scalar = (t: string, n: unknown): Uint8Array => {
      const bytes = new Uint8Array(SCALAR_SIZE[t] ?? 4);
      writeScalar(
        new DataView(bytes.buffer),
        0,
        t,
        this.enumValue(attr.enum, n, attr.enumAsFlags, attr.name),
        little,
      );
      return bytes;
    };
    if (isTypeValued(attr)) {
      // One nest per entry, holding one attribute whose type is the key, as the kernel
      // writes them (ethtool's stat_put).
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const token = w.nest(attr.value);
        this.buildOne({ ...attr, typeValue: undefined, value: Number(k) }, w, x, siblings);
        w.endNest(token);
      }
      return;
    }
    if (size !== undefined) {
      w.attr(attr.value, scalar(type, v));
      return;
    }
    switch (type) {
      case 'flag':
        if (v === true) w.attrFlag(attr.value);
        return;
      case 'uint':
      case 'sint': {
        const n = this.enumValue(attr.enum, v, attr.enumAsFlags, attr.name);
        const big = typeof n === 'bigint' ? n : BigInt(n);
        const fits =
          type === 'uint'
            ? big >= 0n && big <= 0xffffffffn
            : big >= -(2n ** 31n) && big < 2n ** 31n;
        w.attr(
          attr.value,
          scalar(fits ? (type === 'uint' ? 'u32' : 's32') : type === 'uint' ? 'u64' : 's64', big),
        );
        return;
      }
      case 'string':
        w.attrString(attr.value, String(v));
        return;
      case 'binary': {
        if (attr.struct !== undefined && attr.sizedEntries === true && attr.nested !== undefined) {
          this.buildEntries(attr, attr.struct, attr.nested, w, v);
        } else if (attr.struct !== undefined) {
          const bytes = new Uint8Array(this.structSize(attr.struct));
          this.fillStruct(attr.struct, new DataView(bytes.buffer), 0, v as YnlValue);
          w.attr(attr.value, bytes);
        } else if (
          attr.subType !== undefined &&
          SCALAR_SIZE[attr.subType] !== undefined &&
          Array.isArray(v)
        ) {
          const step = SCALAR_SIZE[attr.subType] ?? 1;
          const bytes = new Uint8Array(step * v.length);
          const dv = new DataView(bytes.buffer);
          for (let i = 0; i < v.length; i++) writeScalar(dv, i * step, attr.subType, v[i], little);
          w.attr(attr.value, bytes);
        } else {
          w.attr(attr.value, parseBytes(v, attr.displayHint, attr.name));
        }
        return;
      }
      case 'bitfield32': {
        const b = v as { value?: unknown; selector?: unknown };
        const bytes = new Uint8Array(8);
        const dv = new DataView(bytes.buffer);
        dv.setUint32(
          0,
          Number(this.enumValue(attr.enum, b.value ?? 0, true, `${attr.name}.value`)),
          true,
        );
        dv.setUint32(
          4,
          Number(this.enumValue(attr.enum, b.selector ?? 0, true, `${attr.name}.selector`)),
          true,
        );
        w.attr(attr.value, bytes);
        return;
      }
      case 'nest': {
        const token = w.nest(attr.value);
        if (attr.fixedHeader !== undefined) {
          // The header's members and the nested set's attributes share one object.
          const header = new Set(this.structs.get(attr.fixedHeader)?.members.map((m) => m.name));
          const rest: YnlValue = {};
          for (const [k, x] of Object.entries(v as YnlValue)) if (!header.has(k)) rest[k] = x;
          this.buildStruct(attr.fixedHeader, w, v as YnlValue);
          if (attr.nested !== undefined) this.build(attr.nested, w, rest);
        } else if (attr.nested !== undefined) this.build(attr.nested, w, v as YnlValue);
        w.endNest(token);
        return;
      }
      case 'indexed-array': {
        const token = w.nest(attr.value);
        (v as unknown[]).forEach((item, i) => {
          if (attr.subType === 'nest' && attr.nested !== undefined) {
            const inner = w.nest(i + 1);
            this.build(attr.nested, w, item as YnlValue);
            w.endNest(inner);
          } else if (attr.subType !== undefined && SCALAR_SIZE[attr.subType] !== undefined) {
            w.attr(i + 1, scalar(attr.subType, item));
          } else {
            w.attr(i + 1, parseBytes(item, undefined, attr.name));
          }
        });
        w.endNest(token);
        return;
      }
      case 'nest-type-value': {
        const levels = attr.typeValue?.length ?? 1;
        const writeLevel = (obj: Record<string, unknown>, depth: number): void => {
          for (const [k, inner] of Object.entries(obj)) {
            const token = w.nest(Number(k));
            if (depth + 1 < levels) writeLevel(inner as Record<string, unknown>, depth + 1);
            else if (attr.nested !== undefined) this.build(attr.nested, w, inner as YnlValue);
            w.endNest(token);
          }
        };
        const token = w.nest(attr.value);
        writeLevel(v as Record<string, unknown>, 0);
        w.endNest(token);
        return;
      }
      case 'sub-message': {
        const selector = attr.selector === undefined ? undefined : siblings[attr.selector];
        const sub = this.family.subMessages.find((s) => s.name === attr.subMessage);
        const format = sub?.formats.find((f) => f.value === String(selector));
        if (format === undefined)
          throw new TypeError(`ynl: no ${attr.subMessage} format for ${String(selector)}`);
        const token = w.nest(attr.value);
        const obj = v as YnlValue;
        if (format.fixedHeader !== undefined) this.buildStruct(format.fixedHeader, w, obj);
        if (format.attributeSet !== undefined) {
          const own = this.byName.get(format.attributeSet);
          const attrs: YnlValue = {};
          for (const [k, x] of Object.entries(obj)) if (own?.has(k)) attrs[k] = x;
          this.build(format.attributeSet, w, attrs);
        }
        w.endNest(token);
        return;
      }
      default:
        w.attr(attr.value, parseBytes(v, undefined, attr.name));
    }
  }
}

/**
 * Whether `attr` is a scalar with `type-value` (ethtool's `stat`, `u64` with `type-value:
 * [id]`): not a value of its own but a nest of attributes whose types are the keys (the
 * kernel's stat_put writes a STAT nest around one u64 attribute of type `id`). Decoded as a
 * record from the type (as text) to the scalar, every occurrence merged.
 *
 * @internal
 * @example
 * declare const attr: YnlAttribute; // ethtool's stats-grp `stat`
 * if (isTypeValued(attr)) console.log(`${attr.name}: a record from counter id to value`);
 */
export function isTypeValued(attr: YnlAttribute): boolean {
  return (
    attr.typeValue !== undefined &&
    attr.type !== 'nest-type-value' &&
    (SCALAR_SIZE[attr.type] !== undefined || attr.type === 'uint' || attr.type === 'sint')
  );
}

/**
 * The codec of a normalized family (see `normalizeSpec`).
 *
 * @example
 * const codec = ynlCodec(normalizeSpec(spec));
 * codec.decode('ctrl-attrs', message.view, message.payloadOffset + 4, message.end);
 */
export function ynlCodec(family: YnlFamily): YnlCodec {
  return new YnlCodec(family);
}
