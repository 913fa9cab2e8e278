import { RingGeometryError } from '../errors/RingGeometryError.js';
import {
  DEFAULT_PAGE_SIZE,
  NL_MMAP_HDRLEN,
  NL_MMAP_MSG_ALIGNMENT,
  NL_MMAP_REQ_SIZE,
} from './constants.js';
import type { RingGeometry } from './geometry.js';

/**
 * The socket state the kernel consults while checking a ring request. Every field has the
 * default of a fresh, privileged socket with no ring.
 */
export interface RingRequestContext {
  /** PAGE_SIZE of the machine; default 4096. */
  pageSize?: number | undefined;
  /** Whether the caller holds CAP_NET_ADMIN in the initial user namespace; default true. */
  privileged?: boolean | undefined;
  /** The optlen passed to setsockopt; default 16. */
  optlen?: number | undefined;
  /** Live mappings of the socket (`mapped`); default 0. */
  mapped?: number | undefined;
  /** Frames of this ring being built or processed (`ring.pending`); default 0. */
  pending?: number | undefined;
  /** Whether this ring is already configured; default false. */
  exists?: boolean | undefined;
  /** Bytes the producer may allocate for the blocks; default unlimited. */
  maxBytes?: number | undefined;
}

/** What a valid request asks for. */
export type RingRequestKind = 'create' | 'teardown';

/**
 * Checks an `nl_mmap_req` with every rule of RING-SPEC §2.1, in the kernel's order, and
 * throws a {@link RingGeometryError} naming the first rule that fails (with the errno the
 * kernel's setsockopt would give). Fields are read as the kernel reads them: u32 values, the
 * block size also as a signed int, the frame-count product as a wrapping u32 multiply.
 *
 * The copy-from-user fault (§2.1.3, EFAULT) has no counterpart for a JavaScript object.
 *
 * @returns `'create'` or `'teardown'`.
 * @example
 * validateRingRequest({ blockSize: 4096, blockNr: 64, frameSize: 2048, frameNr: 128 });
 */
export function validateRingRequest(
  req: RingGeometry,
  context: RingRequestContext = {},
): RingRequestKind {
  const pageSize = context.pageSize ?? DEFAULT_PAGE_SIZE;
  const blockSize = req.blockSize >>> 0;
  const blockNr = req.blockNr >>> 0;
  const frameSize = req.frameSize >>> 0;
  const frameNr = req.frameNr >>> 0;

  if (context.privileged === false) throw new RingGeometryError('capability');
  if ((context.optlen ?? NL_MMAP_REQ_SIZE) < NL_MMAP_REQ_SIZE) {
    throw new RingGeometryError('optlen', `optlen ${context.optlen}`);
  }
  if ((context.mapped ?? 0) > 0) throw new RingGeometryError('mapped');
  if ((context.pending ?? 0) > 0) throw new RingGeometryError('pending');

  if (blockNr === 0) {
    // §2.1.7: teardown; block and frame sizes are ignored.
    if (frameNr !== 0) throw new RingGeometryError('teardownFrameNr', `nm_frame_nr ${frameNr}`);
    return 'teardown';
  }
  if (context.exists) throw new RingGeometryError('exists');
  if ((blockSize | 0) <= 0)
    throw new RingGeometryError('blockSizePositive', `nm_block_size ${blockSize}`);
  if (blockSize % pageSize !== 0) {
    throw new RingGeometryError(
      'blockSizePageMultiple',
      `nm_block_size ${blockSize}, PAGE_SIZE ${pageSize}`,
    );
  }
  if (frameSize < NL_MMAP_HDRLEN)
    throw new RingGeometryError('frameSizeMin', `nm_frame_size ${frameSize}`);
  if (frameSize % NL_MMAP_MSG_ALIGNMENT !== 0) {
    throw new RingGeometryError('frameSizeAligned', `nm_frame_size ${frameSize}`);
  }
  const framesPerBlock = Math.floor(blockSize / frameSize);
  if (framesPerBlock === 0) {
    throw new RingGeometryError(
      'frameFitsBlock',
      `nm_frame_size ${frameSize} > nm_block_size ${blockSize}`,
    );
  }
  // The kernel multiplies two unsigned ints: the product wraps at 2^32.
  const product = Math.imul(framesPerBlock, blockNr) >>> 0;
  if (product !== frameNr) {
    throw new RingGeometryError(
      'frameNr',
      `${framesPerBlock} frames per block × ${blockNr} blocks = ${product}, nm_frame_nr ${frameNr}`,
    );
  }
  const bytes = blockSize * blockNr;
  if (context.maxBytes !== undefined && bytes > context.maxBytes) {
    throw new RingGeometryError('memory', `${bytes} bytes asked, ${context.maxBytes} allowed`);
  }
  return 'create';
}
