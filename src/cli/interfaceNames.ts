import { map, type Observable, toArray } from 'rxjs';
import { dumpLinks } from '../index.js';

/**
 * The interfaces of a namespace by index, from one link dump (`dumpLinks`), as a function
 * that names an index — `if<N>` for one it does not know, as ip prints it. For commands that
 * print interface indexes the kernel gives (NFLOG's `indev`/`outdev`). Cold; errors as
 * `dumpLinks` does.
 *
 * @example
 * interfaceNames({ netns: 'blue' }).subscribe((name) => console.log(name(1))); // 'lo'
 */
export function interfaceNames(options: {
  netns?: string;
}): Observable<(ifindex: number) => string> {
  return dumpLinks(options.netns === undefined ? {} : { netns: options.netns }).pipe(
    toArray(),
    map((links) => {
      const names = new Map(links.map((link) => [link.ifindex, link.ifname ?? '']));
      return (ifindex: number) => names.get(ifindex) || `if${ifindex}`;
    }),
  );
}
