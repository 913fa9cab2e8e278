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
