import { describe, expect, it } from 'vitest';
import { checkOptionalUint } from '../../../src/sources/netfilter/checkOptionalUint.js';
import { checkUintOption } from '../../../src/sources/netfilter/checkUintOption.js';

describe('checkUintOption and checkOptionalUint', () => {
  it.each([
    { name: 'zero', value: 0 },
    { name: 'the largest', value: 0xffff },
  ])('return $name as it is', ({ value }) => {
    expect(checkUintOption('group', value, 0xffff)).toBe(value);
    expect(checkOptionalUint('group', value, 0xffff)).toBe(value);
  });

  it.each([
    { name: 'past the largest', value: 0x10000, text: '65536' },
    { name: 'negative', value: -1, text: '-1' },
    { name: 'a fraction', value: 1.5, text: '1.5' },
    { name: 'NaN', value: Number.NaN, text: 'NaN' },
    { name: 'a numeric string', value: '7', text: '7' },
    { name: 'null', value: null, text: 'null' },
  ])('throw a TypeError naming the option and the value for $name', ({ value, text }) => {
    const error = new TypeError(`queue: expected an integer in [0, 65535], got ${text}`);
    expect(() => checkUintOption('queue', value, 0xffff)).toThrow(error);
    expect(() => checkOptionalUint('queue', value, 0xffff)).toThrow(error);
  });

  it('differ on undefined: required, or left out', () => {
    expect(() => checkUintOption('group', undefined, 0xffff)).toThrow(
      new TypeError('group: expected an integer in [0, 65535], got undefined'),
    );
    expect(checkOptionalUint('group', undefined, 0xffff)).toBeUndefined();
  });
});
