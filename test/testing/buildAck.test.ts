import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { readAck } from '../../src/netlink/control.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { buildAck } from '../../src/testing/buildAck.js';

// biome-ignore format: byte literals four per line
const request = new Uint8Array([
  20, 0, 0, 0,
  0x10, 0, 0x05, 0,
  9, 0, 0, 0,
  0x39, 0x30, 0, 0,
  0xaa, 0xbb, 0xcc, 0xdd,
]);

describe('buildAck', () => {
  it.each([
    {
      name: 'an ack: capped, the request header only',
      options: {},
      // biome-ignore format: byte literals four per line
      bytes: [
        36, 0, 0, 0,
        2, 0, 0, 1,
        9, 0, 0, 0,
        0x39, 0x30, 0, 0,
        0, 0, 0, 0,
        20, 0, 0, 0,
        0x10, 0, 0x05, 0,
        9, 0, 0, 0,
        0x39, 0x30, 0, 0,
      ],
    },
    {
      name: 'an error: the whole request echoed',
      options: { errno: errnos.EINVAL, pid: 1 },
      // biome-ignore format: byte literals four per line
      bytes: [
        40, 0, 0, 0,
        2, 0, 0, 0,
        9, 0, 0, 0,
        1, 0, 0, 0,
        0xea, 0xff, 0xff, 0xff,
        20, 0, 0, 0,
        0x10, 0, 0x05, 0,
        9, 0, 0, 0,
        0x39, 0x30, 0, 0,
        0xaa, 0xbb, 0xcc, 0xdd,
      ],
    },
    {
      name: 'an error with extack text and offset, capped',
      options: { errno: errnos.EPERM, extack: 'no', offset: 16, capped: true },
      // biome-ignore format: byte literals four per line
      bytes: [
        52, 0, 0, 0,
        2, 0, 0, 3,
        9, 0, 0, 0,
        0x39, 0x30, 0, 0,
        0xff, 0xff, 0xff, 0xff,
        20, 0, 0, 0,
        0x10, 0, 0x05, 0,
        9, 0, 0, 0,
        0x39, 0x30, 0, 0,
        7, 0, 1, 0,
        0x6e, 0x6f, 0, 0,
        8, 0, 2, 0,
        16, 0, 0, 0,
      ],
    },
  ])('$name', ({ options, bytes }) => {
    expect([...buildAck(request, options)]).toEqual(bytes);
  });

  it('round-trips through readAck, from a NetlinkMessage too', () => {
    const out = buildAck(NetlinkMessage.from(request), {
      errno: errnos.EEXIST,
      extack: 'exists',
      offset: 4,
    });
    expect(readAck(new DataView(out.buffer), 0)).toEqual({
      errno: errnos.EEXIST,
      seq: 9,
      requestType: 0x10,
      extack: 'exists',
      offset: 4,
    });
  });

  it('rejects a request shorter than a header', () => {
    expect(() => buildAck(new Uint8Array(8))).toThrow(RangeError);
  });
});
