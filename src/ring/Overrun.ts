import { errnos } from '../errors/errno.js';

/** What an {@link Overrun}'s `lost` counts. */
export type OverrunUnit = 'messages' | 'packets' | 'datagrams';

/**
 * An in-stream notification that messages were lost: the socket reported ENOBUFS (the
 * kernel or the ring engine could not deliver because the ring or the socket buffer was
 * full), or a family saw a sequence gap. The stream goes on after it. Operators pass it
 * through untouched, so it reaches the subscriber in order with the data around it.
 *
 * @example
 * declare const frames$: Observable<Frame | Overrun>;
 * frames$.subscribe((x) => { if (x instanceof Overrun) console.warn(`lost ${x.lost}`) });
 */
export class Overrun {
  readonly kind = 'overrun' as const;
  /**
   * Messages lost in this episode, as counted by the producer (`sk_drops` delta); NaN when
   * the producer cannot count them.
   */
  readonly lost: number;
  /** Overruns reported on this stream so far, this one included. */
  readonly count: number;
  /** The errno that reported it (ENOBUFS), or 0 for a loss found by sequence numbers. */
  readonly errno: number;
  /**
   * What `lost` counts: `'messages'` (datagrams, the ring's own unit), `'packets'` (an exact
   * count of a netfilter family's packets) or `'datagrams'` (datagrams the kernel dropped,
   * each of which held one or more packets: as packets, `lost` is then a lower bound).
   */
  readonly unit: OverrunUnit;

  constructor(
    lost: number,
    count: number,
    errno: number = errnos.ENOBUFS,
    unit: OverrunUnit = 'messages',
  ) {
    this.lost = lost;
    this.count = count;
    this.errno = errno;
    this.unit = unit;
  }
}
