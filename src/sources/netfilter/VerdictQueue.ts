import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import type { NfqueueDecision, VerdictStep } from '../../families/netfilter/verdict.js';
import {
  planVerdictSlots as planVerdicts,
  writeVerdictSteps,
} from '../../families/netfilter/verdict.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { Frame } from '../../ring/Frame.js';
import type { Ring } from '../../ring/Ring.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { RingReader } from '../../ring/RingReader.js';
import { RingWriter } from '../../ring/RingWriter.js';
import type { QueuedPacket } from './QueuedPacket.js';
import type { Verdict } from './verdicts.js';

/** The counters of `NfqueueStats` that the verdict side keeps. */
export interface VerdictCounters {
  pending: number;
  verdicts: number;
  defaulted: number;
  direct: number;
  messages: number;
  batches: number;
  txFrames: number;
  flushes: number;
}

/**
 * A batch verdict id this far after the newest packet covers every packet the kernel holds:
 * it takes every entry from the oldest while `(int)(entry.id - id) <= 0`, so any id within
 * 2^30 before the newest (or after it: packets not read yet) is covered.
 */
const WHOLE_QUEUE = 0x40000000;

/**
 * The verdict side of one `nfqueue()` subscription: the packets emitted and not yet
 * verdicted (in arrival order), the decisions made for them, and the writer that turns
 * decisions into verdict messages in the socket's own TX ring.
 *
 * {@link flush} (run by `nfqueue()` at the end of each synchronous burst) plans with
 * `planVerdicts` (`verdictPlan` over arrays) — a batch only over a contiguous prefix of outstanding ids sharing one plain
 * verdict, singles otherwise — packs the messages into TX frames (several per frame, 4-byte
 * aligned; a new frame when one is full), flushes the ring (`sendto(NULL, 0)`), and only then
 * releases the packets' RX frames. A message larger than a TX frame (a big replacement
 * payload) goes out with an ordinary `send` right after the frames before it were flushed,
 * so the kernel sees every verdict in order. TX frames are claimed from the ring's
 * `RingWriter` (the one process-side TX index every sink shares) and never while not UNUSED;
 * RX frames go back through the ring's `RingReader`, one wake-up per flush.
 *
 * Internal to the netfilter sources.
 *
 * @example
 * declare const packet: QueuedPacket;
 * const stats = new NfqueueStats();
 * const q = new VerdictQueue(socket, 3, stats);
 * q.add(packet, frame); q.decide(packet, { verdict: NF_ACCEPT }); q.flush();
 */
export class VerdictQueue {
  private readonly endpoint: RingEndpoint;
  private readonly tx: Ring;
  private readonly writer: RingWriter;
  private readonly reader: RingReader;
  /** The TX frame being filled, -1 if none. */
  private index = -1;
  private readonly queue: number;
  private readonly stats: VerdictCounters;
  // The packets emitted and not yet verdicted, in arrival order (ids strictly increasing mod
  // 2^32), as parallel arrays: no map lookup or entry object per packet. A datagram's packets
  // are adjacent, so the packets of one frame form a run. The first `count` entries are live;
  // the arrays are kept (and the entries past `count` cleared) from one flush to the next, so
  // a burst of packets writes into storage that is already there instead of growing four new
  // arrays from empty.
  private readonly ids: number[] = [];
  private readonly packets: (QueuedPacket | undefined)[] = [];
  private readonly frames: (Frame | undefined)[] = [];
  private readonly decisions: (NfqueueDecision | undefined)[] = [];
  private count = 0;
  /**
   * The frames a flush gives back: the first `doneCount` entries. The array is kept and its
   * entries cleared, not truncated: truncating dropped its storage, and every flush grew it
   * again from empty (~20 bytes of garbage a packet).
   */
  private readonly done: (Frame | undefined)[] = [];
  private doneCount = 0;
  /** Decisions made and not yet written. */
  private decided = 0;
  private readonly messages = new MessageWriter(256);
  private newest: number | null = null;
  /** Whether a packet was put out of arrival order (see {@link add}). */
  private scattered = false;
  /** Whether a TX frame is claimed and being filled, and how many bytes it holds. */
  private filling = false;
  private used = 0;
  private unflushed = false;

  constructor(endpoint: RingEndpoint, queue: number, stats: VerdictCounters) {
    const tx = endpoint.tx;
    if (tx === null) throw new TypeError('endpoint: it has no TX ring for the verdicts');
    this.endpoint = endpoint;
    this.tx = tx;
    this.writer = RingWriter.of(tx);
    this.reader = RingReader.of(endpoint.rx);
    this.queue = queue;
    this.stats = stats;
  }

  /** Packets emitted and not yet verdicted. */
  get size(): number {
    return this.count;
  }

  /** Whether some decision waits to be written. */
  get due(): boolean {
    return this.decided > 0;
  }

