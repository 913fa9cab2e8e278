import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NLM_F_MULTI, NLMSG_DONE } from '../../src/netlink/constants.js';
import { NL_MMAP_STATUS_COPY, NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import { POLLIN } from '../../src/ring/RingEndpoint.js';
import type { SimSocket, SimSocketOptions } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message, seqOf } from './helpers.js';

// 8 frames of 1024 bytes: frame_max 7, dump space looks floor(7 / 2) = 3 frames ahead.
const rx = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };

function open(options: SimSocketOptions = {}) {
  return new SimulatedKernel().open({ rx, ...options });
}

function datagrams(n: number, size = 32): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => message(size, 100 + i));
}

/** A reader: from `cursor`, takes VALID and COPY frames in order and releases them. */
function reader(s: SimSocket) {
  let cursor = 0;
  const got: Uint8Array[] = [];
  return {
    got,
    read(limit = Number.POSITIVE_INFINITY): number {
      const ring = s.rx;
      let n = 0;
      while (n < limit) {
        const st = ring.status(cursor);
        if (st === NL_MMAP_STATUS_VALID) {
          const at = ring.dataOffset(cursor);
          got.push(ring.bytes.slice(at, at + ring.length(cursor)));
        } else if (st === NL_MMAP_STATUS_COPY) {
          got.push(s.recv());
        } else break;
        ring.release(cursor);
        cursor = ring.next(cursor);
        n++;
      }
      return n;
    },
  };
}

describe('SimSocket dumps (RING-SPEC §4.4)', () => {
  it('sends the first datagram at once, then one per dump-space check in poll()', () => {
    const s = open();
    s.dump(datagrams(12), { seq: 100 });
    expect(s.rx.describe()).toBe('VUUUUUUU');
    expect(s.dumpBacklog).toBe(12); // 11 datagrams and NLMSG_DONE
    s.poll();
    // head 5: n = 5 + 3 = 8 > 7, so n = 1 (VALID): no more room.
    expect(s.rx.describe()).toBe('VVVVVUUU');
    expect(s.dumpBacklog).toBe(8);
    s.poll();
    expect(s.dumpBacklog).toBe(8);
  });

  it.each([
    {
      name: 'with the off-by-one (n -= frame_max) it waits',
      dumpOffByOne: true,
      after: 'UVVVVUUU',
    },
    { name: 'with a true modulo it would go on', dumpOffByOne: false, after: 'UVVVVVUU' },
  ])('$name', ({ dumpOffByOne, after }) => {
    const s = open({ dumpOffByOne });
    s.dump(datagrams(12), { seq: 100 });
    s.poll();
    expect(s.rx.describe()).toBe('VVVVVUUU');
    // The reader releases frame 0 only. Head 5: the kernel looks at frame 1 (still VALID);
    // a true modulo would look at frame 0.
    s.rx.release(0);
    s.poll();
    expect(s.rx.describe()).toBe(after);
  });

  it('does not step over SKIP for dump space: a SKIP head frame holds the dump back', () => {
    const s = open();
    for (let i = 0; i < 8; i++) s.deliver(message(32, i));
    for (let i = 0; i < 8; i++) if (i !== 3) s.rx.release(i);
    s.rx.skip(3);
    expect(s.head('rx')).toBe(0);
    s.dump(datagrams(6), { seq: 100 });
    s.poll();
    expect(s.rx.describe()).toBe('VVVSUUUU');
    expect(s.dumpBacklog).toBe(4);
    expect(s.head('rx')).toBe(3);
    // An in-ring allocation would step over it (§4.1 step 4).
    expect(s.deliver(message(32, 50))).toBe('valid');
    expect(s.rx.describe()).toBe('VVVSVUUU');
  });

  it('the first step is an in-ring allocation: it steps over SKIP', () => {
    const s = open();
    for (let i = 0; i < 8; i++) s.deliver(message(32, i));
    for (let i = 1; i < 8; i++) s.rx.release(i);
    s.rx.skip(0);
    s.dump(datagrams(1), { seq: 100 });
    expect(s.rx.describe()).toBe('SVUUUUUU');
  });

  it('delivers a datagram larger than maxlen as COPY', () => {
    const s = open();
    s.dump([message(2000, 1), message(32, 2), message(3000, 3)], { seq: 1 });
    s.poll();
    expect(s.rx.describe()).toBe('CVCVUUUU');
    const r = reader(s);
    r.read();
    expect(r.got.map((d) => [d.byteLength, seqOf(d)])).toEqual([
      [2000, 1],
      [32, 2],
      [3000, 3],
      [20, 1],
    ]);
    expect(s.dumping).toBe(false);
  });

  it('never drops dump data: a slow reader gets every datagram, in order', () => {
    const s = new SimulatedKernel().open({
      rx: { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 },
    });
    s.dump(datagrams(20), { seq: 100 });
    const r = reader(s);
    for (let polls = 0; s.dumping || s.poll() & POLLIN; polls++) {
      s.poll();
      r.read(1);
      expect(polls).toBeLessThan(100);
    }
    r.read();
    expect(r.got.map((d) => seqOf(d))).toEqual([...datagrams(20).map((d) => seqOf(d)), 100]);
    expect(s.drops).toBe(0);
  });

  it('ends with NLMSG_DONE: NLM_F_MULTI, the seq, the port id, the errno', () => {
    const s = open({ portid: 777 });
    s.dump([], { seq: 42, errno: errnos.EINTR });
    const r = reader(s);
    r.read();
    const done = new DataView(r.got[0].buffer);
    expect(done.getUint16(4, true)).toBe(NLMSG_DONE);
    expect(done.getUint16(6, true)).toBe(NLM_F_MULTI);
    expect(done.getUint32(8, true)).toBe(42);
    expect(done.getUint32(12, true)).toBe(777);
    expect(done.getInt32(16, true)).toBe(-errnos.EINTR);
    expect(s.dumping).toBe(false);
  });

  it('runs one dump at a time', () => {
    const s = open();
    s.dump(datagrams(20), { seq: 1 });
    expect(() => s.dump([])).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    const r = reader(s);
    while (s.dumping) {
      s.poll();
      r.read();
    }
    expect(() => s.dump([], { seq: 2 })).not.toThrow();
  });

  it('a first step that finds the ring full waits in the backlog, counted as an overrun', () => {
    const s = open();
    for (let i = 0; i < 8; i++) s.deliver(message(32, i));
    s.dump(datagrams(1), { seq: 100 });
    expect(s.drops).toBe(1);
    expect(s.takeError()).toBe(errnos.ENOBUFS);
    expect(s.dumpBacklog).toBe(2);
    const r = reader(s);
    r.read();
    s.poll();
    r.read();
    expect(r.got.slice(8).map((d) => seqOf(d))).toEqual([100, 100]);
  });

  it('without an RX ring, each recv() runs the next dump step', () => {
    const s = new SimulatedKernel().socket();
    s.dump(datagrams(3), { seq: 100 });
    expect(s.queued).toBe(1);
    const got = [];
    while (s.queued > 0) got.push(seqOf(s.recv()));
    expect(got).toEqual([100, 101, 102, 100]);
    expect(s.dumping).toBe(false);
  });
});
