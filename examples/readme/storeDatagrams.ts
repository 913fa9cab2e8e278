import type { Observable } from 'rxjs';
import { deferFrames, fromRing, type RingEndpoint } from '../../src/index.js';

/**
 * Hands every datagram to an asynchronous `store` without copying it out of the ring: each
 * frame stays SKIP (owned by us, stepped over by the producer) until `store` settles, then
 * goes back. At most 32 are held; past that the source stops taking frames (backpressure).
 */
export function storeDatagrams(
  open: () => RingEndpoint,
  store: (datagram: Uint8Array) => Promise<void>,
): Observable<number> {
  return fromRing(open, { overruns: 'error' }).pipe(
    deferFrames(
      async (frame) => {
        await store(frame.data); // the view stays valid: the frame is deferred
        return frame.length;
      },
      { limit: 32 },
    ),
  );
}
