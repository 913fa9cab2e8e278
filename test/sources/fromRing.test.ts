import { filter, map, type Observable, take } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { FrameReleasedError, NetlinkError } from '../../src/errors/NetlinkError.js';
import { NETLINK_NO_ENOBUFS } from '../../src/netlink/constants.js';
import type { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingReader } from '../../src/ring/RingReader.js';
import { RingStats } from '../../src/ring/RingStats.js';
import { fromRing } from '../../src/sources/fromRing.js';
import type { SimSocket, SimSocketOptions } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { scriptDeliveries } from '../../src/testing/scriptDeliveries.js';
import { marbles } from '../marbles.js';
import { message, seqOf } from '../testing/helpers.js';

// 4 frames of 1024 bytes (maxlen 1000).
const rx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

function open(options: SimSocketOptions & { rx?: typeof rx } = {}) {
  return new SimulatedKernel().open({ rx, ...options });
}

/** An owned factory over `socket` that counts close() calls. */
function owning(socket: SimSocket) {
  let closes = 0;
  const close = socket.close.bind(socket);
  socket.close = () => {
    closes++;
    close();
  };
  return { open: () => socket, closes: () => closes };
}

type Item = Frame | Overrun;

/** Subscribes and records what arrives: seqs of frames, `!n` for an overrun of n. */
function record(source: Observable<Item>, onFrame: (f: Frame) => void = () => {}) {
  const seen: string[] = [];
  let error: unknown;
  let completed = false;
  const subscription = source.subscribe({
    next: (x) => {
      if (x instanceof Overrun) seen.push(`!${x.lost}`);
      else {
        seen.push(`${seqOf(x.data)}${x.copied ? 'c' : ''}`);
        onFrame(x);
      }
    },
    error: (e) => {
      error = e;
    },
    complete: () => {
      completed = true;
    },
  });
  return {
    seen,
    subscription,
    error: () => error,
    completed: () => completed,
  };
}

