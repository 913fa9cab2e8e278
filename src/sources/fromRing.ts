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
import { POLLERR, type RingEndpoint } from '../ring/RingEndpoint.js';
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
 * batch read); then emit ready frames in order — each VALID frame in place and each COPY
 * frame with its message read by `recv()`, so the user sees one ordered stream — until the
 * next one is not ready (not claimed yet, or RESERVED); poll again while that made progress.
 * Empty frames (VALID, `nm_len` 0) are released unseen.
 *
 * Order. When the producer runs in this process (the ring engine, the simulated kernel) the
 * ring carries claim numbers (`ring.claims`) and frames come out in exactly the order the
 * producer claimed them, around deferred frames too. The kernel's own rings carry none: the
 * source reads in ring order from its own index and, at a SKIP or UNUSED frame, moves to the
 * first frame the producer claimed ahead of it (the producer steps over SKIP frames, RING-SPEC
 * §4.1). Nothing is lost or read twice, but frames around a deferred frame released after
 * the producer stepped over it may come out of order — as with any reader of those rings
 * (§4.6); a COPY frame read early gets the oldest queued message, so message contents stay in
 * queue order while their headers may be swapped.
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
    let consumed = ring.consumed;
    // The last frame emitted: while it is live and not deferred, its next() is running.
    let current: Frame | null = null;
    let draining = false;
    let again = false;
    let scheduled: ReturnType<typeof setImmediate> | null = null;
    // Frames delivered in this turn of the event loop, across drain() calls: releases of
    // deferred frames call drain() from the user's callbacks (microtasks too), so a per-call
    // count alone would let a chain of them hold the loop forever.
    let turnDelivered = 0;
    let turnEnd: ReturnType<typeof setImmediate> | null = null;
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

    // Claim order (ring.claims kept by an in-process producer): the next frame is the one
    // holding claim number `consumed`. Usually it is the frame at the cursor (the fast path
    // in drainFrames); otherwise — the cursor is on a SKIP frame or a hole the producer
    // stepped over (RING-SPEC §4.1 step 4) — find it. Returns its index, or -1 when it is
    // not ready: not claimed yet, or RESERVED (then the cursor waits on it, so the next look
    // is the fast path). A claim counted in ring.claimed (which the producer bumps after the
    // status store) but found in no frame was discarded by an earlier subscription's teardown
    // while a claim before it was still RESERVED: it is passed over.
    const findClaim = (claims: Uint32Array): number => {
      while (ring.claimed !== consumed) {
        for (let n = 0, i = cursor; n < ring.frameNr; n++, i = ring.next(i)) {
          const s = ring.status(i);
          if (s === NL_MMAP_STATUS_UNUSED || s === NL_MMAP_STATUS_SKIP) continue;
          if (claims[i] === consumed) {
            cursor = i;
            return s === NL_MMAP_STATUS_RESERVED ? -1 : i;
          }
        }
        consumed = (consumed + 1) >>> 0;
      }
      return -1; // every claim made so far is consumed
    };

    // No claim order (the kernel's own rings): the cursor sits on a SKIP frame (deferred in
    // an earlier lap) or an UNUSED one. If the producer claimed a frame ahead of it, it went
    // past the cursor (stepping over SKIP, §4.1 step 4) and the first claimed frame ahead —
    // VALID, COPY, or RESERVED, which is then waited for — is taken as the next in order.
    // Best-effort: a SKIP frame it stepped over and that was released since is a hole it
    // refills only next lap, after the frames ahead, and when several were claimed between
    // two looks the status words cannot say which came first (§4.6); nothing is lost or read
    // twice, but such frames may come out of order. Stepping over SKIP blindly instead would
    // lose step with a producer whose head is still at that frame when it is released and
    // refilled. Returns whether the cursor moved.
    const skipAhead = (): boolean => {
      for (let n = 1, i = ring.next(cursor); n < ring.frameNr; n++, i = ring.next(i)) {
        const s = ring.status(i);
        if (
          s === NL_MMAP_STATUS_VALID ||
          s === NL_MMAP_STATUS_COPY ||
          s === NL_MMAP_STATUS_RESERVED
        ) {
          // A producer claiming concurrently (the kernel) claims the cursor frame before the
          // ones after it: if it is claimed now, it comes first.
          const here = ring.status(cursor);
          if (here !== NL_MMAP_STATUS_UNUSED && here !== NL_MMAP_STATUS_SKIP) return true;
          cursor = i;
          return true;
        }
      }
      return false;
    };

    // Emits ready frames in order; returns how many frames it consumed.
    const drainFrames = (limit: number): number => {
      const claims = ring.claims;
      let n = 0;
      while (!subscriber.closed && n < limit) {
        // A bounded deferral downstream is full: leave frames in the ring (backpressure).
        if (ring.held >= ring.holdLimit) break;
        let index = cursor;
        let status = ring.status(index);
        if (claims !== null) {
          if (
            claims[index] !== consumed ||
            (status !== NL_MMAP_STATUS_VALID && status !== NL_MMAP_STATUS_COPY)
          ) {
            index = findClaim(claims);
            if (index < 0) break;
            status = ring.status(index);
          }
        } else if (status === NL_MMAP_STATUS_SKIP || status === NL_MMAP_STATUS_UNUSED) {
          if (!skipAhead()) break;
          continue;
        }
        let frame: Frame;
        if (status === NL_MMAP_STATUS_VALID) {
          const length = ring.length(index);
          if (length === 0) {
            // An aborted construction (§4.1 step 9): its claim is consumed, unseen.
            stats.empty++;
            ring.release(index);
            cursor = ring.next(index);
            consumed = (consumed + 1) >>> 0;
            n++;
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
          // RESERVED: the producer is still building it.
          break;
        }
        cursor = ring.next(index);
        consumed = (consumed + 1) >>> 0;
        n++;
        stats.frames++;
        current = frame;
        subscriber.next(frame);
        if (!frame.held && frame.live) ring.release(index);
        stats.deferred = ring.held;
      }
      return n;
    };

    const drain = (): void => {
      if (draining) {
        again = true;
        return;
      }
      draining = true;
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
          const n = drainFrames(simulated ? Number.POSITIVE_INFINITY : budget - turnDelivered);
          if (n > 0 && !simulated) {
            turnDelivered += n;
            if (turnEnd === null) {
              turnEnd = setImmediate(() => {
                turnEnd = null;
                turnDelivered = 0;
              });
            }
          }
          if (n > 0) again = true;
          if (!simulated && turnDelivered >= budget) {
            // Yield to the event loop; come back for the rest (frames may be waiting in the
            // ring with nothing left to wake us).
            if (scheduled === null) {
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
      if (turnEnd !== null) clearImmediate(turnEnd);
      ring.onDeferredRelease = null;
      const delivering = current?.live && !current.held ? current.index : -1;
      const resume = releaseAll(endpoint, cursor, consumed, delivering);
      ring.cursor = resume.cursor;
      ring.consumed = resume.consumed;
      ring.held = 0;
      ring.holdLimit = Number.POSITIVE_INFINITY;
      stats.deferred = 0;
      if (owned) endpoint.close();
    };
  });
}

