import { concat, map } from 'rxjs';
import { dumpLinks, monitor, ofKind } from '../../src/index.js';

/** Every link's name, then a line per address change, until unsubscribed. */
export const quickStart = (netns?: string) =>
  concat(
    dumpLinks({ netns }).pipe(map((link) => `link ${link.ifname}`)),
    monitor({ kinds: ['address'], netns }).pipe(
      ofKind('address'),
      map((e) => `${e.action} ${e.address.local}/${e.address.prefixlen} dev ${e.address.ifname}`),
    ),
  );
