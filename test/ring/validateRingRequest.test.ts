import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { RingGeometryError } from '../../src/errors/RingGeometryError.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import {
  type RingRequestContext,
  validateRingRequest,
} from '../../src/ring/validateRingRequest.js';

const good: RingGeometry = { blockSize: 4096, blockNr: 4, frameSize: 2048, frameNr: 8 };
const teardown: RingGeometry = { blockSize: 0, blockNr: 0, frameSize: 0, frameNr: 0 };
const { EPERM, EINVAL, EBUSY, ENOMEM } = errnos;

interface Row {
  name: string;
  request: RingGeometry;
  context: RingRequestContext;
  expected: string;
  errno: number;
}

// Every rule of RING-SPEC §2.1, in the kernel's order. Rows where several rules fail check
// that the earlier one decides.
const rows: Row[] = [
  // §2.1.1
  {
    name: 'unprivileged',
    request: good,
    context: { privileged: false },
    expected: 'capability',
    errno: EPERM,
  },
  {
    name: 'unprivileged beats a short optlen and a mapping',
    request: { ...good, frameSize: 3 },
    context: { privileged: false, optlen: 4, mapped: 1 },
    expected: 'capability',
    errno: EPERM,
  },
  // §2.1.2
  { name: 'optlen 15', request: good, context: { optlen: 15 }, expected: 'optlen', errno: EINVAL },
  { name: 'optlen 0', request: good, context: { optlen: 0 }, expected: 'optlen', errno: EINVAL },
  {
    name: 'short optlen beats a mapping',
    request: good,
    context: { optlen: 8, mapped: 1 },
    expected: 'optlen',
    errno: EINVAL,
  },
  {
    name: 'a longer optlen is fine',
    request: good,
    context: { optlen: 64 },
    expected: 'create',
    errno: 0,
  },
  // §2.1.4
  { name: 'mapped', request: good, context: { mapped: 1 }, expected: 'mapped', errno: EBUSY },
  {
    name: 'mapped, teardown',
    request: teardown,
    context: { mapped: 2, exists: true },
    expected: 'mapped',
    errno: EBUSY,
  },
  {
    name: 'mapped, even an identical request',
    request: good,
    context: { mapped: 1, exists: true },
    expected: 'mapped',
    errno: EBUSY,
  },
  {
    name: 'mapped beats pending and a bad geometry',
    request: { ...good, blockSize: 100 },
    context: { mapped: 1, pending: 1 },
    expected: 'mapped',
    errno: EBUSY,
  },
  // §2.1.5
  { name: 'pending', request: good, context: { pending: 1 }, expected: 'pending', errno: EBUSY },
  {
    name: 'pending, teardown',
    request: teardown,
    context: { pending: 3, exists: true },
    expected: 'pending',
    errno: EBUSY,
  },
  {
    name: 'pending beats exists',
    request: good,
    context: { pending: 1, exists: true },
    expected: 'pending',
    errno: EBUSY,
  },
  // §2.1.6.1
  {
    name: 'ring exists',
    request: good,
    context: { exists: true },
    expected: 'exists',
    errno: EBUSY,
  },
  {
    name: 'exists beats a bad block size',
    request: { ...good, blockSize: 0 },
    context: { exists: true },
    expected: 'exists',
    errno: EBUSY,
  },
  // §2.1.6.2: the block size read as a signed int
  {
    name: 'block size 0',
    request: { ...good, blockSize: 0 },
    context: {},
    expected: 'blockSizePositive',
    errno: EINVAL,
  },
  {
    name: 'block size 2^31 is negative as an int',
    request: { ...good, blockSize: 0x80000000 },
    context: {},
    expected: 'blockSizePositive',
    errno: EINVAL,
  },
  {
    name: 'block size 0xfffff000 is a page multiple but negative',
    request: { ...good, blockSize: 0xfffff000 },
    context: {},
    expected: 'blockSizePositive',
    errno: EINVAL,
  },
  {
    name: 'block size -4096 is read as the u32 0xfffff000',
    request: { ...good, blockSize: -4096 },
    context: {},
    expected: 'blockSizePositive',
    errno: EINVAL,
  },
  {
    name: 'block size 0 beats a bad frame size',
    request: { ...good, blockSize: 0, frameSize: 3 },
    context: {},
    expected: 'blockSizePositive',
    errno: EINVAL,
  },
  // §2.1.6.3
  {
    name: 'block size not a page multiple',
    request: { ...good, blockSize: 6144 },
    context: {},
    expected: 'blockSizePageMultiple',
    errno: EINVAL,
  },
  {
    name: 'block size of one 4 KiB page with 16 KiB pages',
    request: good,
    context: { pageSize: 16384 },
    expected: 'blockSizePageMultiple',
    errno: EINVAL,
  },
  {
    name: 'page multiple beats a bad frame size',
    request: { ...good, blockSize: 100, frameSize: 3 },
    context: {},
    expected: 'blockSizePageMultiple',
    errno: EINVAL,
  },
  // §2.1.6.4
  {
    name: 'frame size 20',
    request: { ...good, frameSize: 20 },
    context: {},
    expected: 'frameSizeMin',
    errno: EINVAL,
  },
  {
    name: 'frame size 0',
    request: { ...good, frameSize: 0 },
    context: {},
    expected: 'frameSizeMin',
    errno: EINVAL,
  },
  {
    name: 'frame size 22 is too small before it is unaligned',
    request: { ...good, frameSize: 22 },
    context: {},
    expected: 'frameSizeMin',
    errno: EINVAL,
  },
  // §2.1.6.5
  {
    name: 'frame size 26',
    request: { ...good, frameSize: 26 },
    context: {},
    expected: 'frameSizeAligned',
    errno: EINVAL,
  },
  {
    name: 'frame size 2050',
    request: { ...good, frameSize: 2050, frameNr: 4 },
    context: {},
    expected: 'frameSizeAligned',
    errno: EINVAL,
  },
  // §2.1.6.6
  {
    name: 'frame larger than the block',
    request: { ...good, frameSize: 8192, frameNr: 0 },
    context: {},
    expected: 'frameFitsBlock',
    errno: EINVAL,
  },
  {
    name: 'frame equal to the block is fine',
    request: { blockSize: 8192, blockNr: 2, frameSize: 8192, frameNr: 2 },
    context: {},
    expected: 'create',
    errno: 0,
  },
  // §2.1.6.7
  {
    name: 'frame count one short',
    request: { ...good, frameNr: 7 },
    context: {},
    expected: 'frameNr',
    errno: EINVAL,
  },
  {
    name: 'frame count 0',
    request: { ...good, frameNr: 0 },
    context: {},
    expected: 'frameNr',
    errno: EINVAL,
  },
  {
    name: 'frame count ignores the tail gap',
    request: { blockSize: 8192, blockNr: 2, frameSize: 3000, frameNr: 4 },
    context: {},
    expected: 'create',
    errno: 0,
  },
  {
    name: 'frame count with the tail counted',
    request: { blockSize: 8192, blockNr: 2, frameSize: 3000, frameNr: 5 },
    context: {},
    expected: 'frameNr',
    errno: EINVAL,
  },
  {
    name: 'the u32 product wraps to 0: 128 frames × 2^25 blocks',
    request: { blockSize: 4096, blockNr: 2 ** 25, frameSize: 32, frameNr: 0 },
    context: {},
    expected: 'create',
    errno: 0,
  },
  {
    name: 'the u32 product wraps to 128: 128 × (2^25 + 1)',
    request: { blockSize: 4096, blockNr: 2 ** 25 + 1, frameSize: 32, frameNr: 128 },
    context: {},
    expected: 'create',
    errno: 0,
  },
  {
    name: 'nm_frame_nr is read as a u32 too: 2^32 + 128 is 128',
    request: { blockSize: 4096, blockNr: 2 ** 25 + 1, frameSize: 32, frameNr: 2 ** 32 + 128 },
    context: {},
    expected: 'create',
    errno: 0,
  },
  {
    name: 'a wrapped product that does not match',
    request: { blockSize: 4096, blockNr: 2 ** 25 + 1, frameSize: 32, frameNr: 129 },
    context: {},
    expected: 'frameNr',
    errno: EINVAL,
  },
  // §2.1.6.8
  {
    name: 'blocks cannot be allocated',
    request: good,
    context: { maxBytes: 16383 },
    expected: 'memory',
    errno: ENOMEM,
  },
  {
    name: 'exactly the memory there is',
    request: good,
    context: { maxBytes: 16384 },
    expected: 'create',
    errno: 0,
  },
  {
    name: 'a wrapped frame count still needs its memory',
    request: { blockSize: 4096, blockNr: 2 ** 25, frameSize: 32, frameNr: 0 },
    context: { maxBytes: 2 ** 30 },
    expected: 'memory',
    errno: ENOMEM,
  },
  // §2.1.7
  {
    name: 'teardown',
    request: teardown,
    context: { exists: true },
    expected: 'teardown',
    errno: 0,
  },
  { name: 'teardown of no ring', request: teardown, context: {}, expected: 'teardown', errno: 0 },
  {
    name: 'teardown ignores block and frame sizes',
    request: { blockSize: 123, blockNr: 0, frameSize: 7, frameNr: 0 },
    context: {},
    expected: 'teardown',
    errno: 0,
  },
  {
    name: 'teardown with a frame count',
    request: { ...teardown, frameNr: 1 },
    context: { exists: true },
    expected: 'teardownFrameNr',
    errno: EINVAL,
  },
  {
    name: 'teardown is not blocked by exists',
    request: { ...teardown, frameNr: 8 },
    context: { exists: true },
    expected: 'teardownFrameNr',
    errno: EINVAL,
  },
  // valid
  { name: 'a plain ring', request: good, context: {}, expected: 'create', errno: 0 },
  {
    name: '64 KiB pages',
    request: { blockSize: 65536, blockNr: 2, frameSize: 16384, frameNr: 8 },
    context: { pageSize: 65536 },
    expected: 'create',
    errno: 0,
  },
];

describe('validateRingRequest', () => {
  it.each(rows)('$name → $expected', ({ request, context, expected, errno }) => {
    let outcome: string;
    try {
      outcome = validateRingRequest(request, context);
    } catch (error) {
      expect(error).toBeInstanceOf(RingGeometryError);
      const e = error as RingGeometryError;
      expect(e.op).toBe('setsockopt');
      expect(e.errno).toBe(errno);
      outcome = e.rule;
    }
    expect(outcome).toBe(expected);
    if (outcome === 'create' || outcome === 'teardown') expect(errno).toBe(0);
  });

  it('defaults to a privileged, unmapped socket with no ring', () => {
    expect(validateRingRequest(good)).toBe('create');
  });
});
