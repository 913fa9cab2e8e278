import { Observable, of } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { collectDump } from '../../src/cli/streams.js';
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
