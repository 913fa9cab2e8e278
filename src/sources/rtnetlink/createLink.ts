import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import {
  type CreateLinkRequestOptions,
  type MacvlanMode,
  writeCreateLink,
} from '../../families/rtnetlink/linkChange.js';
import {
  configureRequest,
  type InterfaceRef,
  interfaceRef,
  type NetnsRef,
  netnsRef,
} from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

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
