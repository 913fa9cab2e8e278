import { describe, expect, it } from 'vitest';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { frameOffset } from '../../src/ring/geometry.js';

const contiguous: RingGeometry = { blockSize: 4096, blockNr: 3, frameSize: 1024, frameNr: 12 };
// 8192 / 3000 = 2 frames per block, 2192 bytes of tail per block.
const gapped: RingGeometry = { blockSize: 8192, blockNr: 3, frameSize: 3000, frameNr: 6 };
// One frame per block, more than a page each.
const large: RingGeometry = { blockSize: 36864, blockNr: 2, frameSize: 32792, frameNr: 2 };

describe('frameOffset', () => {
  it.each([
    { name: 'first frame', geometry: contiguous, index: 0, offset: 0 },
    { name: 'second frame, same block', geometry: contiguous, index: 1, offset: 1024 },
    { name: 'last frame of block 0', geometry: contiguous, index: 3, offset: 3072 },
    { name: 'first frame of block 1', geometry: contiguous, index: 4, offset: 4096 },
    { name: 'last frame', geometry: contiguous, index: 11, offset: 11264 },
    { name: 'gap: frame 1', geometry: gapped, index: 1, offset: 3000 },
    { name: 'gap: frame 2 skips the tail', geometry: gapped, index: 2, offset: 8192 },
    { name: 'gap: frame 3', geometry: gapped, index: 3, offset: 11192 },
    { name: 'gap: frame 5', geometry: gapped, index: 5, offset: 19384 },
    { name: 'large frames: frame 1', geometry: large, index: 1, offset: 36864 },
  ])('$name', ({ geometry, index, offset }) => {
    expect(frameOffset(geometry, index)).toBe(offset);
  });

  it.each([
    { name: 'contiguous', geometry: contiguous },
    { name: 'with a tail gap', geometry: gapped },
    { name: 'large frames', geometry: large },
  ])('$name: frames never overlap or cross a block end', ({ geometry }) => {
    let end = 0;
    for (let i = 0; i < geometry.frameNr; i++) {
      const at = frameOffset(geometry, i);
      expect(at).toBeGreaterThanOrEqual(end);
      const block = Math.floor(at / geometry.blockSize);
      expect(at + geometry.frameSize).toBeLessThanOrEqual((block + 1) * geometry.blockSize);
      end = at + geometry.frameSize;
    }
    expect(end).toBeLessThanOrEqual(geometry.blockSize * geometry.blockNr);
  });

  it('matches offset += frame_size only when the frame divides the block', () => {
    const naive = (g: RingGeometry, i: number) => i * g.frameSize;
    for (let i = 0; i < contiguous.frameNr; i++) {
      expect(frameOffset(contiguous, i)).toBe(naive(contiguous, i));
    }
    expect(frameOffset(gapped, 2)).not.toBe(naive(gapped, 2));
  });
});
