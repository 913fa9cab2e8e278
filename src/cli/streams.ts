// How the command consumes the library's Observables without importing rxjs (the layering
// keeps rxjs in the Observable layers): a dump to its end, retried when the kernel marks it
// interrupted, or an endless stream until Ctrl-C. Both need only `subscribe`, which every
// Observable the public API returns has.
import { DumpInterruptedError } from '../index.js';

/**
 * The part of an Observable the command uses: subscribe with an observer, get something to
 * unsubscribe. Every stream of the public API fits.
 *
 * @example
 * const links: Subscribable<rtnetlink.Link> = dumpLinks();
 */
export interface Subscribable<T> {
  subscribe(observer: {
    next?: (value: T) => void;
    error?: (error: unknown) => void;
    complete?: () => void;
  }): { unsubscribe(): void };
}

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
 * const routes = await collectDump(() => dumpRoutes({ family: 'all' }));
 */
export async function collectDump<T>(dump: () => Subscribable<T>, retries = RETRIES): Promise<T[]> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<T[]>((resolve, reject) => {
        const values: T[] = [];
        dump().subscribe({
          next: (value) => values.push(value),
          error: reject,
          complete: () => resolve(values),
        });
      });
    } catch (error) {
      if (!(error instanceof DumpInterruptedError) || attempt >= retries) throw error;
    }
  }
}

/** How long an interrupted command may take to wind down before the process exits anyway. */
const EXIT_GRACE_MS = 2000;

/**
 * Subscribes to an endless stream — calling `onSubscribed` once the subscription stands
 * (the stream did not fail while subscribing) — and hands each value to `onValue` until the
 * process is interrupted (SIGINT, Ctrl-C; or SIGTERM): then it unsubscribes — which closes the
 * stream's sockets — and resolves to exit status 0. Resolves to 0 as well if the stream
 * completes, and rejects with the stream's error (also one raised while subscribing) or
 * with what `onValue` throws. The signal handlers are removed in every case, so the process
 * can exit; after a signal it exits at the latest 2 s later (with the exit code set by
 * then), whatever still runs.
 *
 * @example
 * const print = (change: RtnetlinkChange | Overrun) => console.log(change.kind);
 * await untilInterrupted(monitor({ kinds: ['link'] }), () => console.error('ready'), print);
 */
export function untilInterrupted<T>(
  source: Subscribable<T>,
  onSubscribed: (() => void) | undefined,
  onValue: (value: T) => void,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let subscription: { unsubscribe(): void } | undefined;
    let stopped = false;
    const stop = () => {
      stopped = true;
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      subscription?.unsubscribe();
    };
    const onSignal = () => {
      stop();
      resolve(0);
      // Closing the sockets lets the process end on its own; should anything still hold the
      // event loop, Ctrl-C must end it all the same. Unref'd: it never keeps it alive itself.
      setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    subscription = source.subscribe({
      next: (value) => {
        try {
          onValue(value);
        } catch (error) {
          stop();
          reject(error);
        }
      },
      error: (error: unknown) => {
        stop();
        reject(error);
      },
      complete: () => {
        stop();
        resolve(0);
      },
    });
    // The stream ended while subscribing, before `subscription` was set.
    if (stopped) subscription.unsubscribe();
    else onSubscribed?.();
  });
}

/**
 * `first`, run to its end, then the stream `then` makes of all it emitted: one
 * subscribable, so that {@link untilInterrupted} covers both (a Ctrl-C during `first`
 * unsubscribes it). Errors of either end it.
 *
 * @example
 * followedBy(dumpLinks(), (links) => nflog({ group: 5 }));
 */
export function followedBy<A, B>(
  first: Subscribable<A>,
  then: (values: A[]) => Subscribable<B>,
): Subscribable<B> {
  return {
    subscribe(observer) {
      let closed = false;
      let subscribing = true;
      let completedWhileSubscribing = false;
      let current: { unsubscribe(): void } | undefined;
      const values: A[] = [];
      const startSecond = () => {
        if (closed) return;
        current = then(values).subscribe(observer);
      };
      const head = first.subscribe({
        next: (value) => values.push(value),
        error: (error) => observer.error?.(error),
        complete: () => {
          if (subscribing) completedWhileSubscribing = true;
          else startSecond();
        },
      });
      subscribing = false;
      current = head;
      if (completedWhileSubscribing) startSecond();
      return {
        unsubscribe() {
          closed = true;
          current?.unsubscribe();
        },
      };
    },
  };
}

/**
 * Runs a dump to the end, handing each value to `each` as it is decoded (nothing is kept
 * here), retried as {@link collectDump} retries: `begin` is called before every attempt, so
 * that what `each` built of an interrupted attempt can be dropped. Resolves at the end of
 * the first complete, consistent attempt; rejects with any other error, with what `each`
 * throws, or with the last interruption.
 *
 * @example
 * let count = 0;
 * await eachOfDump(() => dumpRoutes(), () => { count = 0; }, () => { count++; });
 */
export async function eachOfDump<T>(
  dump: () => Subscribable<T>,
  begin: () => void,
  each: (value: T) => void,
  retries = RETRIES,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    begin();
    try {
      await new Promise<void>((resolve, reject) => {
        let subscription: { unsubscribe(): void } | undefined;
        let failed = false;
        subscription = dump().subscribe({
          next: (value) => {
            if (failed) return;
            try {
              each(value);
            } catch (error) {
              failed = true;
              subscription?.unsubscribe();
              reject(error);
            }
          },
          error: reject,
          complete: () => resolve(),
        });
        if (failed) subscription.unsubscribe();
      });
    } catch (error) {
      if (!(error instanceof DumpInterruptedError) || attempt >= retries) throw error;
      continue;
    }
    return;
  }
}
