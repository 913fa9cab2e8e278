import { NL_MMAP_STATUS_UNUSED, NL_MMAP_STATUS_VALID } from './constants.js';
import type { Ring } from './Ring.js';
import type { RingEndpoint } from './RingEndpoint.js';

/** One writer per TX ring: see {@link RingWriter.of}. */
const writers = new WeakMap<Ring, RingWriter>();

/**
 * The process side of one TX ring (STYLE rule 3): the one owner of the process's TX index,
 * shared by every writer of the ring — `toTxRing` sinks and the NFQUEUE verdict path — so
 * that they all write at the frame the producer's TX head reaches next, and a second sink
 * resumes where the first stopped.
 *
 * The producer consumes TX frames strictly in order from its own head, stopping at the
 * first frame that is not VALID (RING-SPEC §5.2), so the process must write strictly in
 * ring order from the same place: {@link claim} the frame at the cursor when it is UNUSED,
 * write the data, {@link commit} it (`nm_len`, then VALID with a release store, §3), and
 * {@link flush} through the endpoint. Commits are numbered (tickets from 0); since frames
 * are consumed in the order they were committed, {@link completed} — commits the producer
 * has consumed so far — tells any writer whether its own ticket is done, without a frame
 * index that a later write could reuse.
 *
 * Found by ring (`RingWriter.of(endpoint.tx)`), for the reasons given on `RingReader`.
 *
 * @example
 * declare const tx: Ring; // socket.tx, when it has a TX ring
 * declare const request: Uint8Array;
 * const writer = RingWriter.of(tx);
 * const index = writer.claim();
 * if (index >= 0) {
 *   tx.bytes.set(request, tx.dataOffset(index));
 *   const ticket = writer.commit(index, request.byteLength);
 *   writer.flush(socket);
 *   if (writer.completed > ticket) console.log('sent');
 * }
 */
export class RingWriter {
  /** The TX ring written. */
  readonly ring: Ring;
  /** The next frame to write: where the producer's TX head will be when it gets there. */
  cursor = 0;
  /** Commits made so far (the next ticket). */
  committed = 0;
  /** Commits the producer has consumed so far (their frames came back UNUSED), in order. */
  completed = 0;

  private constructor(ring: Ring) {
    this.ring = ring;
  }

  /** The writer of `ring`, made on first use and kept while the ring lives. */
  static of(ring: Ring): RingWriter {
    let writer = writers.get(ring);
    if (writer === undefined) {
      writer = new RingWriter(ring);
      writers.set(ring, writer);
    }
    return writer;
  }

  /** Frames committed and not yet consumed by the producer. */
  get inflight(): number {
    return this.committed - this.completed;
  }

  /**
   * Counts the committed frames the producer has consumed since the last look (oldest
   * first: frames come back in commit order) and returns {@link completed}.
   */
  collect(): number {
    const ring = this.ring;
    const n = ring.frameNr;
    while (this.completed < this.committed) {
      const oldest = (((this.cursor - (this.committed - this.completed)) % n) + n) % n;
      if (ring.status(oldest) !== NL_MMAP_STATUS_UNUSED) break;
      this.completed++;
    }
    return this.completed;
  }

  /**
   * The frame at the cursor if it is UNUSED (the process's to write), else -1: the ring is
   * full until the producer consumes frames. Does not move the cursor: {@link commit} does.
   */
  claim(): number {
    this.collect();
    // A frame still counted in flight is the producer's even if it reads UNUSED now.
    if (this.committed - this.completed >= this.ring.frameNr) return -1;
    const index = this.cursor;
    return this.ring.status(index) === NL_MMAP_STATUS_UNUSED ? index : -1;
  }

  /**
   * Hands frame `index` (from {@link claim}, data already written at `dataOffset(index)`)
   * to the producer: `nm_len`, then VALID with a release store after the data (RING-SPEC
   * §3). Returns the commit's ticket.
   */
  commit(index: number, length: number): number {
    const ring = this.ring;
    ring.setLength(index, length);
    ring.setStatus(index, NL_MMAP_STATUS_VALID);
    this.cursor = ring.next(index);
    return this.committed++;
  }

  /**
   * Writes `data` (one datagram, at most `ring.maxlen` bytes) into the next frame and
   * commits it; returns the ticket, or -1 when no frame is free.
   */
  write(data: Uint8Array): number {
    const index = this.claim();
    if (index < 0) return -1;
    this.ring.bytes.set(data, this.ring.dataOffset(index));
    return this.commit(index, data.byteLength);
  }

  /**
   * `sendto(NULL, 0)` through the endpoint (the producer's TX walk, §5.2), then
   * {@link collect}. Returns the bytes the producer reports sent. Errors of the flush
   * (EINVAL, …) are thrown after the frames it consumed are counted.
   */
  flush(endpoint: RingEndpoint): number {
    try {
      return endpoint.flush();
    } finally {
      this.collect();
    }
  }
}
