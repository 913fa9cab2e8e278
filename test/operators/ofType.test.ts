import { map, range, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { ofType } from '../../src/operators/ofType.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { summarize } from './summarize.js';

// <linux/rtnetlink.h>
const RTM_NEWLINK = 16;
const RTM_DELLINK = 17;
const RTM_NEWADDR = 20;

const message = (type: number, seq: number) =>
  NetlinkMessage.from(new MessageWriter().begin(type, 0, seq).end().finish());

const overrun = new Overrun(2, 1);
const values = {
  n: message(RTM_NEWLINK, 1),
  d: message(RTM_DELLINK, 2),
  a: message(RTM_NEWADDR, 3),
  o: overrun,
};
const expected = {
  n: 'type=16 seq=1 flags=0x0 group=0 @0+16',
  d: 'type=17 seq=2 flags=0x0 group=0 @0+16',
  a: 'type=20 seq=3 flags=0x0 group=0 @0+16',
  o: overrun,
};

describe('ofType', () => {
  it.each([
    { name: 'one type', types: [RTM_NEWLINK], out: '-n-o----|' },
    { name: 'two types', types: [RTM_NEWLINK, RTM_DELLINK], out: '-n-o-d--|' },
    { name: 'a type that never comes', types: [99], out: '---o----|' },
  ])('keeps $name and passes Overruns', ({ types, out }) =>
    marbles((m) => {
      const source = m.cold('-n-o-d-a|', values);
      m.expect(source.pipe(ofType(...types), map(summarize))).toBeObservable(out, expected);
      m.expect(source).toHaveSubscriptions('^-------!');
    })(),
  );

  it(
    'passes errors on',
    marbles((m) => {
      const source = m.cold('-n-a-#', values, new Error('gone'));
      m.expect(source.pipe(ofType(RTM_NEWLINK), map(summarize))).toBeObservable(
        '-n---#',
        expected,
        new Error('gone'),
      );
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-n-a-n-n-|', values);
      m.expect(source.pipe(ofType(RTM_NEWLINK), map(summarize)), '^-----!').toBeObservable(
        '-n---n',
        expected,
      );
      m.expect(source).toHaveSubscriptions('^-----!');
    }),
  );

  it('passes frames through untouched', () => {
    const frame = Frame.of(new MessageWriter().begin(RTM_NEWADDR, 0, 1).end().finish());
    const seen: unknown[] = [];
    range(0, 1)
      .pipe(
        map(() => frame),
        ofType(RTM_NEWLINK),
      )
      .subscribe((v) => seen.push(v));
    expect(seen).toEqual([frame]);
    expect(seen[0]).toBe(frame);
  });

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map((i) => message(i % 2 === 0 ? RTM_NEWADDR : RTM_NEWLINK, i)),
        ofType(RTM_NEWLINK),
        take(1),
      )
      .subscribe();
    expect(emitted).toBe(2);
  });

  it.each([
    { name: 'no types', types: [], error: /^ofType: types must be at least one/ },
    { name: 'a negative type', types: [-1], error: /^ofType: types\[0\] must be .*, got -1$/ },
    { name: 'a type above 0xffff', types: [16, 0x10000], error: /types\[1\] .*65535\], got 65536/ },
    { name: 'a fraction', types: [16.5], error: /got 16.5$/ },
  ])('throws a TypeError at once for $name', ({ types, error }) => {
    expect(() => ofType(...types)).toThrow(TypeError);
    expect(() => ofType(...types)).toThrow(error);
  });
});
