import { defer, type Observable, of, Subject, throwError } from 'rxjs';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import { DumpInterruptedError, NetlinkError } from '../../../src/errors/NetlinkError.js';
import { RTNLGRP_LINK } from '../../../src/families/rtnetlink/constants.js';
import type { Link } from '../../../src/families/rtnetlink/link.js';
import { Overrun } from '../../../src/ring/Overrun.js';
import { dumpLinks } from '../../../src/sources/rtnetlink/dumps.js';
import { monitor, type RtnetlinkChange } from '../../../src/sources/rtnetlink/monitor.js';
import {
  type RtnetlinkResync,
  resyncOnOverrun,
} from '../../../src/sources/rtnetlink/resyncOnOverrun.js';
import { buildLinkMessage, rtnetlinkKernel, rtnetlinkWorld } from '../../../src/testing/index.js';
import { marbles } from '../../marbles.js';

const o = new Overrun(3, 1);
const p = new Overrun(5, 2);
const resync = (items: string[], overrun: Overrun | null): RtnetlinkResync<string> => ({
  kind: 'resync',
  items,
  overrun,
});

/** Everything a subscription saw, as lines: values, `!lost`, `resync:items`, `error`, `|`. */
function record(source: Observable<unknown>) {
  const seen: string[] = [];
  const subscription = source.subscribe({
    next: (x) => {
      if (x instanceof Overrun) seen.push(`!${x.lost}`);
      else if (typeof x === 'object' && x !== null && 'kind' in x && x.kind === 'resync') {
        seen.push(`resync:${(x as RtnetlinkResync<string>).items.join(',')}`);
      } else seen.push(String(x));
    },
    error: (e: unknown) => seen.push(`error:${e instanceof Error ? e.name : String(e)}`),
    complete: () => seen.push('|'),
  });
  return { seen, subscription };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('resyncOnOverrun', () => {
  it(
    'passes values on; after an Overrun re-dumps, emits the snapshot, then what came meanwhile',
    marbles((m) => {
      const source = m.hot<string | Overrun>('-a-o-b-c------d', {
        a: 'a',
        o,
        b: 'b',
        c: 'c',
        d: 'd',
      });
      const redump = m.cold('--x--(y|)');
      const result = source.pipe(resyncOnOverrun(() => redump, { scheduler: m.scheduler }));
      m.expect(result).toBeObservable('-a-o----(rbc)-d', {
        a: 'a',
        o,
        r: resync(['x', 'y'], o),
        b: 'b',
        c: 'c',
        d: 'd',
      });
      m.expect(redump).toHaveSubscriptions('---^----!');
    }),
  );

  it(
    'a new Overrun during a re-dump passes the held values on, cancels it and starts another',
    marbles((m) => {
      const source = m.hot<string | Overrun>('-o-a-p---b', { o, a: 'a', p, b: 'b' });
      const redump = m.cold('------(x|)');
      const result = source.pipe(resyncOnOverrun(() => redump, { scheduler: m.scheduler }));
      m.expect(result).toBeObservable('-o---(ap)--(rb)', {
        o,
        a: 'a',
        p,
        r: resync(['x'], p),
        b: 'b',
      });
      m.expect(redump).toHaveSubscriptions(['-^---!', '-----^-----!']);
    }),
  );

  it(
    'with initial, takes a snapshot at subscription, holding what arrives meanwhile',
    marbles((m) => {
      const source = m.hot<string | Overrun>('--a----b', { a: 'a', b: 'b' });
      const redump = m.cold('---(x|)');
      const result = source.pipe(
        resyncOnOverrun(() => redump, { initial: true, scheduler: m.scheduler }),
      );
      m.expect(result).toBeObservable('---(ra)b', { r: resync(['x'], null), a: 'a', b: 'b' });
      m.expect(redump).toHaveSubscriptions('^--!');
    }),
  );

  it(
    'a failed re-dump errors the stream after the held values',
    marbles((m) => {
      const source = m.hot<string | Overrun>('-o-a----', { o, a: 'a' });
      const failure = new NetlinkError({ op: 'dump', errno: errnos.EPERM });
      const redump = m.cold('----#', undefined, failure);
      const result = source.pipe(resyncOnOverrun(() => redump, { scheduler: m.scheduler }));
      m.expect(result).toBeObservable('-o---(a#)', { o, a: 'a' }, failure);
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it(
    'a source that completes during a re-dump completes after the snapshot and held values',
    marbles((m) => {
      const source = m.hot<string | Overrun>('-o-a|', { o, a: 'a' });
      const redump = m.cold('-----(x|)');
      const result = source.pipe(resyncOnOverrun(() => redump, { scheduler: m.scheduler }));
      m.expect(result).toBeObservable('-o----(ra|)', { o, r: resync(['x'], o), a: 'a' });
    }),
  );

  it(
    'a source error passes the held values on first',
    marbles((m) => {
      const source = m.hot<string | Overrun>('-o-a-#', { o, a: 'a' });
      const redump = m.cold('--------(x|)');
      const result = source.pipe(resyncOnOverrun(() => redump, { scheduler: m.scheduler }));
      m.expect(result).toBeObservable('-o---(a#)', { o, a: 'a' });
      m.expect(redump).toHaveSubscriptions('-^---!');
    }),
  );

  it(
    'unsubscribing cancels a running re-dump',
    marbles((m) => {
      const source = m.hot<string | Overrun>('-o-a--', { o, a: 'a' });
      const redump = m.cold('--------(x|)');
      const result = source.pipe(resyncOnOverrun(() => redump, { scheduler: m.scheduler }));
      m.expect(result, '^----!').toBeObservable('-o----', { o });
      m.expect(redump).toHaveSubscriptions('-^---!');
      m.expect(source).toHaveSubscriptions('^----!');
    }),
  );

  it('starts the re-dump on a later turn: what was already readable goes before the snapshot', async () => {
    const source = new Subject<string | Overrun>();
    let redumps = 0;
    const r = record(
      source.pipe(
        resyncOnOverrun(() =>
          defer(() => {
            redumps++;
            return of('x', 'y');
          }),
        ),
      ),
    );
    source.next('a');
    source.next(o);
    source.next('queued before the loss'); // the same turn: read before the re-dump starts
    expect(redumps).toBe(0);
    expect(r.seen).toEqual(['a', '!3', 'queued before the loss']);
    await tick();
    expect(redumps).toBe(1);
    source.next('b');
    expect(r.seen).toEqual(['a', '!3', 'queued before the loss', 'resync:x,y', 'b']);
    r.subscription.unsubscribe();
  });

  it.each([
    { name: 'retried within the budget', retries: 3, expected: ['!3', 'resync:x'], attempts: 3 },
    {
      name: 'an error once the budget is spent',
      retries: 1,
      expected: ['!3', 'error:DumpInterruptedError'],
      attempts: 2,
    },
  ])(
    'a re-dump interrupted (NLM_F_DUMP_INTR) is $name',
    async ({ retries, expected, attempts }) => {
      let calls = 0;
      const redump = () =>
        defer(() => (++calls < 3 ? throwError(() => new DumpInterruptedError(2, 1)) : of('x')));
      const source = new Subject<string | Overrun>();
      const r = record(source.pipe(resyncOnOverrun(redump, { retries })));
      source.next(o);
      await tick();
      expect(r.seen).toEqual(expected);
      expect(calls).toBe(attempts);
      r.subscription.unsubscribe();
    },
  );

  it('keeps a link table over the simulated kernel through an overrun', async () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const table = new Map<number, string>();
    const subscription = monitor({ kinds: ['link'], open: k.open })
      .pipe(resyncOnOverrun(() => dumpLinks({ open: k.open }), { initial: true }))
      .subscribe((x) => {
        if (x.kind === 'resync') {
          table.clear();
          for (const link of x.items) table.set(link.ifindex, link.ifname ?? '');
        } else if (x.kind === 'link') {
          if (x.action === 'del') table.delete(x.link.ifindex);
          else table.set(x.link.ifindex, x.link.ifname ?? '');
        }
      });
    const names = () => [...table.values()].sort();
    expect(names()).toEqual(['br0', 'lo', 'v0', 'v1']);
    // Lost: the kernel removed v1 and the monitor did not hear of it; then v9 came.
    k.model.links = k.model.links.filter((l) => l.name !== 'v1');
    k.opened[0].socket.setError(errnos.ENOBUFS);
    const v9 = { ifindex: 9, name: 'v9' };
    k.model.links.push(v9);
    k.kernel.multicast(RTNLGRP_LINK, buildLinkMessage(v9));
    expect(names()).toEqual(['br0', 'lo', 'v0', 'v1', 'v9']);
    await tick();
    expect(names()).toEqual(['br0', 'lo', 'v0', 'v9']);
    // Each snapshot's socket was closed; the monitor's stays open until unsubscribed.
    expect(k.opened.map((s) => s.closes)).toEqual([0, 1, 1]);
    subscription.unsubscribe();
    expect(k.opened[0].closes).toBe(1);
  });

  it.each([
    { name: 'redump not a function', call: () => resyncOnOverrun(5 as never), message: /redump/ },
    {
      name: 'initial not a boolean',
      call: () => resyncOnOverrun(() => of(1), { initial: 1 as never }),
      message: /initial/,
    },
    {
      name: 'negative retries',
      call: () => resyncOnOverrun(() => of(1), { retries: -1 }),
      message: /retries/,
    },
    {
      name: 'a bad scheduler',
      call: () => resyncOnOverrun(() => of(1), { scheduler: {} as never }),
      message: /scheduler/,
    },
  ])('throws a TypeError at once: $name', ({ call, message }) => {
    expect(call).toThrow(TypeError);
    expect(call).toThrow(message);
  });

  it('types: the snapshots join what the monitor emits', () => {
    const k = rtnetlinkKernel(rtnetlinkWorld());
    const stream = monitor({ kinds: ['link'], open: k.open }).pipe(
      resyncOnOverrun(() => dumpLinks({ open: k.open })),
    );
    expectTypeOf(stream).toEqualTypeOf<
      Observable<RtnetlinkChange | Overrun | RtnetlinkResync<Link>>
    >();
    expect(k.opened).toHaveLength(0); // nothing runs before a subscription
  });
});
