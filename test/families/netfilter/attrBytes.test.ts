import { describe, expect, it } from 'vitest';
import { attrBytes } from '../../../src/netlink/attributeReader.js';

// biome-ignore format: byte literals four per line
const memory = Uint8Array.from([
  0xee, 0xee, 0xee, 0xee, // bytes before the view
  0x0a, 0x00, 0x09, 0x00, // nla_len 10, type 9
  0x01, 0x02, 0x03, 0x04,
  0x05, 0x06, 0xee, 0xee, // two payload bytes, then padding
]);
/** A view that starts 4 bytes into its buffer, so offsets are the view's, not the buffer's. */
const view = new DataView(memory.buffer, 4);

describe('attrBytes', () => {
  it.each([
    { name: 'a view', copy: false, shared: true },
    { name: 'a copy', copy: true, shared: false },
  ])('returns the payload after the header as $name', ({ copy, shared }) => {
    const payload = attrBytes(view, 0, 6, copy);
    expect([...payload]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(payload.buffer === memory.buffer).toBe(shared);
    memory[8] = 0x99;
    expect(payload[0]).toBe(shared ? 0x99 : 1);
    memory[8] = 0x01;
  });

  it('returns an empty payload for an attribute that is only a header', () => {
    expect(attrBytes(view, 0, 0, false)).toHaveLength(0);
  });
});
