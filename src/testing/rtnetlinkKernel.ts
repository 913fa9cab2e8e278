import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  ARPHRD_ETHER,
  IFA_ADDRESS,
  IFA_LOCAL,
  IFLA_IFNAME,
  IFLA_LINK,
  IFLA_MASTER,
  IFLA_MTU,
  NDA_DST,
  NDA_LLADDR,
  RTA_DST,
  RTA_OIF,
  RTA_TABLE,
  RTM_DELADDR,
  RTM_DELLINK,
  RTM_DELNEIGH,
  RTM_DELROUTE,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_GETNEIGH,
  RTM_GETROUTE,
  RTM_NEWADDR,
  RTM_NEWLINK,
  RTM_NEWNEIGH,
  RTM_NEWROUTE,
  RTN_UNICAST,
} from '../families/rtnetlink/constants.js';
import { NLM_F_DUMP_INTR, NLM_F_MULTI } from '../netlink/constants.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { buildMessage, type MessageAttribute } from './buildMessage.js';
import { packDatagram } from './packDatagram.js';
import type { SimSocket } from './SimSocket.js';
import { SimulatedKernel } from './SimulatedKernel.js';

// A fake rtnetlink kernel for marble and unit tests, as mdlayher's nltest is for Go: a
// SimulatedKernel whose request handler answers link, address, route and neighbour dumps
// from a table of plain objects (honouring or ignoring the dump filters, as a kernel with or
// without NETLINK_GET_STRICT_CHK does), with builders for the messages it sends, so a test
// can multicast notifications about the same objects.

/**
 * The RX ring of the sockets {@link rtnetlinkKernel} opens: 8 frames of 4 KiB, so every
 * datagram of a small model fits a frame.
 *
 * @example
 * const socket = new SimulatedKernel().open({ rx: RTNETLINK_KERNEL_RX });
 */
export const RTNETLINK_KERNEL_RX = { blockSize: 8192, blockNr: 4, frameSize: 4096, frameNr: 8 };

/**
 * A link of the fake kernel's table: an Ethernet device with IFLA_IFNAME and IFLA_MTU 1500.
 *
 * @example
 * const veth: LinkSpec = { ifindex: 3, name: 'v0', up: true, peer: 2 };
 */
export interface LinkSpec {
  ifindex: number;
  /** IFLA_IFNAME. */
  name: string;
  /** IFF_UP | IFF_RUNNING | IFF_LOWER_UP when true. */
  up?: boolean | undefined;
  /** IFLA_LINK: the peer's ifindex. */
  peer?: number | undefined;
  /** IFLA_MASTER. */
  master?: number | undefined;
  /** ifi_family; default AF_UNSPEC (AF_BRIDGE for a bridge port copy). */
  family?: number | undefined;
}

/**
 * An address of the fake kernel's table (IFA_F_PERMANENT, IFA_ADDRESS = IFA_LOCAL).
 *
 * @example
 * const a: AddressSpec = { ifindex: 3, family: AF_INET, local: [10, 1, 0, 1], prefixlen: 24 };
 */
export interface AddressSpec {
  ifindex: number;
  /** AF_INET or AF_INET6. */
  family: number;
  /** 4 or 16 bytes. */
  local: number[];
  prefixlen: number;
}

/**
 * A route of the fake kernel's table (protocol static, scope global, type unicast).
 *
 * @example
 * const r: RouteSpec = { family: AF_INET, dst: [10, 8, 0, 0], dstLen: 16, table: 254, oif: 2 };
 */
export interface RouteSpec {
  family: number;
  /** RTA_DST bytes (left out when `dstLen` is 0). */
  dst: number[];
  dstLen: number;
  /** RTA_TABLE (and `rtm_table`, RT_TABLE_COMPAT above 255). */
  table: number;
  /** RTA_OIF. */
  oif?: number | undefined;
}

/**
 * A neighbour of the fake kernel's table. An empty `dst` leaves NDA_DST out, as a bridge
 * FDB entry has none.
 *
 * @example
 * const n: NeighbourSpec = { family: AF_INET, ifindex: 3, dst: [10, 1, 0, 9], state: rtnetlink.NUD_PERMANENT };
 */
export interface NeighbourSpec {
  family: number;
  ifindex: number;
  /** NDA_DST bytes; the last one is also the last byte of NDA_LLADDR 02:00:00:00:00:xx. */
  dst: number[];
  /** `ndm_state` (NUD_*). */
  state: number;
}

/**
 * Options of the message builders: a dump reply (`seq` given: NLM_F_MULTI) or a
 * notification (seq 0), and RTM_DEL* instead of RTM_NEW*.
 *
 * @example
 * buildLinkMessage({ ifindex: 7, name: 'v7' }, { del: true });
 */
