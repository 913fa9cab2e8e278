import { asapScheduler, from, lastValueFrom, of, Subject, tap, timeout, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { toTxRing } from '../../src/sinks/toTxRing.js';
import { buildMessage } from '../../src/testing/buildMessage.js';
import type { SimSocket } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { marbles } from '../marbles.js';

// 4 frames of 1024 bytes: 1000 bytes of data each.
const tx: RingGeometry = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

function open() {
  const kernel = new SimulatedKernel();
  const socket = kernel.open({ tx });
  let flushes = 0;
  const flush = socket.flush.bind(socket);
  socket.flush = () => {
    flushes++;
    return flush();
  };
  return { kernel, socket, flushes: () => flushes };
}

function msg(seq: number, size = 32): Uint8Array {
  return buildMessage({ type: 0x10, seq, payload: new Uint8Array(size - 16).fill(seq & 0xff) });
}

describe('toTxRing', () => {
  it('writes every message into a TX frame, in order, and emits receipts once consumed', async () => {
    const { socket } = open();
    const messages = [msg(1), msg(2), msg(3)];
    const receipts = await lastValueFrom(from(messages).pipe(toTxRing(socket), toArray()));
    expect(receipts).toEqual([
      { index: 0, frame: 0, length: 32, seq: 1 },
      { index: 1, frame: 1, length: 32, seq: 2 },
      { index: 2, frame: 2, length: 32, seq: 3 },
    ]);
    expect(socket.sent.map((d) => [d.via, d.messages[0].seq])).toEqual([
      ['ring', 1],
      ['ring', 2],
      ['ring', 3],
    ]);
    expect(socket.tx?.census()[NL_MMAP_STATUS_VALID]).toBe(0);
  });

  it('flushes a synchronous burst once', async () => {
    const { socket, flushes } = open();
    await lastValueFrom(from([msg(1), msg(2), msg(3)]).pipe(toTxRing(socket), toArray()));
    expect(flushes()).toBe(1);
  });

  it('flushes every batchSize frames', async () => {
    const { socket, flushes } = open();
    await lastValueFrom(
      from([msg(1), msg(2), msg(3), msg(4)]).pipe(toTxRing(socket, { batchSize: 2 }), toArray()),
    );
    expect(flushes()).toBe(2);
  });

  it('waits for UNUSED frames when the ring is full and loses nothing', async () => {
    const { socket } = open();
    const messages = Array.from({ length: 23 }, (_, i) => msg(i + 1, 16 + 4 * (i % 7)));
    const receipts = await lastValueFrom(from(messages).pipe(toTxRing(socket), toArray()));
    expect(receipts.map((r) => r.seq)).toEqual(messages.map((_, i) => i + 1));
    expect(socket.sent.map((d) => d.messages[0].seq)).toEqual(messages.map((_, i) => i + 1));
    expect(receipts.map((r) => r.frame)).toEqual(messages.map((_, i) => i % 4));
  });

  it('never writes a frame it does not own: it waits while the producer has not consumed them', async () => {
    const { socket } = open();
    const ring = socket.tx;
    if (ring === null) throw new Error('no TX ring');
    // A producer whose socket cannot send yet: flush consumes nothing the first three times.
    const flush = socket.flush.bind(socket);
    let refusals = 3;
    const seen: string[] = [];
    socket.flush = () => {
      seen.push(ring.describe());
      if (refusals-- > 0) return 0;
      return flush();
    };
    const messages = Array.from({ length: 6 }, (_, i) => msg(i + 1));
    const receipts = await lastValueFrom(from(messages).pipe(toTxRing(socket), toArray()));
    expect(receipts.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    // While refused, the sink left the four VALID frames alone (it wrote no fifth message over one).
    expect(seen.slice(0, 3)).toEqual(['VVVV', 'VVVV', 'VVVV']);
    expect(socket.sent.map((d) => d.messages[0].seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a message larger than a frame before writing anything', async () => {
    const { socket } = open();
    const big = msg(9, 1004);
    const error = await lastValueFrom(from([big]).pipe(toTxRing(socket))).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect((error as NetlinkError).code).toBe('EMSGSIZE');
    expect((error as NetlinkError).op).toBe('tx');
    expect(socket.tx?.describe()).toBe('UUUU');
    expect(socket.sent).toHaveLength(0);
  });

  it('errors with the producer error (EINVAL) when the kernel refuses a frame', async () => {
    const { socket } = open();
    const ring = socket.tx;
    if (ring === null) throw new Error('no TX ring');
    const flush = socket.flush.bind(socket);
    socket.flush = () => {
      // Someone corrupts nm_len of the frame in flight: the §5.2 walk answers EINVAL.
      ring.setLength(0, 4096);
      return flush();
    };
    const error = await lastValueFrom(from([msg(1)]).pipe(toTxRing(socket))).catch(
      (e: unknown) => e,
    );
    expect((error as NetlinkError).code).toBe('EINVAL');
  });

  it('completes only after the input completed and every frame was consumed', async () => {
    const { socket } = open();
    const input = new Subject<Uint8Array>();
    const events: string[] = [];
    input.pipe(toTxRing(socket)).subscribe({
      next: (r) => events.push(`r${r.seq}`),
      complete: () => events.push('done'),
    });
    input.next(msg(1));
    await Promise.resolve();
    expect(events).toEqual(['r1']);
    input.next(msg(2));
    input.complete();
    expect(events).toEqual(['r1', 'r2', 'done']);
  });

  it("a second sink on the same endpoint resumes at the producer's TX head", async () => {
    const { socket } = open();
    const first = await lastValueFrom(of(msg(1), msg(2), msg(3)).pipe(toTxRing(socket), toArray()));
    expect(first.map((r) => r.frame)).toEqual([0, 1, 2]);
    const second = await lastValueFrom(
      of(msg(4), msg(5)).pipe(toTxRing(socket), toArray(), timeout(500)),
    );
    expect(second.map((r) => [r.index, r.frame, r.seq])).toEqual([
      [0, 3, 4],
      [1, 0, 5],
    ]);
    expect(socket.sent.map((d) => d.messages[0].seq)).toEqual([1, 2, 3, 4, 5]);
  });

  /** A producer that drains only on every 4th flush (its socket is slow). */
  function slow() {
    const o = open();
    const flush = o.socket.flush.bind(o.socket);
    let calls = 0;
    o.socket.flush = () => (++calls % 4 === 0 ? flush() : 0);
    return o;
  }

  it.each([
    { name: 'a sync iterable', async: false },
    { name: 'an async iterable', async: true },
  ])('pulls $name only as frames free up: memory stays at the ring size', async ({ async }) => {
    const { socket } = slow();
    const total = 200;
    let pulled = 0;
    let receipts = 0;
    let most = 0;
    function* sync() {
      for (let i = 1; i <= total; i++) {
        pulled++;
        most = Math.max(most, pulled - receipts);
        yield msg(i);
      }
    }
    async function* later() {
      for (const m of sync()) yield m;
    }
    const sink = toTxRing(socket, { scheduler: asapScheduler });
    const out = await lastValueFrom(
      (async ? sink(later()) : sink(sync())).pipe(
        tap(() => receipts++),
        toArray(),
      ),
    );
    expect(out.map((r) => r.seq)).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // Pulled and not yet sent: never more than the ring's four frames (plus the one in hand).
    expect(most).toBeLessThanOrEqual(5);
  });

  it('closes the iterator on unsubscribe', () => {
    const { socket } = slow();
    let closed = false;
    function* endless() {
      try {
        for (let i = 1; ; i++) yield msg(i);
      } finally {
        closed = true;
      }
    }
    const sub = toTxRing(socket)(endless()).subscribe();
    sub.unsubscribe();
    expect(closed).toBe(true);
  });

  it('holds at most maxQueued messages of an Observable, then errors with ENOBUFS', async () => {
    const { socket } = slow();
    const messages = Array.from({ length: 30 }, (_, i) => msg(i + 1));
    const error = await lastValueFrom(
      from(messages).pipe(toTxRing(socket, { maxQueued: 8 })),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect((error as NetlinkError).code).toBe('ENOBUFS');
  });

  it('holds by default four rings of an Observable burst (16 here) and sends them all', async () => {
    const { socket } = slow();
    const messages = Array.from({ length: 20 }, (_, i) => msg(i + 1));
    const receipts = await lastValueFrom(from(messages).pipe(toTxRing(socket), toArray()));
    expect(receipts).toHaveLength(20);
  });

  it.each([
    { name: 'no TX ring', run: () => toTxRing(new SimulatedKernel().open({})) },
    { name: 'batchSize 0', run: () => toTxRing(open().socket, { batchSize: 0 }) },
    { name: 'maxQueued -1', run: () => toTxRing(open().socket, { maxQueued: -1 }) },
    { name: 'batchSize NaN', run: () => toTxRing(open().socket, { batchSize: Number.NaN }) },
    {
      name: 'scheduler 5',
      run: () => toTxRing(open().socket, { scheduler: 5 as unknown as undefined }),
    },
    { name: 'options null', run: () => toTxRing(open().socket, null as unknown as undefined) },
    { name: 'no endpoint', run: () => toTxRing(null as unknown as SimSocket) },
  ])('throws a TypeError naming toTxRing for $name', ({ run }) => {
    expect(run).toThrow(TypeError);
    expect(run).toThrow(/^toTxRing: /);
  });

  it(
    'emits receipts in the virtual frame of each message (marbles)',
    marbles((m) => {
      const { socket } = open();
      const a = msg(1);
      const b = msg(2);
      const input = m.cold('-a--b-|', { a, b });
      m.expect(input.pipe(toTxRing(socket, { scheduler: m.scheduler }))).toBeObservable('-x--y-|', {
        x: { index: 0, frame: 0, length: 32, seq: 1 },
        y: { index: 1, frame: 1, length: 32, seq: 2 },
      });
      m.expect(input).toHaveSubscriptions('^-----!');
    }),
  );
});
