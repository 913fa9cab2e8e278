import { Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { NL_MMAP_STATUS_COPY, NL_MMAP_STATUS_VALID } from '../ring/constants.js';
import { Frame } from '../ring/Frame.js';
import { Overrun } from '../ring/Overrun.js';
import { POLLERR, type RingEndpoint } from '../ring/RingEndpoint.js';
import { RingReader } from '../ring/RingReader.js';
import { RingStats } from '../ring/RingStats.js';

/** Options of {@link fromRing}. */
export interface FromRingOptions {
  /**
   * What an overrun (ENOBUFS) does: `'emit'` (default) emits an {@link Overrun} in the
   * stream and goes on; `'error'` errors the stream with a NetlinkError ENOBUFS.
   */
  overruns?: 'emit' | 'error' | undefined;
  /** Counters to update in place. */
  stats?: RingStats | undefined;
  /**
   * Frames to deliver in one turn of the event loop before yielding to other work: an
   * integer from 1 (default: 8 laps of the ring). An endpoint that says
   * `drainsSynchronously` (the simulated kernel) is always drained to the end.
   */
  turnBudget?: number | undefined;
  /**
   * Whose datagrams to deliver: `'kernel'` (default) drops every frame whose sender is not
   * the kernel (`nm_pid` ≠ 0: another process's socket in the namespace, which could forge
   * anything) and counts it in `stats.foreign`; `'any'` delivers them too (for user-to-user
   * protocols such as NETLINK_USERSOCK, or udev's uevents).
   */
  senders?: 'kernel' | 'any' | undefined;
  /**
   * Who reads the endpoint's drop counter (`endpoint.drops`): `'ring'` (default) reads it at
   * each overrun and at the idle moments after one, and reports what it counted as
   * Overruns; `'source'` leaves it to the caller, a source that accounts for loss itself
   * (as `nflog` does, from sequence numbers and the same counter): an ENOBUFS is still an
   * Overrun (or the error), counted in `stats.overruns`, but with `lost` NaN, and the counter
   * is never read, so each drop is reported by one owner only.
   */
  drops?: 'ring' | 'source' | undefined;
}

/**
 * The RX ring of a netlink socket as an Observable of frames, driven by a poll loop.
 *
 * Cold: given a factory, each subscription calls `open()` to get its own endpoint (a socket
 * with a ring) and closes it exactly once when it completes, errors or is unsubscribed. Given
 * an endpoint, it borrows it: it releases its frames at teardown but leaves it open (for a
 * socket shared with a TX sink or a request helper). One source per RX ring at a time; the
 * ring's read position and deferred frames belong to its `RingReader`, so a later source
 * on the same endpoint resumes exactly where this one stopped. It never completes by itself;
 * it errors with a NetlinkError when the socket reports an error other than an overrun.
 * Overruns (ENOBUFS) are {@link Overrun} values in the stream, counted in `stats`, unless
 * `overruns: 'error'`. The kernel reports ENOBUFS once per congestion episode but counts
 * every drop (`sk_drops`), so after the first overrun the drop counter is read again at
 * every idle moment (after the frames of a wake are delivered) and what it counted since is
 * one more Overrun: Σ `lost` over the stream is the endpoint's drop count. Drops after the
 * last idle moment go to `stats.lost` at teardown. With `drops: 'source'` none of this:
 * the source that asked owns the counter, and each ENOBUFS is one Overrun with `lost` NaN.
 *
 * Senders: a frame whose `nm_pid` is not 0 was not sent by the kernel (another socket in the
 * namespace can send anything to our port id); it is dropped unseen and counted in
 * `stats.foreign`, unless `senders: 'any'`.
 *
 * Throws a TypeError naming `fromRing` and the option at once for a bad argument.
 *
 * The loop: poll the endpoint (which runs the producer: dump continuation, the engine's
 * batch read); then emit ready frames in order — each VALID frame in place and each COPY
 * frame with its message read by `recv()`, so the user sees one ordered stream — until the
 * next one is not ready (not claimed yet, or RESERVED); poll again while that made progress.
 * Empty frames (VALID, `nm_len` 0) are released unseen.
 *
 * Order (`RingReader.peek`). When the producer runs in this process (the ring engine, the
 * simulated kernel) the ring carries claim numbers (`ring.claims`) and frames come out in
 * exactly the order the producer claimed them, around deferred frames too. The kernel's own
 * rings carry none: frames are read best-effort (RING-SPEC §4.6) — nothing is lost or read
 * twice, but frames around a deferred frame released after the producer stepped over it may
 * come out of order; a COPY frame read early gets the oldest queued message, so message
 * contents stay in queue order while their headers may be swapped.
 *
 * Turns: an endpoint that says `drainsSynchronously` (the simulated kernel) is drained to
 * the end inside each wake; any other yields to the event loop after `turnBudget` frames.
 *
 * Frames are borrowed: each is released when the synchronous `next()` that delivers it
 * returns, unless the subscriber deferred it (`frame.defer()`, SKIP), in which case it is
 * released by `frame.release()` — or at teardown, which releases every frame the
 * subscription still owns.
 *
 * @example
 * const kernel = new SimulatedKernel();
 * fromRing(() => kernel.open())
 *   .pipe(parseMessages())
 *   .subscribe((m) => console.log(m instanceof Overrun ? 'lost' : m.type));
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
  const check = argumentChecker('fromRing');
  const owned = typeof open === 'function';
  if (!owned && (typeof open !== 'object' || open === null || !('rx' in open))) {
    check.fail('open', 'a RingEndpoint or a function that returns one', open);
  }
  const opts = check.options(options);
  const overrunPolicy = check.oneOf('options.overruns', opts.overruns, ['emit', 'error']) ?? 'emit';
  const turnBudget = check.integer('options.turnBudget', opts.turnBudget, 1, MAX_TURN_BUDGET);
  const anySender =
    (check.oneOf('options.senders', opts.senders, ['kernel', 'any']) ?? 'kernel') === 'any';
  const readDrops =
    (check.oneOf('options.drops', opts.drops, ['ring', 'source']) ?? 'ring') === 'ring';
  if (opts.stats !== undefined && !(opts.stats instanceof RingStats)) {
    check.fail('options.stats', 'a RingStats', opts.stats);
  }
  return new Observable<Frame | Overrun>((subscriber) => {
    const stats = opts.stats ?? new RingStats();
    const endpoint = owned ? open() : open;
    const ring = endpoint.rx;
    const reader = RingReader.of(ring);
    const budget = turnBudget ?? ring.frameNr * 8;
    const synchronous = endpoint.drainsSynchronously === true;
    // The last frame emitted: while it is live and not deferred, its next() is running.
    let current: Frame | null = null;
    let draining = false;
    let again = false;
    let scheduled: ReturnType<typeof setImmediate> | null = null;
    // Frames delivered in this turn of the event loop, across drain() calls: releases of
    // deferred frames call drain() from the user's callbacks (microtasks too), so a per-call
    // count alone would let a chain of them hold the loop forever. A turn starts where the
    // loop calls in: the fd's watcher (libuv runs it once an iteration) or the yield's
    // setImmediate; a drain from a release counts on in the turn it is part of. (A
    // setImmediate per wake-up to end the turn cost a check-phase callback and a zero-timeout
    // epoll_pwait each.)
    let turnDelivered = 0;
    let lastDrops = readDrops ? endpoint.drops : Number.NaN;
    // Drops after an ENOBUFS that reach no error. The kernel reports ENOBUFS once per
    // congestion episode (netlink_overrun sets sk_err only when NETLINK_S_CONGESTED was
    // clear; af_netlink.c) and counts every drop in sk_drops; the congestion clears only
    // when the receive queue is read empty (netlink_rcv_wake), which a frame held or a
    // RESERVED one can delay. So after the first overrun the drop counter is read again at
    // every idle moment (one getsockopt per drain) and what it counted since is reported.
    let watchDrops = false;

    const fail = (error: unknown) => {
      if (!subscriber.closed) subscriber.error(error);
    };

    const reportError = (errno: number): void => {
      if (errno === errnos.ENOBUFS) {
        // The source owns the counter: the episode is told, its count left to the source.
        const drops = readDrops ? endpoint.drops : Number.NaN;
        const lost = Number.isNaN(drops) ? Number.NaN : drops - lastDrops;
        lastDrops = drops;
        stats.overruns++;
        if (readDrops) stats.lost += lost;
        watchDrops = !Number.isNaN(drops);
        if (overrunPolicy === 'error') {
          fail(
            new NetlinkError({
              op: 'recv',
              errno,
              detail: `${Number.isNaN(lost) ? 'messages' : `${lost} messages`} dropped: the ring or the socket buffer was full`,
            }),
          );
        } else {
          subscriber.next(new Overrun(lost, stats.overruns));
        }
      } else if (errno !== errnos.EAGAIN && errno !== errnos.EINTR) {
        fail(new NetlinkError({ op: 'recv', errno }));
      }
    };

    // Drops counted since the last report, as one more Overrun.
    const reportDrops = (): void => {
      const drops = endpoint.drops;
      if (Number.isNaN(drops)) {
        watchDrops = false;
        return;
      }
      const lost = drops - lastDrops;
      if (lost <= 0) return;
      lastDrops = drops;
      stats.overruns++;
      stats.lost += lost;
      subscriber.next(new Overrun(lost, stats.overruns));
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

    // Emits ready frames in order (the reader's order); returns how many it consumed.
    const drainFrames = (limit: number): number => {
      let n = 0;
      while (!subscriber.closed && n < limit) {
        // A bounded deferral downstream is full: leave frames in the ring (backpressure).
        if (reader.full) break;
        const index = reader.peek();
        if (index < 0) break;
        const status = ring.status(index);
        let frame: Frame;
        if (!anySender && ring.pid(index) !== 0) {
          // Not the kernel's (RING-SPEC §4.5: kernel skbs carry zeroed credentials; the
          // engine writes the sender's port id): dropped unseen, counted.
          if (status === NL_MMAP_STATUS_COPY && recvCopy() === null) break;
          stats.foreign++;
          reader.advance(index);
          reader.release(index);
          n++;
          continue;
        }
        if (status === NL_MMAP_STATUS_VALID) {
          const length = ring.length(index);
          if (length === 0) {
            // An aborted construction (§4.1 step 9): its claim is consumed, unseen.
            stats.empty++;
            reader.advance(index);
            reader.release(index);
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
        } else {
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
        }
        reader.advance(index);
        n++;
        stats.frames++;
        current = frame;
        subscriber.next(frame);
        if (!frame.held && frame.live) reader.release(index);
        stats.deferred = reader.held;
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
          const n = drainFrames(synchronous ? Number.POSITIVE_INFINITY : budget - turnDelivered);
          if (!synchronous) turnDelivered += n;
          if (n > 0) again = true;
          if (watchDrops && n === 0) reportDrops();
          if (!synchronous && turnDelivered >= budget) {
            if (watchDrops && !subscriber.closed) reportDrops();
            // Yield to the event loop; come back for the rest (frames may be waiting in the
            // ring with nothing left to wake us).
            if (scheduled === null) {
              scheduled = setImmediate(() => {
                scheduled = null;
                turnDelivered = 0;
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

    const stopListening = reader.onRelease(() => {
      stats.deferred = reader.held;
      drain();
    });
    const stopWatching = endpoint.watch(() => {
      turnDelivered = 0;
      drain();
    }, fail);
    drain();

    return () => {
      stopWatching();
      stopListening();
      if (scheduled !== null) clearImmediate(scheduled);
      if (watchDrops) {
        // No one to tell any more: drops since the last report go to the counters.
        const drops = endpoint.drops;
        if (drops > lastDrops) {
          stats.lost += drops - lastDrops;
          lastDrops = drops;
        }
      }
      const delivering = current?.live && !current.held ? current.index : -1;
      reader.releaseAll(endpoint, delivering);
      stats.deferred = 0;
      if (owned) endpoint.close();
    };
  });
}

/** The largest `turnBudget`: a bound, not a target (2^31 - 1 frames). */
const MAX_TURN_BUDGET = 0x7fffffff;
