import { NEVER, Observable, of, Subject, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collectDump, eachOfDump, followedBy, type Subscribable } from '../../src/cli/streams.js';
import { DumpInterruptedError, NetlinkError } from '../../src/index.js';

/** A dump that fails with `failures[i]` on attempt i (undefined: completes with [1, 2, 3]). */
function scripted(failures: readonly (Error | undefined)[]) {
  let attempts = 0;
  const dump = () =>
    new Observable<number>((subscriber) => {
      const failure = failures[attempts];
      attempts++;
      subscriber.next(1);
      subscriber.next(2);
      if (failure === undefined) {
        subscriber.next(3);
        subscriber.complete();
      } else {
        subscriber.error(failure);
      }
    });
  return { dump, attempts: () => attempts };
}

const interrupted = () => new DumpInterruptedError(7, 1);

/** Failures after which both collectDump and eachOfDump reject: the error, and the attempts made. */
const GIVING_UP = [
  {
    name: 'interrupted four times: gives up after 3 retries',
    failures: [interrupted(), interrupted(), interrupted(), interrupted()],
    error: DumpInterruptedError,
    attempts: 4,
  },
  {
    name: 'another error: no retry',
    failures: [new NetlinkError({ op: 'dump', errno: 1 })],
    error: NetlinkError,
    attempts: 1,
  },
];

describe('collectDump', () => {
  it.each([
    { name: 'a clean dump: one attempt', failures: [], attempts: 1 },
    { name: 'interrupted once, then clean', failures: [interrupted()], attempts: 2 },
    {
      name: 'interrupted three times, then clean',
      failures: [interrupted(), interrupted(), interrupted()],
      attempts: 4,
    },
  ])(
    '$name: resolves to the last attempt only ($attempts attempts)',
    async ({ failures, attempts }) => {
      const script = scripted(failures);
      await expect(collectDump(script.dump)).resolves.toEqual([1, 2, 3]);
      expect(script.attempts()).toBe(attempts);
    },
  );

  it.each([
    ...GIVING_UP,
    {
      name: 'another error after an interruption: stops there',
      failures: [interrupted(), new TypeError('bad')],
      error: TypeError,
      attempts: 2,
    },
  ])('$name', async ({ failures, error, attempts }) => {
    const script = scripted(failures);
    await expect(collectDump(script.dump)).rejects.toBeInstanceOf(error);
    expect(script.attempts()).toBe(attempts);
  });

  it('takes the retry count', async () => {
    const script = scripted([interrupted(), interrupted()]);
    await expect(collectDump(script.dump, 1)).rejects.toBeInstanceOf(DumpInterruptedError);
    expect(script.attempts()).toBe(2);
  });

  it('resolves to [] for an empty dump', async () => {
    await expect(collectDump(() => of())).resolves.toEqual([]);
  });
});

/** Subscribes to `source` and records what it says, as events. */
function record<T>(source: Subscribable<T>) {
  const events: string[] = [];
  const subscription = source.subscribe({
    next: (value) => events.push(`next ${String(value)}`),
    error: (error: unknown) => events.push(`error ${(error as Error).message}`),
    complete: () => events.push('complete'),
  });
  return { events, subscription };
}

describe('followedBy', () => {
  it.each([
    {
      name: 'a synchronous first: the second gets all it emitted',
      first: () => of(1, 2),
      second: (values: number[]) => of(`got ${values.join(',')}`, 'more'),
      events: ['next got 1,2', 'next more', 'complete'],
    },
    {
      name: 'the first fails: its error, no second',
      first: () => throwError(() => new Error('links')),
      second: () => of('never'),
      events: ['error links'],
    },
    {
      name: 'the second fails: its error',
      first: () => of(1),
      second: () => throwError(() => new Error('nflog')),
      events: ['error nflog'],
    },
  ])('$name', ({ first, second, events }) => {
    expect(record(followedBy<number, string>(first(), second)).events).toEqual(events);
  });

  it('an asynchronous first: the second starts when it completes', () => {
    const links = new Subject<number>();
    let started = 0;
    const run = record(
      followedBy<number, number>(links, (values) => {
        started++;
        return of(values.length);
      }),
    );
    links.next(7);
    expect(started).toBe(0);
    links.complete();
    expect(run.events).toEqual(['next 1', 'complete']);
  });

  it('unsubscribing tears down whichever is running, and the second never starts after', () => {
    const links = new Subject<number>();
    let started = 0;
    let secondTornDown = 0;
    const during = record(
      followedBy<number, never>(links, () => {
        started++;
        return NEVER;
      }),
    );
    during.subscription.unsubscribe();
    expect(links.observed).toBe(false);
    links.complete();
    expect(started).toBe(0);

    const after = record(
      followedBy<number, never>(of(1), () => new Observable<never>(() => () => secondTornDown++)),
    );
    after.subscription.unsubscribe();
    expect(secondTornDown).toBe(1);
  });
});

describe('eachOfDump', () => {
  it('hands on each value as it comes, begins again for each attempt, keeps nothing', async () => {
    const script = scripted([interrupted(), interrupted()]);
    const seen: string[] = [];
    await eachOfDump(
      script.dump,
      () => seen.push('begin'),
      (value) => seen.push(String(value)),
    );
    expect(seen).toEqual(['begin', '1', '2', 'begin', '1', '2', 'begin', '1', '2', '3']);
    expect(script.attempts()).toBe(3);
  });

  it.each(GIVING_UP)('$name', async ({ failures, error, attempts }) => {
    const script = scripted(failures);
    await expect(
      eachOfDump(
        script.dump,
        () => {},
        () => {},
      ),
    ).rejects.toBeInstanceOf(error);
    expect(script.attempts()).toBe(attempts);
  });

  it('rejects with what `each` throws, unsubscribes, and does not retry', async () => {
    const failure = new Error('cannot write');
    let unsubscribed = 0;
    let attempts = 0;
    const values = new Subject<number>();
    const dump = () =>
      new Observable<number>((subscriber) => {
        attempts++;
        const inner = values.subscribe(subscriber);
        return () => {
          unsubscribed++;
          inner.unsubscribe();
        };
      });
    const seen: number[] = [];
    const done = eachOfDump<number>(
      dump,
      () => {},
      (value) => {
        seen.push(value);
        if (value === 2) throw failure;
      },
    );
    values.next(1);
    values.next(2);
    values.next(3);
    await expect(done).rejects.toBe(failure);
    expect(seen).toEqual([1, 2]);
    expect(unsubscribed).toBe(1);
    expect(attempts).toBe(1);
  });

  it('a throw while the dump emits synchronously, during subscribe: unsubscribed all the same', async () => {
    let unsubscribed = 0;
    const dump = () =>
      new Observable<number>((subscriber) => {
        subscriber.next(1);
        subscriber.next(2);
        return () => {
          unsubscribed++;
        };
      });
    const seen: number[] = [];
    const failure = new Error('no');
    await expect(
      eachOfDump<number>(
        dump,
        () => {},
        (value) => {
          seen.push(value);
          throw failure;
        },
      ),
    ).rejects.toBe(failure);
    expect(seen).toEqual([1]);
    expect(unsubscribed).toBe(1);
  });
});
