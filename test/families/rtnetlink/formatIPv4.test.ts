import { describe, expect, it } from 'vitest';
import { formatIPv4 } from '../../../src/families/rtnetlink/formatIPv4.js';

describe('formatIPv4', () => {
  it.each([
    { name: 'zeros', bytes: [0, 0, 0, 0], offset: 0, text: '0.0.0.0' },
    { name: 'all ones', bytes: [255, 255, 255, 255], offset: 0, text: '255.255.255.255' },
    { name: 'a private address', bytes: [10, 1, 0, 1], offset: 0, text: '10.1.0.1' },
    { name: 'at an offset', bytes: [9, 9, 192, 0, 2, 33], offset: 2, text: '192.0.2.33' },
  ])('formats $name', ({ bytes, offset, text }) => {
    expect(formatIPv4(Uint8Array.from(bytes), offset)).toBe(text);
  });

  it('agrees with the platform for every value of each octet', () => {
    for (let v = 0; v < 256; v++) {
      expect(formatIPv4(Uint8Array.of(v, 255 - v, v, 1))).toBe(`${v}.${255 - v}.${v}.1`);
    }
  });
});
