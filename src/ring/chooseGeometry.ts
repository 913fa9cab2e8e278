import { DEFAULT_PAGE_SIZE, NL_MMAP_HDRLEN, NL_MMAP_MSG_ALIGNMENT } from './constants.js';
import type { RingGeometry } from './geometry.js';
import { validateRingRequest } from './validateRingRequest.js';

/** What {@link chooseGeometry} needs to know. */
export interface ChooseGeometryOptions {
  /**
   * Bytes of netlink data in the largest datagram the ring should hold in a frame (one
   * `recvmsg` worth: for a dump datagram, up to `MAX_DUMP_DATAGRAM` = 32768).
   */
  messageSize: number;
  /** Bytes the ring may take (`nm_block_nr × nm_block_size` never exceeds it). */
  memory: number;
  /** PAGE_SIZE, a power of two; default 4096. */
  pageSize?: number | undefined;
}

/** Most frames of a block a block may waste at its tail: 1/16 of the block. */
const WASTE_DIVISOR = 16;
/** `nm_block_size` is read as a signed int (RING-SPEC §2.1.6.2). */
const MAX_BLOCK = 0x7fffffff;
/** `nm_frame_nr` and `nm_block_nr` are u32s. */
const MAX_U32 = 0xffffffff;

/**
 * Picks a good `nl_mmap_req` for messages of `messageSize` bytes within a memory budget,
 * following the kernel documentation's advice: frames as small as the messages allow, and
 * more blocks rather than bigger frames.
 *
 * The reasoning, step by step:
 * - **Frame**: a frame holds the 24-byte `nl_mmap_hdr` and the datagram, so the smallest
 *   useful frame is `messageSize + 24`, aligned to `NL_MMAP_MSG_ALIGNMENT` (4). A frame that
 *   fits a page is rounded up to the smallest size that divides the page (the next power of
 *   two), so frames sit back to back with no block tail and a simple `offset += frame_size`
 *   walk is right too (RING-SPEC §2.3); the cost is at most half a frame, paid in exchange for
 *   frames that never straddle a page. A frame larger than a page is not rounded further:
 *   rounding it to whole pages could waste almost a page per frame.
 * - **Block**: one page when frames fit a page (it then holds `pageSize / frameSize` frames
 *   exactly). Otherwise the smallest page multiple holding `k` frames whose unused tail is at
 *   most 1/16 of the block, for the smallest such `k`: small blocks keep the kernel's
 *   allocations small and let the budget be used in fine steps. If that block does not fit
 *   the budget, the block with the least waste that does.
 * - **Count**: as many blocks as the budget holds, capped so that `nm_frame_nr` and
 *   `nm_block_nr` stay u32s.
 *
 * Larger datagrams than `messageSize` still arrive whole: the producer delivers them as
 * COPY frames (RING-SPEC §4.2). The result always passes {@link validateRingRequest}.
 *
 * Throws a TypeError naming the argument when one is not a positive safe integer, and a
 * RangeError when the budget cannot hold one block, the page size is not a power of two, or
 * the frame would exceed what `nm_block_size` can express.
 *
 * @example
 * chooseGeometry({ messageSize: 1000, memory: 65536 });
 * // { blockSize: 4096, blockNr: 16, frameSize: 1024, frameNr: 64 }
 * chooseGeometry({ messageSize: MAX_DUMP_DATAGRAM, memory: 1 << 20 });
 * // frames of 32792 bytes, two per 69632-byte block
 */
export function chooseGeometry(options: ChooseGeometryOptions): RingGeometry {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options: expected { messageSize, memory, pageSize? }');
  }
  const { messageSize, memory } = options;
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  positiveInteger('messageSize', messageSize);
  positiveInteger('memory', memory);
  positiveInteger('pageSize', pageSize);
  if ((pageSize & (pageSize - 1)) !== 0 || pageSize > MAX_BLOCK) {
    throw new RangeError(`pageSize: expected a power of two, got ${pageSize}`);
  }

  // NL_MMAP_MSG_ALIGN(NL_MMAP_HDRLEN + messageSize)
  const align = NL_MMAP_MSG_ALIGNMENT;
  const need = Math.ceil((NL_MMAP_HDRLEN + messageSize) / align) * align;
  const largestBlock = Math.floor(MAX_BLOCK / pageSize) * pageSize;
  if (need > largestBlock) {
    throw new RangeError(
      `messageSize: ${messageSize} bytes need a ${need}-byte frame, larger than the largest block (${largestBlock})`,
    );
  }

  let frameSize: number;
  let blockSize: number;
  if (need <= pageSize) {
    // The smallest divisor of the page that holds the frame: the next power of two.
    frameSize = Math.max(align, 2 ** Math.ceil(Math.log2(need)));
    if (frameSize < need) frameSize *= 2; // guard against log2 rounding
    blockSize = pageSize;
  } else {
    frameSize = need;
    blockSize = pickBlock(frameSize, pageSize, Math.min(memory, largestBlock));
  }
  if (blockSize > memory) {
    throw new RangeError(
      `memory: ${memory} bytes cannot hold one ${blockSize}-byte block of ${frameSize}-byte frames`,
    );
  }

  const framesPerBlock = Math.floor(blockSize / frameSize);
  const blockNr = Math.min(
    Math.floor(memory / blockSize),
    MAX_U32,
    Math.floor(MAX_U32 / framesPerBlock),
  );
  const geometry: RingGeometry = {
    blockSize,
    blockNr,
    frameSize,
    frameNr: framesPerBlock * blockNr,
  };
  validateRingRequest(geometry, { pageSize });
  return geometry;
}

/**
 * The block for frames larger than a page: the smallest `k` frames per block whose block
 * (rounded up to pages) wastes at most 1/16, among blocks no larger than `limit`; failing
 * that, the fitting block with the least waste; failing that (not even one frame fits the
 * budget), the one-frame block, which the caller reports as too large.
 */
function pickBlock(frameSize: number, pageSize: number, limit: number): number {
  const single = Math.ceil(frameSize / pageSize) * pageSize;
  let best = single;
  let bestWaste = (single - frameSize) / single;
  for (let k = 1; ; k++) {
    const block = Math.ceil((k * frameSize) / pageSize) * pageSize;
    if (block > limit) break;
    const waste = (block - k * frameSize) / block;
    if (waste * WASTE_DIVISOR <= 1) return block;
    if (waste < bestWaste) {
      best = block;
      bestWaste = waste;
    }
  }
  return best;
}

function positiveInteger(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${name}: expected a positive integer, got ${String(value)}`);
  }
  if (value <= 0) throw new TypeError(`${name}: expected a positive integer, got ${value}`);
}
