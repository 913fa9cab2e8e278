import { describe, expect, it } from 'vitest';
import type { Attributes } from '../../../src/netlink/Attributes.js';
import { withAttributeCursor } from '../../../src/netlink/attributeReader.js';

// biome-ignore format: byte literals four per line
const message = Uint8Array.from([
  0x08, 0x00, 0x02, 0x00, // type 2, nla_len 8
  0x00, 0x00, 0x00, 0x07,
  0x06, 0x00, 0x05, 0x80, // type 5 | NLA_F_NESTED, nla_len 6
  0xab, 0xcd, 0x00, 0x00,
]);
const view = new DataView(message.buffer);

/** What the cursor shows `read`. */
function seen(_view: DataView, a: Attributes) {
  return { type: a.type, offset: a.offset, length: a.length, headerOffset: a.headerOffset };
}

describe('withAttributeCursor', () => {
  it.each([
    { name: 'the first attribute', at: 0, type: 2, offset: 4, length: 4 },
    { name: 'a later one, flags masked off', at: 8, type: 5, offset: 12, length: 2 },
  ])('hands `read` a cursor on $name', ({ at, type, offset, length }) => {
    expect(withAttributeCursor(view, at, message.length, seen)).toEqual({
      type,
      offset,
      length,
      headerOffset: at,
    });
  });

  it('passes on what `read` throws, and serves the next call', () => {
    const failure = new Error('malformed');
    expect(() =>
      withAttributeCursor(view, 0, message.length, () => {
        throw failure;
      }),
    ).toThrow(failure);
    expect(withAttributeCursor(view, 0, message.length, (v, a) => v.getUint32(a.offset))).toBe(7);
  });

  it('lets go of the memory it was given once `read` returns', () => {
    let cursor: Attributes | undefined;
    withAttributeCursor(view, 0, message.length, (_v, a) => {
      cursor = a;
    });
    expect(cursor?.next()).toBe(false);
  });
});
