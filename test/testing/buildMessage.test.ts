import { describe, expect, it } from 'vitest';
import { NLA_F_NESTED, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { buildMessage } from '../../src/testing/buildMessage.js';

describe('buildMessage', () => {
  it.each([
    {
      name: 'a bare header',
      options: { type: 0x10, flags: NLM_F_REQUEST, seq: 1, pid: 2 },
      // biome-ignore format: byte literals four per line
      bytes: [
        16, 0, 0, 0,
        0x10, 0, 1, 0,
        1, 0, 0, 0,
        2, 0, 0, 0,
      ],
    },
    {
      name: 'a payload padded to 4',
      options: { type: 0x12, payload: new Uint8Array([0xaa, 0xbb, 0xcc]) },
      // biome-ignore format: byte literals four per line
      bytes: [
        20, 0, 0, 0,
        0x12, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
        0xaa, 0xbb, 0xcc, 0,
      ],
    },
    {
      name: 'u32, string, raw and u64 attributes',
      options: {
        type: 0x10,
        seq: 0x01020304,
        attributes: [
          [4, 1500],
          [3, 'lo'],
          [7, new Uint8Array([9])],
          [9, 5n],
        ] as const,
      },
      // biome-ignore format: byte literals four per line
      bytes: [
        52, 0, 0, 0,
        0x10, 0, 0, 0,
        4, 3, 2, 1,
        0, 0, 0, 0,
        8, 0, 4, 0,
        0xdc, 0x05, 0, 0,
        7, 0, 3, 0,
        0x6c, 0x6f, 0, 0,
        5, 0, 7, 0,
        9, 0, 0, 0,
        12, 0, 9, 0,
        5, 0, 0, 0,
        0, 0, 0, 0,
      ],
    },
    {
      name: 'a nest after a family header',
      options: {
        type: 0x10,
        payload: new Uint8Array(4),
        attributes: [[18, [[1, 7]]]] as const,
      },
      // biome-ignore format: byte literals four per line
      bytes: [
        32, 0, 0, 0,
        0x10, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
        12, 0, 18, 0x80,
        8, 0, 1, 0,
        7, 0, 0, 0,
      ],
    },
  ])('$name', ({ options, bytes }) => {
    const out = buildMessage(options);
    expect([...out]).toEqual(bytes);
    const m = NetlinkMessage.from(out);
    expect(m.length).toBe(out.byteLength);
  });

  it('sets NLA_F_NESTED on nests', () => {
    const out = buildMessage({ type: 0x10, attributes: [[2, [[1, 'x']]]] });
    expect(new DataView(out.buffer).getUint16(18, true)).toBe(2 | NLA_F_NESTED);
  });
});
