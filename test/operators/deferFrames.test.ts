import { from, map, mergeMap, type Observable, of, Subject, take, timer } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { FrameReleasedError, NetlinkError } from '../../src/errors/NetlinkError.js';
import { NLM_F_MULTI } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { deferFrames } from '../../src/operators/deferFrames.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingReader } from '../../src/ring/RingReader.js';
import { marbles } from '../marbles.js';
import { borrowed } from './borrowed.js';
import { ringFrames } from './ringFrames.js';

const RTM_NEWNEIGH = 28; // <linux/rtnetlink.h>

/** One RTM_NEWNEIGH datagram with sequence number `seq`. */
const datagram = (seq: number) => new MessageWriter().begin(RTM_NEWNEIGH, 0, seq).end().finish();

/** Reads a frame's first nlmsg_seq from the ring memory now (throws once released). */
const seqOf = (frame: Frame) => frame.view.getUint32(frame.start + 8, true);

/** The ring as one letter per frame status (U R V C S), with the deferral counters. */
const picture = (ring: ReturnType<typeof ringFrames>['ring']) =>
  `${ring.describe()} held=${RingReader.of(ring).held} limit=${RingReader.of(ring).holdLimit}`;

describe('deferFrames', () => {
  it(
    'holds each frame (SKIP) while its work runs and releases it when the work completes',
    marbles((m) => {
      const { ring, frames } = ringFrames([datagram(10), datagram(11), datagram(12)]);
      const source = m.hot('-a-b-c-|', { a: frames[0], b: frames[1], c: frames[2] });
      const inner = [m.cold('-----(x|)'), m.cold('-(x|)'), m.cold('---(x|)')];
      // The work reads the frame's bytes when it ends: still owned then.
      const project = (frame: Frame) => inner[frame.index].pipe(map(() => seqOf(frame)));
      const snapshots: string[] = [];
      for (const t of [0.5, 1.5, 3.5, 4.5, 5.5, 6.5, 8.5]) {
        m.scheduler.schedule(() => snapshots.push(`${t}: ${picture(ring)}`), t);
      }
      m.expect(source.pipe(deferFrames(project, { limit: 2 }))).toBeObservable('----b-a-(c|)', {
        a: 10,
        b: 11,
        c: 12,
      });
      m.expect(source).toHaveSubscriptions('^------!');
      m.expect(inner[0]).toHaveSubscriptions('-^----!');
      m.expect(inner[1]).toHaveSubscriptions('---^!');
      m.expect(inner[2]).toHaveSubscriptions('-----^--!');
      m.flush();
      expect(snapshots).toEqual([
        '0.5: VVVUUUUU held=0 limit=Infinity',
        '1.5: SVVUUUUU held=1 limit=2',
        '3.5: SSVUUUUU held=2 limit=2',
        '4.5: SUVUUUUU held=1 limit=2',
        '5.5: SUSUUUUU held=2 limit=2',
        '6.5: UUSUUUUU held=1 limit=2',
        '8.5: UUUUUUUU held=0 limit=Infinity',
      ]);
      // Released exactly once each.
      expect(Array.from(ring.generations.subarray(0, 3))).toEqual([1, 1, 1]);
    }),
  );

  it(
    'releases every held frame when the subscriber unsubscribes',
    marbles((m) => {
      const { ring, frames } = ringFrames([datagram(10), datagram(11), datagram(12)]);
      const source = m.hot('-a-b-c-|', { a: frames[0], b: frames[1], c: frames[2] });
      const inner = m.cold('-----x|');
      const snapshots: string[] = [];
      for (const t of [3.5, 4.5]) {
        m.scheduler.schedule(() => snapshots.push(`${t}: ${picture(ring)}`), t);
      }
      m.expect(source.pipe(deferFrames(() => inner, { limit: 4 })), '^---!').toBeObservable('-');
      m.expect(source).toHaveSubscriptions('^---!');
      m.expect(inner).toHaveSubscriptions(['-^--!', '---^!']);
      m.flush();
      expect(snapshots).toEqual([
        '3.5: SSVUUUUU held=2 limit=4',
        '4.5: UUVUUUUU held=0 limit=Infinity',
      ]);
      expect(Array.from(ring.generations.subarray(0, 3))).toEqual([1, 1, 0]);
    }),
  );

  it(
    'releases every held frame when some work errors, and errors with it',
    marbles((m) => {
      const { ring, frames } = ringFrames([datagram(10), datagram(11), datagram(12)]);
      const source = m.hot('-a-b-c-|', { a: frames[0], b: frames[1], c: frames[2] });
      const inner = [m.cold('-----x|'), m.cold('-#', undefined, new Error('lookup failed'))];
      const project = (frame: Frame) => inner[frame.index];
      m.expect(source.pipe(deferFrames(project, { limit: 4 }))).toBeObservable(
        '----#',
        undefined,
        new Error('lookup failed'),
      );
      m.expect(source).toHaveSubscriptions('^---!');
      m.expect(inner[0]).toHaveSubscriptions('-^--!');
      m.expect(inner[1]).toHaveSubscriptions('---^!');
      m.flush();
      expect(ring.describe()).toBe('UUVUUUUU');
      expect(RingReader.of(ring).held).toBe(0);
      expect(RingReader.of(ring).holdLimit).toBe(Number.POSITIVE_INFINITY);
      expect(Array.from(ring.generations.subarray(0, 3))).toEqual([1, 1, 0]);
    }),
  );

  it(
    'releases the frame when project throws, and errors with it',
    marbles((m) => {
      const { ring, frames } = ringFrames([datagram(10), datagram(11)]);
      const source = m.hot('-a-b-|', { a: frames[0], b: frames[1] });
      const boom = new Error('no project for you');
      const project = (frame: Frame) => {
        if (frame.index === 1) throw boom;
        return m.cold('-----x|');
      };
      m.expect(source.pipe(deferFrames(project, { limit: 2 }))).toBeObservable(
        '---#',
        undefined,
        boom,
      );
      m.expect(source).toHaveSubscriptions('^--!');
      m.flush();
      expect(ring.describe()).toBe('UUUUUUUU');
      expect(RingReader.of(ring).held).toBe(0);
      expect(Array.from(ring.generations.subarray(0, 2))).toEqual([1, 1]);
    }),
  );

  it(
    'errors (EOVERFLOW) rather than hold more than limit frames from a source that ignores holdLimit',
    marbles((m) => {
      const { ring, frames } = ringFrames([datagram(10), datagram(11)]);
      const source = m.hot('-a-b-|', { a: frames[0], b: frames[1] });
      m.expect(source.pipe(deferFrames(() => m.cold('-----x|'), { limit: 1 }))).toBeObservable(
        '---#',
        undefined,
        new NetlinkError({
          op: 'ring',
          errno: errnos.EOVERFLOW,
          detail:
            'deferFrames: frame 1 arrived while 1 frames were held (limit 1); the source must honour the RingReader hold limit',
        }),
      );
      m.expect(source).toHaveSubscriptions('^--!');
      m.flush();
      // Frame 1 was never deferred: it is the source's to release.
      expect(ring.describe()).toBe('UVUUUUUU');
      expect(RingReader.of(ring).held).toBe(0);
    }),
  );

  it(
    'passes Overruns through at once, ahead of slower work',
    marbles((m) => {
      const { frames } = ringFrames([datagram(10)]);
      const overrun = new Overrun(7, 1);
      const source = m.hot('-a-o-|', { a: frames[0], o: overrun });
      const project = (frame: Frame) => m.cold('----(x|)').pipe(map(() => seqOf(frame)));
      m.expect(source.pipe(deferFrames(project, { limit: 1 }))).toBeObservable('---o-(a|)', {
        o: overrun,
        a: 10,
      });
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it(
    'works per message inside project, reading each message while its frame is held',
    marbles((m) => {
      const dump = new MessageWriter()
        .begin(RTM_NEWNEIGH, NLM_F_MULTI, 1)
        .u32(0xaa)
        .end()
        .begin(RTM_NEWNEIGH, NLM_F_MULTI, 2)
        .u32(0xbb)
        .end()
        .finish();
      const { ring, frames } = ringFrames([dump]);
      // Borrowed like a ring source: released after next() unless deferred.
      const source = borrowed(m.cold('-a-|', { a: frames[0] }));
      const payloadLater = (msg: NetlinkMessage) =>
        timer(msg.seq * 2).pipe(map(() => msg.view.getUint32(msg.payloadOffset, true)));
      const project = (frame: Frame) => of(frame).pipe(parseMessages(), mergeMap(payloadLater));
      m.expect(source.pipe(deferFrames(project, { limit: 1 }))).toBeObservable('---x-(y|)', {
        x: 0xaa,
        y: 0xbb,
      });
      m.flush();
      expect(ring.describe()).toBe('UUUUUUUU');
      expect(ring.generations[0]).toBe(1);
    }),
  );

  it(
    'does not count detached frames against the limit',
    marbles((m) => {
      const source = m.hot('-a-b-|', { a: Frame.of(datagram(1)), b: Frame.of(datagram(2)) });
      const project = (frame: Frame) => m.cold('---(x|)').pipe(map(() => seqOf(frame)));
      m.expect(source.pipe(deferFrames(project, { limit: 1 }))).toBeObservable('----a-(b|)', {
        a: 1,
        b: 2,
      });
    }),
  );

  it.each([
    { name: 'lowers a higher ring limit', before: 5, limit: 2, during: 2 },
    { name: 'keeps a lower ring limit', before: 3, limit: 8, during: 3 },
    { name: 'sets an unbounded ring limit', before: Number.POSITIVE_INFINITY, limit: 4, during: 4 },
  ])('$name and gives the old one back at teardown', ({ before, limit, during }) => {
    const { ring, frames } = ringFrames([datagram(1)]);
    RingReader.of(ring).holdLimit = before;
    const seen: number[] = [];
    const subscription = of(frames[0])
      .pipe(deferFrames(() => timer(1000), { limit }))
      .subscribe();
    seen.push(RingReader.of(ring).holdLimit, RingReader.of(ring).held);
    subscription.unsubscribe();
    seen.push(RingReader.of(ring).holdLimit, RingReader.of(ring).held);
    expect(seen).toEqual([during, 1, before, 0]);
  });

  it('keeps a lower bound another deferral on the ring set when it tears down first', () => {
    const { ring, frames } = ringFrames([datagram(1), datagram(2), datagram(3), datagram(4)]);
    const wide = of(frames[0])
      .pipe(deferFrames(() => timer(1000), { limit: 4 }))
      .subscribe();
    const narrowSource = new Subject<Frame>();
    const narrow = narrowSource.pipe(deferFrames(() => timer(1000), { limit: 2 })).subscribe({
      error: (e) => expect.unreachable(String(e)),
    });
    narrowSource.next(frames[1]);
    narrowSource.next(frames[2]);
    expect(picture(ring)).toBe('SSSVUUUU held=3 limit=2');
    wide.unsubscribe();
    expect(picture(ring)).toBe('USSVUUUU held=2 limit=2');
    narrow.unsubscribe();
    expect(RingReader.of(ring).held).toBe(0);
  });

  it('makes a released frame throw FrameReleasedError, and its messages too', () => {
    const { frames } = ringFrames([datagram(5)]);
    const kept: NetlinkMessage[] = [];
    let seq = 0;
    of(frames[0])
      .pipe(
        deferFrames(
          (frame) => {
            seq = seqOf(frame);
            return of(frame).pipe(parseMessages());
          },
          { limit: 1 },
        ),
      )
      .subscribe((message) => kept.push(message));
    expect(seq).toBe(5);
    expect(kept).toHaveLength(1);
    expect(() => frames[0].view).toThrow(FrameReleasedError);
    expect(() => frames[0].data).toThrow(FrameReleasedError);
    expect(() => kept[0].data).toThrow(expect.objectContaining({ code: 'ESTALE' }));
  });

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    const { ring, frames } = ringFrames([datagram(1), datagram(2), datagram(3)]);
    const seen: number[] = [];
    from(frames)
      .pipe(
        deferFrames((frame) => of(seqOf(frame)), { limit: 2 }),
        take(1),
      )
      .subscribe((s) => seen.push(s));
    expect(seen).toEqual([1]);
    // Only the first frame was taken, deferred and released; the others were never touched.
    expect(ring.describe()).toBe('UVVUUUUU');
    expect(RingReader.of(ring).held).toBe(0);
  });

  it.each([
    { name: 'a zero limit', limit: 0 },
    { name: 'a negative limit', limit: -1 },
    { name: 'a fractional limit', limit: 1.5 },
    { name: 'a NaN limit', limit: Number.NaN },
    { name: 'no limit', limit: undefined },
  ])('throws a TypeError at once for $name', ({ limit }) => {
    expect(() => deferFrames(() => of(1), { limit: limit as number })).toThrow(/limit/);
    expect(() => deferFrames(() => of(1), { limit: limit as number })).toThrow(TypeError);
  });

  it('throws a TypeError at once for a project that is not a function', () => {
    expect(() => deferFrames(null as unknown as () => Observable<0>, { limit: 1 })).toThrow(
      TypeError,
    );
  });

  it('types: frames become results, other values keep their type', () => {
    const mixed = (s: Observable<Frame | Overrun>) =>
      s.pipe(deferFrames((f) => of(f.length), { limit: 1 }));
    expectTypeOf(mixed).returns.toEqualTypeOf<Observable<number | Overrun>>();
    const frames = (s: Observable<Frame>) => s.pipe(deferFrames((f) => of(f.length), { limit: 1 }));
    expectTypeOf(frames).returns.toEqualTypeOf<Observable<number>>();
  });
});
