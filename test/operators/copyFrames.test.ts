import { delay, map, range, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { FrameReleasedError } from '../../src/errors/NetlinkError.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { copyFrames } from '../../src/operators/copyFrames.js';
import { NL_MMAP_STATUS_UNUSED } from '../../src/ring/constants.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { borrowed } from './borrowed.js';
import { ringFrames } from './ringFrames.js';

const RTM_NEWLINK = 16; // <linux/rtnetlink.h>

const datagram = (seq: number) =>
  new MessageWriter()
    .begin(RTM_NEWLINK, 0, seq)
    .u32(seq * 100)
    .end()
    .finish();

/** A frame as its index (-1: detached), group and data bytes, read now. */
const describeFrame = (value: unknown) =>
  value instanceof Frame ? `${value.index} g${value.group} [${value.data.join(',')}]` : value;

const overrun = new Overrun(5, 1);

describe('copyFrames', () => {
  it(
    'detaches frames from the ring so they outlive their next(); Overruns pass',
    marbles((m) => {
      const { ring, frames } = ringFrames([datagram(1), datagram(2)], 7);
      const source = borrowed(m.cold('-a-o-b-|', { a: frames[0], o: overrun, b: frames[1] }));
      // Read three frames after each arrived, when the ring frames are long released.
      m.expect(source.pipe(copyFrames(), delay(3), map(describeFrame))).toBeObservable(
        '----a-o-(b|)',
        {
          a: `-1 g7 [${datagram(1).join(',')}]`,
          o: overrun,
          b: `-1 g7 [${datagram(2).join(',')}]`,
        },
      );
      m.flush();
      expect(ring.status(0)).toBe(NL_MMAP_STATUS_UNUSED);
      expect(frames[0].live).toBe(false);
    }),
  );

  it(
    'without it, a borrowed frame read later throws FrameReleasedError',
    marbles((m) => {
      const { frames } = ringFrames([datagram(1)]);
      const source = borrowed(m.cold('-a-|', { a: frames[0] }));
      m.expect(source.pipe(delay(1), map(describeFrame))).toBeObservable(
        '--#',
        undefined,
        new FrameReleasedError(0),
      );
    }),
  );

  it(
    'errors with FrameReleasedError for a frame released before it came, and unsubscribes',
    marbles((m) => {
      const { frames } = ringFrames([datagram(1), datagram(2)]);
      frames[1].release();
      const source = m.cold('-a-b-|', { a: frames[0], b: frames[1] });
      m.expect(source.pipe(copyFrames(), map(describeFrame))).toBeObservable(
        '-a-#',
        { a: `-1 g0 [${datagram(1).join(',')}]` },
        new FrameReleasedError(1),
      );
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-a-a-a-|', { a: Frame.of(datagram(3)) });
      m.expect(source.pipe(copyFrames(), map(describeFrame)), '^---!').toBeObservable('-a-a', {
        a: `-1 g0 [${datagram(3).join(',')}]`,
      });
      m.expect(source).toHaveSubscriptions('^---!');
    }),
  );

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map((i) => Frame.of(datagram(i))),
        copyFrames(),
        take(1),
      )
      .subscribe();
    expect(emitted).toBe(1);
  });
});
