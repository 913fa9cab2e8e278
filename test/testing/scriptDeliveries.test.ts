import { map, of, Subject } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NL_MMAP_STATUS_COPY, NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import { POLLERR } from '../../src/ring/RingEndpoint.js';
import { fromRing } from '../../src/sources/fromRing.js';
import type { SimSocket } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { scriptDeliveries } from '../../src/testing/scriptDeliveries.js';
import { marbles } from '../marbles.js';
import { message, seqOf } from './helpers.js';

const rx = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

describe('scriptDeliveries', () => {
  it(
    'performs each step when its value arrives: bytes, bytes with options, functions',
    marbles((m) => {
      const s = new SimulatedKernel().open({ rx });
      const script = m.cold('-a-b-c|', {
        a: message(32, 1),
        b: { data: message(32, 2), path: 'copy' as const, pid: 42 },
        c: (socket: SimSocket) => socket.setError(errnos.EIO),
      });
      scriptDeliveries(s, script);
      m.flush();
      expect(s.rx.describe()).toBe('VCUU');
      expect(s.rx.pid(1)).toBe(42);
      expect(s.poll() & POLLERR).toBe(POLLERR);
      m.expect(script).toHaveSubscriptions('^-----!');
    }),
  );

  it(
    'emits from a source on the frame of each delivery',
    marbles((m) => {
      const s = new SimulatedKernel().open({ rx });
      scriptDeliveries(
        s,
        m.cold('--a--b-c', { a: message(32, 1), b: message(2000, 2), c: message(48, 3) }),
      );
      m.expect(fromRing(s).pipe(map((x) => ('data' in x ? seqOf(x.data) : -1)))).toBeObservable(
        '--a--b-c',
        { a: 1, b: 2, c: 3 },
      );
    }),
  );

  it(
    'stops at the first step after the socket was closed',
    marbles((m) => {
      const s = new SimulatedKernel().open({ rx });
      const script = m.cold('-a-b-c-d', {
        a: message(32, 1),
        b: (x: SimSocket) => x.close(),
        c: message(32, 3),
        d: message(32, 4),
      });
      scriptDeliveries(s, script);
      m.expect(script).toHaveSubscriptions('^----!');
      m.flush();
      expect(s.rx.status(0)).toBe(NL_MMAP_STATUS_VALID);
      expect(s.rx.census()).toEqual([3, 0, 1, 0, 0]);
    }),
  );

  it('runs a synchronous script at once; unsubscribing stops a script', () => {
    const s = new SimulatedKernel().open({ rx });
    const done = scriptDeliveries(s, of(message(32, 1), { data: message(2000, 2) }));
    expect(done.closed).toBe(true);
    expect(s.rx.describe()).toBe('VCUU');
    const steps = new Subject<Uint8Array>();
    const running = scriptDeliveries(s, steps);
    steps.next(message(32, 3));
    running.unsubscribe();
    steps.next(message(32, 4));
    expect(s.rx.describe()).toBe('VCVU');
    expect(s.rx.status(1)).toBe(NL_MMAP_STATUS_COPY);
  });
});
