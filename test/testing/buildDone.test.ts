import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { buildDone } from '../../src/testing/buildDone.js';

describe('buildDone', () => {
  it.each([
    {
      name: 'a dump that ended normally',
      seq: 7,
      options: {},
      // biome-ignore format: byte literals four per line
      bytes: [
        20, 0, 0, 0,
        3, 0, 2, 0,
        7, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
      ],
    },
    {
      name: 'a dump that failed, for port 0x1234',
      seq: 0x100,
      options: { errno: errnos.EINTR, pid: 0x1234 },
      // biome-ignore format: byte literals four per line
      bytes: [
        20, 0, 0, 0,
        3, 0, 2, 0,
        0, 1, 0, 0,
        0x34, 0x12, 0, 0,
        0xfc, 0xff, 0xff, 0xff,
      ],
    },
  ])('$name', ({ seq, options, bytes }) => {
    expect([...buildDone(seq, options)]).toEqual(bytes);
  });
});
