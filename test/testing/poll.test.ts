import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import {
  NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import { POLLERR, POLLIN, POLLOUT } from '../../src/ring/RingEndpoint.js';
import type { SimSocket } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message } from './helpers.js';

const rx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

function open() {
  return new SimulatedKernel().open({ rx });
}

describe('SimSocket poll (RING-SPEC §6)', () => {
  it.each([
    { name: 'an empty ring', setup: (_: SimSocket) => {}, mask: POLLOUT },
    {
      name: 'a VALID frame at the head',
      setup: (s: SimSocket) => s.deliver(message(32, 1)),
      mask: POLLOUT | POLLIN,
    },
    {
      name: 'a VALID frame away from the head (the whole ring is scanned)',
      setup: (s: SimSocket) => {
        for (let i = 0; i < 4; i++) s.deliver(message(32, i));
        for (let i = 0; i < 4; i++) if (i !== 2) s.rx.release(i);
      },
      mask: POLLOUT | POLLIN,
    },
    {
      name: 'a COPY message queued',
      setup: (s: SimSocket) => s.deliver(message(2000, 1)),
      mask: POLLOUT | POLLIN,
    },
    {
      name: 'a COPY frame already read but not released',
      setup: (s: SimSocket) => {
        s.deliver(message(2000, 1));
        s.recv();
      },
      mask: POLLOUT,
    },
    {
      name: 'only SKIP frames',
      setup: (s: SimSocket) => {
        s.deliver(message(32, 1));
        s.rx.skip(0);
      },
      mask: POLLOUT,
    },
    { name: 'only a RESERVED frame', setup: (s: SimSocket) => s.reserve(), mask: POLLOUT },
    {
      name: 'an aborted (empty) frame',
      setup: (s: SimSocket) => s.abort(),
      mask: POLLOUT | POLLIN,
    },
    {
      name: 'a pending error',
      setup: (s: SimSocket) => s.setError(errnos.EIO),
      mask: POLLOUT | POLLERR,
    },
    {
      name: 'an overrun with frames waiting',
      setup: (s: SimSocket) => {
        for (let i = 0; i < 5; i++) s.deliver(message(32, i));
      },
      mask: POLLOUT | POLLIN | POLLERR,
    },
  ])('$name', ({ setup, mask }) => {
    const s = open();
    setup(s);
    expect(s.poll()).toBe(mask);
  });

  it('without an RX ring it is plain datagram_poll: no dump steps, no rcv_wake', () => {
    const s = new SimulatedKernel().socket();
    expect(s.poll()).toBe(POLLOUT);
    s.deliver(message(32, 1));
    expect(s.poll()).toBe(POLLOUT | POLLIN);
  });

  it('statuses written by the test count as they are', () => {
    const s = open();
    s.rx.setStatus(3, NL_MMAP_STATUS_RESERVED);
    s.rx.setStatus(1, NL_MMAP_STATUS_SKIP);
    expect(s.poll() & POLLIN).toBe(0);
    s.rx.setStatus(1, NL_MMAP_STATUS_VALID);
    expect(s.poll() & POLLIN).toBe(POLLIN);
  });
});

describe('SimSocket watch', () => {
  it.each([
    { name: 'deliver', step: (s: SimSocket) => s.deliver(message(32, 1)) },
    {
      name: 'deliver (dropped)',
      step: (s: SimSocket) => {
        for (let i = 0; i < 4; i++) s.rx.setStatus(i, NL_MMAP_STATUS_VALID);
        s.deliver(message(32, 1));
      },
    },
    { name: 'abort', step: (s: SimSocket) => s.abort() },
    { name: 'commit', step: (s: SimSocket) => s.reserve()?.commit(message(32, 1)) },
    { name: 'dump start', step: (s: SimSocket) => s.dump([]) },
    { name: 'setError', step: (s: SimSocket) => s.setError(errnos.EIO) },
  ])('wakes the watcher synchronously after $name', ({ step }) => {
    const s = open();
    const masks: number[] = [];
    s.watch(
      () => masks.push(s.poll()),
      () => {},
    );
    step(s);
    expect(masks.length).toBeGreaterThanOrEqual(1);
    expect(masks.at(-1)).not.toBe(POLLOUT);
  });

  it('does not wake on process-side calls', () => {
    const s = open();
    let wakes = 0;
    s.watch(
      () => wakes++,
      () => {},
    );
    s.poll();
    s.takeError();
    s.flush();
    expect(() => s.recv()).toThrow();
    expect(wakes).toBe(0);
  });

  it('folds re-entrant steps into another wake after the current one returns', () => {
    const s = open();
    let depth = 0;
    let maxDepth = 0;
    let wakes = 0;
    s.watch(
      () => {
        depth++;
        maxDepth = Math.max(maxDepth, depth);
        wakes++;
        if (wakes < 3) s.deliver(message(32, wakes + 1));
        depth--;
      },
      () => {},
    );
    s.deliver(message(32, 1));
    expect(wakes).toBe(3);
    expect(maxDepth).toBe(1);
    expect(s.rx.describe()).toBe('VVVU');
  });

  it('routes errors thrown by wake to onError', () => {
    const s = open();
    const errors: unknown[] = [];
    const boom = new Error('boom');
    s.watch(
      () => {
        throw boom;
      },
      (e) => errors.push(e),
    );
    expect(s.deliver(message(32, 1))).toBe('valid');
    expect(errors).toEqual([boom]);
  });

  it('has one watcher at a time; stop() removes it', () => {
    const s = open();
    let a = 0;
    let b = 0;
    const stop = s.watch(
      () => a++,
      () => {},
    );
    expect(() =>
      s.watch(
        () => b++,
        () => {},
      ),
    ).toThrow(expect.objectContaining({ code: 'EBUSY' }));
    s.deliver(message(32, 1));
    stop();
    stop();
    s.deliver(message(32, 2));
    expect(a).toBe(1);
    s.watch(
      () => b++,
      () => {},
    );
    s.deliver(message(32, 3));
    expect(b).toBe(1);
  });

  it('a wake that closes the socket ends the wake loop, even with a step folded in', () => {
    const s = open();
    let wakes = 0;
    const errors: unknown[] = [];
    s.watch(
      () => {
        wakes++;
        s.deliver(message(32, 2)); // re-entrant: asks for another wake
        s.close();
      },
      (e) => errors.push(e),
    );
    s.deliver(message(32, 1));
    expect(wakes).toBe(1);
    expect(errors).toEqual([]);
  });
});
