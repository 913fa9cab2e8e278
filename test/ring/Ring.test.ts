import { describe, expect, it } from 'vitest';
import { RingGeometryError } from '../../src/errors/RingGeometryError.js';
import {
  NL_MMAP_HDRLEN,
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
  NM_GID,
  NM_GROUP,
  NM_LEN,
  NM_PID,
  NM_STATUS,
  NM_UID,
} from '../../src/ring/constants.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { Ring } from '../../src/ring/Ring.js';
import { RingReader } from '../../src/ring/RingReader.js';

const geometry: RingGeometry = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };
const gapped: RingGeometry = { blockSize: 8192, blockNr: 2, frameSize: 3000, frameNr: 4 };

const statuses = [
  { name: 'UNUSED', status: NL_MMAP_STATUS_UNUSED },
  { name: 'RESERVED', status: NL_MMAP_STATUS_RESERVED },
  { name: 'VALID', status: NL_MMAP_STATUS_VALID },
  { name: 'COPY', status: NL_MMAP_STATUS_COPY },
  { name: 'SKIP', status: NL_MMAP_STATUS_SKIP },
] as const;

describe('Ring', () => {
  it.each(statuses)(
    'status $name round-trips through the status word of every frame',
    ({ status }) => {
      const memory = new SharedArrayBuffer(8192);
      const ring = new Ring(memory, geometry);
      const raw = new DataView(memory);
      for (let i = 0; i < ring.frameNr; i++) {
        ring.setStatus(i, status);
        expect(ring.status(i)).toBe(status);
        expect(raw.getUint32(i * 1024 + NM_STATUS, true)).toBe(status);
      }
    },
  );

  it.each([
    { name: 'small values', fields: [100, 1, 4242, 1000, 1000] },
    {
      name: 'u32 extremes (unmapped ids are 0xffffffff)',
      fields: [0xffffffff, 31, 0x7fffffff, 0xffffffff, 0xffffffff],
    },
    { name: 'zeros', fields: [0, 0, 0, 0, 0] },
  ])('header fields round-trip: $name', ({ fields }) => {
    const memory = new ArrayBuffer(8192);
    const ring = new Ring(memory, geometry);
    const [len, group, pid, uid, gid] = fields;
    ring.setHeader(5, len, group, pid, uid, gid);
    expect([ring.length(5), ring.group(5), ring.pid(5), ring.uid(5), ring.gid(5)]).toEqual(fields);
    const raw = new DataView(memory, 5 * 1024);
    expect([NM_LEN, NM_GROUP, NM_PID, NM_UID, NM_GID].map((o) => raw.getUint32(o, true))).toEqual(
      fields,
    );
    // Its neighbours are untouched.
    expect(ring.length(4)).toBe(0);
    expect(ring.length(6)).toBe(0);
    ring.setLength(5, 7);
    expect(ring.length(5)).toBe(7);
    expect(ring.group(5)).toBe(group);
  });

  it('addresses frames block-aware, with the tail gap', () => {
    const memory = new ArrayBuffer(16384);
    const ring = new Ring(memory, gapped);
    expect([...ring.offsets]).toEqual([0, 3000, 8192, 11192]);
    expect(ring.dataOffset(2)).toBe(8192 + NL_MMAP_HDRLEN);
    ring.setStatus(2, NL_MMAP_STATUS_VALID);
    expect(new DataView(memory).getUint32(8192, true)).toBe(NL_MMAP_STATUS_VALID);
    expect(ring.maxlen).toBe(3000 - 24);
    expect(ring.size).toBe(16384);
  });

  it('wraps from frame_max to 0', () => {
    const ring = new Ring(new ArrayBuffer(8192), geometry);
    expect(ring.frameMax).toBe(7);
    expect(ring.next(0)).toBe(1);
    expect(ring.next(6)).toBe(7);
    expect(ring.next(7)).toBe(0);
  });

  it('release stores UNUSED and bumps the generation; skip stores SKIP', () => {
    const ring = new Ring(new ArrayBuffer(8192), geometry);
    ring.setStatus(3, NL_MMAP_STATUS_VALID);
    const before = ring.generations[3];
    ring.skip(3);
    expect(ring.status(3)).toBe(NL_MMAP_STATUS_SKIP);
    expect(ring.generations[3]).toBe(before);
    ring.release(3);
    expect(ring.status(3)).toBe(NL_MMAP_STATUS_UNUSED);
    expect(ring.generations[3]).toBe(before + 1);
    expect(ring.generations[2]).toBe(0);
  });

  it('two rings share one mapping without touching each other (RX then TX)', () => {
    const memory = new SharedArrayBuffer(16384);
    const rx = new Ring(memory, geometry);
    const tx = new Ring(memory, geometry, { byteOffset: 8192 });
    tx.setStatus(0, NL_MMAP_STATUS_VALID);
    tx.setHeader(0, 99, 0, 0, 0, 0);
    expect(rx.status(0)).toBe(NL_MMAP_STATUS_UNUSED);
    expect(rx.length(0)).toBe(0);
    expect(new DataView(memory).getUint32(8192 + NM_LEN, true)).toBe(99);
    expect(tx.bytes.byteOffset).toBe(8192);
  });

  it('counts and pictures statuses', () => {
    const ring = new Ring(new ArrayBuffer(8192), geometry);
    ring.setStatus(0, NL_MMAP_STATUS_VALID);
    ring.setStatus(1, NL_MMAP_STATUS_COPY);
    ring.setStatus(2, NL_MMAP_STATUS_SKIP);
    ring.setStatus(3, NL_MMAP_STATUS_RESERVED);
    ring.setStatus(4, NL_MMAP_STATUS_VALID);
    expect(ring.census()).toEqual([3, 1, 2, 1, 1]);
    expect(ring.describe()).toBe('VCSRVUUU');
  });

  it.each([
    {
      name: 'a teardown geometry',
      make: () =>
        new Ring(new ArrayBuffer(4096), { blockSize: 0, blockNr: 0, frameSize: 0, frameNr: 0 }),
      error: TypeError,
    },
    {
      name: 'an invalid geometry',
      make: () => new Ring(new ArrayBuffer(8192), { ...geometry, frameNr: 9 }),
      error: RingGeometryError,
    },
    {
      name: 'an unaligned byteOffset',
      make: () => new Ring(new ArrayBuffer(16384), geometry, { byteOffset: 2 }),
      error: TypeError,
    },
    {
      name: 'memory too small',
      make: () => new Ring(new ArrayBuffer(8191), geometry),
      error: RangeError,
    },
    {
      name: 'memory too small at the offset',
      make: () => new Ring(new ArrayBuffer(12284), geometry, { byteOffset: 4096 }),
      error: RangeError,
    },
    {
      name: 'a block size that is not a multiple of the page size',
      make: () => new Ring(new ArrayBuffer(8192), geometry, { pageSize: 8192 }),
      error: RingGeometryError,
    },
  ])('rejects $name', ({ make, error }) => {
    expect(make).toThrow(error);
  });

  it.each([
    { name: 'RESERVED', status: NL_MMAP_STATUS_RESERVED },
    { name: 'VALID', status: NL_MMAP_STATUS_VALID },
    { name: 'COPY', status: NL_MMAP_STATUS_COPY },
  ] as const)('claim() numbers a $name claim, stores the status, then counts it', ({ status }) => {
    const memory = new ArrayBuffer(8192);
    const ring = new Ring(memory, geometry, { claims: true });
    expect([...(ring.claims ?? [])]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    ring.claim(5, status);
    ring.claim(2, status);
    ring.claim(7, NL_MMAP_STATUS_VALID);
    expect(ring.status(5)).toBe(status);
    expect(new DataView(memory).getUint32(2 * 1024 + NM_STATUS, true)).toBe(status);
    expect([ring.claims?.[5], ring.claims?.[2], ring.claims?.[7]]).toEqual([0, 1, 2]);
    expect(ring.claimed).toBe(3);
    // RESERVED → VALID is the same claim: setStatus leaves the number alone.
    ring.setStatus(5, NL_MMAP_STATUS_VALID);
    expect([ring.claims?.[5], ring.claimed]).toEqual([0, 3]);
  });

  it('claim numbers wrap at 2^32; the consumer-side counters start at 0', () => {
    const ring = new Ring(new ArrayBuffer(8192), geometry, { claims: true });
    expect([ring.claimed, RingReader.of(ring).consumed, RingReader.of(ring).cursor]).toEqual([
      0, 0, 0,
    ]);
    ring.claimed = 0xffffffff;
    ring.claim(0, NL_MMAP_STATUS_VALID);
    ring.claim(1, NL_MMAP_STATUS_VALID);
    expect([ring.claims?.[0], ring.claims?.[1], ring.claimed]).toEqual([0xffffffff, 0, 1]);
  });

  it('keeps no claim numbers unless asked (the kernel writes none), but still counts claims', () => {
    const ring = new Ring(new ArrayBuffer(8192), geometry);
    expect(ring.claims).toBeNull();
    ring.claim(3, NL_MMAP_STATUS_COPY);
    expect([ring.status(3), ring.claimed]).toEqual([NL_MMAP_STATUS_COPY, 1]);
  });
});
