import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIPv6 } from '../../../src/families/rtnetlink/formatIPv6.js';
import { libcNtop6, libcOracleMissing } from './libcOracle.js';

function v6(...words: number[]): Uint8Array {
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

describe('formatIPv6', () => {
  it.each([
    { name: 'the unspecified address', bytes: v6(0, 0, 0, 0, 0, 0, 0, 0), text: '::' },
    { name: 'loopback', bytes: v6(0, 0, 0, 0, 0, 0, 0, 1), text: '::1' },
    {
      name: 'a documentation address',
      bytes: v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
      text: '2001:db8::1',
    },
    { name: 'a trailing run', bytes: v6(0xfe80, 0, 0, 0, 0, 0, 0, 0), text: 'fe80::' },
    {
      name: 'a single zero group (not compressed)',
      bytes: v6(1, 0, 1, 1, 1, 1, 1, 1),
      text: '1:0:1:1:1:1:1:1',
    },
    {
      name: 'the first of two equal runs',
      bytes: v6(0xfe80, 0, 0, 0, 1, 0, 0, 0),
      text: 'fe80::1:0:0:0',
    },
    { name: 'the longer run', bytes: v6(0, 1, 0, 0, 1, 0, 0, 0), text: '0:1:0:0:1::' },
    {
      name: 'IPv4-mapped',
      bytes: v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201),
      text: '::ffff:192.0.2.1',
    },
    { name: 'IPv4-mapped zero', bytes: v6(0, 0, 0, 0, 0, 0xffff, 0, 0), text: '::ffff:0.0.0.0' },
    { name: 'IPv4-compatible', bytes: v6(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), text: '::1.2.3.4' },
    {
      name: 'not IPv4-compatible when the run is longer',
      bytes: v6(0, 0, 0, 0, 0, 0, 0, 0x0102),
      text: '::102',
    },
    {
      name: 'lower case, no leading zeros',
      bytes: v6(0xabcd, 0xef, 1, 0x20, 0x300, 4, 5, 6),
      text: 'abcd:ef:1:20:300:4:5:6',
    },
  ])('formats $name', ({ bytes, text }) => {
    expect(formatIPv6(bytes)).toBe(text);
  });

  it('reads at an offset', () => {
    const bytes = new Uint8Array(20);
    bytes.set(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), 4);
    expect(formatIPv6(bytes, 4)).toBe('2001:db8::9');
  });

  it.skipIf(libcOracleMissing !== undefined)(
    'prints what glibc inet_ntop prints (ip uses it) for 3000 addresses rich in zero runs',
    () => {
      const word = fc.oneof(
        { weight: 5, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constant(0xffff) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 0xff }) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
      );
      const addresses = fc
        .sample(fc.array(word, { minLength: 8, maxLength: 8 }), { numRuns: 3000, seed: 4242 })
        .map((words) => v6(...words));
      const theirs = libcNtop6(addresses);
      expect(addresses.map((a) => formatIPv6(a))).toEqual(theirs);
    },
  );
});
