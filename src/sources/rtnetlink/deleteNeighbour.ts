import type { Observable } from 'rxjs';
import { type AddNeighbourOptions, neighbourRequest } from './addNeighbour.js';

/**
 * Deletes the neighbour entry for `dst` on an interface (`dev` or `ifindex`; `proxy: true`
 * for a proxy entry), as `ip neigh del DST dev D` does.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`),
 * resolves `dev` there, sends the request, emits one `undefined` at the kernel's
 * acknowledgement and completes; the socket is closed exactly once. Errors with a
 * NetlinkError (`code`, `extack`, what was asked in `detail`): ENOENT when there is no
 * such entry, ENODEV for an unknown `dev`. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteNeighbour({ dev: 'v0', dst: '10.1.0.9', netns: 'blue' }));
 */
export function deleteNeighbour(
  options: Omit<AddNeighbourOptions, 'lladdr' | 'router' | 'replace'>,
): Observable<void> {
  return neighbourRequest('deleteNeighbour', options, false);
}
