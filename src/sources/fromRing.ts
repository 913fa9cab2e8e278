import { Observable } from 'rxjs';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import {
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../ring/constants.js';
import { Frame } from '../ring/Frame.js';
import { Overrun } from '../ring/Overrun.js';
import { POLLERR, POLLIN, type RingEndpoint } from '../ring/RingEndpoint.js';
import { RingStats } from '../ring/RingStats.js';

/** Options of {@link fromRing}. */
export interface FromRingOptions {
  /**
   * What an overrun (ENOBUFS) does: `'emit'` (default) emits an {@link Overrun} in the
   * stream and goes on; `'error'` errors the stream with a NetlinkError ENOBUFS.
   */
  overruns?: 'emit' | 'error';
  /** Counters to update in place. */
  stats?: RingStats;
  /**
   * Frames to deliver in one turn of the event loop before yielding to other work
   * (default: 8 laps of the ring). A simulated kernel is always drained to the end.
   */
  turnBudget?: number;
}

/**
 * The RX ring of a netlink socket as an Observable of frames, driven by a poll loop.
 *
 * Cold: given a factory, each subscription calls `open()` to get its own endpoint (a socket
 * with a ring) and closes it exactly once when it completes, errors or is unsubscribed. Given
 * an endpoint, it borrows it: it releases its frames at teardown but leaves it open (for a
 * socket shared with a TX sink or a request helper). One source per RX ring at a time. It never
 * completes by itself; it errors with a NetlinkError when the socket reports an error other
 * than an overrun. Overruns (ENOBUFS) are {@link Overrun} values in the stream, counted in
 * `stats`, unless `overruns: 'error'`.
 *
 * The loop: poll the endpoint (which runs the producer: dump continuation, the engine's
 * batch read); then, from its own index, emit each VALID frame in place and each COPY frame
 * with its message read by `recv()`, so the user sees one ordered stream; step over SKIP
 * frames (deferred ones, from an earlier lap); stop at the first UNUSED or RESERVED frame;
 * poll again while that made progress. Empty frames (VALID, `nm_len` 0) are released unseen.
 *
 * Frames are borrowed: each is released when the synchronous `next()` that delivers it
 * returns, unless the subscriber deferred it (`frame.defer()`, SKIP), in which case it is
 * released by `frame.release()` — or at teardown, which releases every frame the
 * subscription still owns.
 *
 * @example
 * fromRing(() => kernel.open()).pipe(parseMessages()).subscribe((m) => console.log(m.type));
 */
export function fromRing(
  open: RingEndpoint | (() => RingEndpoint),
  options: FromRingOptions & { overruns: 'error' },
): Observable<Frame>;
export function fromRing(
  open: RingEndpoint | (() => RingEndpoint),
  options?: FromRingOptions,
): Observable<Frame | Overrun>;
export function fromRing(
  open: RingEndpoint | (() => RingEndpoint),
  options: FromRingOptions = {},
): Observable<Frame | Overrun> {
  const owned = typeof open === 'function';
  if (!owned && (typeof open !== 'object' || open === null || !('rx' in open))) {
    throw new TypeError('open: expected a RingEndpoint or a function that returns one');
  }
  const overrunPolicy = options.overruns ?? 'emit';
  if (overrunPolicy !== 'emit' && overrunPolicy !== 'error') {
    throw new TypeError(`overruns: expected 'emit' or 'error', got ${String(overrunPolicy)}`);
  }
  return new Observable<Frame | Overrun>((subscriber) => {
    const stats = options.stats ?? new RingStats();
    const endpoint = owned ? open() : open;
    const ring = endpoint.rx;
    const budget = options.turnBudget ?? ring.frameNr * 8;
    const simulated = endpoint.mode === 'simulated';
    let cursor = ring.cursor;
    let draining = false;
    let again = false;
    let scheduled: ReturnType<typeof setImmediate> | null = null;
    let lastDrops = endpoint.drops;

    const fail = (error: unknown) => {
      if (!subscriber.closed) subscriber.error(error);
    };

    const reportError = (errno: number): void => {
      if (errno === errnos.ENOBUFS) {
        const drops = endpoint.drops;
        const lost = Number.isNaN(drops) ? Number.NaN : drops - lastDrops;
        lastDrops = drops;
        stats.overruns++;
        stats.lost += lost;
        if (overrunPolicy === 'error') {
          fail(
            new NetlinkError({
              op: 'recv',
              errno,
              detail: `${lost} messages dropped: the ring or the socket buffer was full`,
            }),
          );
        } else {
          subscriber.next(new Overrun(lost, stats.overruns));
        }
      } else if (errno !== errnos.EAGAIN && errno !== errnos.EINTR) {
        fail(new NetlinkError({ op: 'recv', errno }));
      }
    };

    // recv() reports a pending socket error before any data, as recvmsg does (RING-SPEC
    // §4.3): an overrun that happened while we were draining. Report it, then read again.
    const recvCopy = (): Uint8Array | null => {
      try {
        return endpoint.recv();
      } catch (error) {
        if (!(error instanceof NetlinkError) || error.errno !== errnos.ENOBUFS) throw error;
        reportError(errnos.ENOBUFS);
        return subscriber.closed ? null : endpoint.recv();
      }
    };

    // The cursor sits on a SKIP frame (deferred in an earlier lap) or an UNUSED one while
    // poll() says a frame is ready elsewhere: the producer stepped over SKIP frames (§4.1
    // step 4), some of which may have been released since (holes it fills only next lap).
    // Every ready frame lies between the cursor and the producer's head, so the first one
    // ahead is the next in order. Only SKIP/UNUSED are passed: a RESERVED frame is waited for.
    // Stepping over SKIP blindly instead would lose step with a producer whose head is still
    // at that frame when it is released and refilled.
    const resync = (): boolean => {
      const status = ring.status(cursor);
      if (status !== NL_MMAP_STATUS_SKIP && status !== NL_MMAP_STATUS_UNUSED) return false;
      for (let n = 0, i = ring.next(cursor); n < ring.frameMax; n++, i = ring.next(i)) {
        const s = ring.status(i);
        if (
          s === NL_MMAP_STATUS_VALID ||
          s === NL_MMAP_STATUS_COPY ||
          s === NL_MMAP_STATUS_RESERVED
        ) {
          cursor = i;
          return true;
        }
      }
      return false;
    };

    // Emits ready frames from the cursor; returns how many frames it consumed.
    const drainFrames = (limit: number): number => {
      let consumed = 0;
      while (!subscriber.closed && consumed < limit) {
        // A bounded deferral downstream is full: leave frames in the ring (backpressure).
        if (ring.held >= ring.holdLimit) break;
        const index = cursor;
        const status = ring.status(index);
        let frame: Frame;
        if (status === NL_MMAP_STATUS_VALID) {
          const length = ring.length(index);
          if (length === 0) {
            stats.empty++;
            ring.release(index);
            cursor = ring.next(index);
            consumed++;
            continue;
          }
          frame = new Frame(
            ring,
            index,
            ring.bytes,
            ring.view,
            ring.dataOffset(index),
            length,
            false,
          );
        } else if (status === NL_MMAP_STATUS_COPY) {
          const data = recvCopy();
          if (data === null) break;
          stats.copies++;
          frame = new Frame(
            ring,
            index,
            data,
            new DataView(data.buffer, data.byteOffset, data.byteLength),
            0,
            data.byteLength,
            true,
          );
        } else {
          // UNUSED: nothing more yet (or a hole, see resync); RESERVED: the producer is still
          // building it; SKIP: deferred in an earlier lap (see resync).
          break;
        }
        cursor = ring.next(index);
        consumed++;
        stats.frames++;
        subscriber.next(frame);
        if (!frame.held && frame.live) ring.release(index);
        stats.deferred = ring.held;
      }
      return consumed;
    };

    const drain = (): void => {
      if (draining) {
        again = true;
        return;
      }
      draining = true;
      let delivered = 0;
      try {
        do {
          again = false;
          stats.polls++;
          const mask = endpoint.poll();
          if (mask & POLLERR) {
            const errno = endpoint.takeError();
            if (errno !== 0) reportError(errno);
          }
          if (subscriber.closed) return;
          const n = drainFrames(simulated ? Number.POSITIVE_INFINITY : budget - delivered);
          delivered += n;
          if (n > 0 || (mask & POLLIN && resync())) again = true;
          if (!simulated && delivered >= budget) {
            // Yield to the event loop; come back for the rest.
            if (again && scheduled === null) {
              scheduled = setImmediate(() => {
                scheduled = null;
                drain();
              });
            }
            return;
          }
        } while (again && !subscriber.closed);
      } catch (error) {
        fail(error);
      } finally {
        draining = false;
      }
    };

    ring.onDeferredRelease = () => {
      stats.deferred = ring.held;
      drain();
    };
    const stopWatching = endpoint.watch(drain, fail);
    drain();

    return () => {
      stopWatching();
      if (scheduled !== null) clearImmediate(scheduled);
      ring.onDeferredRelease = null;
      releaseAll(endpoint, cursor);
      ring.cursor = cursor;
      ring.held = 0;
      ring.holdLimit = Number.POSITIVE_INFINITY;
      stats.deferred = 0;
      if (owned) endpoint.close();
    };
  });
}

/** Teardown: gives every frame the process owns back to the producer (COPY messages read and discarded, in order). */
function releaseAll(endpoint: RingEndpoint, cursor: number): void {
  const ring = endpoint.rx;
  // COPY messages sit on the socket queue in frame order from the cursor on: discard them
  // oldest first, so the queue and the frames stay in step.
  for (let n = 0, i = cursor; n < ring.frameNr; n++, i = ring.next(i)) {
    const status = ring.status(i);
    if (status === NL_MMAP_STATUS_VALID || status === NL_MMAP_STATUS_SKIP) {
      ring.release(i);
    } else if (status === NL_MMAP_STATUS_COPY) {
      try {
        endpoint.recv();
      } catch (error) {
        // A pending overrun is reported first (§4.3): the message is still queued.
        if (error instanceof NetlinkError && error.errno === errnos.ENOBUFS) {
          try {
            endpoint.recv();
          } catch {
            // See below.
          }
        }
        // Otherwise the queue is already empty (e.g. purged); the frame is released anyway.
      }
      ring.release(i);
    }
  }
}
