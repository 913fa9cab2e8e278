import type { Overrun } from '../../ring/Overrun.js';

/**
 * A fresh snapshot that {@link resyncOnOverrun} emits after notifications were lost: every
 * object the re-dump listed, to replace what the subscriber knew. The changes that arrived
 * while the re-dump ran follow it, in order.
 *
 * @example
 * // { kind: 'resync', items: [link1, link2, …], overrun: Overrun { lost: 12, … } }
 * if (x.kind === 'resync') table = new Map(x.items.map((l) => [l.ifindex, l]));
 */
export interface RtnetlinkResync<T> {
  readonly kind: 'resync';
  /** Everything the re-dump emitted, in its order. */
  readonly items: readonly T[];
  /** The overrun that caused it, or null for the snapshot taken at subscription (`initial`). */
  readonly overrun: Overrun | null;
}
