import { finalize, NEVER, Subject, throwError } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { printLines } from '../../examples/printLines.js';

/** The listener printLines added last for `signal`. */
function added(signal: 'SIGINT' | 'SIGTERM'): () => void {
  const listener = process.listeners(signal).at(-1);
  if (listener === undefined) throw new Error(`no ${signal} listener`);
  return () => listener(signal);
}

describe('printLines', () => {
  const exitCode = process.exitCode;
  const listeners = {
    SIGINT: process.listenerCount('SIGINT'),
    SIGTERM: process.listenerCount('SIGTERM'),
  };
  afterEach(() => {
    process.exitCode = exitCode;
    vi.restoreAllMocks();
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      while (process.listenerCount(signal) > listeners[signal]) {
        const last = process.listeners(signal).at(-1);
        if (last !== undefined) process.removeListener(signal, last);
      }
    }
  });

  it('prints each line on stdout, in order', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const lines = new Subject<string>();
    printLines(lines);
    lines.next('one');
    lines.next('two');
    expect(log.mock.calls).toEqual([['one'], ['two']]);
  });

  it('prints an error on stderr and sets the exit status to 1', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    printLines(throwError(() => new Error('refused')));
    expect(error.mock.calls).toEqual([['Error: refused']]);
    expect(process.exitCode).toBe(1);
  });

  it.each([
    { name: 'SIGINT', signal: 'SIGINT' as const },
    { name: 'SIGTERM', signal: 'SIGTERM' as const },
  ])('unsubscribes on $name, so the source tears down', ({ signal }) => {
    let tornDown = false;
    const subscription = printLines(NEVER.pipe(finalize(() => (tornDown = true))));
    expect(process.listenerCount(signal)).toBe(listeners[signal] + 1);
    expect(tornDown).toBe(false);
    added(signal)();
    expect(tornDown).toBe(true);
    expect(subscription.closed).toBe(true);
  });
});
