import { defer, finalize, mergeMap, type ObservableInput, type OperatorFunction, of } from 'rxjs';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { Frame } from '../ring/Frame.js';

/** Options of {@link deferFrames}. */
export interface DeferFramesOptions {
  /**
   * The most frames this operator holds deferred at once: a positive integer, or Infinity
   * (then the ring's size bounds it). It becomes the ring's `holdLimit` (or lowers it), so
   * the source stops taking frames while that many are held — the backpressure.
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
 * Backpressure, with no buffer anywhere: `limit` is set as the ring's `holdLimit` (the
 * lowest wins when several deferrals share a ring; the old value comes back at teardown
 * unless another deferral changed it since), so the ring source stops taking frames while
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
 * fromRing(open).pipe(
 *   deferFrames((frame) => verdictFor(frame), { limit: 16 }),
 * ).subscribe(sendVerdict);
 */
export function deferFrames<T, R>(
  project: (frame: Frame) => ObservableInput<R>,
  options: DeferFramesOptions,
): OperatorFunction<T, R | Exclude<T, Frame>> {
  if (typeof project !== 'function') throw new TypeError('project: expected a function');
  const limit = options?.limit;
  if (
    typeof limit !== 'number' ||
    !(limit === Number.POSITIVE_INFINITY || (Number.isInteger(limit) && limit >= 1))
  ) {
    throw new TypeError(`limit: expected a positive integer or Infinity, got ${String(limit)}`);
  }
  return (source) =>
    defer(() => {
      // Per subscription: ring frames held now, and the ring whose limit we lowered.
      let holding = 0;
      let lowered: Frame | null = null;
      let previousLimit = Number.POSITIVE_INFINITY;
      return source.pipe(
        mergeMap((value) => {
          if (!(value instanceof Frame)) return of(value as Exclude<T, Frame>);
          const frame = value;
          const inRing = frame.index >= 0;
          if (inRing) {
            if (holding >= limit) {
              throw new NetlinkError({
                op: 'ring',
                errno: errnos.EOVERFLOW,
                detail: `deferFrames: frame ${frame.index} arrived while ${holding} frames were held (limit ${limit}); the source must honour ring.holdLimit`,
              });
            }
            // Checked on every frame: another deferral may have raised it since.
            if (frame.holdLimit > limit) {
              if (lowered === null) {
                lowered = frame;
                previousLimit = frame.holdLimit;
              }
              frame.holdLimit = limit;
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
          // Give the old bound back, unless another deferral on the ring changed it since.
          if (lowered !== null && lowered.holdLimit === limit) lowered.holdLimit = previousLimit;
        }),
      );
    });
}
