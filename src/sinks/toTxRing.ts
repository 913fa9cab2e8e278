import {
  asapScheduler,
  asyncScheduler,
  Observable,
  type OperatorFunction,
  type SchedulerLike,
  type Subscription,
} from 'rxjs';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { NL_MMAP_STATUS_UNUSED, NL_MMAP_STATUS_VALID } from '../ring/constants.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import type { TxReceipt } from './TxReceipt.js';

/** Options of {@link toTxRing}. */
export interface ToTxRingOptions {
  /**
   * Flush (`sendto(NULL, 0)`) after this many frames were written. By default the sink
   * flushes once at the end of each synchronous burst of messages and whenever the ring is
   * full, so a burst costs one trigger.
   */
  batchSize?: number;
  /**
   * Most messages to queue while no TX frame is UNUSED; past it the stream errors with
   * ENOBUFS. Unbounded by default: the producer consumes frames on every flush, so the queue
   * only grows when the socket below cannot send.
   */
  maxQueued?: number;
  /** Scheduler for the end-of-burst flush (default asap) and retries (default async). */
  scheduler?: SchedulerLike;
}

/**
 * The TX ring as a backpressured sink: an operator that writes each message (one datagram:
 * one or more nlmsghdrs) into the next UNUSED TX frame at the sink's own index, stores
 * `nm_len`, then VALID with a release store (RING-SPEC §3, §8), and flushes in batches.
 *
 * When no frame is UNUSED it waits: it never writes a frame it does not own and never drops
 * a message; the messages wait in order. A message larger than a frame (`nm_frame_size -
 * 24`) errors the stream with a NetlinkError EMSGSIZE before anything of it is written.
 *
 * Emits a {@link TxReceipt} for each message once its frame was consumed, in order, and
 * completes when the input completed and everything written was consumed. Errors from the
 * flush (e.g. EINVAL for a frame the producer refused) error the stream. The endpoint is
 * borrowed, not closed. One sink per TX ring at a time.
 *
 * @example
 * requests$.pipe(toTxRing(socket)).subscribe((r) => console.log(`sent #${r.index} seq ${r.seq}`));
 */
export function toTxRing(
  endpoint: RingEndpoint,
  options: ToTxRingOptions = {},
): OperatorFunction<Uint8Array, TxReceipt> {
  const tx = endpoint.tx;
  if (tx === null) throw new TypeError('endpoint: it has no TX ring');
  const batchSize = options.batchSize ?? Number.POSITIVE_INFINITY;
  if (!(batchSize >= 1)) throw new TypeError(`batchSize: expected >= 1, got ${batchSize}`);
  const maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
  if (!(maxQueued >= 0)) throw new TypeError(`maxQueued: expected >= 0, got ${maxQueued}`);
  const soon = options.scheduler ?? asapScheduler;
  const later = options.scheduler ?? asyncScheduler;

  return (source) =>
    new Observable<TxReceipt>((subscriber) => {
      const queue: Uint8Array[] = [];
      let queueHead = 0;
      // Frames written and not yet seen consumed, oldest first.
      const inflight: TxReceipt[] = [];
      let cursor = 0;
      let count = 0;
      let unflushed = 0;
      let inputDone = false;
      let flushTask: Subscription | null = null;
      let retryTask: Subscription | null = null;
      let retryDelay = 0;

      const fail = (error: unknown) => {
        if (!subscriber.closed) subscriber.error(error);
      };

      const write = (data: Uint8Array): void => {
        const index = cursor;
        const at = tx.dataOffset(index);
        tx.bytes.set(data, at);
        tx.setLength(index, data.byteLength);
        tx.setStatus(index, NL_MMAP_STATUS_VALID);
        const seq = data.byteLength >= 12 ? tx.view.getUint32(at + 8, true) : 0;
        inflight.push({ index: count++, frame: index, length: data.byteLength, seq });
        cursor = tx.next(index);
        unflushed++;
      };

      // Receipts for frames the producer has consumed, in order.
      const collect = (): void => {
        while (inflight.length > 0 && !subscriber.closed) {
          const r = inflight[0];
          if (tx.status(r.frame) !== NL_MMAP_STATUS_UNUSED) break;
          inflight.shift();
          subscriber.next(r);
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

      const flush = (): void => {
        flushTask?.unsubscribe();
        flushTask = null;
        if (subscriber.closed) return;
        try {
          if (unflushed > 0 || inflight.length > 0) {
            unflushed = 0;
            endpoint.flush();
          }
        } catch (error) {
          fail(error);
          return;
        }
        collect();
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

      const pump = (): void => {
        while (queueHead < queue.length && !subscriber.closed) {
          if (tx.status(cursor) !== NL_MMAP_STATUS_UNUSED) {
            // Ring full: hand what we wrote to the producer, then see whether frames came back.
            if (unflushed > 0) {
              flush();
              return;
            }
            return;
          }
          write(queue[queueHead]);
          queue[queueHead++] = EMPTY;
          if (queueHead === queue.length) {
            queue.length = 0;
            queueHead = 0;
          }
          if (unflushed >= batchSize) {
            flush();
            return;
          }
        }
        if (unflushed > 0 && flushTask === null) flushTask = soon.schedule(flush);
      };

      const inner = source.subscribe({
        next: (data) => {
          if (!(data instanceof Uint8Array)) {
            fail(new TypeError('toTxRing: messages must be Uint8Arrays'));
            return;
          }
          if (data.byteLength > tx.maxlen) {
            fail(
              new NetlinkError({
                op: 'tx',
                errno: errnos.EMSGSIZE,
                detail: `a ${data.byteLength}-byte message does not fit a ${tx.geometry.frameSize}-byte TX frame (${tx.maxlen} bytes of data)`,
              }),
            );
            return;
          }
          if (
            queue.length - queueHead >= maxQueued &&
            tx.status(cursor) !== NL_MMAP_STATUS_UNUSED
          ) {
            fail(
              new NetlinkError({
                op: 'tx',
                errno: errnos.ENOBUFS,
                detail: `more than ${maxQueued} messages wait for a TX frame`,
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

      return () => {
        inner.unsubscribe();
        flushTask?.unsubscribe();
        retryTask?.unsubscribe();
        // Frames already written were accepted: hand them to the producer rather than leave
        // them VALID for whoever flushes next.
        if (unflushed > 0) {
          try {
            endpoint.flush();
          } catch {
            // The stream is over; nobody is left to tell.
          }
        }
      };
    });
}

const EMPTY = new Uint8Array(0);
