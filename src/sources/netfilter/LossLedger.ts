// LossLedger: the NFLOG packets known lost, from sequence gaps and the socket's drop counter.

import type { OverrunUnit } from '../../ring/Overrun.js';

/**
 * What an NFLOG stream knows it lost, from two counters that see the same losses at
 * different times: sequence gaps (exact packets, known only when a later packet arrives) and
 * the socket's drop counter (`sk_drops` + the ring engine's, in datagrams, known at once).
 * It keeps the best lower bound of the packets lost so far and how much of it is reported,
 * so that every loss is reported once, by whichever counter shows it first.
 *
 * The bound is the larger of
 * - the datagrams dropped since the start: each held at least one packet (exactly one when
 *   the kernel sends a datagram per packet, `threshold: 1`: then this is the exact count);
 * - the gap packets, plus the datagrams dropped since the last gap was found: every datagram
 *   of a gap already seen was dropped before the packet after it was sent, so before the
 *   counter was read at that packet; the ones counted since are the tail (or a gap to come).
 *
 * Internal to the netfilter sources.
 *
 * @example
 * declare const endpoint: RingEndpoint;
 * declare function report(lost: number): void;
 * const ledger = new LossLedger(true, true, endpoint.drops);
 * ledger.dropped(endpoint.drops);
 * if (ledger.unreported() > 0) { report(ledger.unreported()); ledger.markReported(); }
 */
export class LossLedger {
  /** Packets counted by sequence gaps. */
  gapPackets = 0;
  /** Sequence gaps seen. */
  gaps = 0;
  /** Packets reported lost so far (the sum of the notifications' `lost`). */
  reported = 0;
  private readonly perPacket: boolean;
  private readonly sequence: boolean;
  private readonly base: number;
  private now: number;
  private atLastGap: number;

  /**
   * @param perPacket whether each datagram holds exactly one packet (`threshold: 1`)
   * @param sequence whether the packets are numbered (so gaps count packets)
   * @param drops the endpoint's drop counter at the start (NaN if it cannot count)
   */
  constructor(perPacket: boolean, sequence: boolean, drops: number) {
    this.perPacket = perPacket;
    this.sequence = sequence;
    this.base = drops;
    this.now = drops;
    this.atLastGap = drops;
  }

  /** Datagrams dropped since the start (NaN if the endpoint cannot count them). */
  get droppedDatagrams(): number {
    return this.now - this.base;
  }

  /** A fresh reading of the drop counter. */
  dropped(drops: number): void {
    if (drops > this.now || Number.isNaN(drops)) this.now = drops;
  }

  /** A sequence gap of `packets`, found with the drop counter reading `drops`. */
  gap(packets: number, drops: number): void {
    this.gapPackets += packets;
    this.gaps++;
    this.dropped(drops);
    this.atLastGap = this.now;
  }

  /** The lower bound of the packets lost so far (gaps only when the counter is NaN). */
  private bound(): number {
    if (Number.isNaN(this.now)) return this.gapPackets;
    const tail = Math.max(0, this.now - this.atLastGap);
    return Math.max(this.gapPackets + tail, this.now - this.base);
  }

  /**
   * Packets known lost and not yet reported; NaN when nothing counts them (no sequence
   * numbers and a drop counter that cannot count).
   */
  unreported(): number {
    if (Number.isNaN(this.now) && !this.sequence) return Number.NaN;
    return Math.max(0, this.bound() - this.reported);
  }

  /** Marks everything known as reported. */
  markReported(): void {
    this.reported = Math.max(this.reported, this.bound());
  }

  /**
   * The unit of what is known: `'packets'` when the bound is an exact count (the gaps
   * explain every dropped datagram, or each datagram is one packet), `'datagrams'` when it
   * rests on dropped datagrams that may each have held several packets.
   */
  get unit(): OverrunUnit {
    return this.exact ? 'packets' : 'datagrams';
  }

  /**
   * Whether {@link reported} is the exact number of packets lost as far as the kernel's
   * counters tell: every datagram is one packet, or there are no more dropped datagrams
   * than gaps (each gap is at least one datagram, so every drop is inside a gap).
   */
  get exact(): boolean {
    if (Number.isNaN(this.now)) return false;
    return this.perPacket || this.now - this.base <= this.gaps;
  }

  /** Copies the totals into the stream's counters. */
  copyTo(stats: { droppedDatagrams: number; lostExact: boolean }): void {
    stats.droppedDatagrams = this.droppedDatagrams;
    stats.lostExact = this.exact;
  }
}
