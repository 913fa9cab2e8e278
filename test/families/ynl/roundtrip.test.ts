// Round trip from the spec: for every attribute set of every generated family, values drawn
// from fast-check arbitraries derived from the set's attribute types (structs and type-value
// scalars included) are built with the family's codec and decoded back unchanged; damaged
// bytes throw DecodeError only.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { catalog } from '../../../src/families/ynl/catalog.js';
import { isTypeValued, type YnlCodec, ynlCodec } from '../../../src/families/ynl/codec.js';
import type { YnlAttribute, YnlFamily } from '../../../src/families/ynl/spec.js';
import { formatIPv4, formatIPv6 } from '../../../src/netlink/inet.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';

const SIGNED: Record<string, bigint> = { s8: 7n, s16: 15n, s32: 31n, s64: 63n };
const UNSIGNED: Record<string, number> = { u8: 8, u16: 16, u32: 32 };

/** An arbitrary for one attribute's decoded value, or undefined for types left out here. */
function attributeArbitrary(
  family: YnlFamily,
  attr: YnlAttribute,
  depth: number,
): fc.Arbitrary<unknown> | undefined {
  if (attr.type === 'binary' && attr.struct !== undefined && attr.sizedEntries !== true) {
    return structArbitrary(family, attr.struct, 0);
  }
  if (attr.struct !== undefined || attr.fixedHeader !== undefined) return undefined;
  if (attr.enum !== undefined) return enumArbitrary(family, attr.enum, attr.type, attr.enumAsFlags);
  if (attr.type === 'binary' && attr.subType === undefined && attr.displayHint !== undefined)
    return hintedArbitrary(attr.displayHint, undefined);
  if (isTypeValued(attr)) {
    // A record from inner attribute type (as text) to the scalar, at least one entry.
    const scalar = attributeArbitrary(family, { ...attr, typeValue: undefined }, depth);
    if (scalar === undefined) return undefined;
    return fc.dictionary(fc.integer({ min: 0, max: 0x3fff }).map(String), scalar, {
      minKeys: 1,
      maxKeys: 3,
    });
  }
  const t = attr.type;
  // A display hint on a scalar (tcp_metrics' u32 addr-ipv4) changes nothing: it reads as a number.
  const bits = UNSIGNED[t];
  if (bits !== undefined) return fc.integer({ min: 0, max: 2 ** bits - 1 });
  if (t === 'u64') return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const sbits = SIGNED[t];
  if (sbits !== undefined) {
    return sbits === 63n
      ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
      : fc.integer({ min: -(2 ** Number(sbits)), max: 2 ** Number(sbits) - 1 });
  }
  if (t === 'uint') return fc.nat(0xffffffff);
  if (t === 'sint') return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
  if (t === 'flag') return fc.constant(true);
  if (t === 'string') return fc.string({ maxLength: 20 }).filter((s) => !s.includes('\0'));
  if (t === 'binary' && attr.subType === undefined) return fc.uint8Array({ maxLength: 24 });
  if (t === 'nest' && attr.nested !== undefined && depth < 2)
    return setArbitrary(family, attr.nested, depth + 1);
  if (t === 'indexed-array' && attr.subType === 'nest' && attr.nested !== undefined && depth < 2) {
    return fc.array(setArbitrary(family, attr.nested, depth + 1), { maxLength: 3 });
  }
  return undefined;
}

/** Hex of `bytes`, `sep` between them. */
const hex = (bytes: Uint8Array, sep = '') =>
  [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(sep);

/**
 * The text a display hint decodes to, from bytes of a length the hint has (`len`, a struct
 * member's, when given): what decode returns and build must take back unchanged. IPv6 draws
 * mapped and compatible addresses (`::ffff:a.b.c.d`, `::a.b.c.d`) and runs of zeros often.
 */
function hintedArbitrary(hint: string, len: number | undefined): fc.Arbitrary<unknown> | undefined {
  const sized = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
  const zeroish = (n: number) =>
    fc
      .array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 255 })), {
        minLength: n,
        maxLength: n,
      })
      .map((b) => Uint8Array.from(b));
  const v6 = fc
    .oneof(
      zeroish(16),
      sized(4).map((v4) => Uint8Array.from([...Array(10).fill(0), 0xff, 0xff, ...v4])),
      sized(4).map((v4) => Uint8Array.from([...Array(12).fill(0), ...v4])),
    )
    .map((b) => formatIPv6(b));
  const v4 = sized(4).map((b) => formatIPv4(b));
  if (hint === 'ipv4') return len === undefined || len === 4 ? v4 : undefined;
  if (hint === 'ipv6') return len === undefined || len === 16 ? v6 : undefined;
  if (hint === 'ipv4-or-v6')
    return len === undefined ? fc.oneof(v4, v6) : len === 4 ? v4 : len === 16 ? v6 : undefined;
  if (hint === 'mac') return sized(len ?? 6).map((b) => hex(b, ':'));
  if (hint === 'hex' || hint === 'uuid')
    return (len === undefined ? fc.uint8Array({ maxLength: 16 }) : sized(len)).map((b) => hex(b));
  return undefined;
}

