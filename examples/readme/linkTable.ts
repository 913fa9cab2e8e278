import { type Observable, retry, scan, share, takeUntil, throwError, timer, toArray } from 'rxjs';
import {
  DumpInterruptedError,
  dumpLinks,
  dumpRoutes,
  monitor,
  resyncOnOverrun,
  type rtnetlink,
} from '../../src/index.js';

/** Every route, retrying (up to 3 times) a dump the kernel flags as interrupted. */
export function allRoutes(netns?: string): Observable<rtnetlink.Route[]> {
  return dumpRoutes({ netns }).pipe(
    toArray(),
    retry({
      count: 3,
      delay: (e) => (e instanceof DumpInterruptedError ? timer(0) : throwError(() => e)),
    }),
  );
}

/**
 * The interface names of a namespace, kept current until `stop$` emits: a snapshot first,
 * then every change, and a fresh snapshot after lost notifications. One socket however many
 * subscribe (`share`).
 */
export function linkNames(stop$: Observable<unknown>, netns?: string): Observable<string[]> {
  return monitor({ kinds: ['link'], netns }).pipe(
    resyncOnOverrun(() => dumpLinks({ netns }), { initial: true }),
    scan((links, x) => {
      if (x.kind === 'resync') return new Map(x.items.map((l) => [l.ifindex, l.ifname ?? '']));
      if (x.kind === 'link' && x.action === 'del') links.delete(x.link.ifindex);
      else if (x.kind === 'link') links.set(x.link.ifindex, x.link.ifname ?? '');
      return links;
    }, new Map<number, string>()),
    scan((_, links) => [...links.values()].sort(), [] as string[]),
    takeUntil(stop$),
    share(),
  );
}
