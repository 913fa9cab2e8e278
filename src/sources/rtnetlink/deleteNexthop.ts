import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { writeDeleteNexthop } from '../../families/rtnetlink/nexthop.js';
import { configureRequest } from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

/**
 * Deletes nexthop object `id`, as `ip nexthop del id N` does (routes that use it go with
 * it; groups lose it as a member).
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * the request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket is closed exactly once. Errors with a NetlinkError (`code`, `extack`, what was
 * asked in `detail`): ENOENT for an unknown id. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteNexthop({ id: 1, netns: 'blue' }));
 */
export function deleteNexthop(options: { id: number } & RtnetlinkRequestOptions): Observable<void> {
  const fn = 'deleteNexthop';
  const o = argumentChecker(fn).options(options, true);
  return configureRequest(
    fn,
    { netns: o.netns, open: o.open },
    {
      interfaces: [],
      namespaces: [],
      what: `${fn} id ${String(o.id)}`,
      build: (_ifindexes, _namespaces, seq) => writeDeleteNexthop(fn, { id: o.id as number, seq }),
    },
  );
}