export interface RtnetlinkMessageOptions {
  seq?: number | undefined;
  del?: boolean | undefined;
}

const delete_ = {
  link: RTM_DELLINK,
  address: RTM_DELADDR,
  route: RTM_DELROUTE,
  neigh: RTM_DELNEIGH,
};

/**
 * An RTM_NEWLINK (or RTM_DELLINK) message as the kernel sends it: `struct ifinfomsg`,
 * IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_MASTER.
 *
 * @example
 * const k = rtnetlinkKernel(rtnetlinkWorld());
 * k.kernel.multicast(rtnetlink.RTNLGRP_LINK, buildLinkMessage({ ifindex: 7, name: 'v7', up: true }));
 */
export function buildLinkMessage(
  spec: LinkSpec,
  options: RtnetlinkMessageOptions = {},
): Uint8Array {
  const payload = new Uint8Array(16);
  const view = new DataView(payload.buffer);
  view.setUint8(0, spec.family ?? AF_UNSPEC);
  view.setUint16(2, ARPHRD_ETHER, true);
  view.setInt32(4, spec.ifindex, true);
  view.setUint32(8, spec.up ? 0x11043 : 0x1002, true); // UP|BROADCAST|RUNNING|MULTICAST|LOWER_UP
  const attributes: MessageAttribute[] = [
    [IFLA_IFNAME, spec.name],
    [IFLA_MTU, 1500],
  ];
  if (spec.peer !== undefined) attributes.push([IFLA_LINK, spec.peer]);
  if (spec.master !== undefined) attributes.push([IFLA_MASTER, spec.master]);
  return buildMessage({
    type: options.del ? delete_.link : RTM_NEWLINK,
    flags: options.seq === undefined ? 0 : NLM_F_MULTI,
    seq: options.seq ?? 0,
    payload,
    attributes,
  });
}

/**
 * An RTM_NEWADDR (or RTM_DELADDR) message: `struct ifaddrmsg`, IFA_ADDRESS, IFA_LOCAL.
 *
 * @example
 * const k = rtnetlinkKernel(rtnetlinkWorld());
 * k.kernel.multicast(rtnetlink.RTNLGRP_IPV4_IFADDR, buildAddressMessage({ ifindex: 3, family: AF_INET, local: [10, 1, 0, 5], prefixlen: 24 }));
 */
export function buildAddressMessage(
  spec: AddressSpec,
  options: RtnetlinkMessageOptions = {},
): Uint8Array {
  const payload = new Uint8Array(8);
  const view = new DataView(payload.buffer);
  view.setUint8(0, spec.family);
  view.setUint8(1, spec.prefixlen);
  view.setUint8(2, 0x80); // IFA_F_PERMANENT
  view.setUint32(4, spec.ifindex, true);
  const local = Uint8Array.from(spec.local);
  return buildMessage({
    type: options.del ? delete_.address : RTM_NEWADDR,
    flags: options.seq === undefined ? 0 : NLM_F_MULTI,
    seq: options.seq ?? 0,
    payload,
    attributes: [
      [IFA_ADDRESS, local],
      [IFA_LOCAL, local],
    ],
  });
}

/**
 * An RTM_NEWROUTE (or RTM_DELROUTE) message: `struct rtmsg`, RTA_TABLE, RTA_DST, RTA_OIF.
 *
 * @example
 * const k = rtnetlinkKernel(rtnetlinkWorld());
 * k.kernel.multicast(rtnetlink.RTNLGRP_IPV4_ROUTE, buildRouteMessage({ family: AF_INET, dst: [10, 9, 0, 0], dstLen: 16, table: 254 }));
 */
export function buildRouteMessage(
  spec: RouteSpec,
  options: RtnetlinkMessageOptions = {},
): Uint8Array {
  const payload = Uint8Array.from([
    spec.family,
    spec.dstLen,
    0,
    0,
    spec.table < 256 ? spec.table : 252,
    4, // static
    0, // global
    RTN_UNICAST,
    0,
    0,
    0,
    0,
  ]);
  const attributes: MessageAttribute[] = [[RTA_TABLE, spec.table]];
  if (spec.dstLen > 0) attributes.push([RTA_DST, Uint8Array.from(spec.dst)]);
  if (spec.oif !== undefined) attributes.push([RTA_OIF, spec.oif]);
  return buildMessage({
    type: options.del ? delete_.route : RTM_NEWROUTE,
    flags: options.seq === undefined ? 0 : NLM_F_MULTI,
    seq: options.seq ?? 0,
    payload,
    attributes,
  });
}

/**
 * An RTM_NEWNEIGH (or RTM_DELNEIGH) message: `struct ndmsg`, NDA_DST (when `dst` is not
 * empty), NDA_LLADDR.
 *
 * @example
 * const k = rtnetlinkKernel(rtnetlinkWorld());
 * k.kernel.multicast(rtnetlink.RTNLGRP_NEIGH, buildNeighbourMessage({ family: AF_INET, ifindex: 3, dst: [10, 1, 0, 9], state: 0x80 }));
 */
