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
  if (
    attr.enum !== undefined ||
    attr.displayHint !== undefined ||
    attr.struct !== undefined ||
    attr.fixedHeader !== undefined
  )
    return undefined;
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
    if (m.displayHint !== undefined) return undefined;
    let arb: fc.Arbitrary<unknown> | undefined;
    if (m.struct !== undefined) arb = structArbitrary(family, m.struct, depth + 1);
    else if (m.type === 'string' && m.len !== undefined)
      arb = fc.string({ maxLength: Math.max(0, m.len - 1) }).filter((t) => /^[ -~]*$/.test(t));
    else if (m.type === 'binary' && m.len !== undefined)
      arb = fc.uint8Array({ minLength: m.len, maxLength: m.len });
    else if (m.enum !== undefined) {
      const e = family.enums.find((x) => x.name === m.enum);
      if (e === undefined || e.flags || e.entries.length === 0) return undefined;
      arb = fc.constantFrom(...e.entries.map((x) => x.name));
    } else arb = scalarArbitrary(m.type);
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
