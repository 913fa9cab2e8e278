// The nlring receivers of the netfilter benchmark, as the bench runs them in its own warm
// process and, run as a script, as a fresh process inside the namespace (`ip netns exec`),
// beside the C receivers, with the same arguments' meaning and the same output line:
//
//   node dist/bench/peers/nlringNetfilter.js nflog packets|batches EXPECTED IDLE_MS NLBUFSIZ QTHRESH
//   node dist/bench/peers/nlringNetfilter.js nfqueue EXPECTED IDLE_MS PREFILL_MS
//
// Each prints `ready` once the group or queue is bound, then one line `received N cpu_ns X
// seconds S …` when EXPECTED packets arrived (NFLOG: or were reported lost) or the stream
// was idle for IDLE_MS after it started. CPU is the process's (user + sys, every thread,
// as the C receivers' getrusage) from `ready` to the end: not module loading, but the JIT
// compiling the receiver on its first packets. NFQUEUE sleeps PREFILL_MS after `ready`,
// reading nothing, while the generator fills the queue, as the C receiver does, and is
// measured from the end of that sleep. Imports only the public entry, by the package's name.
import { pathToFileURL } from 'node:url';
import type * as Nlring from '../../src/index.js';

const entry = process.env.NLRING_BENCH_ENTRY ?? 'nlring';
const { NflogStats, NfqueueStats, nflog, nflogBatches, nfqueue, Overrun } = (await import(
  entry
)) as typeof Nlring;

/** SO_RCVBUF of every receiver, as the C receivers' `nfnl_rcvbufsiz`. */
export const RCVBUF = 256 << 20;

/** What a receiver prints at its end (the C receivers' fields, and nlring's counters). */
export interface ReceiverResult {
  received: number;
  cpuNs: number;
  seconds: number;
}

export interface NflogResult extends ReceiverResult {
  lost: number;
  frames: number;
  copies: number;
}

export interface NfqueueResult extends ReceiverResult {
  messages: number;
  flushes: number;
}

/** The nlring NFLOG APIs measured: `nflog()` (a packet a `next()`) or `nflogBatches()`. */
export type NflogApi = 'packets' | 'batches';

/** Blocks the thread (the event loop too): the NFQUEUE receivers' prefill, as C's usleep. */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Calls `finished` once `progress()` has stopped moving for `idleMs` after it first moved:
 * the receivers' idle end, checked by a timer instead of re-arming one per packet (which
 * cost ~200-300 ns a packet, more than the C receiver's whole figure, and was counted as
 * nlring's CPU). Returns the function that stops the timer.
 */
function idleWatch(progress: () => number, idleMs: number, finished: () => void): () => void {
  let seen = 0;
  const timer = setInterval(() => {
    const now = progress();
    if (now > 0 && now === seen) finished();
    seen = now;
  }, idleMs);
  return () => clearInterval(timer);
}

