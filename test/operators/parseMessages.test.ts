import { config, map, type Observable, range, Subject, take, tap } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { DecodeError, FrameReleasedError } from '../../src/errors/NetlinkError.js';
import { NLM_F_MULTI } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { ringFrames } from './ringFrames.js';
import { summarize } from './summarize.js';

// <linux/rtnetlink.h>
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;

/** One RTM_NEWLINK, seq 7, with a 4-byte payload: 20 bytes. */
const single = new MessageWriter().begin(RTM_NEWLINK, 0, 7).u32(0xdeadbeef).end().finish();

/** A dump datagram: three messages of 21 (padded to 24), 24 and 16 bytes. */
const dump = new MessageWriter()
  .begin(RTM_NEWADDR, NLM_F_MULTI, 9)
  .zeros(5)
  .end()
  .begin(RTM_NEWADDR, NLM_F_MULTI, 9)
  .u32(1)
  .u32(2)
  .end()
  .begin(RTM_NEWADDR, NLM_F_MULTI, 9)
  .end()
  .finish();

/** A good message, then a header whose nlmsg_len runs past the datagram. */
// biome-ignore format: byte literals four per line
const overlong = new Uint8Array([
  20, 0, 0, 0, // nlmsg_len 20
  16, 0, 0, 0, // RTM_NEWLINK, flags 0
  1, 0, 0, 0, // seq 1
  0, 0, 0, 0, // pid 0
  0, 0, 0, 0, // payload
  40, 0, 0, 0, // nlmsg_len 40: only 16 bytes are left
  16, 0, 0, 0,
  2, 0, 0, 0,
  0, 0, 0, 0,
]);

const overrun = new Overrun(3, 1);

