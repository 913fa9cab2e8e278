import { describe, expect, it, vi } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import type { NetlinkSocket } from '../../src/io/NetlinkSocket.js';
import type { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { datagram, openScripted } from './openScripted.js';

/**
 * Subscribes fromRing to `socket` and records each frame's `seq` (datagram()'s numbering)
 * in `seen`, then calls `each` with it.
 */
function seqsOf(socket: NetlinkSocket, seen: number[], each: (seq: number) => void = () => {}) {
  return fromRing(socket).subscribe((x: Frame | Overrun) => {
    if (x instanceof Overrun) return;
    const seq = x.view.getUint32(x.start + 8, true);
    seen.push(seq);
    each(seq);
  });
}

/**
 * Runs `body` with fake timers and a fake `performance.now()`, which the watcher's rests
 * (`coalesce`) use for their timer and their deadline. With real ones, a loaded machine
 * (CI) can stall past a rest and the one after it before the test looks.
 */
function withFakeClock(body: () => void): void {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  try {
    body();
  } finally {
    vi.useRealTimers();
  }
}

describe('NetlinkSocket.watch', () => {
  it('calls wake from the poll handle and stops the handle when the returned function runs', () => {
    const { socket, libc } = openScripted();
    let wakes = 0;
    const stop = socket.watch(
      () => {
        wakes++;
      },
      () => {},
    );
    const watcher = libc.watcherOf(socket.fd);
    expect(watcher?.fire()).toBe(true);
    expect(wakes).toBe(1);
    stop();
    stop();
    expect(watcher?.closed).toBe(true);
    expect(libc.watcherOf(socket.fd)).toBeUndefined();
  });

  it('with coalesce, rests the handle after a wake-up and waits again once the time is up', async () => {
    const { socket, libc } = openScripted({ coalesce: 5 });
    let wakes = 0;
    const stop = socket.watch(
      () => {
        wakes++;
      },
      () => {},
    );
    const watcher = libc.watcherOf(socket.fd);
    expect(watcher?.fire()).toBe(true);
    // Resting: a ready fd does not wake it again until the time is up.
    expect(watcher?.fire()).toBe(false);
    expect(wakes).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(watcher?.fire()).toBe(true);
    expect(wakes).toBe(2);
    expect(watcher?.fire()).toBe(false); // resting again
    // The same timer, re-armed, ends the second rest too.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(watcher?.fire()).toBe(true);
    expect(wakes).toBe(3);
    stop();
    // Stopping clears the rest: the timer must not touch the closed handle.
    const starts = watcher?.starts;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(watcher?.starts).toBe(starts);
    expect(watcher?.closed).toBe(true);
  });

  it('with coalesce, reads the socket once a wake-up and stops and starts the handle once a rest', () => {
    withFakeClock(() => {
      const { socket, libc, kernel } = openScripted({ coalesce: 5 });
      const seen: number[] = [];
      // What the handle and the socket had seen when datagram 3 came out.
      let at3 = { starts: -1, reads: -1 };
      const subscription = seqsOf(socket, seen, (seq) => {
        if (seq === 3) at3 = { starts: watcher?.starts ?? -1, reads: kernel.recvmmsgCalls.length };
      });
      const watcher = libc.watcherOf(socket.fd);
      const reads = kernel.recvmmsgCalls.length;
      const { starts = 0, stops = 0 } = watcher ?? {};
      kernel.deliver({ data: datagram(1, 32) }, { data: datagram(2, 32) });
      expect(watcher?.fire()).toBe(true);
      expect(seen).toEqual([1, 2]);
      // fromRing polls again after each batch of frames (and on each release); while the
      // handle rests, those polls look at the ring only.
      expect(kernel.recvmmsgCalls.length - reads).toBe(1);
      expect(watcher?.stops).toBe(stops + 1);
      expect(watcher?.starts).toBe(starts);
      // What arrives during the rest waits for it to end, then comes in one read: the rest's
      // own, the handle still stopped, and the next rest begins at once.
      kernel.deliver({ data: datagram(3, 32) });
      expect(watcher?.fire()).toBe(false);
      vi.advanceTimersByTime(30);
      expect(seen).toEqual([1, 2, 3]);
      expect(at3).toEqual({ starts, reads: reads + 2 });
      // A rest that found the socket empty gave it back to the handle: one start, one read.
      expect(watcher?.starts).toBe(starts + 1);
      expect(kernel.recvmmsgCalls.length - reads).toBe(3);
      expect(watcher?.stops).toBe(stops + 1);
      kernel.deliver({ data: datagram(4, 32) });
      expect(watcher?.fire()).toBe(true);
      expect(seen).toEqual([1, 2, 3, 4]);
      expect(watcher?.stops).toBe(stops + 2);
      subscription.unsubscribe();
    });
  });

  it('with coalesce, goes on resting while each rest finds traffic, one read a rest and no handle restart', () => {
    // A real 2 ms sleep can outlast the 5 ms rest on a loaded machine; the rest would then
    // rightly give the socket back to the handle, which nothing fires here.
    withFakeClock(() => {
      const { socket, libc, kernel } = openScripted({ coalesce: 5 });
      const seen: number[] = [];
      const subscription = seqsOf(socket, seen);
      const watcher = libc.watcherOf(socket.fd);
      kernel.deliver({ data: datagram(1, 32) });
      expect(watcher?.fire()).toBe(true);
      const { starts = 0 } = watcher ?? {};
      const reads = kernel.recvmmsgCalls.length;
      // Steady traffic: one datagram every 2 ms, for 40 ms.
      for (let i = 2; i <= 21; i++) {
        vi.advanceTimersByTime(2);
        kernel.deliver({ data: datagram(i, 32) });
        // Nothing is read between rests: what came waits in the socket for the rest's end.
        expect(seen.length).toBeLessThan(i);
        expect(watcher?.starts).toBe(starts);
      }
      vi.advanceTimersByTime(30);
      expect(seen).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
      // Handed back once, after the traffic stopped; never in between.
      expect(watcher?.starts).toBe(starts + 1);
      // One read a rest, never one a datagram: the rests ending at 5, 10, ... 45 ms each
      // find traffic (the last, datagram 21, sent at 40 ms), the one ending at 50 finds none.
      expect(kernel.recvmmsgCalls.length - reads).toBe(10);
      subscription.unsubscribe();
    });
  });

  it('with coalesce, reads on in a wake-up while the ring filled before the socket emptied', () => {
    // 8 frames, 20 datagrams: frames go back as the subscriber returns, and the wake-up
    // reads the rest into them; only a socket found empty waits for the rest to end.
    const { socket, libc, kernel } = openScripted({ coalesce: 5 });
    const seen: number[] = [];
    const subscription = seqsOf(socket, seen);
    const watcher = libc.watcherOf(socket.fd);
    for (let i = 1; i <= 20; i++) kernel.deliver({ data: datagram(i, 32) });
    expect(watcher?.fire()).toBe(true);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    subscription.unsubscribe();
  });

  it('with coalesce, reads the socket again in a wake-up that outlasted the rest', () => {
    const { socket, libc, kernel } = openScripted({ coalesce: 5 });
    const seen: number[] = [];
    const subscription = seqsOf(socket, seen, (seq) => {
      if (seq === 1) {
        // A slow consumer: the rest's time is up before the wake-up ends, and more came.
        const end = performance.now() + 10;
        while (performance.now() < end) {
          // busy
        }
        kernel.deliver({ data: datagram(2, 32) });
      }
    });
    const watcher = libc.watcherOf(socket.fd);
    kernel.deliver({ data: datagram(1, 32) });
    expect(watcher?.fire()).toBe(true);
    expect(seen).toEqual([1, 2]);
    subscription.unsubscribe();
  });

  it('with coalesce, restarts the handle after a rest during which a full ring was given back', () => {
    withFakeClock(() => {
      // 8 frames: a wake-up that fills them all leaves the engine full (the handle must stop);
      // the frames come back during the rest, when polls look at the ring only.
      const { socket, libc, kernel } = openScripted({ coalesce: 5 });
      const held: Frame[] = [];
      const subscription = fromRing(socket).subscribe((x: Frame | Overrun) => {
        if (!(x instanceof Overrun)) held.push(x.defer());
      });
      const watcher = libc.watcherOf(socket.fd);
      for (let i = 1; i <= 9; i++) kernel.deliver({ data: datagram(i, 32) });
      expect(watcher?.fire()).toBe(true);
      expect(held).toHaveLength(8);
      for (const frame of held.splice(0)) frame.release();
      vi.advanceTimersByTime(20);
      expect(watcher?.active).toBe(true);
      expect(watcher?.fire()).toBe(true);
      expect(held).toHaveLength(1);
      subscription.unsubscribe();
    });
  });

  it.each([
    { name: 'negative', coalesce: -1 },
    { name: 'over a second', coalesce: 1001 },
    { name: 'not a number', coalesce: Number.NaN },
  ])('refuses coalesce $name', ({ coalesce }) => {
    expect(() => openScripted({ coalesce })).toThrow(TypeError);
  });

  it('allows one watcher at a time', () => {
    const { socket } = openScripted();
    const stop = socket.watch(
      () => {},
      () => {},
    );
    expect(() =>
      socket.watch(
        () => {},
        () => {},
      ),
    ).toThrow(/already has a watcher/);
    stop();
    socket.watch(
      () => {},
      () => {},
    )();
  });

  it('routes an exception from wake to onError and never lets one escape the callback', () => {
    const { socket, libc } = openScripted();
    const errors: unknown[] = [];
    const boom = new Error('boom');
    socket.watch(
      () => {
        throw boom;
      },
      (e) => {
        errors.push(e);
        throw new Error('onError throws too');
      },
    );
    expect(() => libc.watcherOf(socket.fd)?.fire()).not.toThrow();
    expect(errors).toEqual([boom]);
  });

  it('restarts the handle libuv stopped on POLLERR, after the wake-up', () => {
    const { socket, libc, kernel } = openScripted();
    kernel.overrunDrops = 2;
    kernel.recvErrors.push(errnos.ENOBUFS);
    const seen: unknown[] = [];
    const subscription = fromRing(socket).subscribe((x: Frame | Overrun) => seen.push(x));
    const watcher = libc.watcherOf(socket.fd);
    const starts = watcher?.starts ?? 0;
    // libuv reports POLLERR with status UV_EBADF, having stopped the handle.
    expect(watcher?.fire(-9)).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(Overrun);
    expect(watcher?.active).toBe(true);
    expect(watcher?.starts).toBe(starts + 1);
    kernel.deliver({ data: datagram(1, 32) });
    watcher?.fire();
    expect(seen).toHaveLength(2);
    subscription.unsubscribe();
    expect(watcher?.closed).toBe(true);
  });

  it('does not restart the handle when the wake-up closed the socket', () => {
    const { socket, libc, kernel } = openScripted();
    const subscription = fromRing(() => socket).subscribe(() => subscription.unsubscribe());
    const watcher = libc.watchers[0];
    kernel.deliver({ data: datagram(1, 32) });
    // The frame reaches the subscriber inside the poll callback; it unsubscribes, which
    // closes the socket and its poll handle from inside the callback.
    expect(watcher.fire()).toBe(true);
    expect(socket.closed).toBe(true);
    expect(kernel.closes).toBe(1);
    expect(libc.watchers).toHaveLength(1);
    expect(watcher.closed).toBe(true);
    expect(watcher.starts).toBe(0);
    expect(watcher.fire()).toBe(false);
  });
});

describe('NetlinkSocket.close', () => {
  it('closes the fd exactly once, after stopping the watcher and unmapping the spill', () => {
    const { socket, libc, kernel } = openScripted({ batch: 4, spill: 4096 });
    socket.watch(
      () => {},
      () => {},
    );
    socket.close();
    socket.close();
    expect(kernel.closes).toBe(1);
    expect(socket.closed).toBe(true);
    expect(socket.fd).toBe(-1);
    expect(libc.watchers[0].closed).toBe(true);
    expect(libc.munmaps).toEqual([{ address: expect.any(BigInt), length: 4 * 4096 }]);
  });

  const calls: Array<{ name: string; call: (s: NetlinkSocket) => unknown }> = [
    { name: 'poll', call: (s) => s.poll() },
    { name: 'watch', call: (s) => s.watch(noop, noop) },
    { name: 'recv', call: (s) => s.recv() },
    { name: 'takeError', call: (s) => s.takeError() },
    { name: 'flush', call: (s) => s.flush() },
    { name: 'send', call: (s) => s.send(datagram(1, 16)) },
    { name: 'addMembership', call: (s) => s.addMembership(1) },
    { name: 'dropMembership', call: (s) => s.dropMembership(1) },
    { name: 'memberships', call: (s) => s.memberships() },
  ];

  it.each(calls)('makes $name throw a NetlinkError EBADF afterwards', ({ call }) => {
    const { socket } = openScripted();
    socket.close();
    let error: unknown;
    try {
      call(socket);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ errno: errnos.EBADF, code: 'EBADF' });
  });

  it('keeps the last drops count readable', () => {
    const { socket, kernel } = openScripted();
    kernel.skDrops = 7;
    socket.close();
    kernel.skDrops = 9;
    expect(socket.drops).toBe(7);
  });
});