/** A promise and the function that resolves it. */
function signal(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** What a round of either receiver is given. */
interface RoundOptions {
  /** Packets that end the round once received (NFLOG: or reported lost). */
  expected: number;
  /** Silence that ends it after the first packet. */
  idleMs: number;
}

/** Where a receiver binds. */
interface Binding {
  /** Open the socket there (the warm receiver); the script runs inside it already. */
  netns?: string | undefined;
}

/** The NFLOG group a receiver binds, and how. */
export interface NflogBinding extends Binding {
  api: NflogApi;
  group: number;
  bufferSize: number;
  threshold: number;
}

/** What a round on a bound {@link NflogReceiver} is given. */
export interface NflogRoundOptions extends RoundOptions {
  /** Started when the clock starts; the round ends after it settles. */
  traffic: () => Promise<unknown>;
}

/** A trial on a subscription of its own: the binding and the round. */
export interface NflogTrialOptions extends NflogBinding, NflogRoundOptions {}

/** Makes a receiver with the `onBound` callback it is given; resolves with it once bound. */
async function whenBound<T>(make: (onBound: () => void) => T): Promise<T> {
  const bound = signal();
  const receiver = make(bound.resolve);
  await bound.promise;
  return receiver;
}

/** One round of a receiver opened for it, closed after it (the fresh process's trial). */
async function oneRound<O, R>(
  opening: Promise<{ round(o: O): Promise<R>; close(): void }>,
  o: O,
): Promise<R> {
  const receiver = await opening;
  try {
    return await receiver.round(o);
  } finally {
    receiver.close();
  }
}

/**
 * One NFLOG subscription (1/10 s flush, `RCVBUF`) that counts the packets whose payload it
 * got (as the C receiver), through `nflog()` or `nflogBatches()`, kept bound for as many
 * trials as asked: the warm rows' receiver, as a daemon keeps one, and, for one trial, the
 * fresh process's.
 */
export class NflogReceiver {
  private readonly stats = new NflogStats();
  private readonly subscription: { unsubscribe(): void };
  private received = 0;
  private target = Number.POSITIVE_INFINITY;
  private first = 0n;
  private last = 0n;
  private finish: () => void = () => {};

  private constructor(o: NflogBinding, bound: () => void) {
    const options = {
      group: o.group,
      netns: o.netns,
      threshold: o.threshold,
      flushTimeout: 100,
      bufferSize: o.bufferSize,
      receiveBufferSize: RCVBUF,
      stats: this.stats,
      onBound: bound,
    };
    const check = () => {
      if (this.received + this.stats.lost >= this.target) {
        this.last = process.hrtime.bigint();
        this.target = Number.POSITIVE_INFINITY;
        this.finish();
      }
    };
    const error = (e: unknown) => {
      console.error(e);
      this.finish();
    };
    this.subscription =
      o.api === 'packets'
        ? nflog(options).subscribe({
            next: (p) => {
              if (!(p instanceof Overrun) && p.payload !== undefined) {
                if (this.first === 0n) this.first = process.hrtime.bigint();
                this.received++;
              }
              check();
            },
            error,
          })
        : nflogBatches(options).subscribe({
            next: (b) => {
              if (!(b instanceof Overrun)) {
                if (this.first === 0n) this.first = process.hrtime.bigint();
                // Each payload located (offset and length into the ring, no view), as the C
                // receiver takes nflog_get_payload's pointer and length.
                let received = this.received;
                for (let i = 0; i < b.length; i++) {
                  if (b.payloadOffset(i) >= 0 && b.payloadLength(i) >= 0) received++;
                }
                this.received = received;
              }
              check();
            },
            error,
          });
  }

  /** Binds the group (in `netns`) with the kernel batching given. */
  static open(o: NflogBinding): Promise<NflogReceiver> {
    return whenBound((onBound) => new NflogReceiver(o, onBound));
  }

  /**
   * One trial: the process's CPU from its start to the end (EXPECTED packets received or
   * reported lost, or IDLE_MS without one), the seconds from its first packet to its last,
   * and the loss and ring counters of this trial alone.
   */
  async round(o: NflogRoundOptions): Promise<NflogResult> {
    const end = signal();
    const received0 = this.received;
    const lost0 = this.stats.lost;
    const frames0 = this.stats.ring.frames;
    const copies0 = this.stats.ring.copies;
    this.first = 0n;
    this.last = 0n;
    this.finish = end.resolve;
    this.target = received0 + lost0 + o.expected;
    const progress = () => this.received + this.stats.lost - received0 - lost0;
    const stopWatch = idleWatch(progress, o.idleMs, end.resolve);
    const cpu0 = process.cpuUsage();
    await o.traffic();
    await end.promise;
    const cpu = process.cpuUsage(cpu0);
    stopWatch();
    this.target = Number.POSITIVE_INFINITY;
    this.finish = () => {};
    if (this.last === 0n) this.last = process.hrtime.bigint();
    return {
      received: this.received - received0,
      lost: this.stats.lost - lost0,
      frames: this.stats.ring.frames - frames0,
      copies: this.stats.ring.copies - copies0,
      cpuNs: (cpu.user + cpu.system) * 1000,
      seconds: this.first === 0n ? 0 : Number(this.last - this.first) / 1e9,
    };
  }

  /** Unbinds the group. */
  close(): void {
    this.subscription.unsubscribe();
  }
}

/**
 * One NFLOG trial on a subscription of its own: binds the group, runs one
 * {@link NflogReceiver.round} and unbinds (the fresh process's trial).
 */
export function nflogTrial(o: NflogTrialOptions): Promise<NflogResult> {
  return oneRound(NflogReceiver.open(o), o);
}

/** What a round on a bound {@link NfqueueReceiver} is given. */
export interface NfqueueRoundOptions extends RoundOptions {
  /** Milliseconds the thread reads nothing while the traffic fills the queue. */
  prefillMs: number;
  /** Started before the prefill; its promise is awaited at the end. */
  traffic: () => Promise<unknown>;
}

/** A trial on a subscription of its own: the queue and the round. */
export interface NfqueueTrialOptions extends Binding, NfqueueRoundOptions {
  queue: number;
}

/**
 * One `nfqueue()` subscription that accepts every packet, kept bound for as many trials as
 * asked: the warm rows' receiver, a long-lived receiver as a daemon runs one (its JIT state
 * and its closures are the same from one trial to the next, as in a process that has been
 * taking verdicts for a while), and, for one trial, the fresh process's.
 */
export class NfqueueReceiver {
  private readonly stats = new NfqueueStats();
  private readonly subscription: { unsubscribe(): void };
  private accepted = 0;
  private target = Number.POSITIVE_INFINITY;
  private finish: () => void = () => {};

  private constructor(
    queue: number,
    netns: string | undefined,
    maxLength: number,
    bound: () => void,
  ) {
    this.subscription = nfqueue({
      queue,
      netns,
      maxLength,
      receiveBufferSize: RCVBUF,
      stats: this.stats,
      onBound: bound,
    }).subscribe({
      next: (p) => {
        if (p instanceof Overrun) return;
        p.accept();
        if (++this.accepted >= this.target) setImmediate(this.finish);
      },
      error: (e) => {
        console.error(e);
        this.finish();
      },
    });
  }

  /** Binds `queue` (in `netns`), its kernel queue long enough for `maxLength` packets. */
  static open(
    queue: number,
    netns: string | undefined,
    maxLength: number,
  ): Promise<NfqueueReceiver> {
    return whenBound((onBound) => new NfqueueReceiver(queue, netns, maxLength, onBound));
  }

  /**
   * One trial: the traffic fills the queue for `prefillMs` while the thread reads nothing,
   * then every packet is accepted; verdicts/s and CPU from the end of the prefill to the
   * last packet, and the verdict messages and TX flushes of this trial alone.
   */
  async round(o: NfqueueRoundOptions): Promise<NfqueueResult> {
    const end = signal();
    const start = this.accepted;
    const messages0 = this.stats.messages;
    const flushes0 = this.stats.flushes;
    this.target = start + o.expected;
    this.finish = end.resolve;
    const stopWatch = idleWatch(() => this.accepted - start, o.idleMs, end.resolve);
    const traffic = o.traffic();
    sleepSync(o.prefillMs);
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    await end.promise;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    stopWatch();
    this.target = Number.POSITIVE_INFINITY;
    this.finish = () => {};
    await traffic;
    return {
      received: this.accepted - start,
      cpuNs: (cpu.user + cpu.system) * 1000,
      seconds,
      messages: this.stats.messages - messages0,
      flushes: this.stats.flushes - flushes0,
    };
  }

  /** Unbinds the queue (the packets still held get the default verdict, accept). */
  close(): void {
    this.subscription.unsubscribe();
  }
}

/**
 * One NFQUEUE trial on a subscription of its own: binds the queue, runs one
 * {@link NfqueueReceiver.round} and unbinds (the fresh process's trial).
 */
export function nfqueueTrial(o: NfqueueTrialOptions): Promise<NfqueueResult> {
  return oneRound(NfqueueReceiver.open(o.queue, o.netns, o.expected + 1024), o);
}

/** The script: one trial in this fresh process, its result as the C receivers print it. */
async function main(argv: string[]): Promise<void> {
  const [kind, ...rest] = argv;
  const ready = async () => {
    process.stdout.write('ready\n');
  };
  const numbers = (xs: string[], n: number) => {
    const values = xs.map(Number);
    if (values.length !== n || !values.every((v) => Number.isInteger(v) && v >= 0)) {
      throw new Error(
        'usage: nlringNetfilter.js nflog packets|batches EXPECTED IDLE_MS NLBUFSIZ QTHRESH | nfqueue EXPECTED IDLE_MS PREFILL_MS',
      );
    }
    return values;
  };
  if (kind === 'nflog') {
    const [api, ...args] = rest;
    if (api !== 'packets' && api !== 'batches') throw new Error(`nflog: no API ${String(api)}`);
    const [expected, idleMs, bufferSize, threshold] = numbers(args, 4);
    const r = await nflogTrial({
      api,
      group: 5,
      expected,
      idleMs,
      bufferSize,
      threshold,
      traffic: ready,
    });
    process.stdout.write(
      `received ${r.received} cpu_ns ${r.cpuNs} seconds ${r.seconds} lost ${r.lost} frames ${r.frames} copies ${r.copies}\n`,
    );
  } else if (kind === 'nfqueue') {
    const [expected, idleMs, prefillMs] = numbers(rest, 3);
    const r = await nfqueueTrial({ queue: 3, expected, idleMs, prefillMs, traffic: ready });
    process.stdout.write(
      `received ${r.received} cpu_ns ${r.cpuNs} seconds ${r.seconds} messages ${r.messages} flushes ${r.flushes}\n`,
    );
  } else {
    throw new Error(`unknown receiver ${String(kind)}: nflog or nfqueue`);
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
