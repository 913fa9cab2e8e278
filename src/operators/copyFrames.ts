import { type MonoTypeOperatorFunction, map } from 'rxjs';
import { Frame } from '../ring/Frame.js';

/**
 * Detaches each {@link Frame} from the ring: emits `frame.copy()`, which owns its bytes and
 * never goes stale, so it may be kept past `next()` (buffered, delayed, collected) while
 * the ring frame goes back to the producer as usual. Every other value passes through
 * untouched and in order. Completes and errors with its source; a frame that was already
 * released errors the stream with `FrameReleasedError`.
 *
 * @example
 * declare function store(frames: Array<Frame | Overrun>): void;
 * fromRing(open).pipe(copyFrames(), bufferCount(16)).subscribe((frames) => store(frames));
 */
export function copyFrames<T>(): MonoTypeOperatorFunction<T> {
  return map((value) => (value instanceof Frame ? (value.copy() as T) : value));
}
