import { map, range, take, tap } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { DecodeError, NetlinkError } from '../../src/errors/NetlinkError.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { type RaiseErrorsOptions, raiseErrors } from '../../src/operators/raiseErrors.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { errorMessage } from './errorMessage.js';
import { summarize } from './summarize.js';

// <linux/rtnetlink.h>
const RTM_NEWLINK = 16;
const RTM_NEWADDR = 20;

/** The kernel's ack of a capped RTM_NEWADDR request, seq 5, as it arrives (36 bytes). */
// biome-ignore format: byte literals four per line
const ack = new Uint8Array([
  36, 0, 0, 0, // nlmsg_len 36
  2, 0, 0, 1, // NLMSG_ERROR, NLM_F_CAPPED
  5, 0, 0, 0, // seq 5
  0, 0, 0, 0, // pid 0
  0, 0, 0, 0, // error 0
  40, 0, 0, 0, // the request's nlmsg_len
  20, 0, 1, 0, // RTM_NEWADDR, NLM_F_REQUEST
  5, 0, 0, 0, // seq 5
  0, 0, 0, 0, // pid 0
]);

const overrun = new Overrun(2, 1);
const values = {
  d: NetlinkMessage.from(new MessageWriter().begin(RTM_NEWLINK, 0, 4).end().finish()),
  k: NetlinkMessage.from(ack),
  e: NetlinkMessage.from(
    errorMessage({
      errno: errnos.EINVAL,
      seq: 6,
      requestType: RTM_NEWADDR,
      requestPayload: new Uint8Array(24),
      extack: 'prefix length is invalid',
      offset: 32,
    }),
  ),
  p: NetlinkMessage.from(
    errorMessage({ errno: errnos.EPERM, seq: 7, requestType: RTM_NEWADDR, capped: true }),
  ),
  o: overrun,
};
const expected = {
  d: 'type=16 seq=4 flags=0x0 group=0 @0+16',
  k: 'type=2 seq=5 flags=0x100 group=0 @0+36',
  o: overrun,
};

describe('raiseErrors', () => {
  it.each<{ name: string; options: RaiseErrorsOptions | undefined; out: string }>([
    { name: 'passes acks by default', options: undefined, out: '-d-k-o-|' },
    { name: "passes acks with acks: 'pass'", options: { acks: 'pass' }, out: '-d-k-o-|' },
    { name: "drops acks with acks: 'drop'", options: { acks: 'drop' }, out: '-d---o-|' },
  ])('$name; other values pass', ({ options, out }) =>
    marbles((m) => {
      const source = m.cold('-d-k-o-|', values);
      m.expect(source.pipe(raiseErrors(options), map(summarize))).toBeObservable(out, expected);
      m.expect(source).toHaveSubscriptions('^------!');
    })(),
  );

  it.each([
    {
      name: 'with the extended ack',
      input: 'e',
      error: new NetlinkError({
        op: 'request',
        errno: errnos.EINVAL,
        seq: 6,
        extack: 'prefix length is invalid',
        offset: 32,
      }),
    },
    {
      name: 'capped, without an extended ack',
      input: 'p',
      error: new NetlinkError({ op: 'request', errno: errnos.EPERM, seq: 7 }),
    },
  ])('errors with a NetlinkError for an NLMSG_ERROR $name', ({ input, error }) =>
    marbles((m) => {
      const source = m.cold(`-d-${input}-d-|`, values);
      m.expect(source.pipe(raiseErrors({ acks: 'drop' }), map(summarize))).toBeObservable(
        '-d-#',
        expected,
        error,
      );
      m.expect(source).toHaveSubscriptions('^--!');
    })(),
  );

  it('gives the error its errno name and the kernel text', () => {
    let caught: unknown;
    range(0, 1)
      .pipe(
        map(() => values.e),
        raiseErrors(),
      )
      .subscribe({ error: (e) => (caught = e) });
    expect(caught).toBeInstanceOf(NetlinkError);
    expect(caught).toMatchObject({
      code: 'EINVAL',
      errno: 22,
      seq: 6,
      extack: 'prefix length is invalid',
      offset: 32,
    });
  });

  it(
    'errors with a DecodeError for an NLMSG_ERROR too short for struct nlmsgerr',
    marbles((m) => {
      const short = NetlinkMessage.from(ack.subarray(0, 20).map((b, i) => (i === 0 ? 20 : b)));
      const source = m.cold('-s-|', { s: short });
      m.expect(source.pipe(raiseErrors())).toBeObservable(
        '-#',
        undefined,
        new DecodeError('NLMSG_ERROR of 20 bytes is shorter than struct nlmsgerr', 0),
      );
      m.expect(source).toHaveSubscriptions('^!');
    }),
  );

  it(
    'passes source errors on',
    marbles((m) => {
      const source = m.cold('-d-#', values, new Error('gone'));
      m.expect(source.pipe(raiseErrors(), map(summarize))).toBeObservable(
        '-d-#',
        expected,
        new Error('gone'),
      );
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away',
    marbles((m) => {
      const source = m.hot('-d-k-e-|', values);
      m.expect(source.pipe(raiseErrors(), map(summarize)), '^----!').toBeObservable(
        '-d-k-',
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
        map(() => values.k),
        raiseErrors({ acks: 'drop' }),
        take(1),
      )
      .subscribe();
    // Every ack is dropped, so take(1) never fires: the whole source runs...
    expect(emitted).toBe(1000);
    emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map(() => values.k),
        raiseErrors(),
        take(1),
      )
      .subscribe();
    // ...and stops at once when it does.
    expect(emitted).toBe(1);
  });

  it('throws a TypeError at once for an unknown acks option', () => {
    expect(() => raiseErrors({ acks: 'keep' as 'pass' })).toThrow(TypeError);
  });
});
