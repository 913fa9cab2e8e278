import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { writeSetLink } from '../../families/rtnetlink/linkChange.js';
import {
  configureRequest,
  deviceOption,
  type InterfaceRef,
  interfaceRef,
  type NetnsRef,
  netnsRef,
} from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

/**
 * Options of {@link setLink}: the link (`dev` or `ifindex`) and what to change.
 *
 * @example
 * setLink({ dev: 'v0', up: true, mtu: 1400, master: 'br0' });
 */
export interface SetLinkOptions extends RtnetlinkRequestOptions {
  /** The link by name. */
  dev?: string | undefined;
  /** The link by ifindex (instead of `dev`). */
  ifindex?: number | undefined;
  /** Up (true) or down (false). */
  up?: boolean | undefined;
  mtu?: number | undefined;
  /** A new name. */
  name?: string | undefined;
  /** A MAC address "02:00:00:00:00:aa". */
  address?: string | undefined;
  txqueuelen?: number | undefined;
  /** Join this bridge (by name or ifindex); null leaves the master (`nomaster`). */
  master?: InterfaceRef | null | undefined;
  alias?: string | undefined;
  /** Move the link to this namespace: a name, a path, `{ fd }` or `{ pid }`. */
  moveTo?: NetnsRef | undefined;
}

/**
 * Changes a network interface, as `ip link set dev D …` does: up/down, MTU, name, MAC
 * address, txqueuelen, master / nomaster, alias, and moving it to another namespace (by
 * name, path, fd or pid). `dev` and `master` names are resolved in `netns` when the
 * request runs.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * one request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket and any namespace file are closed exactly once. Errors with a NetlinkError (errno
 * name in `code`, extended ack in `extack`, what was asked in `detail`): ENODEV for a
 * `dev` that does not exist, EINVAL for an MTU the device refuses, EEXIST for a name that
 * is taken. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(setLink({ dev: 'v0', up: true, netns: 'blue' }));
 * await lastValueFrom(setLink({ dev: 'v1', moveTo: 'red' }));
 */
export function setLink(options: SetLinkOptions): Observable<void> {
  const fn = 'setLink';
  const o = argumentChecker(fn).options(options, true) as Partial<SetLinkOptions>;
  const dev = deviceOption(fn, o) as InterfaceRef;
  const master = o.master === null ? null : interfaceRef(fn, 'options.master', o.master);
  const moveTo = netnsRef(fn, 'options.moveTo', o.moveTo);
  const { netns, open, dev: _d, ifindex: _i, name, master: _m, moveTo: _t, ...fields } = o;
  const interfaces = master === null || master === undefined ? [dev] : [dev, master];
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces,
      namespaces: moveTo === undefined ? [] : [moveTo],
      what: `${fn} ${String(dev)}`,
      build: (ifindexes, namespaces, seq) =>
        writeSetLink(fn, {
          ...fields,
          ifindex: ifindexes[0],
          ifname: name,
          master: master === null ? 0 : master === undefined ? undefined : ifindexes[1],
          netns: namespaces[0],
          seq,
        }),
    },
  );
}
