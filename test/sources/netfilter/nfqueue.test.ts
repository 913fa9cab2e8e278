import { map, queueScheduler, type SchedulerLike, Subject, Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import { FrameReleasedError, NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_REPEAT,
  NF_VERDICT_FLAG_QUEUE_BYPASS,
  NFQA_CFG_F_CONNTRACK,
  NFQA_CFG_F_FAIL_OPEN,
  NFQA_CFG_F_GSO,
  NFQA_CFG_F_UID_GID,
  NFQNL_CFG_CMD_BIND,
  NFQNL_CFG_CMD_UNBIND,
  NFQNL_COPY_PACKET,
} from '../../../src/families/netfilter/constants.js';
import { nfQueueNr } from '../../../src/families/netfilter/nfnetlink.js';
import {
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../../../src/ring/constants.js';
import { Overrun } from '../../../src/ring/Overrun.js';
import {
  type NfqueueOptions,
  NfqueueStats,
  nfqueue,
} from '../../../src/sources/netfilter/nfqueue.js';
import type { QueuedPacket } from '../../../src/sources/netfilter/QueuedPacket.js';
import { KernelQueue } from '../../../src/testing/nfqueueKernel.js';

/** Lets the end-of-burst flush (asap) run. */
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

interface Run {
  k: KernelQueue;
  packets: QueuedPacket[];
  overruns: Overrun[];
  stats: NfqueueStats;
  subscription: Subscription;
  error: () => unknown;
  bound: () => number;
}

/** nfqueue() over a simulated kernel's queue; `onPacket` decides (or not). */
function run(
  onPacket: (p: QueuedPacket) => void = () => {},
  options: Partial<NfqueueOptions> = {},
  k = new KernelQueue(3),
): Run {
  const packets: QueuedPacket[] = [];
  const overruns: Overrun[] = [];
  const stats = new NfqueueStats();
  let error: unknown;
  let bound = 0;
  const subscription = nfqueue({
    queue: k.queue,
    open: () => k.socket,
    stats,
    onBound: () => bound++,
    ...options,
  }).subscribe({
    next: (p) => {
      if (p instanceof Overrun) overruns.push(p);
      else {
        packets.push(p);
        onPacket(p);
      }
    },
    error: (e) => {
      error = e;
    },
  });
  return { k, packets, overruns, stats, subscription, error: () => error, bound: () => bound };
}

/** [kind, id, verdict, applied] of each verdict message the kernel handled. */
const summary = (k: KernelQueue) => k.log.map((l) => [l.kind, l.id, l.verdict, l.applied]);

describe('nfqueue over the simulated kernel', () => {
  it('binds and configures the queue, one acknowledged request per step, then calls onBound', () => {
    const r = run(() => {}, {
      copyRange: 1500,
      maxLength: 2048,
      failOpen: true,
      gso: false,
      uidGid: true,
    });
    expect(r.error()).toBeUndefined();
    expect(r.k.config).toEqual([
      { seq: 1, ack: true, queue: 3, command: NFQNL_CFG_CMD_BIND },
      { seq: 2, ack: true, queue: 3, copyMode: NFQNL_COPY_PACKET, copyRange: 1500 },
      { seq: 3, ack: true, queue: 3, maxLen: 2048 },
      {
        seq: 4,
        ack: true,
        queue: 3,
        flags: NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_UID_GID,
        mask: NFQA_CFG_F_FAIL_OPEN | NFQA_CFG_F_GSO | NFQA_CFG_F_UID_GID,
      },
    ]);
    expect([r.bound(), r.stats.bound]).toEqual([1, true]);
    r.subscription.unsubscribe();
    // Teardown: the default verdict for whatever the kernel holds, then UNBIND, unacknowledged.
    expect(r.k.config.at(-1)).toEqual({
      seq: 0,
      ack: false,
      queue: 3,
      command: NFQNL_CFG_CMD_UNBIND,
    });
    expect(r.k.socket.closed).toBe(true);
    expect(r.stats.bound).toBe(false);
  });

  it('sends only the default configuration when no option is given (conntrack stays off)', () => {
    const r = run();
    expect(r.k.config.map((c) => [c.command, c.copyMode, c.copyRange, c.flags])).toEqual([
      [NFQNL_CFG_CMD_BIND, undefined, undefined, undefined],
      [undefined, NFQNL_COPY_PACKET, 0xffff, undefined],
    ]);
    r.subscription.unsubscribe();
  });

  it.each([
    {
      name: 'the bind (another socket has the queue)',
      seq: 1,
      errno: errnos.EPERM,
      request: 'NFQNL_CFG_CMD_BIND queue 3',
    },
    {
      name: 'the flags (no conntrack glue in this kernel)',
      seq: 3,
      errno: errnos.EOPNOTSUPP,
      request: `NFQA_CFG_FLAGS 0x${NFQA_CFG_F_CONNTRACK.toString(16)} mask 0x2 (conntrack) for queue 3`,
    },
  ])(
    'errors with a typed NetlinkError naming the step when the kernel refuses $name',
    ({ seq, errno, request }) => {
      const k = new KernelQueue(3);
      k.refuse = { seq, errno, extack: 'refused by the test' };
      const r = run(() => {}, { conntrack: true }, k);
      const error = r.error();
      expect(error).toBeInstanceOf(NetlinkError);
      expect(error).toMatchObject({
        op: 'request',
        errno,
        seq,
        request,
        extack: 'refused by the test',
      });
      expect(r.bound()).toBe(0);
      expect(k.socket.closed).toBe(true);
    },
  );

  it('batches the verdicts of a synchronous burst: one batch for a run, singles around a different verdict', async () => {
    const r = run((p) => (p.id === 3 ? p.drop() : p.accept()));
    // One burst of five packets: all emitted and decided before the flush runs.
    r.k.socket.deliver(new Uint8Array(0), { path: 'ring' }); // an empty datagram is skipped
    for (let i = 0; i < 5; i++) r.k.enqueue();
    expect(r.k.log).toEqual([]);
    await tick();
    expect(summary(r.k)).toEqual([
      ['batch', 2, NF_ACCEPT, [1, 2]],
      ['single', 3, NF_DROP, [3]],
      ['batch', 5, NF_ACCEPT, [4, 5]],
    ]);
    // Three messages in one TX frame, one flush.
    expect(r.k.socket.sent.filter((d) => d.via === 'ring').map((d) => d.messages.length)).toEqual([
      3,
    ]);
    expect([r.stats.messages, r.stats.batches, r.stats.txFrames, r.stats.flushes]).toEqual([
      3, 2, 1, 1,
    ]);
    expect([r.stats.packets, r.stats.verdicts, r.stats.pending]).toEqual([5, 5, 0]);
    expect(r.k.socket.rx.census()[NL_MMAP_STATUS_SKIP]).toBe(0);
    r.subscription.unsubscribe();
  });

  /** Runs each task at once, from within another too: flushes re-enter through the wake. */
  const immediate: SchedulerLike = {
    now: () => Date.now(),
    schedule: ((
      work: (this: unknown, state?: unknown) => void,
      _delay?: number,
      state?: unknown,
    ) => {
      work.call(null, state);
      return Subscription.EMPTY;
    }) as SchedulerLike['schedule'],
  };

  it.each([
    {
      name: 'queueScheduler (a flush scheduled from a flush runs after it)',
      scheduler: queueScheduler,
    },
    {
      name: 'a scheduler that runs the flush at once (a flush inside the wake of a flush)',
      scheduler: immediate,
    },
  ])('writes every verdict at once with a synchronous scheduler: $name', ({ scheduler }) => {
    // Two packets held at most: 1 and 2 wait; 3, 4, 5 wait in the ring behind them, and are
    // accepted as they come out, each time the frame of a flushed verdict goes back.
    const r = run((p) => p.id >= 3 && p.accept(), { scheduler, maxPending: 2 });
    for (let i = 0; i < 5; i++) r.k.enqueue();
    expect(r.packets.map((p) => p.id)).toEqual([1, 2]);
    r.packets[0].accept();
    expect(summary(r.k)).toEqual([
      ['single', 1, NF_ACCEPT, [1]],
      ['single', 3, NF_ACCEPT, [3]],
      ['single', 4, NF_ACCEPT, [4]],
      ['single', 5, NF_ACCEPT, [5]],
    ]);
    // The flush that ran inside schedule() left nothing behind that holds back the next one.
    r.packets[1].accept();
    expect(summary(r.k).at(-1)).toEqual(['single', 2, NF_ACCEPT, [2]]);
    expect([r.k.held, r.stats.pending, r.stats.verdicts, r.stats.defaulted]).toEqual([[], 0, 5, 0]);
    expect(r.k.socket.rx.census()[NL_MMAP_STATUS_SKIP]).toBe(0);
    expect(r.error()).toBeUndefined();
    r.subscription.unsubscribe();
  });

  it('keeps each frame in the ring (SKIP) until its verdict is written, then the payload view goes stale', async () => {
    const r = run();
    r.k.enqueue(Uint8Array.of(0x45, 1, 2, 3));
    r.k.enqueue(Uint8Array.of(0x45, 4, 5, 6));
    expect(r.k.socket.rx.census()[NL_MMAP_STATUS_SKIP]).toBe(2);
    expect([...(r.packets[1].payload ?? [])]).toEqual([0x45, 4, 5, 6]);
    r.packets[1].accept();
    // Decided but not yet written: still readable.
    expect([...(r.packets[1].payload ?? [])]).toEqual([0x45, 4, 5, 6]);
    await tick();
    expect(r.k.socket.rx.census()[NL_MMAP_STATUS_SKIP]).toBe(1);
    expect(() => r.packets[1].payload).toThrow(FrameReleasedError);
    // The advice is the packet's (slice before the verdict), not a frame's defer()/copy().
    expect(() => r.packets[1].payload).toThrow(
      /^frame: ESTALE \(.*\): the frame of this packet \(\d+\) went back at its verdict; payload\.slice\(\) before the verdict to keep the bytes$/,
    );
    expect([...(r.packets[0].payload ?? [])]).toEqual([0x45, 1, 2, 3]);
    r.subscription.unsubscribe();
  });

  it('takes asynchronous decisions in any order without waiting for the oldest packet', async () => {
    const r = run();
    for (let i = 0; i < 4; i++) r.k.enqueue();
    const [p1, p2, p3, p4] = r.packets;
    p3.drop();
    await tick();
    p4.accept({ mark: 9 });
    await tick();
    p1.accept();
    await tick();
    p2.accept();
    await tick();
    expect(summary(r.k)).toEqual([
      ['single', 3, NF_DROP, [3]],
      ['single', 4, NF_ACCEPT, [4]],
      ['single', 1, NF_ACCEPT, [1]],
      ['single', 2, NF_ACCEPT, [2]],
    ]);
    expect(r.k.log[1].mark).toBe(9);
    expect(r.k.held).toEqual([]);
    expect(r.stats.pending).toBe(0);
    r.subscription.unsubscribe();
  });

  it('writes every kind of verdict: accept with mark and payload, drop, repeat, queue with bypass', async () => {
    const r = run();
    for (let i = 0; i < 5; i++) r.k.enqueue();
    const [a, b, c, d, e] = r.packets;
    a.accept({ mark: 0x10, payload: Uint8Array.of(0x45, 9) });
    b.drop();
    c.repeat({ mark: 0x20 });
    d.queue(7, { bypass: true });
    e.setVerdict({ kind: 'queue', queue: 8 });
    await tick();
    expect(r.k.log.map((l) => [l.id, l.verdict, l.mark, l.payload])).toEqual([
      [1, NF_ACCEPT, 0x10, [0x45, 9]],
      [2, NF_DROP, undefined, undefined],
      [3, NF_REPEAT, 0x20, undefined],
      [4, (nfQueueNr(7) | NF_VERDICT_FLAG_QUEUE_BYPASS) >>> 0, undefined, undefined],
      [5, nfQueueNr(8), undefined, undefined],
    ]);
    expect(r.packets.map((p) => p.verdict?.kind)).toEqual([
      'accept',
      'drop',
      'repeat',
      'queue',
      'queue',
    ]);
    r.subscription.unsubscribe();
  });

  it('accepts one verdict per packet: a second throws a TypeError, a bad one throws and counts as none', async () => {
    const r = run();
    r.k.enqueue();
    const p = r.packets[0];
    expect(() => p.queue(70000)).toThrow(TypeError);
    expect(() => p.accept({ mark: -1 })).toThrow(TypeError);
    expect(() => p.setVerdict({ kind: 'steal' } as never)).toThrow(TypeError);
    expect(p.verdict).toBeNull();
    p.drop();
    expect(() => p.accept()).toThrow(TypeError);
    expect(() => p.drop()).toThrow(TypeError);
    await tick();
    expect(summary(r.k)).toEqual([['single', 1, NF_DROP, [1]]]);
    r.subscription.unsubscribe();
  });

  it('sends a verdict larger than a TX frame with send(), in order with the frames around it', async () => {
    const r = run((p) => {
      if (p.id === 2) p.accept({ payload: new Uint8Array(1500).fill(0x45) });
      else p.accept();
    });
    for (let i = 0; i < 3; i++) r.k.enqueue();
    await tick();
    expect(summary(r.k)).toEqual([
      ['single', 1, NF_ACCEPT, [1]],
      ['single', 2, NF_ACCEPT, [2]],
      ['single', 3, NF_ACCEPT, [3]],
    ]);
    expect(r.k.log[1].payload).toHaveLength(1500);
    expect(r.k.socket.sent.slice(-3).map((d) => d.via)).toEqual(['ring', 'send', 'ring']);
    expect(r.stats.direct).toBe(1);
    r.subscription.unsubscribe();
  });

  it('packs many verdicts into successive TX frames and wraps around the TX ring', async () => {
    const k = new KernelQueue(3, {
      rx: { blockSize: 4096, blockNr: 16, frameSize: 1024, frameNr: 64 },
    });
    // Alternating verdicts: no batch possible, 63 single verdicts of 32 bytes per burst.
    const r = run((p) => (p.id % 2 ? p.accept() : p.drop()), {}, k);
    for (let burst = 0; burst < 3; burst++) {
      for (let i = 0; i < 63; i++) k.enqueue();
      await tick();
    }
    expect(k.held).toEqual([]);
    expect([...k.verdicts.entries()]).toEqual(
      Array.from({ length: 189 }, (_, i) => [i + 1, (i + 1) % 2 ? NF_ACCEPT : NF_DROP]),
    );
    // 1000 bytes of a 1024-byte frame hold 31 verdicts: three frames per burst.
    expect(k.socket.sent.filter((d) => d.via === 'ring').map((d) => d.messages.length)).toEqual([
      31, 31, 1, 31, 31, 1, 31, 31, 1,
    ]);
    expect(k.socket.tx?.census()[NL_MMAP_STATUS_VALID]).toBe(0);
    r.subscription.unsubscribe();
  });

  it('stops taking frames at maxPending: the ring fills, the kernel drops, nothing is buffered', async () => {
    const r = run(() => {}, { maxPending: 2 });
    for (let i = 0; i < 12; i++) r.k.enqueue();
    // Two emitted and held (SKIP), six waiting VALID in the ring, four dropped by the kernel.
    expect(r.packets.map((p) => p.id)).toEqual([1, 2]);
    expect(r.k.socket.rx.census()).toEqual([0, 0, 6, 0, 2]);
    expect(r.k.held).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Each drop is its own episode here: the source polls between deliveries, which clears
    // the CONGESTED latch (RING-SPEC §4.3).
    expect(r.overruns.map((o) => o.lost)).toEqual([1, 1, 1, 1]);
    expect([r.stats.overruns, r.stats.lost, r.stats.pending]).toEqual([4, 4, 2]);
    // A verdict frees a frame: the next packet comes.
    r.packets[0].accept();
    await tick();
    expect(r.packets.map((p) => p.id)).toEqual([1, 2, 3]);
    r.packets[1].accept();
    r.packets[2].accept();
    await tick();
    expect(r.packets.map((p) => p.id)).toEqual([1, 2, 3, 4, 5]);
    expect(r.stats.pending).toBe(2);
    r.subscription.unsubscribe();
    // Everything the kernel still held got the default verdict.
    expect(r.k.held).toEqual([]);
    expect([...r.k.verdicts.keys()].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('gives a flushed burst its frames back with one wake-up of the ring source, not one per frame', async () => {
    const r = run((p) => p.accept(), { maxPending: 6 });
    for (let i = 0; i < 6; i++) r.k.enqueue();
    expect(r.stats.pending).toBe(6);
    const polls = r.stats.ring.polls;
    await tick();
    expect(summary(r.k)).toEqual([['batch', 6, NF_ACCEPT, [1, 2, 3, 4, 5, 6]]]);
    expect(r.k.socket.rx.census()[NL_MMAP_STATUS_SKIP]).toBe(0);
    // One drain: poll, nothing more to emit, done (a wake-up per frame polled six times).
    expect(r.stats.ring.polls - polls).toBe(1);
    r.subscription.unsubscribe();
  });

  it('gives the event loop a turn while it drains a backlog: eight ring laps of packets a turn at most', async () => {
    // A kernel with a backlog of 400 packets once the queue is bound: each poll fills every
    // free frame it reaches.
    const total = 400;
    let queued = 0;
    let bound = false;
    const k = new KernelQueue(3);
    const rx = k.socket.rx;
    const room = () => {
      for (let n = 0, i = k.socket.head('rx'); n < rx.frameNr; n++, i = rx.next(i)) {
        const status = rx.status(i);
        if (status !== NL_MMAP_STATUS_SKIP) return status === NL_MMAP_STATUS_UNUSED;
      }
      return false;
    };
    const poll = k.socket.poll.bind(k.socket);
    k.socket.poll = () => {
      for (; bound && queued < total && room(); queued++) k.enqueue();
      return poll();
    };
    const r = run((p) => p.accept(), {}, k);
    expect(r.bound()).toBe(1);
    bound = true;
    const turns: number[] = [];
    const everyTurn = () => {
      turns.push(r.packets.length);
      if (r.packets.length < total) setImmediate(everyTurn);
    };
    setImmediate(everyTurn);
    k.socket.poll();
    while (r.packets.length < total) await tick();
    expect(r.k.held).toEqual([]);
    expect(r.overruns).toEqual([]);
    // At most eight laps of the 8-frame ring (64 packets) and the burst in hand per turn.
    const perTurn = turns.map((n, i) => n - (i === 0 ? 0 : turns[i - 1]));
    expect(Math.max(...perTurn)).toBeLessThanOrEqual(64 + 7);
    r.subscription.unsubscribe();
  });

  it('on unsubscribe: writes the decisions made, then the default verdict for every held packet, then unbinds', () => {
    const r = run();
    for (let i = 0; i < 4; i++) r.k.enqueue();
    r.packets[1].drop(); // decided, not yet flushed
    const sentBefore = r.k.socket.sent.length;
    r.subscription.unsubscribe();
    expect(summary(r.k)).toEqual([
      ['single', 2, NF_DROP, [2]],
      // One batch covering every id the kernel may hold, 2^30 past the newest.
      ['batch', (4 + 0x40000000) >>> 0, NF_ACCEPT, [1, 3, 4]],
    ]);
    expect(r.k.socket.sent.slice(sentBefore).map((d) => d.via)).toEqual(['ring', 'ring', 'send']);
    expect(r.packets.map((p) => [p.verdict?.kind, p.defaulted])).toEqual([
      ['accept', true],
      ['drop', false],
      ['accept', true],
      ['accept', true],
    ]);
    expect([r.stats.verdicts, r.stats.defaulted, r.stats.pending]).toEqual([1, 3, 0]);
    // After the end a verdict is ignored, not an error.
    r.packets[0].drop();
    expect(r.packets[0].verdict).toEqual({ kind: 'accept' });
    expect(r.k.socket.closed).toBe(true);
  });

  it("gives defaultVerdict 'drop' when the pipeline errors, including to packets not read yet", () => {
    const k = new KernelQueue(3);
    const trigger = new Subject<void>();
    let error: unknown;
    const stats = new NfqueueStats();
    nfqueue({ queue: 3, open: () => k.socket, defaultVerdict: 'drop', maxPending: 1, stats })
      .pipe(
        map((p) => {
          if (p instanceof Overrun) return p;
          if (p.id === 1) trigger.subscribe(() => p.accept());
          return p;
        }),
        map((p) => {
          if (!(p instanceof Overrun) && p.id === 2) throw new Error('boom');
          return p;
        }),
      )
      .subscribe({ error: (e) => (error = e) });
    for (let i = 0; i < 3; i++) k.enqueue();
    // Packet 1 is held (maxPending 1); 2 and 3 wait in the ring, unread.
    trigger.next(); // decides 1; its flush would come at the end of the burst…
    expect(error).toBeUndefined();
    return tick().then(() => {
      // …then 2 is read and the pipeline throws: 2 and 3 get the default, never read or read.
      expect(String(error)).toContain('boom');
      expect(summary(k)).toEqual([
        ['single', 1, NF_ACCEPT, [1]],
        ['batch', (2 + 0x40000000) >>> 0, NF_DROP, [2, 3]],
      ]);
      expect([stats.verdicts, stats.defaulted]).toEqual([1, 1]);
      expect(k.socket.closed).toBe(true);
    });
  });

  it('counts a verdict the kernel no longer holds (ENOENT) and goes on; errors on any other refusal', async () => {
    const r = run();
    r.k.enqueue();
    r.k.enqueue();
    r.k.held = r.k.held.filter((id) => id !== 1); // the kernel dropped packet 1 meanwhile
    r.packets[0].accept();
    await tick();
    expect([r.stats.verdictErrors, r.error()]).toEqual([1, undefined]);
    r.k.kernel.onRequest((_request, reply) =>
      reply.error(errnos.EINVAL, { extack: 'bad verdict' }),
    );
    r.packets[1].accept();
    await tick();
    expect(r.error()).toMatchObject({ op: 'tx', errno: errnos.EINVAL, extack: 'bad verdict' });
  });

  it.each([
    { name: 'queue out of range', options: { queue: 65536 } },
    { name: 'copyRange too large', options: { queue: 1, copyRange: 0x10000 } },
    { name: 'maxPending zero', options: { queue: 1, maxPending: 0 } },
    { name: 'unknown defaultVerdict', options: { queue: 1, defaultVerdict: 'repeat' } },
    { name: 'failOpen not a boolean', options: { queue: 1, failOpen: 1 } },
  ])('throws a TypeError at once for $name', ({ options }) => {
    expect(() => nfqueue(options as unknown as NfqueueOptions)).toThrow(TypeError);
  });

  it('errors when the endpoint has no TX ring, closing it', () => {
    const k = new KernelQueue(3);
    const socket = k.kernel.open();
    let error: unknown;
    nfqueue({ queue: 3, open: () => socket }).subscribe({ error: (e) => (error = e) });
    expect(error).toBeInstanceOf(TypeError);
    expect(socket.closed).toBe(true);
  });
});
