import {
  asyncScheduler,
  defer,
  Observable,
  type OperatorFunction,
  of,
  retry,
  type SchedulerLike,
  type Subscription,
  throwError,
  toArray,
} from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { DumpInterruptedError } from '../../errors/NetlinkError.js';
import { Overrun } from '../../ring/Overrun.js';

/**
 * A fresh snapshot that {@link resyncOnOverrun} emits after notifications were lost: every
 * object the re-dump listed, to replace what the subscriber knew. The changes that arrived
 * while the re-dump ran follow it, in order.
 *
 * @example
 * // { kind: 'resync', items: [link1, link2, …], overrun: Overrun { lost: 12, … } }
 * declare const x: RtnetlinkResync<Link> | RtnetlinkChange;
 * let table = new Map<number, Link>();
 * if (x.kind === 'resync') table = new Map(x.items.map((l) => [l.ifindex, l]));
 */
export interface RtnetlinkResync<T> {
  readonly kind: 'resync';
  /** Everything the re-dump emitted, in its order. */
  readonly items: readonly T[];
  /** The overrun that caused it, or null for the snapshot taken at subscription (`initial`). */
  readonly overrun: Overrun | null;
}

/** Options of {@link resyncOnOverrun}. */
export interface ResyncOnOverrunOptions {
  /**
   * Also take a snapshot when subscribed, once the source is subscribed (a monitor's socket
   * has joined its groups), so nothing is missed between listing and watching: a resync with
   * `overrun: null` comes first. Default false.
   */
  initial?: boolean | undefined;
  /** Times a re-dump that ends in a `DumpInterruptedError` is run again (default 3). */
  retries?: number | undefined;
  /**
   * Schedules the start of a re-dump after an Overrun (default `asyncScheduler`: a later turn
   * of the event loop); tests pass a virtual-time scheduler.
   */
  scheduler?: SchedulerLike | undefined;
}

/**
 * Resynchronises a monitor after lost notifications, as netlink users do (libnl's cache
 * manager, systemd-networkd and pyroute2 re-dump on ENOBUFS): on each `Overrun` it passes the
 * Overrun on, runs `redump()` (typically `() => dumpLinks(…)`) to completion and emits
 * `{ kind: 'resync', items, overrun }` with everything it listed; the subscriber replaces its
 * state with that. Every value received is passed on exactly once and in order of arrival,
 * except that changes arriving while a re-dump runs are held and follow its snapshot.
 *
 * Why that order converges: every notification carries its object's full state. The re-dump
 * starts on a later turn of the event loop (`scheduler`), after the source has passed on what
 * was already readable — including messages the kernel queued before the loss, which are
 * older than the snapshot and so go before it. Changes that arrive once the re-dump has
 * started may be older or newer than the snapshot's view of their object, but none is
 * missing after them, so applying them in order on top of the snapshot ends in the kernel's
 * state. A new Overrun while a re-dump runs cancels it (its socket is closed): the held
 * changes are passed on first (they precede the new loss), then the Overrun, then a new
 * re-dump starts. Memory: the changes held during one re-dump.
 *
 * A re-dump that ends in `DumpInterruptedError` is run again (`retries`, default 3); any
 * other error — or the last interruption — errors the stream after the held changes. When the
 * source completes during a re-dump, the snapshot and held changes come first. Unsubscribing
 * cancels a scheduled or running re-dump. Throws a TypeError at once for bad arguments.
 *
 * @example
 * const links = new Map<number, Link>();
 * monitor({ kinds: ['link'] })
 *   .pipe(resyncOnOverrun(() => dumpLinks(), { initial: true }))
 *   .subscribe((x) => {
 *     if (x.kind === 'resync') {
 *       links.clear();
 *       for (const link of x.items) links.set(link.ifindex, link);
 *     } else if (x.kind === 'link') {
 *       if (x.action === 'del') links.delete(x.link.ifindex);
 *       else links.set(x.link.ifindex, x.link);
 *     }
 *   });
 */
export function resyncOnOverrun<T, S>(
  redump: () => Observable<S>,
  options: ResyncOnOverrunOptions = {},
): OperatorFunction<T, T | RtnetlinkResync<S>> {
  const check = argumentChecker('resyncOnOverrun');
  if (typeof redump !== 'function') {
    check.fail('redump', 'a function that returns an Observable', redump);
  }
  const o = check.options(options);
  const initial = check.flag('options.initial', o.initial);
  const retries = check.integer('options.retries', o.retries, 0, 1000) ?? 3;
  const scheduler =
    check.scheduler<SchedulerLike>('options.scheduler', o.scheduler) ?? asyncScheduler;
  const snapshot = defer(redump).pipe(
    toArray(),
    retry({
      count: retries,
      delay: (error) => (error instanceof DumpInterruptedError ? of(0) : throwError(() => error)),
    }),
  );

  return (source) =>
    new Observable<T | RtnetlinkResync<S>>((subscriber) => {
      /** The scheduled start of a re-dump, then the re-dump itself. */
      let pending: Subscription | null = null;
      /** Changes held while a re-dump runs; null when none runs. */
      let held: T[] | null = null;
      let sourceDone = false;

      /** Passes on the held changes (none is ever dropped) and stops holding. */
      const release = (): void => {
        const values = held ?? [];
        held = null;
        for (const value of values) {
          if (subscriber.closed || held !== null) return;
          subscriber.next(value);
        }
      };

      const run = (overrun: Overrun | null): void => {
        held = [];
        const dump = snapshot.subscribe({
          next: (items) => {
            pending = null;
            subscriber.next({ kind: 'resync', items, overrun });
            release();
            if (sourceDone && held === null) subscriber.complete();
          },
          error: (error) => {
            release();
            subscriber.error(error);
          },
        });
        if (held !== null) pending = dump; // still running
      };

      const restart = (overrun: T & Overrun): void => {
        pending?.unsubscribe();
        pending = null;
        release();
        if (subscriber.closed) return;
        subscriber.next(overrun);
        if (subscriber.closed) return;
        pending = scheduler.schedule(() => run(overrun));
      };

      const subscription = source.subscribe({
        next: (value) => {
          if (value instanceof Overrun) restart(value);
          else if (held !== null) held.push(value);
          else subscriber.next(value);
        },
        error: (error) => {
          release();
          subscriber.error(error);
        },
        complete: () => {
          sourceDone = true;
          if (pending === null) subscriber.complete();
        },
      });
      if (initial && pending === null && !subscriber.closed) run(null);
      return () => {
        subscription.unsubscribe();
        pending?.unsubscribe();
      };
    });
}