describe('fromRing over the simulated kernel', () => {
  it('emits frames in ring order, COPY messages merged in their place', () => {
    const s = open();
    const stats = new RingStats();
    const r = record(fromRing(s, { stats }));
    s.deliver(message(32, 1));
    s.deliver(message(2000, 2));
    s.deliver(message(64, 3), { group: 1 });
    s.deliver(message(48, 4));
    s.deliver(message(32, 5));
    expect(r.seen).toEqual(['1', '2c', '3c', '4', '5']);
    expect([stats.frames, stats.copies]).toEqual([5, 2]);
  });

  it('emits what was delivered before the subscription, in order', () => {
    const s = open();
    s.deliver(message(32, 1));
    s.deliver(message(2000, 2));
    s.deliver(message(32, 3));
    expect(record(fromRing(s)).seen).toEqual(['1', '2c', '3']);
  });

  it('releases empty (aborted) frames unseen', () => {
    const s = open();
    const stats = new RingStats();
    const r = record(fromRing(s, { stats }));
    s.deliver(message(32, 1));
    s.abort();
    s.deliver(message(32, 2));
    expect(r.seen).toEqual(['1', '2']);
    expect(stats.empty).toBe(1);
    expect(s.rx.census()[0]).toBe(4);
  });

  it('waits behind a RESERVED frame, then goes on in ring order', () => {
    const s = open();
    const r = record(fromRing(s));
    const reservation = s.reserve();
    s.deliver(message(32, 2));
    expect(r.seen).toEqual([]);
    reservation?.commit(message(32, 1));
    expect(r.seen).toEqual(['1', '2']);
  });

  it('releases a borrowed frame when next() returns; the handle then throws', () => {
    const s = open();
    let kept: Frame | null = null;
    const during: number[] = [];
    record(fromRing(s), (f) => {
      kept = f;
      during.push(s.rx.status(f.index));
    });
    s.deliver(message(32, 1));
    expect(during).toEqual([2]); // VALID while next() runs
    expect(s.rx.census()[0]).toBe(4);
    const frame = kept as unknown as Frame;
    expect(frame.live).toBe(false);
    expect(() => frame.data).toThrow(FrameReleasedError);
  });

  it('emits an Overrun with the messages lost, then goes on', () => {
    const s = open();
    const stats = new RingStats();
    const deferred: Frame[] = [];
    const r = record(fromRing(s, { stats }), (f) => deferred.push(f.defer()));
    for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 5)); // the ring is full of deferred frames
    expect(s.drops).toBe(1);
    for (const f of deferred.splice(0)) f.release();
    s.deliver(message(32, 6));
    s.deliver(message(32, 7));
    s.deliver(message(32, 8));
    s.deliver(message(32, 9));
    expect(r.seen).toEqual(['1', '2', '3', '4', '!1', '6', '7', '8', '9']);
    expect([stats.overruns, stats.lost]).toEqual([1, 1]);
  });

  it('reports the drops after the one ENOBUFS of an episode as more Overruns', () => {
    const s = open();
    const stats = new RingStats();
    const deferred: Frame[] = [];
    const r = record(fromRing(s, { stats }), (f) => deferred.push(f.defer()));
    for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 5)); // dropped: ENOBUFS
    expect(r.seen).toEqual(['1', '2', '3', '4', '!1']);
    // Drops that raise no second error, as the kernel's while the socket stays congested.
    s.setsockopt(NETLINK_NO_ENOBUFS, 1);
    s.deliver(message(32, 6));
    s.deliver(message(32, 7));
    expect(s.drops).toBe(3);
    expect(r.seen).toEqual(['1', '2', '3', '4', '!1', '!1', '!1']);
    for (const f of deferred.splice(0)) f.release();
    s.deliver(message(32, 8));
    expect(r.seen.at(-1)).toBe('8');
    expect([stats.overruns, stats.lost]).toEqual([3, s.drops]);
    // A later silent drop is reported too (read at the next idle moment).
    for (const f of deferred.splice(0)) f.release();
    for (let i = 9; i <= 13; i++) s.deliver(message(32, i));
    expect(r.seen.slice(8)).toEqual(['9', '10', '11', '12', '!1']);
    expect([s.drops, stats.lost]).toEqual([4, 4]);
  });

  it("leaves the drop counter to the source with drops: 'source': one uncounted Overrun an ENOBUFS", () => {
    const s = open();
    let reads = 0;
    const counter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(s), 'drops');
    Object.defineProperty(s, 'drops', {
      get: () => {
        reads++;
        return counter?.get?.call(s);
      },
    });
    const stats = new RingStats();
    const deferred: Frame[] = [];
    const r = record(fromRing(s, { stats, drops: 'source' }), (f) => deferred.push(f.defer()));
    for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 5)); // dropped: ENOBUFS
    s.setsockopt(NETLINK_NO_ENOBUFS, 1);
    s.deliver(message(32, 6)); // dropped silently: not fromRing's to report
    for (const f of deferred.splice(0)) f.release();
    s.deliver(message(32, 7));
    r.subscription.unsubscribe();
    // Not read by fromRing: not at the overrun, nor at idle moments, nor at teardown.
    expect(reads).toBe(0);
    expect(r.seen).toEqual(['1', '2', '3', '4', '!NaN', '7']);
    expect([s.drops, stats.overruns, stats.lost]).toEqual([2, 1, 0]);
  });

  it('throws a TypeError naming options.drops for a bad value', () => {
    expect(() => fromRing(open(), { drops: 'both' as 'ring' })).toThrow(/options\.drops/);
  });

  it('counts the drops of an episode still open at teardown in stats.lost', () => {
    const s = open();
    const stats = new RingStats();
    const r = record(fromRing(s, { stats }), (f) => {
      f.defer();
    });
    for (let i = 1; i <= 5; i++) s.deliver(message(32, i));
    expect(r.seen.at(-1)).toBe('!1');
    // Dropped after the last wake (the counter moved, nothing polled since).
    const counted = s.drops;
    Object.defineProperty(s, 'drops', { get: () => counted + 2 });
    r.subscription.unsubscribe();
    expect([stats.overruns, stats.lost]).toEqual([1, 3]);
  });

  it("errors with ENOBUFS under overruns: 'error', and tears down", () => {
    const s = open();
    const owner = owning(s);
    const r = record(fromRing(owner.open, { overruns: 'error' }), (f) => {
      f.defer();
    });
    for (let i = 1; i <= 5; i++) s.deliver(message(32, i));
    expect(r.error()).toBeInstanceOf(NetlinkError);
    expect((r.error() as NetlinkError).code).toBe('ENOBUFS');
    expect(owner.closes()).toBe(1);
    expect(s.rx.census()[0]).toBe(4);
  });

  it('errors with other socket errors', () => {
    const s = open();
    const r = record(fromRing(s));
    s.setError(errnos.EIO);
    expect((r.error() as NetlinkError).code).toBe('EIO');
  });

  it('reports an overrun that recv() raises before a COPY message (§4.3), then emits it', () => {
    const s = open();
    s.deliver(message(32, 1));
    s.deliver(message(2000, 2));
    s.deliver(message(32, 3));
    s.deliver(message(32, 4));
    const r = record(fromRing(s), (f) => {
      // While frame 0 is still borrowed the ring is full: this delivery is dropped and the
      // socket error is pending when the source reads the COPY frame next.
      if (seqOf(f.data) === 1) s.deliver(message(32, 5));
    });
    expect(r.error()).toBeUndefined();
    expect(r.seen).toEqual(['1', '!1', '2c', '3', '4']);
  });

  it('keeps a deferred frame SKIP until released, and the ring refills behind it', () => {
    const s = open();
    let held: Frame | null = null;
    const r = record(fromRing(s), (f) => {
      if (seqOf(f.data) === 1) held = f.defer();
    });
    for (let i = 1; i <= 10; i++) s.deliver(message(32, i));
    expect(r.seen).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    const frame = held as unknown as Frame;
    expect(s.rx.status(frame.index)).toBe(4); // SKIP, never overwritten
    expect(seqOf(frame.data)).toBe(1);
    expect(RingReader.of(s.rx).held).toBe(1);
    frame.release();
    expect(s.rx.census()[0]).toBe(4);
    for (let i = 11; i <= 14; i++) s.deliver(message(32, i));
    expect(r.seen.slice(10)).toEqual(['11', '12', '13', '14']);
  });

  it('does not lose a message delivered into a released deferred frame the reader stepped over', () => {
    const s = open();
    let held: Frame | null = null;
    const r = record(fromRing(s), (f) => {
      if (seqOf(f.data) === 1) held = f.defer();
    });
    for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
    // Frame 0 is SKIP and the kernel head is at it; releasing it lets the kernel use it next.
    (held as unknown as Frame).release();
    s.deliver(message(32, 5));
    s.deliver(message(32, 6));
    expect(r.seen).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('follows the kernel over a SKIP frame it stepped over', () => {
    const s = open();
    const held: Frame[] = [];
    const r = record(fromRing(s), (f) => {
      if (seqOf(f.data) <= 2) held.push(f.defer());
    });
    for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
    s.deliver(message(32, 5)); // steps over frames 0 and 1 (SKIP): lands in 2
    s.deliver(message(32, 6));
    held[1].release(); // frame 1: a hole behind the kernel head
    s.deliver(message(32, 7)); // the kernel head is at frame 0 (SKIP): steps over it into 1
    held[0].release();
    s.deliver(message(32, 8));
    s.deliver(message(32, 9));
    expect(r.seen).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(s.drops).toBe(0);
  });

  it('stops taking frames while RingReader.of(ring).holdLimit frames are held, resumes on a release', () => {
    const s = open();
    const held: Frame[] = [];
    RingReader.of(s.rx).holdLimit = 2;
    const r = record(fromRing(s), (f) => held.push(f.defer()));
    for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
    expect(r.seen).toEqual(['1', '2']);
    expect(s.rx.describe()).toBe('SSVV');
    held[0].release();
    expect(r.seen).toEqual(['1', '2', '3']);
    held[1].release();
    held[2].release();
    expect(r.seen).toEqual(['1', '2', '3', '4']);
  });

  it.each([
    {
      name: 'unsubscribe',
      pipe: (o: Observable<Item>) => o,
      end: (r: ReturnType<typeof record>) => r.subscription.unsubscribe(),
    },
    {
      name: 'complete (take)',
      pipe: (o: Observable<Item>) => o.pipe(take(3)),
      end: () => {},
    },
    {
      name: 'error',
      pipe: (o: Observable<Item>) =>
        o.pipe(
          map((x) => {
            if (x instanceof Overrun) return x;
            if (seqOf(x.data) === 3) throw new Error('boom');
            return x;
          }),
        ),
      end: () => {},
    },
  ])('releases every frame and closes the endpoint once on $name', ({ pipe, end }) => {
    const s = open({ rx: { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 } });
    const owner = owning(s);
    // Leave frames in every state the process can own: deferred (SKIP), unread VALID and COPY.
    s.deliver(message(32, 1));
    s.deliver(message(32, 2));
    s.deliver(message(32, 3));
    s.deliver(message(2000, 4));
    s.deliver(message(32, 5));
    RingReader.of(s.rx).holdLimit = 3;
    const r = record(pipe(fromRing(owner.open)), (f) => {
      f.defer();
    });
    end(r);
    expect(s.closed).toBe(true);
    expect(owner.closes()).toBe(1);
    expect(s.rx.census()).toEqual([8, 0, 0, 0, 0]);
    expect(RingReader.of(s.rx).held).toBe(0);
    r.subscription.unsubscribe();
    expect(owner.closes()).toBe(1);
  });

  it('borrows an endpoint: leaves it open and resumes where the last subscription stopped', () => {
    const s = open();
    const first = record(fromRing(s).pipe(take(3)));
    for (let i = 1; i <= 3; i++) s.deliver(message(32, i));
    expect(first.completed()).toBe(true);
    expect(s.closed).toBe(false);
    s.deliver(message(32, 4)); // frame 3
    s.deliver(message(32, 5)); // frame 0
    const second = record(fromRing(s));
    expect(second.seen).toEqual(['4', '5']);
    s.deliver(message(32, 6));
    expect(second.seen).toEqual(['4', '5', '6']);
  });

  it('handles deliveries made from inside next(), in order', () => {
    const s = open();
    const r = record(fromRing(s), (f) => {
      const seq = seqOf(f.data);
      if (seq < 6) s.deliver(message(32, seq + 1));
    });
    s.deliver(message(32, 1));
    expect(r.seen).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it.each([
    { name: 'not an endpoint', run: () => fromRing(42 as unknown as SimSocket) },
    { name: "overruns: 'drop'", run: () => fromRing(open(), { overruns: 'drop' as 'emit' }) },
    { name: 'turnBudget -1', run: () => fromRing(open(), { turnBudget: -1 }) },
    { name: 'turnBudget NaN', run: () => fromRing(open(), { turnBudget: Number.NaN }) },
    { name: 'turnBudget 1.5', run: () => fromRing(open(), { turnBudget: 1.5 }) },
    { name: "senders: 'me'", run: () => fromRing(open(), { senders: 'me' as 'any' }) },
    { name: 'stats {}', run: () => fromRing(open(), { stats: {} as RingStats }) },
    { name: 'options 5', run: () => fromRing(open(), 5 as unknown as undefined) },
  ])('validates its arguments eagerly: a TypeError naming fromRing for $name', ({ run }) => {
    expect(run).toThrow(TypeError);
    expect(run).toThrow(/^fromRing: /);
  });

  it.each([
    { name: 'in the ring', path: 'ring' as const },
    { name: 'COPY', path: 'copy' as const },
  ])('drops and counts frames whose sender is not the kernel ($name)', ({ path }) => {
    const s = open();
    const stats = new RingStats();
    const r = record(fromRing(s, { stats }));
    s.deliver(message(32, 1), { path });
    s.deliver(message(32, 2), { path, pid: 4242 });
    s.deliver(message(32, 3), { path });
    expect(r.seen).toEqual(path === 'copy' ? ['1c', '3c'] : ['1', '3']);
    expect([stats.foreign, stats.frames]).toEqual([1, 2]);
    expect(s.queued).toBe(0);
    expect(s.rx.describe()).toBe('UUUU');
    r.subscription.unsubscribe();
  });

  it("delivers foreign frames with senders: 'any'", () => {
    const s = open();
    const frames: number[] = [];
    const sub = fromRing(s, { senders: 'any' }).subscribe((f) => {
      if (!(f instanceof Overrun)) frames.push(f.pid);
    });
    s.deliver(message(32, 1), { pid: 4242 });
    expect(frames).toEqual([4242]);
    sub.unsubscribe();
  });

  it('a second source on a borrowed endpoint resumes with the frames the first left', () => {
    const s = open();
    const first = record(fromRing(s).pipe(take(2)));
    s.deliver(message(32, 1));
    s.deliver(message(32, 2));
    expect(first.seen).toEqual(['1', '2']);
    s.deliver(message(32, 3)); // nobody reads: it waits in frame 2
    const second = record(fromRing(s));
    s.deliver(message(32, 4));
    s.deliver(message(32, 5));
    expect(second.seen).toEqual(['3', '4', '5']);
    expect(RingReader.of(s.rx).cursor).toBe(1);
    second.subscription.unsubscribe();
  });

  it(
    'runs a pipeline over scripted deliveries in virtual time',
    marbles((m) => {
      const s = open();
      const script = m.cold('-a-b--c-d-e', {
        a: message(32, 1),
        b: { data: message(64, 2), group: 3 },
        c: (socket: SimSocket) => socket.abort(),
        d: message(2000, 4),
        e: message(32, 5),
      });
      scriptDeliveries(s, script);
      const seqs = fromRing(() => s).pipe(
        filter((x): x is Frame => !(x instanceof Overrun)),
        map((f) => `${seqOf(f.data)}/${f.group}`),
      );
      m.expect(seqs, '^-------!').toBeObservable('-a-b----d', { a: '1/0', b: '2/3', d: '4/0' });
      // The subscription closed the socket at frame 8: the script stops at its next step.
      m.expect(script).toHaveSubscriptions('^---------!');
    }),
  );
});

// Order around deferred frames. The producer claims frames in ring order from its head but
// steps over SKIP frames (RING-SPEC §4.1 step 4); a deferred frame it stepped over and that is
// released later is a hole it refills only on its next lap. With claim numbers on the ring
// (the ring engine, the simulated kernel) frames come out in claim order; without (the
// kernel's own rings) the status words cannot always tell, and the order is best-effort.
describe('fromRing order around deferred frames, with and without claim numbers', () => {
  it.each([
    { name: 'claim numbers', claimOrder: true, expected: ['1', '2', '3', '4', '5', '6', '7'] },
    // Frame 0 is read first: it is at the cursor and VALID.
    { name: 'no claim numbers', claimOrder: false, expected: ['1', '2', '3', '4', '7', '5', '6'] },
  ])(
    'wrap: the cursor is on a hole while the producer claims the frames after it, then the hole ($name)',
    ({ claimOrder, expected }) => {
      const s = open({ claimOrder });
      const held: Frame[] = [];
      const r = record(fromRing(s), (f) => {
        const seq = seqOf(f.data);
        if (seq === 1) held.push(f.defer());
        if (seq === 4) {
          // One batch while this frame is delivered (an engine's recvmmsg): the cursor will
          // be at frame 0 (SKIP), the head is at 0 too.
          held.push(f.defer());
          s.deliver(message(32, 5)); // steps over frame 0 into 1
          s.deliver(message(32, 6)); // frame 2
          held[0].release(); // frame 0: a hole behind the head
          s.deliver(message(32, 7)); // steps over frame 3 into the hole: frame 0
        }
      });
      for (let i = 1; i <= 4; i++) s.deliver(message(32, i));
      expect(r.seen).toEqual(expected);
      held[1].release();
      expect(s.rx.census()[0]).toBe(4);
      expect(s.drops).toBe(0);
    },
  );

  it.each([
    { name: 'claim numbers', claimOrder: true },
    { name: 'no claim numbers', claimOrder: false },
  ])(
    'waits on a RESERVED frame the producer claimed past the cursor, then reads the refilled hole ($name)',
    ({ claimOrder }) => {
      // Two frames: the reservation steps over SKIP frame 1 into frame 0, then frame 1 is
      // released and refilled at once (the head is at it).
      const s = open({
        claimOrder,
        rx: { blockSize: 4096, blockNr: 1, frameSize: 2048, frameNr: 2 },
      });
      let held: Frame | null = null;
      const r = record(fromRing(s), (f) => {
        if (seqOf(f.data) === 2) held = f.defer();
      });
      for (let i = 1; i <= 3; i++) s.deliver(message(32, i));
      expect(s.rx.describe()).toBe('US');
      const reservation = s.reserve(); // message 4, frame 0
      (held as unknown as Frame).release();
      s.deliver(message(32, 5)); // frame 1
      expect(r.seen).toEqual(['1', '2', '3']);
      reservation?.commit(message(32, 4));
      expect(r.seen).toEqual(['1', '2', '3', '4', '5']);
    },
  );

  it.each([
    {
      name: 'claim numbers',
      claimOrder: true,
      expected: ['2/0', '3/0', '5/0', '6c/6', '7c/7', '8c/8'],
    },
    {
      // Frame 0 (claimed last) is read first; COPY messages still come in queue order, so
      // the COPY frames' headers and messages are paired one off.
      name: 'no claim numbers',
      claimOrder: false,
      expected: ['2/0', '3/0', '6c/8', '5/0', '7c/6', '8c/7'],
    },
  ])(
    'held back by holdLimit while the producer fills the hole: COPY messages and their headers ($name)',
    ({ claimOrder, expected }) => {
      const s = open({ claimOrder });
      const held: Frame[] = [];
      const seen: string[] = [];
      RingReader.of(s.rx).holdLimit = 2;
      fromRing(s).subscribe((x) => {
        if (x instanceof Overrun) return;
        const seq = seqOf(x.data);
        if (seq === 1 || seq === 4) held.push(x.defer());
        else seen.push(`${seq}${x.copied ? 'c' : ''}/${x.group}`);
      });
      for (let i = 1; i <= 4; i++) s.deliver(message(32, i)); // 1 and 4 held: the source stops
      s.deliver(message(32, 5)); // steps over frame 0 into 1
      s.deliver(message(32, 6), { group: 6 }); // COPY, frame 2
      RingReader.of(s.rx).holdLimit = 0; // keep the source stopped while the holds go
      held[0].release(); // frame 0: a hole behind the head
      held[1].release(); // frame 3: the head is at it
      s.deliver(message(32, 7), { group: 7 }); // COPY, frame 3
      RingReader.of(s.rx).holdLimit = Number.POSITIVE_INFINITY;
      s.deliver(message(32, 8), { group: 8 }); // COPY into the hole, frame 0; wakes the source
      expect(seen).toEqual(expected);
      expect(s.queued).toBe(0);
      expect(s.rx.census()[0]).toBe(4);
    },
  );

  it.each([
    { name: 'claim numbers', claimOrder: true },
    { name: 'no claim numbers', claimOrder: false },
  ])(
    'teardown discards what is ready, leaves a RESERVED claim to the next subscription ($name)',
    ({ claimOrder }) => {
      const s = open({ claimOrder });
      const first = record(fromRing(s));
      const reservation = s.reserve(); // message 1, frame 0
      s.deliver(message(32, 2)); // frame 1
      s.deliver(message(2000, 3)); // COPY, frame 2
      expect(first.seen).toEqual([]);
      first.subscription.unsubscribe();
      expect(s.rx.describe()).toBe('RUUU');
      expect(s.queued).toBe(0);
      reservation?.commit(message(32, 1));
      const second = record(fromRing(s));
      expect(second.seen).toEqual(['1']);
      s.deliver(message(32, 4)); // frame 3
      s.deliver(message(2000, 5)); // COPY, frame 0
      s.deliver(message(32, 6)); // frame 1
      expect(second.seen).toEqual(['1', '4', '5c', '6']);
      second.subscription.unsubscribe();
      expect(s.rx.census()[0]).toBe(4);
      expect(RingReader.of(s.rx).consumed).toBe(s.rx.claimed);
    },
  );
});

describe('fromRing turn budget (a producer in this process, not simulated)', () => {
  it('yields to the event loop while deferred frames are released in a chain of microtasks', async () => {
    const { openScripted, datagram } = await import('../io/openScripted.js');
    const { socket, kernel } = openScripted();
    const total = 3000;
    for (let i = 0; i < total; i++) kernel.deliver({ data: datagram(i, 32) });
    let seen = 0;
    let seenAtTimer = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        seenAtTimer = seen;
        resolve();
      }, 0),
    );
    const all = new Promise<void>((resolve) => {
      fromRing(socket, { turnBudget: 64 }).subscribe((x) => {
        if (x instanceof Overrun) return;
        x.defer();
        seen++;
        // Released in a microtask: each release drains again, from the same turn.
        void Promise.resolve().then(() => {
          x.release();
          if (seen === total) resolve();
        });
      });
    });
    await Promise.all([timer, all]);
    expect(seen).toBe(total);
    // The timer ran before everything was delivered: the chain did not hold the loop.
    expect(seenAtTimer).toBeGreaterThan(0);
    expect(seenAtTimer).toBeLessThan(total);
    socket.close();
  });
});