  /**
   * A packet was emitted: keep its frame (SKIP) until its verdict is written.
   *
   * The kernel numbers a queue's packets in increasing order, but frames may come out of
   * claim order (RING-SPEC §4.6), so an id lower than the newest is put in its place among
   * the outstanding (they stay in id order, which the planner and batch verdicts rely on)
   * and gets its verdict like any other. An id that is already outstanding cannot be told
   * apart from the first packet by the kernel: a NetlinkError EPROTO, before anything of it
   * is kept.
   */
  add(packet: QueuedPacket, frame: Frame): void {
    const id = packet.id;
    const newest = this.newest;
    const ids = this.ids;
    const n = this.count;
    let at = n;
    if (at > 0 && newest !== null && ((id - newest) | 0) <= 0) {
      // Binary search for the first outstanding id after `id`.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (((ids[mid] - id) | 0) < 0) lo = mid + 1;
        else hi = mid;
      }
      if (lo < n && ids[lo] === id) {
        throw new NetlinkError({
          op: 'recv',
          errno: errnos.EPROTO,
          detail: `NFQUEUE packet id ${id} on queue ${this.queue} is already waiting for a verdict`,
        });
      }
      at = lo;
      this.scattered = true;
    }
    frame.defer();
    if (at === n) {
      if (n < ids.length) {
        ids[n] = id;
        this.packets[n] = packet;
        this.frames[n] = frame;
        this.decisions[n] = undefined;
      } else {
        ids.push(id);
        this.packets.push(packet);
        this.frames.push(frame);
        this.decisions.push(undefined);
      }
      this.newest = id;
    } else {
      // Past `count` the arrays hold cleared slots: drop them first, then insert.
      ids.length = n;
      this.packets.length = n;
      this.frames.length = n;
      this.decisions.length = n;
      ids.splice(at, 0, id);
      this.packets.splice(at, 0, packet);
      this.frames.splice(at, 0, frame);
      this.decisions.splice(at, 0, undefined);
    }
    this.count = n + 1;
    this.stats.pending = n + 1;
  }

  /** Records the decision for an outstanding packet; false if it is not outstanding. */
  decide(packet: QueuedPacket, decision: NfqueueDecision): boolean {
    const i = this.indexOf(packet);
    if (i < 0 || this.decisions[i] !== undefined) return false;
    this.decisions[i] = decision;
    this.decided++;
    return true;
  }

  /**
   * Writes the verdicts decided so far and flushes the TX ring; then, with `release`,
   * gives their RX frames back and — with `wake` — wakes the ring source once (which may
   * deliver more packets, re-entrantly: the state is settled before the first release).
   * Without `wake` the caller wakes it later (`RingReader.of(rx).wake()`).
   */
  flush(release = true, wake = true): void {
    if (this.decided === 0) return;
    const { ids, packets, frames, decisions } = this;
    const n = this.count;
    const plan = planVerdicts(ids, decisions, n);
    this.send(plan.steps);
    // Frames all of whose packets were decided go back; the undecided stay, in order.
    const done = this.done;
    if (this.scattered) {
      // An id put out of arrival order: a frame's packets may not be adjacent.
      const waiting = new Set<Frame>();
      for (let i = 0; i < n; i++) if (decisions[i] === undefined) waiting.add(frames[i] as Frame);
      const seen = new Set<Frame>();
      for (let i = 0; i < n; i++) {
        const frame = frames[i] as Frame;
        if (!waiting.has(frame) && !seen.has(frame)) done[this.doneCount++] = frame;
        seen.add(frame);
      }
      if (waiting.size === 0) this.scattered = false;
    } else {
      for (let i = 0; i < n; ) {
        const frame = frames[i] as Frame;
        let j = i;
        let waiting = false;
        while (j < n && frames[j] === frame) {
          if (decisions[j] === undefined) waiting = true;
          j++;
        }
        if (!waiting) done[this.doneCount++] = frame;
        i = j;
      }
    }
    this.stats.verdicts += this.decided;
    this.decided = 0;
    // The undecided move to the front, in order; the slots after them are cleared.
    const left = plan.left;
    const k = left.length;
    for (let i = 0; i < k; i++) {
      const from = left[i];
      ids[i] = ids[from];
      packets[i] = packets[from];
      frames[i] = frames[from];
      decisions[i] = undefined;
    }
    for (let i = k; i < n; i++) {
      packets[i] = undefined;
      frames[i] = undefined;
      decisions[i] = undefined;
    }
    this.count = k;
    this.stats.pending = k;
    if (release) this.release(wake);
    else this.clearDone();
  }

  /**
   * Gives the flushed frames back, waking the ring's consumer (with `wake`) once at the end
   * rather than once per frame: each wake-up polls the producer (a `recvmmsg` that finds one
   * free frame) and emits a packet, so waking per frame turned every burst into bursts of
   * one. The list is emptied before the reader wakes its listeners: a wake can deliver more
   * packets and flush again, which fills the same (reused) list.
   */
  private release(wake: boolean): void {
    if (this.doneCount === 0) return;
    this.reader.batch(() => {
      const frames = this.done;
      const n = this.doneCount;
      for (let i = 0; i < n; i++) (frames[i] as Frame).release();
      this.clearDone();
    }, wake);
  }

  private clearDone(): void {
    const frames = this.done;
    for (let i = 0; i < this.doneCount; i++) frames[i] = undefined;
    this.doneCount = 0;
  }

  /**
   * The stream ends: writes the decisions made so far, then `verdict` for every packet the
   * kernel still holds for this queue — the outstanding ones and any not read yet — with one
   * batch verdict whose id lies 2^30 after the newest packet (the kernel compares ids
   * modulo 2^32, so that covers all of them), and flushes. Frames are not
   * released here: the ring source releases everything at its teardown.
   */
  finish(verdict: number, value: Verdict): void {
    let failure: unknown = null;
    try {
      this.flush(false);
    } catch (error) {
      failure = error;
    }
    const n = this.count;
    for (let i = 0; i < n; i++) (this.packets[i] as QueuedPacket).settleByDefault(value);
    this.stats.defaulted += n;
    const all = {
      kind: 'batch',
      id: ((this.newest ?? 0) + WHOLE_QUEUE) >>> 0,
      verdict,
      count: n,
    } as const;
    this.ids.length = 0;
    this.packets.length = 0;
    this.frames.length = 0;
    this.decisions.length = 0;
    this.count = 0;
    this.decided = 0;
    this.stats.pending = 0;
    try {
      if (failure !== null) throw failure;
      this.send([all]);
    } catch {
      // The TX ring is failing: the ordinary send path, so that no packet is stranded.
      writeVerdictSteps(this.messages.reset(), this.queue, [all]);
      this.endpoint.send(this.messages.finish());
      this.stats.direct++;
      this.stats.messages++;
      this.stats.batches++;
    }
  }

  /**
   * Where `packet` sits among the outstanding, or -1. Ids increase by one per queued packet,
   * so the distance from the oldest is its index unless packets were lost in between (then
   * it is an upper bound): check there first, else search below it.
   */
  private indexOf(packet: QueuedPacket): number {
    const ids = this.ids;
    const n = this.count;
    if (n === 0) return -1;
    const id = packet.id;
    const distance = (id - ids[0]) >>> 0;
    if (distance >= 0x80000000) return -1; // before the oldest
    let hi = Math.min(distance, n - 1);
    if (ids[hi] === id) return this.packets[hi] === packet ? hi : -1;
    let lo = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const d = (ids[mid] - id) | 0;
      if (d === 0) return this.packets[mid] === packet ? mid : -1;
      if (d < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Writes `steps` in order into TX frames (or `send` for oversize ones) and flushes. */
  private send(steps: readonly VerdictStep[]): void {
    for (const step of steps) {
      writeVerdictSteps(this.messages.reset(), this.queue, [step]);
      this.put(this.messages.peek());
      this.stats.messages++;
      if (step.kind === 'batch') this.stats.batches++;
    }
    this.flushTx();
  }

  private put(message: Uint8Array): void {
    const tx = this.tx;
    const size = message.byteLength;
    if (size > tx.maxlen) {
      // Keep the order: everything before it goes first.
      this.flushTx();
      this.endpoint.send(message);
      this.stats.direct++;
      return;
    }
    // Messages in one datagram start at NLMSG_ALIGN offsets.
    if (this.filling && ((this.used + 3) & ~3) + size > tx.maxlen) this.commit();
    if (!this.filling) {
      this.claim();
      this.filling = true;
      this.used = 0;
    }
    const base = tx.dataOffset(this.index);
    const at = (this.used + 3) & ~3;
    tx.bytes.fill(0, base + this.used, base + at);
    tx.bytes.set(message, base + at);
    this.used = at + size;
  }

  /** Claims the next TX frame from the ring's writer (flushing once if none is free). */
  private claim(): void {
    let index = this.writer.claim();
    if (index < 0) {
      this.flushTx();
      index = this.writer.claim();
    }
    if (index < 0) {
      throw new NetlinkError({
        op: 'tx',
        errno: errnos.ENOBUFS,
        detail: `TX frame ${this.writer.cursor} is still in use after a flush; verdicts cannot be written in order`,
      });
    }
    this.index = index;
  }

  /** Hands the frame being filled to the producer: `nm_len`, then VALID (release store). */
  private commit(): void {
    if (!this.filling) return;
    this.writer.commit(this.index, this.used);
    this.index = -1;
    this.filling = false;
    this.unflushed = true;
    this.stats.txFrames++;
  }

  private flushTx(): void {
    this.commit();
    if (!this.unflushed) return;
    this.unflushed = false;
    this.stats.flushes++;
    this.writer.flush(this.endpoint);
  }
}
