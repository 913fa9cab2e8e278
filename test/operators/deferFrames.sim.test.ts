import { map, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { deferFrames } from '../../src/operators/deferFrames.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import type { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingReader } from '../../src/ring/RingReader.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { marbles } from '../marbles.js';

const RTM_NEWNEIGH = 28; // <linux/rtnetlink.h>

const datagram = (seq: number) => new MessageWriter().begin(RTM_NEWNEIGH, 0, seq).end().finish();

/** Reads a frame's first nlmsg_seq from the ring memory now (throws once released). */
const seqOf = (frame: Frame) => frame.view.getUint32(frame.start + 8, true);

describe('deferFrames through fromRing and the simulated kernel', () => {
  it(
    'stops taking frames at the limit, lets the ring fill and overrun, and resumes on release',
    marbles((m) => {
      const kernel = new SimulatedKernel();
      const socket = kernel.open(); // 8 RX frames
      const ring = socket.rx;
      const snapshots: string[] = [];
      const snap = (t: number) =>
        m.scheduler.schedule(
          () =>
            snapshots.push(
              `${t}: ${ring.describe()} held=${RingReader.of(ring).held} drops=${socket.drops}`,
            ),
          t,
        );
      // A burst of ten unicast replies at t=1, in the ring (RING-SPEC §4.1).
      m.scheduler.schedule(() => {
        for (let seq = 1; seq <= 10; seq++) socket.deliver(datagram(seq), { path: 'ring' });
      }, 1);
      for (const t of [1.5, 11.5, 21.5, 41.5]) snap(t);
      // Slow work: ten frames of virtual time per frame, at most two frames held.
      const work = (frame: Frame) => timer(10).pipe(map(() => seqOf(frame)));
      const out = fromRing(() => socket).pipe(deferFrames(work, { limit: 2 }));
      m.expect(out, `^${'-'.repeat(48)}!`).toBeObservable(
        '-(xy)------(ab)------(cd)------(ef)------(gh)',
        {
          x: new Overrun(1, 1),
          y: new Overrun(1, 2),
          a: 1,
          b: 2,
          c: 3,
          d: 4,
          e: 5,
          f: 6,
          g: 7,
          h: 8,
        },
      );
      m.flush();
      expect(snapshots).toEqual([
        // Two frames held (SKIP); the source left six VALID in the ring, which filled, so
        // the last two replies were dropped and reported as overruns.
        '1.5: SSVVVVVV held=2 drops=2',
        // Each release let the source take the next two.
        '11.5: UUSSVVVV held=2 drops=2',
        '21.5: UUUUSSVV held=2 drops=2',
        '41.5: UUUUUUUU held=0 drops=2',
      ]);
      expect(socket.closed).toBe(true);
    }),
  );

  it(
    'parses messages of held frames after the source moved on',
    marbles((m) => {
      const kernel = new SimulatedKernel();
      const socket = kernel.open();
      m.scheduler.schedule(() => {
        socket.deliver(datagram(1), { path: 'ring' });
        socket.deliver(datagram(2), { path: 'ring' });
      }, 1);
      const work = (frame: Frame) =>
        timer(3 - frame.index).pipe(
          map(() => frame),
          parseMessages(),
          map((message) => message.seq),
        );
      m.expect(
        fromRing(() => socket).pipe(deferFrames(work, { limit: 4 })),
        '^-----!',
      ).toBeObservable('---ba', { a: 1, b: 2 });
      m.flush();
      expect(socket.closed).toBe(true);
    }),
  );
});
