// Link configuration: create, change and delete links, and wait for a link to reach a state.

import { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import { AF_UNSPEC, RTM_NEWLINK, RTNLGRP_LINK } from '../../families/rtnetlink/constants.js';
import {
  type CreateLinkRequestOptions,
  decodeLink,
  getLinkRequest,
  type Link,
  type MacvlanMode,
  writeCreateLink,
  writeDeleteLink,
  writeSetLink,
} from '../../families/rtnetlink/link.js';
import type { OpenEndpoint } from '../../io/openNetlinkSocket.js';
import { NLMSG_ERROR } from '../../netlink/constants.js';
import { ackError, readAck } from '../../netlink/control.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import { parseMessages } from '../../operators/parseMessages.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { fromRing } from '../fromRing.js';
import {
  configureRequest,
  deviceOption,
  type InterfaceRef,
  interfaceRef,
  type NetnsRef,
  netnsRef,
} from './configureRequest.js';
import { checkRtnetlinkOptions, type RtnetlinkRequestOptions } from './options.js';

/**
 * Options of {@link createLink}: the new link's name and kind, what every link may set,
 * and the kind's own options (each applies to its kind only).
 *
 * @example
 * createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1', netns: 'blue' }, up: true });
 */
export interface CreateLinkOptions extends RtnetlinkRequestOptions {
  /** The new link's name (at most 15 bytes). */
  dev: string;
  /** 'veth', 'bridge', 'macvlan', 'vxlan', 'ifb', or another kind the kernel has. */
  kind: 'veth' | 'bridge' | 'macvlan' | 'vxlan' | 'ifb' | (string & {});
  /** Bring it up (IFF_UP). */
  up?: boolean | undefined;
  mtu?: number | undefined;
  /** A MAC address "02:00:00:00:00:aa". */
  address?: string | undefined;
  txqueuelen?: number | undefined;
  /** The bridge to join, by name or ifindex. */
  master?: InterfaceRef | undefined;
  alias?: string | undefined;
  /** Change the link if it exists instead of failing with EEXIST. */
  replace?: boolean | undefined;
  /** veth: the other end, its name and namespace (name, path, `{ fd }` or `{ pid }`). */
  peer?: { dev?: string | undefined; netns?: NetnsRef | undefined } | undefined;
  /** bridge: spanning tree. */
  stp?: boolean | undefined;
  /** bridge: VLAN filtering. */
  vlanFiltering?: boolean | undefined;
  /** macvlan: the lower device; vxlan: the underlay device (ip's `dev`). */
  link?: InterfaceRef | undefined;
  /** macvlan: private, vepa, bridge, passthru, source. */
  mode?: MacvlanMode | undefined;
  /** vxlan: the VNI. */
  id?: number | undefined;
  /** vxlan: the UDP destination port (ip's `dstport`). */
  port?: number | undefined;
  /** vxlan: the local address. */
  local?: string | undefined;
  /** vxlan: the remote address or multicast group. */
  remote?: string | undefined;
  /** vxlan: learn remote MACs (default true). */
  learning?: boolean | undefined;
}

/**
 * Creates a network interface, as `ip link add` does: a veth pair (its peer named, and
 * placed in another namespace), a bridge (stp, vlan filtering), a macvlan on a lower link
 * (mode), a vxlan (VNI, port, local, remote, underlay), an ifb, or any other kind the
 * kernel has; optionally up, with an MTU, address, master and alias. Interfaces (`master`,
 * `link`) are given by name or ifindex; names are resolved in `netns` when the request runs.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * the request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket (and any namespace file it opened) is closed exactly once. A refusal errors with a
 * NetlinkError carrying the errno name in `code`, the kernel's extended ack in `extack` and
 * what was asked in `detail`: EEXIST for a taken name, EOPNOTSUPP ("Unknown device type")
 * for a kind the kernel lacks, ENODEV for a `master` or `link` no interface has. Bad
 * options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1', netns: 'blue' } }));
 * await lastValueFrom(createLink({ dev: 'br0', kind: 'bridge', stp: true, up: true }));
 */
export function createLink(options: CreateLinkOptions): Observable<void> {
  const fn = 'createLink';
  const o = argumentChecker(fn).options(options, true) as Partial<CreateLinkOptions>;
  const master = interfaceRef(fn, 'options.master', o.master);
  const link = interfaceRef(fn, 'options.link', o.link);
  const peer = o.peer;
  if (peer !== undefined && (typeof peer !== 'object' || peer === null)) {
    argumentChecker(fn).fail('options.peer', 'an object { dev?, netns? }', peer);
  }
  const peerNetns = netnsRef(fn, 'options.peer.netns', peer?.netns);
  const interfaces = [master, link].filter((i) => i !== undefined);
  const { netns, open, dev, master: _m, link: _l, peer: _p, ...fields } = o;
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces,
      namespaces: peerNetns === undefined ? [] : [peerNetns],
      what: `${fn} ${String(dev)}`,
      build: (ifindexes, namespaces, seq) => {
        let i = 0;
        const request = {
          ...fields,
          ifname: dev,
          seq,
          ...(master === undefined ? {} : { master: ifindexes[i++] }),
          ...(link === undefined ? {} : { link: ifindexes[i++] }),
          ...(peer === undefined ? {} : { peer: { ifname: peer.dev, netns: namespaces[0] } }),
        } as CreateLinkRequestOptions;
        return writeCreateLink(fn, request);
      },
    },
  );
}

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

