import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseGeometry } from '../../src/ring/chooseGeometry.js';
import { MAX_DUMP_DATAGRAM, NL_MMAP_HDRLEN } from '../../src/ring/constants.js';
import { ringSize } from '../../src/ring/geometry.js';
import { validateRingRequest } from '../../src/ring/validateRingRequest.js';

describe('chooseGeometry', () => {
  it.each([
    {
      name: 'small messages: quarter-page frames, one-page blocks',
      options: { messageSize: 1000, memory: 65536 },
      geometry: { blockSize: 4096, blockNr: 16, frameSize: 1024, frameNr: 64 },
    },
    {
      name: 'the smallest message: 32-byte frames',
      options: { messageSize: 1, memory: 4096 },
      geometry: { blockSize: 4096, blockNr: 1, frameSize: 32, frameNr: 128 },
    },
    {
      name: 'a message that exactly fills a page frame',
      options: { messageSize: 4096 - NL_MMAP_HDRLEN, memory: 16384 },
      geometry: { blockSize: 4096, blockNr: 4, frameSize: 4096, frameNr: 4 },
    },
    {
      name: 'one byte more: a 4100-byte frame, 15 per 16-page block (6% waste)',
      options: { messageSize: 4096 - NL_MMAP_HDRLEN + 1, memory: 1 << 20 },
      geometry: { blockSize: 65536, blockNr: 16, frameSize: 4100, frameNr: 240 },
    },
    {
      name: 'dump datagrams: 32792-byte frames, two per 17-page block',
      options: { messageSize: MAX_DUMP_DATAGRAM, memory: 1 << 20 },
      geometry: { blockSize: 69632, blockNr: 15, frameSize: 32792, frameNr: 30 },
    },
    {
      name: 'a budget too small for the low-waste block takes the least waste that fits',
      options: { messageSize: 4096 - NL_MMAP_HDRLEN + 1, memory: 32768 },
      geometry: { blockSize: 32768, blockNr: 1, frameSize: 4100, frameNr: 7 },
    },
    {
      name: 'a budget for exactly one frame of a large message',
      options: { messageSize: MAX_DUMP_DATAGRAM, memory: 36864 },
      geometry: { blockSize: 36864, blockNr: 1, frameSize: 32792, frameNr: 1 },
    },
    {
      name: '64 KiB pages',
      options: { messageSize: 3000, memory: 1 << 20, pageSize: 65536 },
      geometry: { blockSize: 65536, blockNr: 16, frameSize: 4096, frameNr: 256 },
    },
    {
      name: 'an unaligned message size is aligned: 5028-byte frames, four per 5-page block',
      options: { messageSize: 5001, memory: 1 << 20 },
      geometry: { blockSize: 20480, blockNr: 51, frameSize: 5028, frameNr: 204 },
    },
  ])('$name', ({ options, geometry }) => {
    expect(chooseGeometry(options)).toEqual(geometry);
  });

  it('always gives a valid, minimal ring within the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 300_000 }),
        fc.integer({ min: 1, max: 1 << 24 }),
        fc.constantFrom(4096, 16384, 65536),
        (messageSize, memory, pageSize) => {
          const need = Math.ceil((messageSize + NL_MMAP_HDRLEN) / 4) * 4;
          let g: ReturnType<typeof chooseGeometry>;
          try {
            g = chooseGeometry({ messageSize, memory, pageSize });
          } catch (error) {
            // Only a budget below one block may fail, and it must say so.
            expect(error).toBeInstanceOf(RangeError);
            expect(String(error)).toMatch(/^RangeError: memory:/);
            const smallest = need <= pageSize ? pageSize : Math.ceil(need / pageSize) * pageSize;
            expect(memory).toBeLessThan(smallest);
            return;
          }
          expect(validateRingRequest(g, { pageSize })).toBe('create');
          expect(ringSize(g)).toBeLessThanOrEqual(memory);
          // The budget is used: one more block would not fit.
          expect(memory - ringSize(g)).toBeLessThan(g.blockSize);
          expect(g.frameSize - NL_MMAP_HDRLEN).toBeGreaterThanOrEqual(messageSize);
          if (need <= pageSize) {
            // Frames divide the page, and no smaller aligned size that holds the message does.
            expect(pageSize % g.frameSize).toBe(0);
            expect(g.blockSize).toBe(pageSize);
            for (let f = need; f < g.frameSize; f += 4) expect(pageSize % f).not.toBe(0);
          } else {
            expect(g.frameSize).toBe(need);
            const fpb = Math.floor(g.blockSize / g.frameSize);
            const waste = g.blockSize - fpb * g.frameSize;
            // Low waste whenever a 16-page block fits the budget.
            if (memory >= 16 * pageSize + need) expect(waste * 16).toBeLessThanOrEqual(g.blockSize);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    {
      name: 'messageSize 0',
      options: { messageSize: 0, memory: 4096 },
      error: TypeError,
      arg: 'messageSize',
    },
    {
      name: 'messageSize -1',
      options: { messageSize: -1, memory: 4096 },
      error: TypeError,
      arg: 'messageSize',
    },
    {
      name: 'messageSize 1.5',
      options: { messageSize: 1.5, memory: 4096 },
      error: TypeError,
      arg: 'messageSize',
    },
    {
      name: 'messageSize NaN',
      options: { messageSize: Number.NaN, memory: 4096 },
      error: TypeError,
      arg: 'messageSize',
    },
    {
      name: 'messageSize as a string',
      options: { messageSize: '100' as unknown as number, memory: 4096 },
      error: TypeError,
      arg: 'messageSize',
    },
    { name: 'memory 0', options: { messageSize: 100, memory: 0 }, error: TypeError, arg: 'memory' },
    {
      name: 'memory Infinity',
      options: { messageSize: 100, memory: Number.POSITIVE_INFINITY },
      error: TypeError,
      arg: 'memory',
    },
    {
      name: 'memory below one page',
      options: { messageSize: 100, memory: 4095 },
      error: RangeError,
      arg: 'memory',
    },
    {
      name: 'memory below one large frame',
      options: { messageSize: 32768, memory: 32768 },
      error: RangeError,
      arg: 'memory',
    },
    {
      name: 'pageSize 0',
      options: { messageSize: 100, memory: 4096, pageSize: 0 },
      error: TypeError,
      arg: 'pageSize',
    },
    {
      name: 'pageSize 3000',
      options: { messageSize: 100, memory: 4096, pageSize: 3000 },
      error: RangeError,
      arg: 'pageSize',
    },
    {
      name: 'a frame beyond a signed block size',
      options: { messageSize: 2 ** 31, memory: 2 ** 40 },
      error: RangeError,
      arg: 'messageSize',
    },
  ])('rejects $name', ({ options, error, arg }) => {
    expect(() => chooseGeometry(options)).toThrow(error);
    expect(() => chooseGeometry(options)).toThrow(new RegExp(`^${arg}:`));
  });

  it('rejects a missing options object', () => {
    expect(() =>
      chooseGeometry(undefined as unknown as { messageSize: number; memory: number }),
    ).toThrow(TypeError);
  });

  it('caps the frame count at a u32 for a huge budget', () => {
    const g = chooseGeometry({ messageSize: 1, memory: 2 ** 50 });
    expect(g.frameNr).toBeLessThanOrEqual(0xffffffff);
    expect(validateRingRequest(g)).toBe('create');
    expect(g.frameNr).toBe(Math.floor(g.blockSize / g.frameSize) * g.blockNr);
  });
});
