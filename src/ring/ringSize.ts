import type { RingGeometry } from './RingGeometry.js';

/**
 * Bytes a ring occupies in the mapping: `nm_block_nr × nm_block_size` (RING-SPEC §2.2).
 *
 * @example
 * ringSize({ blockSize: 4096, blockNr: 4, frameSize: 2048, frameNr: 8 }); // 16384
 */
export function ringSize(geometry: RingGeometry): number {
  return geometry.blockSize * geometry.blockNr;
}