export function buildNeighbourMessage(
  spec: NeighbourSpec,
  options: RtnetlinkMessageOptions = {},
): Uint8Array {
  const payload = new Uint8Array(12);
  const view = new DataView(payload.buffer);
  view.setUint8(0, spec.family);
  view.setInt32(4, spec.ifindex, true);
  view.setUint16(8, spec.state, true);
  return buildMessage({
    type: options.del ? delete_.neigh : RTM_NEWNEIGH,
    flags: options.seq === undefined ? 0 : NLM_F_MULTI,
    seq: options.seq ?? 0,
    payload,
    attributes: [
      ...(spec.dst.length > 0 ? [[NDA_DST, Uint8Array.from(spec.dst)] as MessageAttribute] : []),
      [NDA_LLADDR, Uint8Array.from([2, 0, 0, 0, 0, spec.dst[spec.dst.length - 1] ?? 0])],
    ],
  });
}

/**
 * What the fake rtnetlink kernel holds and how it answers: read at each request, so a test
 * may change it between dumps.
 *
 * @example
 * const model: RtnetlinkModel = { ...rtnetlinkWorld(), strict: false, perDatagram: 1 };
 */
export interface RtnetlinkModel {
  links: LinkSpec[];
  addresses: AddressSpec[];
  routes: RouteSpec[];
  neighbours: NeighbourSpec[];
  /** Honour the family and table filters of dump requests (strict checking). Default true. */
  strict?: boolean | undefined;
  /** Messages per dump datagram (default 2, so dumps span frames). */
  perDatagram?: number | undefined;
  /** Answer dumps of this type with an error. */
  fail?: { type: number; errno: number; extack?: string } | undefined;
  /** Flag the replies of dumps of this type NLM_F_DUMP_INTR (the table changed meanwhile). */
  interrupt?: number | undefined;
}

/**
 * One dump request the fake kernel received: its type, family byte and RTA_TABLE if any.
 *
 * @example
 * // k.requests: [{ type: RTM_GETLINK, family: 0, table: undefined, seq: 1 }]
 * console.log(rtnetlinkKernel(rtnetlinkWorld()).requests);
 */
export interface SeenRequest {
  type: number;
  family: number;
  table?: number | undefined;
  seq: number;
}

/** What {@link rtnetlinkKernel} returns. */
export interface RtnetlinkKernel {
  /** The simulated kernel: multicast notifications with `kernel.multicast(group, bytes)`. */
  readonly kernel: SimulatedKernel;
  /** The model it answers from (the object given, not a copy). */
  readonly model: RtnetlinkModel;
  /** Every dump request received, in order. */
  readonly requests: SeenRequest[];
  /** Every socket `open` returned, with its close() count and groups. */
  readonly opened: Array<{ socket: SimSocket; closes: number; groups: readonly number[] }>;
  /**
   * An opener for the sources' `open` option: a new socket per call, joined to the groups
   * of the source's request (`{ groups }`, an `OpenRequest`).
   */
  readonly open: (request?: { readonly groups?: readonly number[] | undefined }) => SimSocket;
}

/**
 * A fake rtnetlink kernel: a {@link SimulatedKernel} answering RTM_GETLINK, RTM_GETADDR,
 * RTM_GETROUTE and RTM_GETNEIGH dumps from `model` (read at each request, so a test may
 * change it) in datagrams of `model.perDatagram` messages, with the dump filters honoured
 * when `model.strict` (default), an error reply for `model.fail` and NLM_F_DUMP_INTR for
 * `model.interrupt`; other requests get EOPNOTSUPP. Pass `open` as the `open` option of
 * `dumpLinks`, `monitor`, …: `opened` then shows that each subscription closed its socket
 * exactly once, and `requests` what the source asked. Needs no privileges and no Linux.
 *
 * @example
 * const k = rtnetlinkKernel(rtnetlinkWorld());
 * const links = await lastValueFrom(dumpLinks({ open: k.open }).pipe(toArray()));
 * // links.map((l) => l.ifname): ['lo', 'v1', 'v0', 'br0']; k.opened[0].closes === 1
 */
