import type { RingGeometry } from './RingGeometry.js';

/**
 * Byte offset of frame `index` from the start of its ring (RING-SPEC §2.3):
 *
 * ```
 * fpb = floor(block_size / frame_size)
 * offset(i) = floor(i / fpb) * block_size + (i % fpb) * frame_size
 * ```
 *
 * Block-aware: when the frame size does not divide the block size, every block ends in an
 * unused tail and frames are not contiguous, so `offset += frame_size` would be wrong.
 *
 * @example
 * frameOffset({ blockSize: 8192, blockNr: 2, frameSize: 3000, frameNr: 4 }, 2); // 8192
 */
export function frameOffset(geometry: RingGeometry, index: number): number {
  const fpb = Math.floor(geometry.blockSize / geometry.frameSize);
  return Math.floor(index / fpb) * geometry.blockSize + (index % fpb) * geometry.frameSize;
}
