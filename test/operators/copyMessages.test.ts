import { delay, map, of, range, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NLM_F_MULTI } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { copyMessages } from '../../src/operators/copyMessages.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { borrowed } from './borrowed.js';
import { ringFrames } from './ringFrames.js';

const RTM_NEWROUTE = 24; // <linux/rtnetlink.h>

/** A dump datagram of two RTM_NEWROUTE messages, 20 bytes each. */
const dump = new MessageWriter()
  .begin(RTM_NEWROUTE, NLM_F_MULTI, 4)
  .u32(0x0a000001)
  .end()
  .begin(RTM_NEWROUTE, NLM_F_MULTI, 4)
  .u32(0x0a000002)
  .end()
  .finish();

/** A message as its offset, group and payload u32, read now. */
const describeMessage = (value: unknown) =>
  value instanceof NetlinkMessage
    ? `@${value.offset} g${value.group} ${value.view.getUint32(value.payloadOffset, true).toString(16)}`
    : value;

const overrun = new Overrun(1, 2);

describe('copyMessages', () => {
  it(
    'detaches messages from their frame so they outlive its next(); Overruns pass',
    marbles((m) => {
      const { frames } = ringFrames([dump], 3);
      const source = borrowed(m.cold('-o-a-|', { o: overrun, a: frames[0] }));
      m.expect(
        source.pipe(parseMessages(), copyMessages(), delay(2), map(describeMessage)),
      ).toBeObservable('---o-(xy|)', { o: overrun, x: '@0 g3 a000001', y: '@0 g3 a000002' });
      m.flush();
      expect(frames[0].live).toBe(false);
    }),
  );

  it('without it, a message read after its frame was released throws', () => {
    const { frames } = ringFrames([dump]);
    const kept: NetlinkMessage[] = [];
    borrowed(of(frames[0]))
      .pipe(parseMessages())
      .subscribe((m) => kept.push(m));
    expect(kept).toHaveLength(2);
    expect(() => describeMessage(kept[0])).toThrow(
      expect.objectContaining({ op: 'frame', code: 'ESTALE' }),
    );
  });

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-a-a-a-|', { a: Frame.of(dump) });
      m.expect(
        source.pipe(parseMessages(), copyMessages(), map(describeMessage)),
        '^--!',
      ).toBeObservable('-(xy)', { x: '@0 g0 a000001', y: '@0 g0 a000002' });
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'passes source errors on',
    marbles((m) => {
      const source = m.cold('-a----#', { a: Frame.of(dump) }, new Error('gone'));
      m.expect(source.pipe(parseMessages(), copyMessages(), map(describeMessage))).toBeObservable(
        '-(xy)-#',
        { x: '@0 g0 a000001', y: '@0 g0 a000002' },
        new Error('gone'),
      );
      m.expect(source).toHaveSubscriptions('^-----!');
    }),
  );

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map(() => Frame.of(dump)),
        parseMessages(),
        copyMessages(),
        take(3),
      )
      .subscribe();
    expect(emitted).toBe(2);
  });
});
