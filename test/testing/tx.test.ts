import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import type { Ring } from '../../src/ring/Ring.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message, seqOf, writeTx } from './helpers.js';

// TX: 4 frames of 1024 bytes (maxlen 1000).
const rx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };
const tx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

function open() {
  const kernel = new SimulatedKernel();
  const s = kernel.open({ rx, tx });
  return { kernel, s, ring: s.tx as Ring };
}

describe('SimSocket TX walk (RING-SPEC §5.2)', () => {
  it('sends VALID frames in order from its head, releasing each; returns the bytes', () => {
    const { s, ring } = open();
    writeTx(ring, 0, message(100, 1));
    writeTx(ring, 1, message(200, 2));
    expect(s.flush()).toBe(300);
    expect(ring.describe()).toBe('UUUU');
    expect(s.head('tx')).toBe(2);
    expect(s.sent.map((d) => [d.via, d.data.byteLength, d.messages[0].seq])).toEqual([
      ['ring', 100, 1],
      ['ring', 200, 2],
    ]);
    expect(s.flush()).toBe(0);
  });

  it('stops at the first frame that is not VALID; a VALID frame behind it is not seen', () => {
    const { s, ring } = open();
    writeTx(ring, 0, message(100, 1));
    writeTx(ring, 2, message(100, 3));
    expect(s.flush()).toBe(100);
    expect(ring.describe()).toBe('UUVU');
    expect(s.head('tx')).toBe(1);
    writeTx(ring, 1, message(100, 2));
    expect(s.flush()).toBe(200);
    expect(s.sent.map((d) => d.messages[0].seq)).toEqual([1, 2, 3]);
  });

  it.each([
    { name: 'SKIP', status: NL_MMAP_STATUS_SKIP },
    { name: 'COPY', status: NL_MMAP_STATUS_COPY },
  ] as const)('a $name frame at the head stalls the ring', ({ status }) => {
    const { s, ring } = open();
    ring.setStatus(0, status);
    writeTx(ring, 1, message(100, 1));
    expect(s.flush()).toBe(0);
    expect(s.sent).toHaveLength(0);
  });

  it('EINVAL for nm_len > maxlen: earlier frames stay sent, that frame stays VALID, head unmoved', () => {
    const { s, ring } = open();
    writeTx(ring, 0, message(100, 1));
    writeTx(ring, 1, message(100, 2), 1001);
    writeTx(ring, 2, message(100, 3));
    let error: unknown;
    try {
      s.flush();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect((error as NetlinkError).code).toBe('EINVAL');
    expect(ring.describe()).toBe('UVVU');
    expect(s.head('tx')).toBe(1);
    expect(s.sent).toHaveLength(1);
    // Every later flush fails the same way until the frame is fixed.
    expect(() => s.flush()).toThrow(expect.objectContaining({ code: 'EINVAL' }));
    ring.setLength(1, 100);
    expect(s.flush()).toBe(200);
    expect(s.sent.map((d) => d.messages[0].seq)).toEqual([1, 2, 3]);
  });

  it('releases the frame and advances before the message is processed', () => {
    const { kernel, s, ring } = open();
    const seen: [number, number][] = [];
    kernel.onRequest((req) => seen.push([req.seq, ring.status(req.seq - 1)]));
    writeTx(ring, 0, message(100, 1));
    writeTx(ring, 1, message(100, 2));
    s.flush();
    expect(seen).toEqual([
      [1, NL_MMAP_STATUS_UNUSED],
      [2, NL_MMAP_STATUS_UNUSED],
    ]);
  });

  it('accepts nm_len 0: an empty datagram with no messages', () => {
    const { s, ring } = open();
    ring.setLength(0, 0);
    ring.setStatus(0, NL_MMAP_STATUS_VALID);
    expect(s.flush()).toBe(0);
    expect(ring.status(0)).toBe(NL_MMAP_STATUS_UNUSED);
    expect(s.sent).toHaveLength(1);
    expect(s.sent[0].messages).toHaveLength(0);
  });

  it('copies one frame into one datagram, several messages included, and wraps', () => {
    const { s, ring } = open();
    const batch = new Uint8Array([...message(32, 1), ...message(48, 2)]);
    for (let lap = 0; lap < 3; lap++) {
      for (let i = 0; i < 4; i++) writeTx(ring, i, i === 0 ? batch : message(16, 10 + i));
      expect(s.flush()).toBe(80 + 3 * 16);
    }
    expect(s.sent).toHaveLength(12);
    expect(s.sent[8].messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(s.head('tx')).toBe(0);
  });

  it('keeps the sent bytes even when the frame is reused', () => {
    const { s, ring } = open();
    writeTx(ring, 0, message(32, 1));
    s.flush();
    ring.bytes.fill(0xee);
    expect(seqOf(s.sent[0].data)).toBe(1);
    expect(s.sent[0].messages[0].seq).toBe(1);
  });

  it('flush without a TX ring sends nothing', () => {
    const s = new SimulatedKernel().open({ rx });
    expect(s.flush()).toBe(0);
  });

  it('send() is the normal path: one datagram recorded as sent', () => {
    const { s } = open();
    expect(s.send(message(64, 5))).toBe(64);
    expect(s.sent.map((d) => [d.via, d.messages[0].seq])).toEqual([['send', 5]]);
    expect(() => s.send('x' as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('records a malformed datagram with the messages before the fault', () => {
    const { s } = open();
    const bad = new Uint8Array([...message(32, 1), 99, 0, 0, 0, 0, 0]);
    s.send(bad);
    expect(s.sent[0].messages.map((m) => m.seq)).toEqual([1]);
  });
});