/**
 * An enum-valued scalar as decode returns it: one of the names or a number no entry has;
 * for flags (or `enum-as-flags`), the names of the set bits in entry order, then the bits
 * no entry names as one number.
 */
function enumArbitrary(
  family: YnlFamily,
  name: string,
  type: string,
  asFlags: boolean | undefined,
): fc.Arbitrary<unknown> | undefined {
  const e = family.enums.find((x) => x.name === name);
  const width = UNSIGNED[type] ?? (type === 'uint' || type === 'u64' ? 32 : undefined);
  if (e === undefined || width === undefined || e.entries.length === 0) return undefined;
  if (e.flags || asFlags) {
    const bitOf = (v: number) => (e.flags ? v : 2 ** v);
    const named = e.entries.reduce((acc, x) => (acc | bitOf(x.value)) >>> 0, 0);
    const max = 2 ** width - 1;
    if (named > max) return undefined;
    return fc
      .tuple(fc.subarray(e.entries.map((x) => x.name)), fc.integer({ min: 0, max }))
      .map(([names, extra]) => {
        const rest = (extra & ~named) >>> 0;
        return rest === 0 ? names : [...names, rest];
      });
  }
  const values = new Set(e.entries.map((x) => x.value));
  return fc.oneof(
    fc.constantFrom(...e.entries.map((x) => x.name)),
    fc.integer({ min: 0, max: 2 ** width - 1 }).filter((n) => !values.has(n)),
  );
}

/** A member's scalar: any value of its width (numbers below 64 bits, bigints at 64). */
function scalarArbitrary(type: string): fc.Arbitrary<unknown> | undefined {
  const bits = UNSIGNED[type];
  if (bits !== undefined) return fc.integer({ min: 0, max: 2 ** bits - 1 });
  if (type === 'u64') return fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
  const sbits = SIGNED[type];
  if (sbits === undefined) return undefined;
  return sbits === 63n
    ? fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })
    : fc.integer({ min: -(2 ** Number(sbits)), max: 2 ** Number(sbits) - 1 });
}

/**
 * A whole struct value as the codec decodes one: every member but pads; an enum member one
 * of its names; bytes of the member's length; text shorter than it, without NUL. Undefined
 * for a struct with a member whose text form is not its input (a display hint, a flags
 * enum).
 */
function structArbitrary(
  family: YnlFamily,
  name: string,
  depth: number,
): fc.Arbitrary<Record<string, unknown>> | undefined {
  const struct = family.structs.find((s) => s.name === name);
  if (struct === undefined || depth > 2) return undefined;
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const m of struct.members) {
    if (m.type === 'pad') continue;
    let arb: fc.Arbitrary<unknown> | undefined;
    if (m.struct !== undefined) arb = structArbitrary(family, m.struct, depth + 1);
    else if (m.type === 'binary' && m.displayHint !== undefined)
      arb = hintedArbitrary(m.displayHint, m.len);
    else if (m.type === 'string' && m.len !== undefined)
      arb = fc.string({ maxLength: Math.max(0, m.len - 1) }).filter((t) => /^[ -~]*$/.test(t));
    else if (m.type === 'binary' && m.len !== undefined)
      arb = fc.uint8Array({ minLength: m.len, maxLength: m.len });
    else if (m.enum !== undefined) arb = enumArbitrary(family, m.enum, m.type, false);
    else arb = scalarArbitrary(m.type);
    if (arb === undefined) return undefined;
    shape[m.name] = arb;
  }
  return fc.record(shape);
}

function setArbitrary(
  family: YnlFamily,
  setName: string,
  depth = 0,
): fc.Arbitrary<Record<string, unknown>> {
  const set = family.attributeSets.find((s) => s.name === setName);
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const attr of set?.attributes ?? []) {
    const arb = attributeArbitrary(family, attr, depth);
    if (arb === undefined) continue;
    shape[attr.name] = attr.multiAttr ? fc.array(arb, { minLength: 1, maxLength: 3 }) : arb;
  }
  return fc.record(shape, { requiredKeys: [] });
}

