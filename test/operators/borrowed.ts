import { Observable } from 'rxjs';
import { Frame } from '../../src/ring/Frame.js';

/**
 * Delivers `source`'s frames as a ring source does (src/sources/fromRing.ts): each frame is
 * released when the `next()` that delivers it returns, unless the subscriber deferred it.
 */
export function borrowed<T>(source: Observable<T>): Observable<T> {
  return new Observable<T>((subscriber) =>
    source.subscribe({
      next: (value) => {
        subscriber.next(value);
        if (value instanceof Frame && !value.held && value.live) value.release();
      },
      error: (error) => subscriber.error(error),
      complete: () => subscriber.complete(),
    }),
  );
}
