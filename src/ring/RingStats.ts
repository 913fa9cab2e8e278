/**
 * Counters a ring source keeps for one subscription. Pass one in a source's options to read
 * them while the stream runs (`nlring` updates the fields in place; nothing is allocated).
 *
 * @example
 * const stats = new RingStats();
 * fromRing(open, { stats }).subscribe();
 * setInterval(() => console.log(stats.frames, stats.lost), 1000);
 */
export class RingStats {
  /** Frames delivered (VALID and COPY), empty ones excluded. */
  frames = 0;
  /** Of those, COPY frames read with recv(). */
  copies = 0;
  /** VALID frames with nm_len = 0 (aborted constructions), released unseen. */
  empty = 0;
  /**
   * Frames dropped because their sender was not the kernel (`nm_pid` ≠ 0): another socket
   * in the namespace sent them, so nothing in them is believed.
   */
  foreign = 0;
  /** Overrun episodes reported (ENOBUFS). */
  overruns = 0;
  /** Messages lost, as counted by the producer (sk_drops); NaN when it cannot count. */
  lost = 0;
  /** Frames deferred right now (SKIP). */
  deferred = 0;
  /** Times the consumer polled the producer. */
  polls = 0;
}
