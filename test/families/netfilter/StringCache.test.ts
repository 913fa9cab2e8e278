import { describe, expect, it } from 'vitest';
import { StringCache } from '../../../src/netlink/attributeReader.js';

/** A cache that counts its `make` calls; strings are the bytes in hex. */
function counting() {
  const made: string[] = [];
  const cache = new StringCache((view, at, length) => {
    let s = '';
    for (let i = 0; i < length; i++)
      s += view
        .getUint8(at + i)
        .toString(16)
        .padStart(2, '0');
    made.push(s);
    return s;
  });
  return { cache, made };
}

const viewOf = (...bytes: number[]) => new DataView(Uint8Array.from(bytes).buffer);

describe('StringCache', () => {
  it.each([
    {
      name: 'the same bytes at another offset',
      view: viewOf(9, 1, 2, 3),
      at: 1,
      length: 3,
      value: '010203',
      makes: 1,
    },
    {
      name: 'other bytes of the same length',
      view: viewOf(1, 2, 4),
      at: 0,
      length: 3,
      value: '010204',
      makes: 2,
    },
    {
      name: 'a prefix of the cached bytes',
      view: viewOf(1, 2),
      at: 0,
      length: 2,
      value: '0102',
      makes: 2,
    },
  ])(
    'makes a string once and answers repeats in place: $name',
    ({ view, at, length, value, makes }) => {
      const { cache, made } = counting();
      expect(cache.get(viewOf(1, 2, 3), 0, 3)).toBe('010203');
      expect(cache.get(view, at, length)).toBe(value);
      expect(made.length).toBe(makes);
    },
  );

  it('keeps eight entries and forgets the oldest first', () => {
    const { cache, made } = counting();
    for (let i = 0; i < 9; i++) cache.get(viewOf(i), 0, 1);
    expect(made.length).toBe(9);
    for (let i = 1; i < 9; i++) cache.get(viewOf(i), 0, 1);
    expect(made.length).toBe(9);
    expect(cache.get(viewOf(0), 0, 1)).toBe('00');
    expect(made.length).toBe(10);
  });

  it('gives the empty string for no bytes, and does not keep long runs', () => {
    const { cache, made } = counting();
    expect(cache.get(viewOf(), 0, 0)).toBe('');
    expect(cache.get(viewOf(), 0, 0)).toBe('');
    const long = new DataView(new Uint8Array(200).fill(7).buffer);
    expect(cache.get(long, 0, 200)).toBe('07'.repeat(200));
    expect(cache.get(long, 0, 200)).toBe('07'.repeat(200));
    expect(made).toEqual(['', '07'.repeat(200), '07'.repeat(200)]);
  });
});
