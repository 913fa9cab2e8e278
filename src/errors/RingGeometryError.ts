import { errnos } from './errno.js';
import { NetlinkError } from './NetlinkError.js';

/**
 * The rules of `setsockopt(NETLINK_RX_RING | NETLINK_TX_RING)`, in the order the kernel
 * checks them (RING-SPEC §2.1). The first rule that fails decides the errno.
 */
export const RING_RULES = {
  /** §2.1.1: CAP_NET_ADMIN in the initial user namespace. */
  capability: {
    errno: errnos.EPERM,
    text: 'caller lacks CAP_NET_ADMIN in the initial user namespace',
  },
  /** §2.1.2: optlen >= sizeof(struct nl_mmap_req). */
  optlen: { errno: errnos.EINVAL, text: 'optlen is shorter than struct nl_mmap_req (16 bytes)' },
  /** §2.1.4: no live mapping of the socket. */
  mapped: {
    errno: errnos.EBUSY,
    text: 'the socket has a live mapping; rings cannot change after mmap',
  },
  /** §2.1.5: no frames of this ring are being built or processed. */
  pending: { errno: errnos.EBUSY, text: 'frames of this ring are still pending' },
  /** §2.1.6.1: no resize; tear the ring down first. */
  exists: { errno: errnos.EBUSY, text: 'the ring already exists; tear it down first' },
  /** §2.1.6.2: (int)nm_block_size > 0. */
  blockSizePositive: {
    errno: errnos.EINVAL,
    text: 'nm_block_size read as a signed 32-bit number is <= 0',
  },
  /** §2.1.6.3: nm_block_size % PAGE_SIZE == 0. */
  blockSizePageMultiple: {
    errno: errnos.EINVAL,
    text: 'nm_block_size is not a multiple of PAGE_SIZE',
  },
  /** §2.1.6.4: nm_frame_size >= NL_MMAP_HDRLEN. */
  frameSizeMin: { errno: errnos.EINVAL, text: 'nm_frame_size is smaller than NL_MMAP_HDRLEN (24)' },
  /** §2.1.6.5: nm_frame_size % NL_MMAP_MSG_ALIGNMENT == 0. */
  frameSizeAligned: {
    errno: errnos.EINVAL,
    text: 'nm_frame_size is not a multiple of NL_MMAP_MSG_ALIGNMENT (4)',
  },
  /** §2.1.6.6: at least one frame per block. */
  frameFitsBlock: { errno: errnos.EINVAL, text: 'nm_frame_size is larger than nm_block_size' },
  /** §2.1.6.7: frames-per-block × nm_block_nr == nm_frame_nr (u32 multiply, wraps). */
  frameNr: {
    errno: errnos.EINVAL,
    text: 'nm_frame_nr != floor(nm_block_size / nm_frame_size) * nm_block_nr',
  },
  /** §2.1.6.8: the blocks can be allocated. */
  memory: { errno: errnos.ENOMEM, text: 'the blocks cannot be allocated' },
  /** §2.1.7: teardown (nm_block_nr == 0) requires nm_frame_nr == 0. */
  teardownFrameNr: {
    errno: errnos.EINVAL,
    text: 'teardown (nm_block_nr = 0) with nm_frame_nr != 0',
  },
} as const;

/** The name of a ring geometry rule. */
export type RingRule = keyof typeof RING_RULES;

/**
 * A ring request the kernel would refuse: names the rule of RING-SPEC §2.1 that failed and
 * carries the errno the kernel's setsockopt would return.
 *
 * @example
 * const req = { blockSize: 4096, blockNr: 1, frameSize: 3000, frameNr: 1 };
 * try { validateRingRequest(req) } catch (e) { if (e instanceof RingGeometryError) console.log(e.rule) }
 */
export class RingGeometryError extends NetlinkError {
  override readonly name = 'RingGeometryError';
  /** The rule that failed. */
  readonly rule: RingRule;

  constructor(rule: RingRule, detail?: string) {
    const r = RING_RULES[rule];
    super({ op: 'setsockopt', errno: r.errno, detail: detail ? `${r.text} (${detail})` : r.text });
    this.rule = rule;
  }
}
