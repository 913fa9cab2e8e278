import { describe, expect, it } from 'vitest';
import { RawAttributes } from '../../../src/families/rtnetlink/decoding.js';

// biome-ignore format: byte literals four per line
const area = Uint8Array.from([
  0x08, 0x00, 0x01, 0x00, // type 1 (mapped), 4 bytes
  0x0a, 0x00, 0x00, 0x01,
  0x05, 0x00, 0x10, 0x00, // type 16, 1 byte
  0x2a, 0x00, 0x00, 0x00,
  0x0c, 0x00, 0x08, 0x80, // type 8 | NLA_F_NESTED, 8 bytes
  0x06, 0x00, 0x01, 0x00,
  0xaa, 0xbb, 0x00, 0x00,
  0x04, 0x00, 0x10, 0x00, // type 16 again, empty
]);

const mapped = Uint8Array.of(0, 1);

describe('RawAttributes', () => {
  const attrs = new RawAttributes(area, mapped);

  it('lists the kept types in message order, repeats included', () => {
    expect(attrs.types()).toEqual([16, 8, 16]);
    expect(attrs.size).toBe(3);
  });

  it('gets the first payload of a type and says which types are there', () => {
    expect(attrs.get(16)).toEqual(Uint8Array.of(0x2a));
    expect(attrs.get(8)).toEqual(Uint8Array.of(0x06, 0x00, 0x01, 0x00, 0xaa, 0xbb, 0x00, 0x00));
    expect(attrs.get(1)).toBeUndefined(); // mapped: not kept
    expect(attrs.has(8)).toBe(true);
    expect(attrs.has(99)).toBe(false);
  });

  it('iterates kept attributes with their nested flag', () => {
    expect([...attrs].map(({ type, nested, data }) => [type, nested, data.byteLength])).toEqual([
      [16, false, 1],
      [8, true, 8],
      [16, false, 0],
    ]);
  });

  it('serialises to JSON as hex', () => {
    expect(JSON.parse(JSON.stringify(attrs))).toEqual([
      { type: 16, nested: false, hex: '2a' },
      { type: 8, nested: true, hex: '06000100aabb0000' },
      { type: 16, nested: false, hex: '' },
    ]);
  });

  it('keeps everything without a mapped table, and nothing when empty', () => {
    expect(new RawAttributes(area, null).types()).toEqual([1, 16, 8, 16]);
    expect(RawAttributes.empty.size).toBe(0);
    expect([...RawAttributes.empty]).toEqual([]);
  });
});
