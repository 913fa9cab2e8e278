import { map, range, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { filterMessages } from '../../src/operators/filterMessages.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { summarize } from './summarize.js';

const RTM_NEWLINK = 16; // <linux/rtnetlink.h>

/** RTM_NEWLINK with a u32 payload. */
const message = (seq: number, payload: number) =>
  NetlinkMessage.from(new MessageWriter().begin(RTM_NEWLINK, 0, seq).u32(payload).end().finish());

const overrun = new Overrun(1, 1);
const values = { a: message(1, 10), b: message(2, 20), c: message(3, 30), o: overrun };
const expected = {
  a: 'type=16 seq=1 flags=0x0 group=0 @0+20',
  b: 'type=16 seq=2 flags=0x0 group=0 @0+20',
  c: 'type=16 seq=3 flags=0x0 group=0 @0+20',
  o: overrun,
};
const payloadOf = (m: NetlinkMessage) => m.view.getUint32(m.payloadOffset, true);

describe('filterMessages', () => {
  it.each([
    { name: 'a header field', predicate: (m: NetlinkMessage) => m.seq !== 2, out: '-a-o---c|' },
    { name: 'the payload', predicate: (m: NetlinkMessage) => payloadOf(m) >= 20, out: '---o-b-c|' },
    { name: 'nothing', predicate: () => false, out: '---o----|' },
  ])('keeps messages by $name and passes Overruns', ({ predicate, out }) =>
    marbles((m) => {
      const source = m.cold('-a-o-b-c|', values);
      m.expect(source.pipe(filterMessages(predicate), map(summarize))).toBeObservable(
        out,
        expected,
      );
      m.expect(source).toHaveSubscriptions('^-------!');
    })(),
  );

  it('never calls the predicate with a non-message', () => {
    const asked: unknown[] = [];
    range(0, 1)
      .pipe(
        map(() => overrun),
        filterMessages((m) => {
          asked.push(m);
          return true;
        }),
      )
      .subscribe();
    expect(asked).toEqual([]);
  });

  it(
    'errors with what the predicate throws and unsubscribes',
    marbles((m) => {
      const source = m.cold('-a-b-c|', values);
      const boom = new Error('bad predicate');
      const predicate = (msg: NetlinkMessage) => {
        if (msg.seq === 2) throw boom;
        return true;
      };
      m.expect(source.pipe(filterMessages(predicate), map(summarize))).toBeObservable(
        '-a-#',
        expected,
        boom,
      );
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'passes source errors on',
    marbles((m) => {
      const source = m.cold('-a-#', values, new Error('gone'));
      m.expect(
        source.pipe(
          filterMessages(() => true),
          map(summarize),
        ),
      ).toBeObservable('-a-#', expected, new Error('gone'));
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-a-b-c-|', values);
      m.expect(
        source.pipe(
          filterMessages(() => true),
          map(summarize),
        ),
        '^--!',
      ).toBeObservable('-a-', expected);
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map((i) => message(i, i)),
        filterMessages((m) => m.seq >= 5),
        take(1),
      )
      .subscribe();
    expect(emitted).toBe(6);
  });

  it('throws a TypeError at once for a predicate that is not a function', () => {
    expect(() => filterMessages(42 as unknown as () => boolean)).toThrow(TypeError);
  });
});