/**
 * Teardown: gives every frame the process owns back to the producer: deferred (SKIP) frames,
 * the frame whose `next()` is running, and the messages claimed and not yet read (VALID
 * released, COPY read and discarded). COPY messages sit on the socket queue in claim order,
 * so they are discarded in that order. RESERVED frames are the producer's: they stay, and
 * their messages go to a later subscription. `delivering`: the frame whose `next()` is
 * running, or -1. Returns where a later subscription resumes.
 */
function releaseAll(
  endpoint: RingEndpoint,
  cursor: number,
  consumed: number,
  delivering: number,
): { cursor: number; consumed: number } {
  const ring = endpoint.rx;
  const claims = ring.claims;
  if (claims === null) {
    // No claim order: ring order from the cursor is the best guess of the queue's order.
    for (let n = 0, i = cursor; n < ring.frameNr; n++, i = ring.next(i)) {
      const status = ring.status(i);
      if (status === NL_MMAP_STATUS_SKIP) ring.release(i);
      else if (status === NL_MMAP_STATUS_VALID || status === NL_MMAP_STATUS_COPY) {
        if (i === delivering) {
          ring.release(i); // already counted (and its COPY message already read)
        } else {
          if (status === NL_MMAP_STATUS_COPY) discardCopy(endpoint);
          ring.release(i);
          consumed = (consumed + 1) >>> 0;
        }
      }
    }
    return { cursor, consumed };
  }
  // Claim order. Frames of claims before `consumed` (SKIP, or the one being delivered) are
  // released; the ready frames of later claims are discarded, COPY ones in claim order.
  // A claim still RESERVED stays: the producer owns its frame, and a later subscription
  // resumes there (its message is delivered); the claims discarded after it are passed over
  // then (see findClaim).
  const ahead: number[] = [];
  let reserved = -1;
  for (let i = 0; i < ring.frameNr; i++) {
    const status = ring.status(i);
    if (status === NL_MMAP_STATUS_UNUSED) continue;
    const distance = (claims[i] - consumed) >>> 0;
    if (status === NL_MMAP_STATUS_RESERVED) {
      if (reserved < 0 || distance < (claims[reserved] - consumed) >>> 0) reserved = i;
    } else if (status !== NL_MMAP_STATUS_SKIP && distance < 0x80000000) ahead.push(i);
    else ring.release(i);
  }
  ahead.sort((a, b) => ((claims[a] - consumed) >>> 0) - ((claims[b] - consumed) >>> 0));
  for (const i of ahead) {
    if (ring.status(i) === NL_MMAP_STATUS_COPY) discardCopy(endpoint);
    ring.release(i);
  }
  if (reserved >= 0) return { cursor: reserved, consumed: claims[reserved] };
  return { cursor, consumed: ring.claimed };
}

/** Reads and drops the oldest queued COPY message (teardown). */
function discardCopy(endpoint: RingEndpoint): void {
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
}
