import { describe, expect, it } from 'vitest';
import type { RingEndpoint } from '../../../src/ring/RingEndpoint.js';
import { checkOpenOption } from '../../../src/sources/netfilter/checkOpenOption.js';

const endpoint = {} as RingEndpoint;
const factory = () => endpoint;

describe('checkOpenOption', () => {
  it.each([
    { name: 'undefined', open: undefined },
    { name: 'an endpoint', open: endpoint },
    { name: 'a factory', open: factory },
  ])('returns $name as it is', ({ open }) => {
    expect(checkOpenOption(open)).toBe(open);
  });

  it.each([
    { name: 'null', open: null },
    { name: 'a number', open: 3 },
    { name: 'a string', open: 'x' },
    { name: 'a boolean', open: true },
  ])('throws a TypeError naming the option for $name', ({ open }) => {
    expect(() => checkOpenOption(open as unknown as RingEndpoint)).toThrow(
      new TypeError('open: expected a RingEndpoint or a function that returns one'),
    );
  });
});
