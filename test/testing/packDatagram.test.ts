import { describe, expect, it } from 'vitest';
import { walkMessages } from '../../src/netlink/NetlinkMessage.js';
import { packDatagram } from '../../src/testing/packDatagram.js';

// biome-ignore format: byte literals four per line
const odd = new Uint8Array([
  17, 0, 0, 0,
  0x10, 0, 0, 0,
  1, 0, 0, 0,
  0, 0, 0, 0,
  0xab,
]);
// biome-ignore format: byte literals four per line
const even = new Uint8Array([
  16, 0, 0, 0,
  0x11, 0, 0, 0,
  2, 0, 0, 0,
  0, 0, 0, 0,
]);

describe('packDatagram', () => {
  it.each([
    { name: 'nothing', messages: [], bytes: [] as number[] },
    { name: 'one aligned message', messages: [even], bytes: [...even] },
    {
      name: 'an unaligned message is padded',
      messages: [odd, even],
      bytes: [...odd, 0, 0, 0, ...even],
    },
  ])('$name', ({ messages, bytes }) => {
    expect([...packDatagram(messages)]).toEqual(bytes);
  });

  it('walks back into the same messages', () => {
    const out = packDatagram([odd, even, odd]);
    const seqs: number[] = [];
    const view = new DataView(out.buffer);
    walkMessages(view, 0, out.byteLength, (at) => {
      seqs.push(view.getUint32(at + 8, true));
      return true;
    });
    expect(seqs).toEqual([1, 2, 1]);
  });
});
