import { map, range, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { ofGroup } from '../../src/operators/ofGroup.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { summarize } from './summarize.js';

// <linux/rtnetlink.h>: message types and multicast group numbers.
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;
const RTNLGRP_LINK = 1;
const RTNLGRP_IPV4_IFADDR = 5;

const message = (type: number, seq: number, group: number) =>
  NetlinkMessage.from(new MessageWriter().begin(type, 0, seq).end().finish(), group);

const overrun = new Overrun(Number.NaN, 4);
const values = {
  l: message(RTM_NEWLINK, 1, RTNLGRP_LINK),
  a: message(RTM_NEWADDR, 2, RTNLGRP_IPV4_IFADDR),
  u: message(RTM_NEWLINK, 3, 0),
  o: overrun,
};
const expected = {
  l: 'type=16 seq=1 flags=0x0 group=1 @0+16',
  a: 'type=20 seq=2 flags=0x0 group=5 @0+16',
  u: 'type=16 seq=3 flags=0x0 group=0 @0+16',
  o: overrun,
};

describe('ofGroup', () => {
  it.each([
    { name: 'one group', groups: [RTNLGRP_LINK], out: '-l-o----|' },
    { name: 'two groups', groups: [RTNLGRP_LINK, RTNLGRP_IPV4_IFADDR], out: '-l-o-a--|' },
    { name: 'unicast (group 0)', groups: [0], out: '---o---u|' },
  ])('keeps $name and passes Overruns', ({ groups, out }) =>
    marbles((m) => {
      const source = m.cold('-l-o-a-u|', values);
      m.expect(source.pipe(ofGroup(...groups), map(summarize))).toBeObservable(out, expected);
      m.expect(source).toHaveSubscriptions('^-------!');
    })(),
  );

  it(
    'keeps the group of the frame the message came in',
    marbles((m) => {
      const datagram = new MessageWriter().begin(RTM_NEWLINK, 0, 9).end().finish();
      const source = m.cold('-x-y-|', {
        x: Frame.of(datagram, { group: RTNLGRP_LINK }),
        y: Frame.of(datagram, { group: RTNLGRP_IPV4_IFADDR }),
      });
      m.expect(
        source.pipe(parseMessages(), ofGroup(RTNLGRP_IPV4_IFADDR), map(summarize)),
      ).toBeObservable('---y-|', { y: 'type=16 seq=9 flags=0x0 group=5 @0+16' });
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it(
    'passes errors on',
    marbles((m) => {
      const source = m.cold('-l-a-#', values, new Error('gone'));
      m.expect(source.pipe(ofGroup(RTNLGRP_IPV4_IFADDR), map(summarize))).toBeObservable(
        '---a-#',
        expected,
        new Error('gone'),
      );
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-l-a-l-l-|', values);
      m.expect(source.pipe(ofGroup(RTNLGRP_LINK), map(summarize)), '^----!').toBeObservable(
        '-l---',
        expected,
      );
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map((i) => message(RTM_NEWLINK, i, i < 3 ? 0 : RTNLGRP_LINK)),
        ofGroup(RTNLGRP_LINK),
        take(1),
      )
      .subscribe();
    expect(emitted).toBe(4);
  });

  it.each([
    { name: 'no groups', groups: [], error: /^ofGroup: groups must be at least one/ },
    { name: 'a negative group', groups: [-1], error: /^ofGroup: groups\[0\] must be .*, got -1$/ },
    { name: 'a fraction', groups: [1, 1.5], error: /groups\[1\] .*got 1.5$/ },
    { name: 'NaN', groups: [Number.NaN], error: /got NaN$/ },
  ])('throws a TypeError at once for $name', ({ groups, error }) => {
    expect(() => ofGroup(...groups)).toThrow(TypeError);
    expect(() => ofGroup(...groups)).toThrow(error);
  });
});