function roundTrip(
  codec: YnlCodec,
  setName: string,
  value: Record<string, unknown>,
): Record<string, unknown> {
  const w = new MessageWriter();
  codec.build(setName, w, value);
  const bytes = w.finish();
  return codec.decode(
    setName,
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    0,
    bytes.byteLength,
  );
}

const rows = await Promise.all(
  catalog.map(async (entry) => {
    const module = (await import(`../../../src/families/ynl/${entry.module}`)) as {
      spec: YnlFamily;
    };
    return { name: entry.name, spec: module.spec };
  }),
);

describe('generated codecs: build → decode', () => {
  it.each(rows)('$name: every attribute set round-trips', ({ spec }) => {
    const codec = ynlCodec(spec);
    for (const set of spec.attributeSets) {
      fc.assert(
        fc.property(setArbitrary(spec, set.name), (value) => {
          expect(roundTrip(codec, set.name, value)).toEqual(value);
        }),
        { numRuns: 20 },
      );
    }
  });

  it.each(rows)('$name: damaged bytes throw DecodeError or decode', ({ spec }) => {
    const codec = ynlCodec(spec);
    for (const set of spec.attributeSets) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
          try {
            codec.decode(
              set.name,
              new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength),
              0,
              bytes.byteLength,
            );
          } catch (error) {
            expect(error).toBeInstanceOf(DecodeError);
          }
        }),
        { numRuns: 10 },
      );
    }
  });
});

describe('generated codecs: build refuses what it cannot write, naming the attribute', () => {
  const spec = (name: string) => {
    const row = rows.find((r) => r.name === name);
    if (row === undefined) throw new Error(`no family ${name}`);
    return ynlCodec(row.spec);
  };
  const build = (codec: YnlCodec, set: string, value: Record<string, unknown>) => () =>
    codec.build(set, new MessageWriter(), value);

  it.each([
    { attr: 'addr-ipv4', value: '1.2.3.4', message: /addr-ipv4: expected a number, got "1.2.3.4"/ },
    {
      attr: 'addr-ipv6',
      value: '1.2.3.4',
      message: /addr-ipv6: expected an IPv6 address, got "1.2.3.4"/,
    },
    { attr: 'addr-ipv6', value: '2001:db8::g', message: /expected an IPv6 address/ },
    {
      attr: 'addr-ipv6',
      value: 7,
      message: /addr-ipv6: expected bytes \(a Uint8Array or text\), got number/,
    },
    { attr: 'addr-ipv6', value: [1, 256], message: /addr-ipv6: expected bytes 0-255/ },
  ])('tcp_metrics $attr = $value', ({ attr, value, message }) => {
    expect(build(spec('tcp_metrics'), 'tcp-metrics', { [attr]: value })).toThrow(message);
    expect(build(spec('tcp_metrics'), 'tcp-metrics', { [attr]: value })).toThrow(TypeError);
  });

  it('rt-link: a hardware address must be hex bytes joined by ":"', () => {
    const codec = spec('rt-link');
    expect(build(codec, 'link-attrs', { address: '52:54:00:zz:34:56' })).toThrow(
      /address: expected a hardware address/,
    );
    expect(build(codec, 'link-attrs', { address: '52:54:00:12:34:56' })).not.toThrow();
  });

  it('ovs_flow: a struct member longer than its field is refused, a shorter one zero-filled', () => {
    const codec = spec('ovs_flow');
    const w = new MessageWriter();
    expect(() =>
      codec.buildStruct('ovs-key-ethernet', w, { 'eth-src': '52:54:00:12:34:56:78' }),
    ).toThrow(/ovs-key-ethernet\.eth-src: 7 bytes do not fit its 6/);
    const out = new MessageWriter();
    codec.buildStruct('ovs-key-ethernet', out, { 'eth-src': '52:54' });
    const bytes = out.finish();
    expect([...bytes.subarray(0, 6)]).toEqual([0x52, 0x54, 0, 0, 0, 0]);
  });

  it('an enum name that is not in the enum is refused with the enum named', () => {
    const codec = spec('netdev');
    expect(build(codec, 'queue', { type: 'sideways' })).toThrow(
      /type: "sideways" is not in enum queue-type/,
    );
    expect(build(codec, 'queue', { type: 'rx' })).not.toThrow();
  });
});