describe('NetlinkSocket.send', () => {
  it('sends one datagram to the kernel and returns its length', () => {
    const { socket, kernel } = openScripted();
    expect(socket.send(datagram(3, 48))).toBe(48);
    expect(kernel.sent).toEqual([{ data: datagram(3, 48), to: 0 }]);
  });

  it('retries EINTR and throws other errors as NetlinkError op send', () => {
    const { socket, kernel } = openScripted();
    kernel.sendErrors.push(errnos.EINTR);
    expect(socket.send(datagram(1, 16))).toBe(16);
    kernel.sendErrors.push(errnos.ECONNREFUSED);
    expect(() => socket.send(datagram(2, 16))).toThrow(
      expect.objectContaining({ op: 'send', errno: errnos.ECONNREFUSED }),
    );
  });
});

describe('NetlinkSocket memberships', () => {
  it('joins and leaves groups, including those above 32, and lists them', () => {
    const { socket } = openScripted({ groups: [1, 3] });
    socket.addMembership(40);
    socket.addMembership(33);
    expect(socket.memberships()).toEqual([1, 3, 33, 40]);
    socket.dropMembership(3);
    expect(socket.memberships()).toEqual([1, 33, 40]);
  });

  it.each([
    { name: 'zero', group: 0 },
    { name: 'a fraction', group: 1.5 },
    { name: 'too large', group: 2 ** 32 },
  ])('rejects group $name with a TypeError', ({ group }) => {
    const { socket } = openScripted();
    expect(() => socket.addMembership(group)).toThrow(TypeError);
  });

  it('reports a refused membership as NetlinkError op setsockopt', () => {
    const { socket, kernel } = openScripted();
    kernel.answers.set('270:1', errnos.EINVAL);
    expect(() => socket.addMembership(99)).toThrow(
      expect.objectContaining({ op: 'setsockopt', errno: errnos.EINVAL }),
    );
  });
});

describe('NetlinkSocket.drops', () => {
  it('adds the socket sk_drops and the datagrams the engine lost', () => {
    const { socket, kernel } = openScripted({ spill: 0 });
    kernel.skDrops = 4;
    kernel.deliver({ data: datagram(1, 2000) });
    socket.poll();
    expect(socket.drops).toBe(5);
  });
});

function noop(): void {}
