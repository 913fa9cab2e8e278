import { map, type Observable, toArray } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { NLM_F_MULTI } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { copyMessages } from '../../src/operators/copyMessages.js';
import { ofType } from '../../src/operators/ofType.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { raiseErrors } from '../../src/operators/raiseErrors.js';
import { takeDump } from '../../src/operators/takeDump.js';
import type { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { borrowed } from './borrowed.js';
import { ringFrames } from './ringFrames.js';

// <linux/rtnetlink.h>
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;

describe('operators composed over ring frames', () => {
  it(
    'parses, filters and collects a dump that spans frames, with an Overrun between them',
    marbles((m) => {
      const first = new MessageWriter()
        .begin(RTM_NEWLINK, NLM_F_MULTI, 3)
        .u32(1)
        .end()
        .begin(RTM_NEWADDR, NLM_F_MULTI, 3)
        .u32(100)
        .end()
        .finish();
      const second = new MessageWriter()
        .begin(RTM_NEWLINK, NLM_F_MULTI, 3)
        .u32(2)
        .end()
        .begin(3 /* NLMSG_DONE */, NLM_F_MULTI, 3)
        .s32(0)
        .end()
        .finish();
      const { ring, frames } = ringFrames([first, second]);
      const overrun = new Overrun(4, 1);
      // Borrowed like a ring source: each frame goes back to the producer after its next().
      const replies = m.cold('-a-o-b-|', { a: frames[0], o: overrun, b: frames[1] });
      const source = borrowed(replies);
      const links = source.pipe(
        parseMessages(),
        takeDump({ seq: 3 }),
        ofType(RTM_NEWLINK),
        copyMessages(),
        map((x) => (x instanceof Overrun ? x : x.view.getUint32(x.payloadOffset, true))),
        toArray(),
      );
      m.expect(links).toBeObservable('-----(x|)', { x: [1, overrun, 2] });
      m.expect(replies).toHaveSubscriptions('^----!');
      m.flush();
      expect(ring.describe()).toBe('UUUUUUUU');
    }),
  );

  it('types: a whole pipeline keeps Overrun in the element type only when the source has it', () => {
    const withOverruns = (s: Observable<Frame | Overrun>) =>
      s.pipe(parseMessages(), raiseErrors(), ofType(RTM_NEWLINK), takeDump(), copyMessages());
    expectTypeOf(withOverruns).returns.toEqualTypeOf<Observable<NetlinkMessage | Overrun>>();
    const without = (s: Observable<Frame>) =>
      s.pipe(parseMessages(), raiseErrors(), ofType(RTM_NEWLINK), takeDump(), copyMessages());
    expectTypeOf(without).returns.toEqualTypeOf<Observable<NetlinkMessage>>();
  });
});
