// The geometry of one ring (`struct nl_mmap_req`), its size and where each frame starts (RING-SPEC §2).

/**
 * `struct nl_mmap_req`: the geometry of one ring. All four fields are u32.
 *
 * ```
 *  ring = nm_block_nr blocks of nm_block_size bytes (a multiple of PAGE_SIZE)
 *  block = floor(nm_block_size / nm_frame_size) frames of nm_frame_size bytes, then unused tail
 *  nm_frame_nr = frames per block × nm_block_nr
 * ```
 */
export interface RingGeometry {
  /** `nm_block_size`: bytes per block, a multiple of the page size. */
  readonly blockSize: number;
  /** `nm_block_nr`: number of blocks; 0 tears the ring down. */
  readonly blockNr: number;
  /** `nm_frame_size`: bytes per frame including the 24-byte header, a multiple of 4. */
  readonly frameSize: number;
  /** `nm_frame_nr`: total frames, which must equal frames-per-block × blocks. */
  readonly frameNr: number;
}

/**
 * Bytes a ring occupies in the mapping: `nm_block_nr × nm_block_size` (RING-SPEC §2.2).
 *
 * @example
 * ringSize({ blockSize: 4096, blockNr: 4, frameSize: 2048, frameNr: 8 }); // 16384
 */
export function ringSize(geometry: RingGeometry): number {
  return geometry.blockSize * geometry.blockNr;
}

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