describe('parseMessages', () => {
  it(
    'emits every message of each frame in order, Overruns in place',
    marbles((m) => {
      const source = m.cold('-a-o-b-----|', {
        a: Frame.of(single, { group: 0 }),
        o: overrun,
        b: Frame.of(dump, { group: 5 }),
      });
      const subs = '^----------!';
      m.expect(source.pipe(parseMessages(), map(summarize))).toBeObservable('-s-o-(xyz)-|', {
        s: 'type=16 seq=7 flags=0x0 group=0 @0+20',
        o: overrun,
        x: 'type=20 seq=9 flags=0x2 group=5 @0+21',
        y: 'type=20 seq=9 flags=0x2 group=5 @24+24',
        z: 'type=20 seq=9 flags=0x2 group=5 @48+16',
      });
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'errors with the DecodeError of a malformed frame after the messages before the fault',
    marbles((m) => {
      const source = m.cold('-a-b-a-|', { a: Frame.of(single), b: Frame.of(overlong) });
      const subs = '^--!';
      m.expect(source.pipe(parseMessages(), map(summarize))).toBeObservable(
        '-s-(t#)',
        { s: 'type=16 seq=7 flags=0x0 group=0 @0+20', t: 'type=16 seq=1 flags=0x0 group=0 @0+20' },
        new DecodeError('nlmsg_len 40 is outside [16, 16]', 20),
      );
      m.expect(source).toHaveSubscriptions(subs);
    }),
  );

  it(
    'passes a source error on and unsubscribes',
    marbles((m) => {
      const source = m.cold('-a-#', { a: Frame.of(single) }, new Error('socket closed'));
      m.expect(source.pipe(parseMessages(), map(summarize))).toBeObservable(
        '-s-#',
        { s: 'type=16 seq=7 flags=0x0 group=0 @0+20' },
        new Error('socket closed'),
      );
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-a-o-a-a-|', { a: Frame.of(single), o: overrun });
      const s = 'type=16 seq=7 flags=0x0 group=0 @0+20';
      m.expect(source.pipe(parseMessages(), map(summarize)), '^-----!').toBeObservable('-s-o-s', {
        s,
        o: overrun,
      });
      m.expect(source).toHaveSubscriptions('^-----!');
    }),
  );

  it('passes non-frame values through as the same objects', () => {
    const seen: unknown[] = [];
    const marker = { not: 'a frame' };
    const source = new Subject<Frame | Overrun | typeof marker>();
    source.pipe(parseMessages()).subscribe((v) => seen.push(v));
    source.next(overrun);
    source.next(marker);
    expect(seen[0]).toBe(overrun);
    expect(seen[1]).toBe(marker);
  });

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    const seen: string[] = [];
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map(() => Frame.of(single)),
        parseMessages(),
        take(1),
      )
      .subscribe((m) => seen.push(String(summarize(m))));
    expect(emitted).toBe(1);
    expect(seen).toEqual(['type=16 seq=7 flags=0x0 group=0 @0+20']);
  });

  it('stops walking a frame as soon as the subscriber unsubscribes mid-frame', async () => {
    // Anything parseMessages pushed after take(2) completed would reach a stopped
    // subscriber, which rxjs reports (on a timer) through onStoppedNotification.
    const stopped: unknown[] = [];
    const previous = config.onStoppedNotification;
    config.onStoppedNotification = (notification) => stopped.push(notification);
    try {
      const seen: string[] = [];
      // A third message and a malformed tail follow the two that take(2) wants.
      const frame = Frame.of(new Uint8Array([...dump, ...overlong.subarray(20)]));
      const source = new Subject<Frame>();
      source.pipe(parseMessages(), take(2)).subscribe({
        next: (m) => seen.push(`${m.offset}`),
        error: (e) => seen.push(`error ${String(e)}`),
      });
      source.next(frame);
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual(['0', '24']);
      expect(stopped).toEqual([]);
    } finally {
      config.onStoppedNotification = previous;
    }
  });

  it('keeps each frame apart when a subscriber feeds the source re-entrantly', () => {
    const { ring, frames } = ringFrames([dump, single]);
    const [first, second] = frames;
    ring.setHeader(1, single.byteLength, 2, 0, 0, 0); // the second arrived on group 2
    const source = new Subject<Frame>();
    const kept: NetlinkMessage[] = [];
    source.pipe(parseMessages()).subscribe((m) => {
      kept.push(m);
      if (m.type === RTM_NEWADDR && m.offset === ring.dataOffset(0)) source.next(second);
    });
    source.next(first);
    const at = (m: NetlinkMessage) =>
      `${m.type}@${m.offset - ring.dataOffset(m.type === RTM_NEWADDR ? 0 : 1)}`;
    expect(kept.map(at)).toEqual(['20@0', '16@0', '20@24', '20@48']);
    expect(kept.map((m) => m.group)).toEqual([0, 2, 0, 0]);
    // Each message is owned by its own frame.
    second.release();
    expect(kept.map((m) => m.live)).toEqual([true, false, true, true]);
  });

  it('reads messages in place from a ring frame, which owns them', () => {
    const { ring, frames } = ringFrames([dump], 3);
    const kept: NetlinkMessage[] = [];
    const source = new Subject<Frame>();
    source.pipe(parseMessages()).subscribe((m) => kept.push(m));
    source.next(frames[0]);
    expect(kept.map((m) => [m.offset - ring.dataOffset(0), m.group, m.length])).toEqual([
      [0, 3, 21],
      [24, 3, 24],
      [48, 3, 16],
    ]);
    expect(kept[1].payload).toEqual(new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0]));
    frames[0].release();
    // Header fields were read at parse time; the bytes went back to the producer.
    expect(kept[1].seq).toBe(9);
    expect(kept[1].live).toBe(false);
    expect(() => kept[1].payload).toThrow(/released/);
  });

  it('errors with FrameReleasedError for a frame that was already released', () => {
    const { frames } = ringFrames([single]);
    frames[0].release();
    let error: unknown;
    const source = new Subject<Frame>();
    source.pipe(parseMessages()).subscribe({ error: (e) => (error = e) });
    source.next(frames[0]);
    expect(error).toBeInstanceOf(FrameReleasedError);
    expect(source.observed).toBe(false);
  });

  it('types: frames become messages, other values keep their type', () => {
    const frames = (s: Observable<Frame>) => s.pipe(parseMessages());
    expectTypeOf(frames).returns.toEqualTypeOf<Observable<NetlinkMessage>>();
    const mixed = (s: Observable<Frame | Overrun>) => s.pipe(parseMessages());
    expectTypeOf(mixed).returns.toEqualTypeOf<Observable<NetlinkMessage | Overrun>>();
  });
});
