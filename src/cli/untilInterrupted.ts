import type { Observable, Subscription } from 'rxjs';

/** How long an interrupted command may take to wind down before the process exits anyway. */
const EXIT_GRACE_MS = 2000;

/**
 * Subscribes to an endless stream — calling `onSubscribed` once the subscription stands
 * (the stream did not fail while subscribing) — and hands each value to `onValue` until the
 * process is interrupted (SIGINT, Ctrl-C; or SIGTERM): then it unsubscribes — which closes the
 * stream's sockets — and resolves to exit status 0. Resolves to 0 as well if the stream
 * completes, and rejects with the stream's error (also one raised while subscribing). The
 * signal handlers are removed in every case, so the process can exit; after a signal it
 * exits at the latest 2 s later (with the exit code set by then), whatever still runs.
 *
 * @example
 * return untilInterrupted(monitor({ kinds: ['link'] }), () => console.error('ready'), print);
 */
export function untilInterrupted<T>(
  source: Observable<T>,
  onSubscribed: (() => void) | undefined,
  onValue: (value: T) => void,
): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let subscription: Subscription | undefined;
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