export function rtnetlinkKernel(model: RtnetlinkModel): RtnetlinkKernel {
  const kernel = new SimulatedKernel();
  const requests: SeenRequest[] = [];
  const opened: Array<{ socket: SimSocket; closes: number; groups: readonly number[] }> = [];
  const strict = model.strict ?? true;
  kernel.onRequest((request, reply) => {
    const seen = describe(request);
    requests.push(seen);
    const seq = request.seq;
    const family = strict ? seen.family : AF_UNSPEC;
    const keep = (f: number) => family === AF_UNSPEC || f === family;
    let messages: Uint8Array[];
    switch (request.type) {
      case RTM_GETLINK:
        messages = model.links.map((l) => buildLinkMessage(l, { seq }));
        break;
      case RTM_GETADDR:
        messages = model.addresses
          .filter((a) => keep(a.family))
          .map((a) => buildAddressMessage(a, { seq }));
        break;
      case RTM_GETROUTE:
        messages = model.routes
          .filter((r) => keep(r.family))
          .filter((r) => !strict || seen.table === undefined || r.table === seen.table)
          .map((r) => buildRouteMessage(r, { seq }));
        break;
      case RTM_GETNEIGH:
        messages = model.neighbours
          .filter((n) => keep(n.family))
          .map((n) => buildNeighbourMessage(n, { seq }));
        break;
      default:
        reply.error(95, { extack: 'not simulated' });
        return;
    }
    if (model.fail?.type === request.type) {
      reply.error(model.fail.errno, { extack: model.fail.extack });
      return;
    }
    if (model.interrupt === request.type) {
      for (const m of messages)
        new DataView(m.buffer).setUint16(6, NLM_F_MULTI | NLM_F_DUMP_INTR, true);
    }
    const per = model.perDatagram ?? 2;
    const datagrams: Uint8Array[] = [];
    for (let i = 0; i < messages.length; i += per) {
      datagrams.push(packDatagram(messages.slice(i, i + per)));
    }
    reply.dump(datagrams);
  });
  /** An opener for the sources: a new socket per call, its close() counted. */
  const open = (request?: { readonly groups?: readonly number[] | undefined }): SimSocket => {
    const groups = request?.groups ?? [];
    const socket = kernel.open({ rx: RTNETLINK_KERNEL_RX, groups });
    const entry = { socket, closes: 0, groups };
    const close = socket.close.bind(socket);
    socket.close = () => {
      entry.closes++;
      close();
    };
    opened.push(entry);
    return socket;
  };
  return { kernel, model, requests, opened, open };
}

/** What a dump request asked. */
function describe(request: NetlinkMessage): SeenRequest {
  const view = request.view;
  const family = request.payloadLength > 0 ? view.getUint8(request.payloadOffset) : AF_UNSPEC;
  let table: number | undefined;
  if (request.type === RTM_GETROUTE) {
    const a = request.attributes(12);
    while (a.next()) if (a.type === RTA_TABLE) table = a.u32();
  }
  return { type: request.type, family, table, seq: request.seq };
}

/**
 * A small model to start from: lo (1), a veth pair v0 (3, up) / v1 (2, down) whose v1 is a
 * port of br0 (4); addresses 127.0.0.1/8, 10.1.0.1/24 and 2001:db8::1/64; routes in tables
 * main, local and 100; an ARP and an NDP neighbour on v0. A fresh copy per call.
 *
 * @example
 * const model = rtnetlinkWorld();
 * model.routes.push({ family: AF_INET, dst: [10, 9, 0, 0], dstLen: 16, table: 254, oif: 3 });
 */
export function rtnetlinkWorld(): RtnetlinkModel {
  return {
    links: [
      { ifindex: 1, name: 'lo', up: true },
      { ifindex: 2, name: 'v1', up: false, peer: 3, master: 4 },
      { ifindex: 3, name: 'v0', up: true, peer: 2 },
      { ifindex: 4, name: 'br0', up: true },
    ],
    addresses: [
      { ifindex: 1, family: AF_INET, local: [127, 0, 0, 1], prefixlen: 8 },
      { ifindex: 3, family: AF_INET, local: [10, 1, 0, 1], prefixlen: 24 },
      {
        ifindex: 3,
        family: AF_INET6,
        local: [0x20, 1, 0x0d, 0xb8, ...new Array(11).fill(0), 1],
        prefixlen: 64,
      },
    ],
    routes: [
      { family: AF_INET, dst: [10, 1, 0, 0], dstLen: 24, table: 254, oif: 3 },
      { family: AF_INET, dst: [10, 8, 0, 0], dstLen: 16, table: 100, oif: 2 },
      { family: AF_INET, dst: [10, 1, 0, 1], dstLen: 32, table: 255, oif: 3 },
      {
        family: AF_INET6,
        dst: [0x20, 1, 0x0d, 0xb8, ...new Array(12).fill(0)],
        dstLen: 64,
        table: 254,
        oif: 3,
      },
    ],
    neighbours: [
      { family: AF_INET, ifindex: 3, dst: [10, 1, 0, 9], state: 0x80 },
      {
        family: AF_INET6,
        ifindex: 3,
        dst: [0x20, 1, 0x0d, 0xb8, ...new Array(11).fill(0), 9],
        state: 0x80,
      },
    ],
  };
}
