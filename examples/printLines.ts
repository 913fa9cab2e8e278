import type { Observable, Subscription } from 'rxjs';

/**
 * Runs an example's pipeline from the command line: subscribes to `lines`, prints each on
 * stdout, and prints an error on stderr and sets the exit status to 1 if the stream errors.
 * SIGINT (Ctrl-C) and SIGTERM unsubscribe, so the source tears down as it should (a queue
 * gives its waiting packets their default verdict, a group is unbound, the socket closed)
 * and the process ends once nothing else holds it. Returns the subscription.
 *
 * @example
 * printLines(conntrackWatch({ netns: 'blue' }));
 */
export function printLines(lines: Observable<string>): Subscription {
  const subscription = lines.subscribe({
    next: (line) => console.log(line),
    error: (error) => {
      console.error(String(error));
      process.exitCode = 1;
    },
  });
  process.once('SIGINT', () => subscription.unsubscribe());
  process.once('SIGTERM', () => subscription.unsubscribe());
  return subscription;
}
