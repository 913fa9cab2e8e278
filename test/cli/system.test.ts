import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { pageSize, readCapabilities } from '../../src/cli/system.js';

describe('readCapabilities', () => {
  it.each([
    {
      name: 'root: every capability',
      status: 'Name:\tnode\nCapInh:\t0000000000000000\nCapEff:\t000001ffffffffff\n',
      effective: '000001ffffffffff',
      netAdmin: true,
      sysAdmin: true,
    },
    {
      name: 'an unprivileged process: none',
      status: 'CapPrm:\t0000000000000000\nCapEff:\t0000000000000000\n',
      effective: '0000000000000000',
      netAdmin: false,
      sysAdmin: false,
    },
    {
      name: 'CAP_NET_ADMIN only (bit 12)',
      status: 'CapEff:\t0000000000001000\n',
      effective: '0000000000001000',
      netAdmin: true,
      sysAdmin: false,
    },
    {
      name: 'CAP_SYS_ADMIN only (bit 21)',
      status: 'CapEff:\t0000000000200000\n',
      effective: '0000000000200000',
      netAdmin: false,
      sysAdmin: true,
    },
    {
      name: 'no CapEff line',
      status: 'Name:\tnode\n',
      effective: null,
      netAdmin: false,
      sysAdmin: false,
    },
  ])('$name', ({ status, effective, netAdmin, sysAdmin }) => {
    expect(readCapabilities(status)).toEqual({
      effective,
      held: { CAP_NET_ADMIN: netAdmin, CAP_SYS_ADMIN: sysAdmin },
    });
  });

  it("reads this process's /proc/self/status by default", () => {
    const status = readFileSync('/proc/self/status', 'utf8');
    expect(readCapabilities()).toEqual(readCapabilities(status));
    expect(readCapabilities().effective).toMatch(/^[0-9a-f]{16}$/);
  });
});

/** An auxiliary vector of (type, value) pairs, little-endian words of `size` bytes. */
function auxv(pairs: readonly (readonly [number, number])[], size: 4 | 8): Uint8Array {
  const bytes = new Uint8Array(pairs.length * 2 * size);
  const view = new DataView(bytes.buffer);
  pairs.flat().forEach((word, i) => {
    if (size === 8) view.setBigUint64(i * 8, BigInt(word), true);
    else view.setUint32(i * 4, word, true);
  });
  return bytes;
}

describe('pageSize', () => {
  it.each([
    {
      name: 'AT_PAGESZ among others, 64-bit',
      bytes: auxv(
        [
          [33, 0x7ffd0000],
          [16, 0xbfebfbff],
          [6, 4096],
          [17, 100],
          [0, 0],
        ],
        8,
      ),
      size: 8,
      expected: 4096,
    },
    {
      name: '64 KiB pages',
      bytes: auxv(
        [
          [6, 65536],
          [0, 0],
        ],
        8,
      ),
      size: 8,
      expected: 65536,
    },
    {
      name: '32-bit words',
      bytes: auxv(
        [
          [3, 0x8048034],
          [6, 16384],
          [0, 0],
        ],
        4,
      ),
      size: 4,
      expected: 16384,
    },
    {
      name: 'AT_PAGESZ after AT_NULL',
      bytes: auxv(
        [
          [0, 0],
          [6, 4096],
        ],
        8,
      ),
      size: 8,
      expected: null,
    },
    {
      name: 'no AT_PAGESZ',
      bytes: auxv(
        [
          [33, 1],
          [0, 0],
        ],
        8,
      ),
      size: 8,
      expected: null,
    },
    {
      name: 'a zero page size',
      bytes: auxv(
        [
          [6, 0],
          [0, 0],
        ],
        8,
      ),
      size: 8,
      expected: null,
    },
    {
      name: 'a truncated pair',
      bytes: auxv([[6, 4096]], 8).subarray(0, 12),
      size: 8,
      expected: null,
    },
    { name: 'nothing', bytes: new Uint8Array(0), size: 8, expected: null },
  ])('$name', ({ bytes, size, expected }) => {
    expect(pageSize(bytes, size)).toBe(expected);
  });

  it("reads this process's /proc/self/auxv by default: what getconf says", () => {
    expect(pageSize()).toBe(Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' })));
  });
});
