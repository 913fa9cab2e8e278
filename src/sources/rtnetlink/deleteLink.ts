import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { writeDeleteLink } from '../../families/rtnetlink/linkChange.js';
import { configureRequest, deviceOption, type InterfaceRef } from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

/**
 * Deletes a network interface, as `ip link del dev D` does (a veth takes its peer with
 * it), given by `dev` (resolved in `netns` when the request runs) or `ifindex`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * the request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket is closed exactly once. Errors with a NetlinkError (`code`, `extack`, and what was
 * asked in `detail`): ENODEV when there is no such link, EOPNOTSUPP for one that cannot be
 * deleted (lo). Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteLink({ dev: 'v0', netns: 'blue' }));
 */
export function deleteLink(
  options: { dev?: string | undefined; ifindex?: number | undefined } & RtnetlinkRequestOptions,
): Observable<void> {
  const fn = 'deleteLink';
  const o = argumentChecker(fn).options(options, true);
  const dev = deviceOption(fn, o) as InterfaceRef;
  return configureRequest(
    fn,
    { netns: o.netns, open: o.open },
    {
      interfaces: [dev],
      namespaces: [],
      what: `${fn} ${String(dev)}`,
      build: ([ifindex], _namespaces, seq) => writeDeleteLink(fn, { ifindex, seq }),
    },
  );
}
