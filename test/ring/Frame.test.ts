import { describe, expect, it } from 'vitest';
import { FrameReleasedError } from '../../src/errors/NetlinkError.js';
import {
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import { Frame } from '../../src/ring/Frame.js';
import { Ring } from '../../src/ring/Ring.js';
import { RingReader } from '../../src/ring/RingReader.js';

const geometry = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };
// biome-ignore format: byte literals four per line
const payload = new Uint8Array([
  20, 0, 0, 0,
  16, 0, 1, 0,
  7, 0, 0, 0,
  0, 0, 0, 0,
  0xde, 0xad, 0xbe, 0xef,
]);

/** A ring whose frame `index` holds `payload` as VALID, header group 3, pid 77, uid 1000, gid 100. */
function setup(index = 1, status: 2 | 3 = NL_MMAP_STATUS_VALID) {
  const ring = new Ring(new SharedArrayBuffer(4096), geometry);
  ring.bytes.set(payload, ring.dataOffset(index));
  ring.setHeader(index, payload.byteLength, 3, 77, 1000, 100);
  ring.setStatus(index, status);
  const frame = new Frame(
    ring,
    index,
    ring.bytes,
    ring.view,
    ring.dataOffset(index),
    payload.byteLength,
    false,
  );
  return { ring, frame };
}

const accessors: { name: string; touch: (f: Frame) => unknown }[] = [
  { name: 'bytes', touch: (f) => f.bytes },
  { name: 'view', touch: (f) => f.view },
  { name: 'start', touch: (f) => f.start },
  { name: 'length', touch: (f) => f.length },
  { name: 'data', touch: (f) => f.data },
  { name: 'group', touch: (f) => f.group },
  { name: 'pid', touch: (f) => f.pid },
  { name: 'uid', touch: (f) => f.uid },
  { name: 'gid', touch: (f) => f.gid },
  { name: 'copy()', touch: (f) => f.copy() },
  { name: 'defer()', touch: (f) => f.defer() },
];

describe('Frame', () => {
  it('reads the data and header of its frame in place', () => {
    const { ring, frame } = setup();
    expect(frame.index).toBe(1);
    expect(frame.length).toBe(20);
    expect(frame.start).toBe(ring.dataOffset(1));
    expect([...frame.data]).toEqual([...payload]);
    expect(frame.data.buffer).toBe(ring.bytes.buffer); // zero-copy
    expect(frame.view.getUint32(frame.start + 8, true)).toBe(7);
    expect([frame.group, frame.pid, frame.uid, frame.gid]).toEqual([3, 77, 1000, 100]);
    expect(frame.live).toBe(true);
    expect(frame.copied).toBe(false);
  });

  it.each(accessors)('$name throws FrameReleasedError once the frame was released', ({ touch }) => {
    const { ring, frame } = setup();
    frame.release();
    expect(ring.status(1)).toBe(NL_MMAP_STATUS_UNUSED);
    expect(frame.live).toBe(false);
    expect(() => touch(frame)).toThrow(FrameReleasedError);
  });

  it.each(accessors)(
    '$name throws once the source released the frame behind the handle',
    ({ touch }) => {
      const { ring, frame } = setup();
      ring.release(1);
      // The frame is reused for another message: the old handle must not read it.
      ring.setStatus(1, NL_MMAP_STATUS_VALID);
      expect(() => touch(frame)).toThrow(FrameReleasedError);
    },
  );

  it('release twice is harmless and does not release the next user of the frame', () => {
    const { ring, frame } = setup();
    frame.release();
    ring.setStatus(1, NL_MMAP_STATUS_VALID); // the producer filled it again
    frame.release();
    expect(ring.status(1)).toBe(NL_MMAP_STATUS_VALID);
  });

  it.each([
    { name: 'VALID', status: NL_MMAP_STATUS_VALID },
    { name: 'COPY', status: NL_MMAP_STATUS_COPY },
  ] as const)(
    'defer() marks a $name frame SKIP and counts it held until release()',
    ({ status }) => {
      const { ring, frame } = setup(2, status);
      let wakes = 0;
      RingReader.of(ring).onRelease(() => wakes++);
      expect(frame.defer()).toBe(frame);
      expect(ring.status(2)).toBe(NL_MMAP_STATUS_SKIP);
      expect(RingReader.of(ring).held).toBe(1);
      expect(frame.deferred).toBe(true);
      expect(frame.held).toBe(true);
      frame.defer(); // idempotent
      expect(RingReader.of(ring).held).toBe(1);
      expect(frame.length).toBe(20); // still readable while deferred
      frame.release();
      expect(ring.status(2)).toBe(NL_MMAP_STATUS_UNUSED);
      expect(RingReader.of(ring).held).toBe(0);
      expect(frame.deferred).toBe(false);
      expect(frame.held).toBe(false);
      expect(wakes).toBe(1);
      frame.release();
      expect(RingReader.of(ring).held).toBe(0);
      expect(wakes).toBe(1);
    },
  );

  it('a borrowed (not deferred) release does not call onDeferredRelease', () => {
    const { ring, frame } = setup();
    let wakes = 0;
    RingReader.of(ring).onRelease(() => wakes++);
    frame.release();
    expect(wakes).toBe(0);
    expect(RingReader.of(ring).held).toBe(0);
  });

  it('defer() of a frame the producer already has back throws', () => {
    const { ring, frame } = setup();
    ring.setStatus(1, NL_MMAP_STATUS_UNUSED); // freed behind the handle, generation unchanged
    expect(() => frame.defer()).toThrow(FrameReleasedError);
    expect(RingReader.of(ring).held).toBe(0);
  });

  it('copy() detaches: it owns its bytes and outlives the frame', () => {
    const { ring, frame } = setup();
    const copy = frame.copy();
    frame.release();
    ring.bytes.fill(0xff, ring.dataOffset(1), ring.dataOffset(1) + 20);
    expect([...copy.data]).toEqual([...payload]);
    expect(copy.data.buffer).not.toBe(ring.bytes.buffer);
    expect([copy.group, copy.pid, copy.uid, copy.gid]).toEqual([3, 77, 1000, 100]);
    expect(copy.live).toBe(true);
    expect(copy.index).toBe(-1);
    copy.defer();
    copy.release();
    expect(RingReader.of(ring).held).toBe(0);
    expect(copy.length).toBe(20);
  });

  it('Frame.of wraps bytes from elsewhere', () => {
    const f = Frame.of(payload.slice(), { group: 9 });
    expect(f.length).toBe(20);
    expect(f.start).toBe(0);
    expect(f.group).toBe(9);
    expect(f.pid).toBe(0);
    expect([...f.data]).toEqual([...payload]);
  });
});
