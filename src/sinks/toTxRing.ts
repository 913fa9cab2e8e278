import {
  asapScheduler,
  asyncScheduler,
  isObservable,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import { RingWriter } from '../ring/RingWriter.js';

/**
 * What the TX ring sink emits for each message, once the producer consumed its frame (the
 * kernel's TX walk, the ring engine's `sendmmsg`, or the simulated kernel released it).
 */
export interface TxReceipt {
  /** Position of the message in the sink's input, from 0. */
  readonly index: number;
  /** The TX frame it was written to. */
  readonly frame: number;
  /** Bytes written (`nm_len`). */
  readonly length: number;
  /** `nlmsg_seq` of the first message in it, for matching acknowledgements. */
  readonly seq: number;
}

/** Options of {@link toTxRing}. */
export interface ToTxRingOptions {
  /**
   * Flush (`sendto(NULL, 0)`) after this many frames were written: an integer from 1. By
   * default the sink flushes once at the end of each synchronous burst of messages and
   * whenever the ring is full, so a burst costs one trigger.
   */
  batchSize?: number | undefined;
  /**
   * Most messages of an Observable input to hold while no TX frame is free: an integer from
   * 0 (default: four rings' worth, `4 × frameNr`). Past it the stream errors with ENOBUFS
   * rather than grow without bound. Iterable inputs are pulled, never queued.
   */
  maxQueued?: number | undefined;
  /** Scheduler for the end-of-burst flush (default asap) and retries (default async). */
  scheduler?: SchedulerLike | undefined;
}

/** What {@link toTxRing}'s sink accepts: an Observable, or an (async) iterable it pulls. */
export type TxInput = Observable<Uint8Array> | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * The sink {@link toTxRing} returns: a pipeable operator over an Observable of messages, and
 * a function over an iterable or async iterable of messages that it pulls as frames free up.
 */
export interface TxRingSink extends OperatorFunction<Uint8Array, TxReceipt> {
  (source: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Observable<TxReceipt>;
}

/** The most frames a flush may be asked to batch (`batchSize`), and queued messages. */
const MAX_COUNT = 0x7fffffff;

/**
 * The TX ring as a backpressured sink: writes each message (one datagram: one or more
 * nlmsghdrs) into the next UNUSED TX frame at the ring's shared process-side index (its
 * `RingWriter`, so a second sink on the endpoint goes on where the first stopped), stores
 * `nm_len`, then VALID with a release store (RING-SPEC §3, §8), and flushes in batches.
 *
 * When no frame is UNUSED it waits: it never writes a frame it does not own and never drops
 * a message. Backpressure depends on the input:
 * - an **iterable or async iterable** (`toTxRing(socket)(messages())`) is pulled: the next
 *   message is taken only when a frame is free, so memory stays at the ring's size however
 *   slowly the producer drains, and the iterator is closed (`return()`) on unsubscribe;
 * - an **Observable** (`messages$.pipe(toTxRing(socket))`) cannot be paused: messages that
 *   arrive while the ring is full wait in a queue of at most `maxQueued` (default four
 *   rings' worth); one more errors the stream with a NetlinkError ENOBUFS. A synchronous
 *   burst larger than that should be an iterable.
 *
 * A message larger than a frame (`nm_frame_size - 24`) errors the stream with a NetlinkError
 * EMSGSIZE before anything of it is written; a value that is not a Uint8Array with a
 * TypeError.
 *
 * Emits a {@link TxReceipt} for each message once its frame was consumed, in order, and
 * completes when the input completed and everything written was consumed. Errors from the
 * flush (e.g. EINVAL for a frame the producer refused) error the stream. The endpoint is
 * borrowed, not closed. One sink per TX ring at a time; sinks one after another share the
 * ring's index.
 *
 * Throws a TypeError at once for an endpoint without a TX ring or a bad option.
 *
 * @example
 * declare const requests$: Observable<Uint8Array>;
 * requests$.pipe(toTxRing(socket)).subscribe((r) => console.log(`sent #${r.index} seq ${r.seq}`));
 */
export function toTxRing(endpoint: RingEndpoint, options: ToTxRingOptions = {}): TxRingSink {
  const check = argumentChecker('toTxRing');
  if (typeof endpoint !== 'object' || endpoint === null || !('tx' in endpoint)) {
    check.fail('endpoint', 'a RingEndpoint', endpoint);
  }
  const tx = endpoint.tx;
  if (tx === null) check.fail('endpoint', 'an endpoint with a TX ring', 'one without');
  const ring = tx as NonNullable<typeof tx>;
  const opts = check.options(options);
  const batchSize = check.integer('options.batchSize', opts.batchSize, 1, MAX_COUNT) ?? MAX_COUNT;
  const maxQueued =
    check.integer('options.maxQueued', opts.maxQueued, 0, MAX_COUNT) ?? 4 * ring.frameNr;
  const scheduler = check.scheduler<SchedulerLike>('options.scheduler', opts.scheduler);
  const soon = scheduler ?? asapScheduler;
  const later = scheduler ?? asyncScheduler;
  const writer = RingWriter.of(ring);

  const sink = (source: TxInput): Observable<TxReceipt> =>
    new Observable<TxReceipt>((subscriber) => {
      // Observable input: messages waiting for a frame (at most maxQueued).
      const queue: Uint8Array[] = [];
      let queueHead = 0;
      // Iterable input: pulled only when a frame is free.
      let iterator: Iterator<Uint8Array> | null = null;
      let asyncIterator: AsyncIterator<Uint8Array> | null = null;
      let pulling = false;
      // Frames written and not yet seen consumed, oldest first, with their tickets.
      const inflight: TxReceipt[] = [];
      const tickets: number[] = [];
      let count = 0;
      let unflushed = 0;
      let inputDone = false;
      let flushTask: Subscription | null = null;
      let retryTask: Subscription | null = null;
      let retryDelay = 0;

      const fail = (error: unknown) => {
        if (!subscriber.closed) subscriber.error(error);
      };

      /** Checks one message; false (and the stream errored) when it cannot be written. */
      const valid = (data: unknown): data is Uint8Array => {
        if (!(data instanceof Uint8Array)) {
          fail(new TypeError('toTxRing: messages must be Uint8Arrays'));
          return false;
        }
        if (data.byteLength > ring.maxlen) {
          fail(
            new NetlinkError({
              op: 'tx',
              errno: errnos.EMSGSIZE,
              detail: `a ${data.byteLength}-byte message does not fit a ${ring.geometry.frameSize}-byte TX frame (${ring.maxlen} bytes of data)`,
            }),
          );
          return false;
        }
        return true;
      };

      /** Writes into the frame the writer claimed. */
      const write = (index: number, data: Uint8Array): void => {
        const at = ring.dataOffset(index);
        ring.bytes.set(data, at);
        const seq = data.byteLength >= 12 ? ring.view.getUint32(at + 8, true) : 0;
        tickets.push(writer.commit(index, data.byteLength));
        inflight.push({ index: count++, frame: index, length: data.byteLength, seq });
        unflushed++;
      };

      // Receipts for frames the producer has consumed, in order.
      const collect = (): void => {
        const completed = writer.collect();
        while (inflight.length > 0 && !subscriber.closed) {
          if (tickets[0] >= completed) break;
          tickets.shift();
          subscriber.next(inflight.shift() as TxReceipt);
        }
      };

      const finishIfDone = (): void => {
        if (
          inputDone &&
          queueHead === queue.length &&
          inflight.length === 0 &&
          !subscriber.closed
        ) {
          subscriber.complete();
        }
      };

      /** Hands the written frames to the producer and collects receipts; false on failure. */
      const handOver = (): boolean => {
        try {
          if (unflushed > 0 || inflight.length > 0) {
            unflushed = 0;
            writer.flush(endpoint);
          }
        } catch (error) {
          fail(error);
          return false;
        }
        collect();
        return !subscriber.closed;
      };

      const flush = (): void => {
        flushTask?.unsubscribe();
        flushTask = null;
        if (subscriber.closed) return;
        if (!handOver()) return;
        pump();
        finishIfDone();
        // Frames still VALID after a flush: the socket below could not take them yet.
        if (!subscriber.closed && inflight.length > 0 && retryTask === null) {
          retryDelay = Math.min(Math.max(1, retryDelay * 2), 50);
          retryTask = later.schedule(() => {
            retryTask = null;
            flush();
          }, retryDelay);
        } else if (inflight.length === 0) {
          retryDelay = 0;
        }
      };

      /** The next message to write: queued first, then pulled from a sync iterator. */
      const take = (): Uint8Array | null => {
        if (queueHead < queue.length) {
          const data = queue[queueHead];
          queue[queueHead++] = EMPTY;
          if (queueHead === queue.length) {
            queue.length = 0;
            queueHead = 0;
          }
          return data;
        }
        if (iterator !== null && !inputDone) {
          const r = iterator.next();
          if (r.done === true) {
            inputDone = true;
            return null;
          }
          return valid(r.value) ? r.value : null;
        }
        return null;
      };

      const more = (): boolean => queueHead < queue.length || (iterator !== null && !inputDone);

      const pump = (): void => {
        while (more() && !subscriber.closed) {
          const index = writer.claim();
          // Ring full, or a batch written: hand the frames to the producer and go on here
          // while that gave them back (a loop, not a recursion through flush: a producer that
          // consumes at once would otherwise nest a call per batch of a long source). Frames
          // still held: flush() retries later.
          if (index < 0 && unflushed === 0) return;
          if (index >= 0) {
            const data = take();
            if (data === null) break;
            write(index, data);
            if (unflushed < batchSize) continue;
          }
          if (!handOver()) return;
          if (inflight.length > 0) {
            flush();
            return;
          }
        }
        if (asyncIterator !== null) pullAsync();
        if (subscriber.closed) return;
        if (unflushed > 0 && flushTask === null) flushTask = soon.schedule(flush);
        else if (unflushed === 0) finishIfDone();
      };

      // Async iterable: one pull at a time, only while a frame is free.
      const pullAsync = (): void => {
        const it = asyncIterator;
        if (it === null || pulling || inputDone || subscriber.closed) return;
        if (writer.claim() < 0) return;
        pulling = true;
        it.next().then(
          (r) => {
            pulling = false;
            if (subscriber.closed) return;
            if (r.done === true) {
              inputDone = true;
              if (unflushed > 0) flush();
              else finishIfDone();
              return;
            }
            if (!valid(r.value)) return;
            queue.push(r.value);
            pump();
          },
          (error: unknown) => {
            pulling = false;
            fail(error);
          },
        );
      };

      let inner: Subscription | null = null;
      if (isObservable(source)) {
        inner = source.subscribe({
          next: (data) => {
            if (!valid(data)) return;
            if (queue.length - queueHead >= maxQueued && writer.claim() < 0) {
              fail(
                new NetlinkError({
                  op: 'tx',
                  errno: errnos.ENOBUFS,
                  detail: `more than ${maxQueued} messages wait for a TX frame (an Observable cannot be paused: give an iterable to be pulled)`,
                }),
              );
              return;
            }
            queue.push(data);
            pump();
          },
          error: fail,
          complete: () => {
            inputDone = true;
            if (unflushed > 0) flush();
            else finishIfDone();
          },
        });
      } else if (source !== null && typeof source === 'object' && Symbol.iterator in source) {
        iterator = (source as Iterable<Uint8Array>)[Symbol.iterator]();
        try {
          pump();
        } catch (error) {
          fail(error);
        }
        if (inputDone && unflushed > 0) flush();
      } else if (source !== null && typeof source === 'object' && Symbol.asyncIterator in source) {
        asyncIterator = (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
        pullAsync();
      } else {
        fail(new TypeError('toTxRing: the input must be an Observable or an (async) iterable'));
      }

      return () => {
        inner?.unsubscribe();
        flushTask?.unsubscribe();
        retryTask?.unsubscribe();
        if (!inputDone) {
          try {
            iterator?.return?.();
            void asyncIterator?.return?.();
          } catch {
            // The stream is over; nobody is left to tell.
          }
        }
        // Frames already written were accepted: hand them to the producer rather than leave
        // them VALID for whoever flushes next.
        if (unflushed > 0 && !endpoint.closed) {
          try {
            writer.flush(endpoint);
          } catch {
            // The stream is over; nobody is left to tell.
          }
        }
      };
    });
  return sink as TxRingSink;
}

const EMPTY = new Uint8Array(0);
