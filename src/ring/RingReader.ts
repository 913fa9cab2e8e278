import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import {
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from './constants.js';
import type { Ring } from './Ring.js';
import type { RingEndpoint } from './RingEndpoint.js';

/**
 * The process side of one RX ring (STYLE rule 3): the one owner of the consumer's position
 * and of the frames the process holds, shared by every source, operator and the NFQUEUE
 * verdict path that touch the ring, so that a second source on the same endpoint resumes
 * exactly where the first stopped and every party sees the same deferral count.
 *
 * What it keeps, none of it in the kernel's memory layout:
 * - the read position: {@link cursor} (the next frame to look at) and {@link consumed}
 *   (the claim number read next when the producer keeps claim numbers, `ring.claims`);
 * - deferred frames ({@link held}, SKIP and not yet released) and the hold limit: the
 *   lowest of the limits set with {@link limit}; a source takes no frame while
 *   {@link full};
 * - the listeners to wake when a deferred frame goes back ({@link onRelease}), batched by
 *   {@link batch} so that a burst of releases wakes each listener once.
 *
 * Found by ring, not by endpoint: `RingReader.of(endpoint.rx)`. The ring keeps a pointer to
 * its reader (`ring.reader`, set here on first use), which keeps the `RingEndpoint` contract
 * free of consumer state (any producer — the kernel's mapping, the engine, the simulated
 * kernel, a user's own — gets the reader for free), and a {@link Frame} finds it from its
 * ring alone, without a map lookup. The reader lives as long as its ring.
 *
 * Memory ordering (RING-SPEC §3): every status it reads is an acquire load and every
 * release a release store, through {@link Ring}.
 *
 * @example
 * const reader = RingReader.of(socket.rx);
 * const index = reader.peek();
 * if (index >= 0 && socket.rx.status(index) === NL_MMAP_STATUS_VALID) {
 *   console.log(socket.rx.length(index));
 *   reader.advance(index);
 *   reader.release(index);
 * }
 */
export class RingReader {
  /** The RX ring read. */
  readonly ring: Ring;
  /** The next frame to look at (the consumer's own index, RING-SPEC §3). */
  cursor = 0;
  /** Claim numbers consumed so far, mod 2^32: the claim read next (with `ring.claims`). */
  consumed = 0;
  /** Frames deferred (SKIP) and not yet released. */
  held = 0;
  private readonly limits: number[] = [];
  private baseLimit = Number.POSITIVE_INFINITY;
  private effectiveLimit = Number.POSITIVE_INFINITY;
  private readonly listeners: (() => void)[] = [];
  private batching = 0;
  private releasedInBatch = false;

  private constructor(ring: Ring) {
    this.ring = ring;
  }

  /** The reader of `ring`, made on first use and kept while the ring lives. */
  static of(ring: Ring): RingReader {
    const reader = ring.reader;
    if (reader !== null) return reader;
    const made = new RingReader(ring);
    ring.reader = made;
    return made;
  }

  /**
   * The most frames the process may hold deferred: the lowest of the base limit (set here)
   * and every limit added with {@link limit}. Infinity by default (the ring size bounds it).
   */
  get holdLimit(): number {
    return this.effectiveLimit;
  }

  set holdLimit(limit: number) {
    this.baseLimit = limit;
    this.recompute();
  }

  /** Whether as many frames are held as the limit allows: a source takes no more. */
  get full(): boolean {
    return this.held >= this.effectiveLimit;
  }

  /**
   * Adds a hold limit (the effective one is the lowest); returns the function that removes
   * it. Several parties (a `deferFrames`, `nfqueue`'s `maxPending`) each add their own and
   * remove only their own.
   */
  limit(limit: number): () => void {
    this.limits.push(limit);
    this.recompute();
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      const at = this.limits.indexOf(limit);
      if (at >= 0) this.limits.splice(at, 1);
      this.recompute();
    };
  }

  private recompute(): void {
    let limit = this.baseLimit;
    for (const l of this.limits) if (l < limit) limit = l;
    this.effectiveLimit = limit;
  }

  /**
   * Calls `listener` after deferred frames went back to the producer (the producer may have
   * stopped for lack of frames: poll again). Returns the function that removes it.
   */
  onRelease(listener: () => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Wakes every release listener now (e.g. on the next turn, after a quiet {@link batch}). */
  wake(): void {
    const listeners = this.listeners;
    if (listeners.length === 1) {
      listeners[0]();
      return;
    }
    for (const listener of [...listeners]) listener();
  }

  /**
   * Runs `fn` with release notifications held back, then — with `wake` (default) and if a
   * deferred frame was released meanwhile — wakes the listeners once. Nested batches wake
   * at the end of the outermost.
   */
  batch(fn: () => void, wake = true): void {
    this.batching++;
    try {
      fn();
    } finally {
      this.batching--;
    }
    if (this.batching === 0 && this.releasedInBatch) {
      this.releasedInBatch = false;
      if (wake) this.wake();
    }
  }

  /**
   * The index of the next frame in order that is ready — VALID or COPY — or -1 when none
   * is ready yet (not claimed, or RESERVED: the cursor then waits on it). It does not
   * consume it: {@link advance} does.
   *
   * Claim order (an in-process producer keeps `ring.claims`): the frame holding claim
   * number {@link consumed}, wherever it is — usually at the cursor; elsewhere when the
   * cursor is on a SKIP frame or on a hole the producer stepped over (RING-SPEC §4.1 step
   * 4). A claim counted in `ring.claimed` but found in no frame was discarded by an earlier
   * teardown while a claim before it was still RESERVED: it is passed over.
   *
   * No claim order (the kernel's own rings): ring order from the cursor; at a SKIP or
   * UNUSED frame, the first frame claimed ahead of it (the producer went past the cursor,
   * stepping over SKIP). Best-effort (§4.6): frames around a deferred frame released after
   * the producer stepped over it may come out of order; nothing is lost or read twice.
   */
  peek(): number {
    const ring = this.ring;
    const claims = ring.claims;
    const index = this.cursor;
    const status = ring.status(index);
    if (claims !== null) {
      if (
        claims[index] === this.consumed &&
        (status === NL_MMAP_STATUS_VALID || status === NL_MMAP_STATUS_COPY)
      ) {
        return index;
      }
      return this.findClaim(claims);
    }
    if (status === NL_MMAP_STATUS_VALID || status === NL_MMAP_STATUS_COPY) return index;
    if (status === NL_MMAP_STATUS_RESERVED) return -1;
    return this.skipAhead();
  }

  private findClaim(claims: Uint32Array): number {
    const ring = this.ring;
    while (ring.claimed !== this.consumed) {
      for (let n = 0, i = this.cursor; n < ring.frameNr; n++, i = ring.next(i)) {
        const s = ring.status(i);
        if (s === NL_MMAP_STATUS_UNUSED || s === NL_MMAP_STATUS_SKIP) continue;
        if (claims[i] === this.consumed) {
          this.cursor = i;
          return s === NL_MMAP_STATUS_RESERVED ? -1 : i;
        }
      }
      this.consumed = (this.consumed + 1) >>> 0;
    }
    return -1;
  }

  // The cursor sits on a SKIP or UNUSED frame. A producer claiming concurrently (the
  // kernel) claims the cursor frame before the ones after it: if it is claimed now, it comes
  // first. Stepping over SKIP blindly instead would lose step with a producer whose head is
  // still at that frame when it is released and refilled.
  private skipAhead(): number {
    const ring = this.ring;
    for (let n = 1, i = ring.next(this.cursor); n < ring.frameNr; n++, i = ring.next(i)) {
      const s = ring.status(i);
      if (
        s === NL_MMAP_STATUS_VALID ||
        s === NL_MMAP_STATUS_COPY ||
        s === NL_MMAP_STATUS_RESERVED
      ) {
        const here = ring.status(this.cursor);
        if (here !== NL_MMAP_STATUS_UNUSED && here !== NL_MMAP_STATUS_SKIP) {
          return here === NL_MMAP_STATUS_RESERVED ? -1 : this.cursor;
        }
        this.cursor = i;
        return s === NL_MMAP_STATUS_RESERVED ? -1 : i;
      }
    }
    return -1;
  }

  /** Consumes frame `index` (returned by {@link peek}): the cursor moves past it. */
  advance(index: number): void {
    this.cursor = this.ring.next(index);
    this.consumed = (this.consumed + 1) >>> 0;
  }

  /** Gives a borrowed frame back (UNUSED, release store; its handles go stale). */
  release(index: number): void {
    this.ring.release(index);
  }

  /** Marks frame `index` SKIP and counts it held; false if it is not VALID, COPY or SKIP. */
  defer(index: number): boolean {
    const ring = this.ring;
    const s = ring.status(index);
    if (s === NL_MMAP_STATUS_VALID || s === NL_MMAP_STATUS_COPY) ring.skip(index);
    else if (s !== NL_MMAP_STATUS_SKIP) return false;
    this.held++;
    return true;
  }

  /** Gives a deferred frame back (UNUSED) and wakes the release listeners (or the batch). */
  releaseDeferred(index: number): void {
    this.ring.release(index);
    if (this.held > 0) this.held--;
    if (this.batching > 0) this.releasedInBatch = true;
    else if (this.listeners.length > 0) this.wake();
  }

  /**
   * Teardown of a source: gives every frame the process owns back to the producer —
   * deferred (SKIP) frames, the frame whose `next()` is running (`delivering`, or -1), and
   * the messages claimed and not yet read (VALID released, COPY read from `endpoint` and
   * discarded, in queue order). RESERVED frames are the producer's: they stay, and a later
   * source resumes there. Afterwards {@link held} is 0 and the position is where the next
   * source resumes.
   */
  releaseAll(endpoint: RingEndpoint, delivering: number): void {
    const ring = this.ring;
    const claims = ring.claims;
    if (claims === null) {
      for (let n = 0, i = this.cursor; n < ring.frameNr; n++, i = ring.next(i)) {
        const status = ring.status(i);
        if (status === NL_MMAP_STATUS_SKIP) ring.release(i);
        else if (status === NL_MMAP_STATUS_VALID || status === NL_MMAP_STATUS_COPY) {
          if (i !== delivering) {
            if (status === NL_MMAP_STATUS_COPY) discardCopy(endpoint);
            this.consumed = (this.consumed + 1) >>> 0;
          }
          ring.release(i);
        }
      }
      this.held = 0;
      return;
    }
    const consumed = this.consumed;
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
    this.held = 0;
    if (reserved >= 0) {
      this.cursor = reserved;
      this.consumed = claims[reserved];
    } else {
      this.consumed = ring.claimed;
    }
  }
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
