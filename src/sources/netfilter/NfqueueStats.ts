import { RingStats } from '../../ring/RingStats.js';

/**
 * Counters of one {@link nfqueue} subscription, updated in place while the stream runs:
 * pass one as `stats` and read it whenever you like.
 *
 * @example
 * const stats = new NfqueueStats();
 * nfqueue({ queue: 0, stats }).subscribe(decide);
 * setInterval(() => console.log(`${stats.pending} waiting, ${stats.batches} batches`), 1000);
 */
export class NfqueueStats {
  /** Packets received and emitted. */
  packets = 0;
  /** Packets whose verdict (given by a method) was written. */
  verdicts = 0;
  /** Packets given the default verdict because the stream ended first. */
  defaulted = 0;
  /** Packets emitted and still waiting for their verdict to be written. */
  pending = 0;
  /** Verdict messages written: one per single verdict, one per batch. */
  messages = 0;
  /** Of those, NFQNL_MSG_VERDICT_BATCH messages. */
  batches = 0;
  /** TX frames written, and TX ring flushes (`sendto(NULL, 0)`). */
  txFrames = 0;
  flushes = 0;
  /** Verdict messages too large for a TX frame, sent with an ordinary sendto instead. */
  direct = 0;
  /** Verdicts the kernel answered ENOENT: it no longer held the packet (a device went away). */
  verdictErrors = 0;
  /** ENOBUFS episodes, and the packets they lost (sk_drops: one packet per datagram). */
  overruns = 0;
  lost = 0;
  /** Whether the queue is bound and every setting acknowledged. */
  bound = false;
  /** The RX ring's own counters. */
  readonly ring = new RingStats();
}
