import { defer, finalize, mergeMap, type ObservableInput, type OperatorFunction, of } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { Frame } from '../ring/Frame.js';
import type { RingReader } from '../ring/RingReader.js';

/** Options of {@link deferFrames}. */
export interface DeferFramesOptions {
  /**
   * The most frames this operator holds deferred at once: a positive integer, or Infinity
   * (then the ring's size bounds it). It is added to the ring's hold limits
   * (`RingReader.limit`), so the source stops taking frames while that many are held — the
   * backpressure.
   */
  limit: number;
}

/**
 * Runs asynchronous work over frames without copying them, like `mergeMap`: each incoming
 * {@link Frame} is deferred (`frame.defer()`, status SKIP: the producer steps over it,
 * RING-SPEC §4.1) before `project(frame)` runs, and released (`frame.release()`, UNUSED)
 * when that inner work completes, errors or is unsubscribed — exactly once, including when
 * the outer subscription ends. Inner results are emitted as they come; values that are not
 * frames (an `Overrun`) pass through at once and in order.
 *
 * Backpressure, with no buffer anywhere: `limit` is added to the ring's hold limits (the
 * lowest wins when several deferrals share a ring; each removes only its own at teardown),
 * so the ring source stops taking frames while
 * `limit` are held and resumes when one is released. Frames then wait in the ring; once it
 * is full the producer applies its own policy (drops counted as an `Overrun`, NFQUEUE's
 * queue limit, a dump waits).
 * A ring frame that arrives while `limit` are already held means the source ignores
 * `holdLimit`: the stream errors with a NetlinkError EOVERFLOW rather than hold it.
 * Detached frames (`Frame.of`, `copy()`) hold no ring memory and are not counted.
 *
 * Completes when the source and all inner work have completed; errors with the first error
 * of either, releasing every frame it holds. The operator owns the frames it gets: do not
 * defer or release them elsewhere while the work runs. To work per message, parse inside
 * `project`: `deferFrames((f) => of(f).pipe(parseMessages(), mergeMap(lookup)), { limit })`.
 *
 * Throws a TypeError at once for a `project` that is not a function or a bad `limit`.
 *
 * @example
 * declare function verdictFor(frame: Frame): Promise<number>;
 * declare function sendVerdict(verdict: number | Overrun): void;
 * fromRing(open).pipe(
 *   deferFrames((frame) => verdictFor(frame), { limit: 16 }),
 * ).subscribe(sendVerdict);
 */
export function deferFrames<T, R>(
  project: (frame: Frame) => ObservableInput<R>,
  options: DeferFramesOptions,
): OperatorFunction<T, R | Exclude<T, Frame>> {
  const check = argumentChecker('deferFrames');
  check.func('project', project ?? null);
  const opts = check.options(options, true);
  const limit = opts.limit;
  if (
    typeof limit !== 'number' ||
    !(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))
  ) {
    check.fail('options.limit', 'a positive integer or Infinity', limit);
  }
  const max = limit as number;
  return (source) =>
    defer(() => {
      // Per subscription: ring frames held now, and the limit added to the ring's reader.
      let holding = 0;
      let reader: RingReader | null = null;
      let removeLimit: (() => void) | null = null;
      return source.pipe(
        mergeMap((value) => {
          if (!(value instanceof Frame)) return of(value as Exclude<T, Frame>);
          const frame = value;
          const inRing = frame.index >= 0;
          if (inRing) {
            if (holding >= max) {
              throw new NetlinkError({
                op: 'ring',
                errno: errnos.EOVERFLOW,
                detail: `deferFrames: frame ${frame.index} arrived while ${holding} frames were held (limit ${limit}); the source must honour the RingReader hold limit`,
              });
            }
            // The limit goes to the ring's reader once, and leaves at teardown.
            const owner = frame.reader;
            if (owner !== null && owner !== reader) {
              removeLimit?.();
              reader = owner;
              removeLimit = owner.limit(max);
            }
          }
          frame.defer();
          if (inRing) holding++;
          return defer(() => project(frame)).pipe(
            finalize(() => {
              if (inRing) holding--;
              frame.release();
            }),
          );
        }),
        finalize(() => {
          removeLimit?.();
          removeLimit = null;
          reader = null;
        }),
      );
    });
}