/**
 * Options of {@link waitForLink}.
 *
 * @example
 * waitForLink({ dev: 'v0', operstate: 'UP', timeout: 5000, netns: 'blue' });
 */
export interface WaitForLinkOptions {
  /** The link by name: it need not exist yet. */
  dev?: string | undefined;
  /** The link by ifindex (instead of `dev`). */
  ifindex?: number | undefined;
  /** The `operstate` to wait for (UP, DOWN, LOWERLAYERDOWN, UNKNOWN, …); default: any. */
  operstate?: string | undefined;
  /** Wait also for IFF_UP set (true) or clear (false). */
  up?: boolean | undefined;
  /** Milliseconds to wait before failing with ETIMEDOUT (default: no limit). */
  timeout?: number | undefined;
  /**
   * Watch this network namespace instead of the process's own: a name, an absolute path,
   * `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /**
   * Opens the endpoint, given `{ protocol: 'route', groups: [RTNLGRP_LINK], netns }` (a
   * simulated kernel's socket in tests).
   */
  open?: OpenEndpoint | undefined;
}

/** Link notifications are small: 2 KiB frames (a bigger one arrives as COPY). */
const MESSAGE_SIZE = 2048 - 24;
const RING_MEMORY = 1 << 16;

/**
 * Waits until a link exists and matches — its `operstate` (and IFF_UP, if asked) — and
 * emits it once ({@link Link}, decoded as `dumpLinks` does) and completes: the loop that
 * scripts write by hand after `createLink` or `setLink({ up: true })`.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` that joins RTNLGRP_LINK,
 * then asks for the link (a snapshot), so that no change between the two is missed; then
 * every link notification is checked. A link that does not exist yet is waited for; a lost
 * notification (an overrun) asks again. The socket and the timer are released exactly once,
 * at completion, error or unsubscribe. Errors with a NetlinkError: ETIMEDOUT after
 * `timeout` ms (`detail` says what was awaited and the last state seen), or what opening the
 * socket or the kernel reports. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1' } }));
 * await lastValueFrom(setLink({ dev: 'v0', up: true }));
 * const link = await lastValueFrom(waitForLink({ dev: 'v0', operstate: 'LOWERLAYERDOWN', timeout: 2000 }));
 */
export function waitForLink(options: WaitForLinkOptions): Observable<Link> {
  const fn = 'waitForLink';
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const dev = deviceOption(fn, o);
  const operstate = check.string('options.operstate', o.operstate, 31);
  const up = check.boolean('options.up', o.up);
  const timeout = check.number('options.timeout', o.timeout, 0, 2 ** 31 - 1);
  const checked = checkRtnetlinkOptions(
    fn,
    { netns: o.netns, open: o.open },
    { messageSize: MESSAGE_SIZE, ringMemory: RING_MEMORY },
  );
  const wanted = [
    typeof dev === 'string' ? `"${dev}"` : `ifindex ${dev}`,
    operstate === undefined ? 'present' : `operstate ${operstate}`,
    up === undefined ? '' : up ? 'up' : 'down',
  ]
    .filter((s) => s !== '')
    .join(', ');
  const matches = (link: Link): boolean =>
    link.deleted !== true &&
    (operstate === undefined || link.operstate === operstate) &&
    (up === undefined || link.flags.includes('UP') === up);

  return new Observable<Link>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = checked.open([RTNLGRP_LINK]);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    let seq = 0;
    let last: Link | undefined;
    const ask = (): void => {
      seq++;
      endpoint.send(
        typeof dev === 'string'
          ? getLinkRequest({ ifname: dev, seq })
          : getLinkRequest({ ifindex: dev, seq }),
      );
    };
    const ours = (message: NetlinkMessage): boolean => {
      if (message.type !== RTM_NEWLINK) return false;
      if (message.view.getUint8(message.payloadOffset) !== AF_UNSPEC) return false;
      return true;
    };
    const onMessage = (message: NetlinkMessage): void => {
      if (message.group === 0) {
        if (message.seq !== seq) return;
        if (message.type === NLMSG_ERROR) {
          const ack = readAck(message.view, message.offset);
          // ENODEV: not there yet; a notification will say when it is.
          if (ack.errno !== 0 && ack.errno !== errnos.ENODEV) subscriber.error(ackError(ack));
          return;
        }
      }
      if (!ours(message)) return;
      const link = decodeLink(message);
      if (typeof dev === 'string' ? link.ifname !== dev : link.ifindex !== dev) return;
      last = link;
      if (matches(link)) {
        subscriber.next(link);
        subscriber.complete();
      }
    };
    const subscription = fromRing(endpoint)
      .pipe(parseMessages())
      .subscribe({
        next: (value) => {
          try {
            if (value instanceof Overrun) ask();
            else onMessage(value);
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    const timer =
      timeout === undefined
        ? undefined
        : setTimeout(() => {
            const seen =
              last === undefined
                ? 'no such link seen'
                : `last seen operstate ${last.operstate ?? 'none'}, flags ${last.flags.join(',')}`;
            subscriber.error(
              new NetlinkError({
                op: 'request',
                errno: errnos.ETIMEDOUT,
                detail: `${fn}: ${wanted} not reached after ${timeout} ms (${seen})`,
              }),
            );
          }, timeout);
    if (!subscriber.closed) {
      try {
        ask();
      } catch (error) {
        subscriber.error(error);
      }
    }
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      subscription.unsubscribe();
      endpoint.close();
    };
  });
}
