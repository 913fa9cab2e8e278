import { defer, lastValueFrom, type Observable, of, retry, throwError, toArray } from 'rxjs';
import { DumpInterruptedError } from '../index.js';

/** Retries after the first attempt when the kernel marks a dump interrupted. */
const RETRIES = 3;

/**
 * Runs a dump to the end and resolves to all it emitted, in order. A dump the kernel marks
 * interrupted (NLM_F_DUMP_INTR: the table changed under it, so it may be inconsistent)
 * errors with a DumpInterruptedError; the whole dump is then run again from a fresh
 * subscription, up to `retries` times (default 3), and only a complete, consistent
 * result is returned. Any other error rejects at once, as does the last interruption.
 *
 * `dump` is called once per attempt, so each attempt opens its own socket.
 *
 * @example
 * const routes = await collectDump(() => dumpRtnetlink('routes', { family: 'all' }));
 */
export function collectDump<T>(dump: () => Observable<T>, retries = RETRIES): Promise<T[]> {
  return lastValueFrom(
    defer(dump).pipe(
      toArray(),
      retry({
        count: retries,
        delay: (error: unknown) =>
          error instanceof DumpInterruptedError ? of(0) : throwError(() => error),
      }),
    ),
  );
}
