import { defer, map, of, range, retry, take, tap, throwError, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { DecodeError, DumpInterruptedError, NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  NLM_F_ACK_TLVS,
  NLM_F_DUMP_INTR,
  NLM_F_MULTI,
  NLMSG_DONE,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from '../../src/netlink/constants.js';
import { controlCounters } from '../../src/netlink/control.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';
import { copyMessages } from '../../src/operators/copyMessages.js';
import { parseMessages } from '../../src/operators/parseMessages.js';
import { takeDump } from '../../src/operators/takeDump.js';
import { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { marbles } from '../marbles.js';
import { errorMessage } from './errorMessage.js';
import { summarize } from './summarize.js';

// <linux/rtnetlink.h>
const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;

/** An RTM_NEWLINK dump reply with ifindex `index` as its u32 payload. */
const link = (seq: number, index: number, flags = NLM_F_MULTI) =>
  new MessageWriter().begin(RTM_NEWLINK, flags, seq).u32(index).end().finish();

/** NLMSG_DONE as netlink_dump_done() writes it: int error (0 or -errno). */
// biome-ignore format: byte literals four per line
const done = new Uint8Array([
  20, 0, 0, 0, // nlmsg_len 20
  3, 0, 2, 0, // NLMSG_DONE, NLM_F_MULTI
  1, 0, 0, 0, // seq 1
  0, 0, 0, 0, // pid 0
  0, 0, 0, 0, // error 0
]);

/** A failed dump's DONE, with the kernel's extended ack when `extack` is given. */
const failedDone = (seq: number, errno: number, extack?: string, offset?: number) => {
  const w = new MessageWriter()
    .begin(NLMSG_DONE, NLM_F_MULTI | (extack === undefined ? 0 : NLM_F_ACK_TLVS), seq)
    .s32(-errno);
  if (extack !== undefined) w.attrString(NLMSGERR_ATTR_MSG, extack);
  if (offset !== undefined) w.attrU32(NLMSGERR_ATTR_OFFS, offset);
  return w.end().finish();
};

const msg = (data: Uint8Array) => NetlinkMessage.from(data);
const overrun = new Overrun(1, 1);
const values = {
  a: msg(link(1, 1)),
  b: msg(link(1, 2)),
  i: msg(link(1, 3, NLM_F_MULTI | NLM_F_DUMP_INTR)),
  x: msg(link(2, 9)),
  y: msg(new MessageWriter().begin(NLMSG_DONE, NLM_F_MULTI, 2).s32(0).end().finish()),
  z: msg(errorMessage({ errno: errnos.EINVAL, seq: 2, requestType: RTM_GETLINK })),
  n: msg(new MessageWriter().begin(NLMSG_NOOP, 0, 1).end().finish()),
  v: msg(new MessageWriter().begin(NLMSG_OVERRUN, 0, 1).end().finish()),
  k: msg(errorMessage({ errno: 0, seq: 1, requestType: RTM_GETLINK, capped: true })),
  d: msg(done),
  o: overrun,
};
const expected = {
  a: 'type=16 seq=1 flags=0x2 group=0 @0+20',
  b: 'type=16 seq=1 flags=0x2 group=0 @0+20',
  i: 'type=16 seq=1 flags=0x12 group=0 @0+20',
  x: 'type=16 seq=2 flags=0x2 group=0 @0+20',
  o: overrun,
};

describe('takeDump', () => {
  it(
    'emits the replies of frames as they come and completes at NLMSG_DONE',
    marbles((m) => {
      const first = new MessageWriter()
        .begin(RTM_NEWLINK, NLM_F_MULTI, 1)
        .u32(1)
        .end()
        .begin(RTM_NEWLINK, NLM_F_MULTI, 1)
        .u32(2)
        .end()
        .finish();
      const last = new Uint8Array([...link(1, 3), ...done]);
      const source = m.cold('-f---l---|', { f: Frame.of(first), l: Frame.of(last) });
      m.expect(source.pipe(parseMessages(), takeDump(), map(summarize))).toBeObservable(
        '-(ab)(c|)',
        {
          a: 'type=16 seq=1 flags=0x2 group=0 @0+20',
          b: 'type=16 seq=1 flags=0x2 group=0 @20+20',
          c: 'type=16 seq=1 flags=0x2 group=0 @0+20',
        },
      );
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it.each([
    { name: 'everything with no seq', seq: undefined, input: '-a-x-o-b-y-d-|', out: '-a-x-o-b-|' },
    { name: 'only its own seq', seq: 1, input: '-a-x-o-b-y-d-|', out: '-a---o-b---|' },
    { name: 'another dump’s messages', seq: 2, input: '-a-x-d-b-y-|', out: '---x-----|' },
    { name: 'no control messages', seq: undefined, input: '-a-n-v-k-b-d-|', out: '-a-------b-|' },
  ])('keeps $name; Overruns pass', ({ seq, input, out }) =>
    marbles((m) => {
      const source = m.cold(input, values);
      const end = out.indexOf('|');
      m.expect(source.pipe(takeDump({ seq }), map(summarize))).toBeObservable(out, expected);
      m.expect(source).toHaveSubscriptions(`^${'-'.repeat(end - 1)}!`);
    })(),
  );

  it(
    'errors with a NetlinkError (op dump) for an NLMSG_ERROR',
    marbles((m) => {
      const source = m.cold('-x-z-y-|', values);
      m.expect(source.pipe(takeDump({ seq: 2 }), map(summarize))).toBeObservable(
        '-x-#',
        expected,
        new NetlinkError({ op: 'dump', errno: errnos.EINVAL, seq: 2 }),
      );
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it.each([
    {
      name: 'with the extended ack (NLM_F_ACK_TLVS)',
      done: failedDone(1, errnos.EMSGSIZE, 'dump too big for the buffer', 44),
      error: new NetlinkError({
        op: 'dump',
        errno: errnos.EMSGSIZE,
        seq: 1,
        extack: 'dump too big for the buffer',
        offset: 44,
      }),
    },
    {
      name: 'without an extended ack',
      done: failedDone(1, errnos.ENOBUFS),
      error: new NetlinkError({ op: 'dump', errno: errnos.ENOBUFS, seq: 1 }),
    },
  ])('errors with a NetlinkError for a DONE with a negative errno $name', ({ done, error }) =>
    marbles((m) => {
      const source = m.cold('-a-e-|', { ...values, e: msg(done) });
      m.expect(source.pipe(takeDump(), map(summarize))).toBeObservable('-a-#', expected, error);
      m.expect(source).toHaveSubscriptions('^--!');
    })(),
  );

  it(
    'errors with a DecodeError for a DONE too short for its int',
    marbles((m) => {
      const short = msg(new MessageWriter().begin(NLMSG_DONE, NLM_F_MULTI, 1).end().finish());
      const source = m.cold('-a-e-|', { ...values, e: short });
      m.expect(source.pipe(takeDump(), map(summarize))).toBeObservable(
        '-a-#',
        expected,
        new DecodeError('NLMSG_DONE of 16 bytes is too short for its int error', 0),
      );
    }),
  );

  it.each([
    { name: 'a reply', input: '-a-i-b-d-|', out: '-a-i-b-#', count: 1 },
    { name: 'two replies', input: '-i-i-d-|', out: '-i-i-#', count: 2 },
    { name: 'the DONE itself', input: '-a-b-e-|', out: '-a-b-#', count: 1 },
  ])(
    'emits everything, then errors at DONE when NLM_F_DUMP_INTR was on $name',
    ({ input, out, count }) =>
      marbles((m) => {
        const intrDone = new Uint8Array(done);
        intrDone[6] |= NLM_F_DUMP_INTR;
        const source = m.cold(input, { ...values, e: msg(intrDone) });
        m.expect(source.pipe(takeDump({ seq: 1 }), map(summarize))).toBeObservable(
          out,
          expected,
          new DumpInterruptedError(1, count),
        );
        m.expect(source).toHaveSubscriptions(`^${'-'.repeat(out.length - 2)}!`);
      })(),
  );

  it('reports a DumpInterruptedError as a NetlinkError EINTR of op dump', () => {
    let caught: unknown;
    of(values.i, values.d)
      .pipe(takeDump())
      .subscribe({ error: (e) => (caught = e) });
    expect(caught).toBeInstanceOf(DumpInterruptedError);
    expect(caught).toBeInstanceOf(NetlinkError);
    expect(caught).toMatchObject({ op: 'dump', errno: errnos.EINTR, code: 'EINTR', seq: 1 });
  });

  it(
    'lets a DONE errno win over NLM_F_DUMP_INTR',
    marbles((m) => {
      const source = m.cold('-i-e-|', { ...values, e: msg(failedDone(1, errnos.ENOBUFS)) });
      m.expect(source.pipe(takeDump(), map(summarize))).toBeObservable(
        '-i-#',
        expected,
        new NetlinkError({ op: 'dump', errno: errnos.ENOBUFS, seq: 1 }),
      );
    }),
  );

  it('retries an interrupted dump within a budget when the caller collects', () => {
    let attempts = 0;
    // The first run of the dump is interrupted; the second is consistent.
    const replies = defer(() => {
      attempts++;
      return attempts === 1
        ? of(
            Frame.of(link(1, 1)),
            Frame.of(link(1, 2, NLM_F_MULTI | NLM_F_DUMP_INTR)),
            Frame.of(done),
          )
        : of(
            Frame.of(new Uint8Array([...link(1, 1), ...link(1, 2), ...link(1, 3)])),
            Frame.of(done),
          );
    });
    let result: number[] = [];
    replies
      .pipe(
        parseMessages(),
        takeDump({ seq: 1 }),
        copyMessages(),
        map((m) => m.view.getUint32(m.payloadOffset, true)),
        toArray(),
        retry({
          count: 3,
          delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)),
        }),
      )
      .subscribe((all) => (result = all));
    expect(attempts).toBe(2);
    expect(result).toEqual([1, 2, 3]);
  });

  it(
    'passes source errors on',
    marbles((m) => {
      const source = m.cold('-a-#', values, new Error('gone'));
      m.expect(source.pipe(takeDump(), map(summarize))).toBeObservable(
        '-a-#',
        expected,
        new Error('gone'),
      );
      m.expect(source).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'unsubscribes from the source when the subscriber goes away mid-dump',
    marbles((m) => {
      const source = m.hot('-a-b-a-d-|', values);
      m.expect(source.pipe(takeDump(), map(summarize)), '^----!').toBeObservable('-a-b-', expected);
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it('stops a synchronous source when the subscriber unsubscribes (take)', () => {
    let emitted = 0;
    range(0, 1000)
      .pipe(
        tap(() => emitted++),
        map((i) => msg(link(1, i))),
        takeDump(),
        take(2),
      )
      .subscribe();
    expect(emitted).toBe(2);
  });

  it.each([
    { name: 'a negative seq', seq: -1 },
    { name: 'a seq above u32', seq: 2 ** 32 },
    { name: 'a fractional seq', seq: 1.5 },
  ])('throws a TypeError at once for $name', ({ seq }) => {
    expect(() => takeDump({ seq })).toThrow(TypeError);
    expect(() => takeDump({ seq })).toThrow(/^takeDump: options.seq must be/);
  });

  it.each([
    { name: 'portId', options: { portId: -1 }, text: /^takeDump: options.portId must be/ },
    { name: 'request', options: { request: 5 as never }, text: /^takeDump: options.request/ },
    { name: 'counters', options: { counters: { foreign: 0 } as never }, text: /options.counters/ },
    { name: 'options', options: 7 as never, text: /^takeDump: options must be an object/ },
  ])('checks options.$name at call time', ({ options, text }) => {
    expect(() => takeDump(options)).toThrow(TypeError);
    expect(() => takeDump(options)).toThrow(text);
  });

  /** A dump from port 0x55 (ours) with a reply from port 0x66 and a late one of seq 2. */
  const fromPorts = () =>
    packDump([
      new MessageWriter().begin(RTM_NEWLINK, NLM_F_MULTI, 1, 0x55).u32(1).end().finish(),
      new MessageWriter().begin(RTM_NEWLINK, NLM_F_MULTI, 1, 0x66).u32(2).end().finish(),
      new MessageWriter().begin(RTM_NEWLINK, NLM_F_MULTI, 2, 0x55).u32(3).end().finish(),
      new MessageWriter().begin(NLMSG_NOOP, 0, 1).end().finish(),
      done,
    ]);

  it.each([
    { name: 'fused into parseMessages', fused: true },
    { name: 'as a stage of its own', fused: false },
  ])('drops and counts foreign, late and NOOP messages ($name)', ({ fused }) => {
    const counters = controlCounters();
    const seen: number[] = [];
    let completed = false;
    const messages = of(Frame.of(fromPorts())).pipe(parseMessages());
    (fused ? messages : messages.pipe(map((m) => m)))
      .pipe(takeDump({ seq: 1, portId: 0x55, counters }))
      .subscribe({
        next: (m) => seen.push((m as NetlinkMessage).payload[0]),
        complete: () => {
          completed = true;
        },
      });
    expect(seen).toEqual([1]);
    expect(completed).toBe(true);
    expect(counters).toEqual({ interrupted: 0, outOfSequence: 1, foreign: 1, dropped: 1 });
  });

  it('names what was asked in its errors', () => {
    let error: unknown;
    of(msg(failedDone(1, errnos.EOPNOTSUPP, 'no dumps here')))
      .pipe(takeDump({ seq: 1, request: 'getLinks all' }))
      .subscribe({ error: (e: unknown) => (error = e) });
    expect(error).toMatchObject({ request: 'getLinks all', extack: 'no dumps here' });
    expect((error as Error).message).toMatch(/^getLinks all: EOPNOTSUPP/);
  });
});

/** Messages packed into one datagram, each at NLMSG_ALIGN. */
function packDump(messages: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(messages.reduce((n, m) => n + ((m.byteLength + 3) & ~3), 0));
  let offset = 0;
  for (const m of messages) {
    out.set(m, offset);
    offset += (m.byteLength + 3) & ~3;
  }
  return out;
}
