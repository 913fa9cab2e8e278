// A simulated kernel that speaks enough rtnetlink for the source tests: it answers link,
// address, route and neighbour dumps from a table of objects (as the kernel would, honouring
// or ignoring the dump filters), and multicasts notifications about them.
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
} from '../../../src/families/rtnetlink/constants.js';
import { NLM_F_DUMP_INTR, NLM_F_MULTI } from '../../../src/netlink/constants.js';
import type { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { buildMessage, type MessageAttribute } from '../../../src/testing/buildMessage.js';
import { packDatagram } from '../../../src/testing/packDatagram.js';
import type { SimSocket } from '../../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../../src/testing/SimulatedKernel.js';

/** 8 frames of 4 KiB: every datagram of these tests fits a frame. */
export const RX = { blockSize: 8192, blockNr: 4, frameSize: 4096, frameNr: 8 };

export interface LinkSpec {
  ifindex: number;
  name: string;
  up?: boolean;
  peer?: number;
  master?: number;
  /** ifi_family; default AF_UNSPEC (AF_BRIDGE for a bridge port copy). */
  family?: number;
}
export interface AddressSpec {
  ifindex: number;
  family: number;
  /** 4 or 16 bytes. */
  local: number[];
  prefixlen: number;
}
export interface RouteSpec {
  family: number;
  dst: number[];
  dstLen: number;
  table: number;
  oif?: number;
}
export interface NeighbourSpec {
  family: number;
  ifindex: number;
  dst: number[];
  state: number;
}

const delete_ = {
  link: RTM_DELLINK,
  address: RTM_DELADDR,
  route: RTM_DELROUTE,
  neigh: RTM_DELNEIGH,
};

/** RTM_NEWLINK (or RTM_DELLINK): `struct ifinfomsg`, IFLA_IFNAME, IFLA_MTU, IFLA_LINK, IFLA_MASTER. */
export function linkMessage(spec: LinkSpec, options: { seq?: number; del?: boolean } = {}) {
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

/** RTM_NEWADDR (or RTM_DELADDR): `struct ifaddrmsg`, IFA_ADDRESS, IFA_LOCAL. */
export function addressMessage(spec: AddressSpec, options: { seq?: number; del?: boolean } = {}) {
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

/** RTM_NEWROUTE (or RTM_DELROUTE): `struct rtmsg`, RTA_TABLE, RTA_DST, RTA_OIF. */
export function routeMessage(spec: RouteSpec, options: { seq?: number; del?: boolean } = {}) {
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

/** RTM_NEWNEIGH (or RTM_DELNEIGH): `struct ndmsg`, NDA_DST, NDA_LLADDR. */
export function neighbourMessage(
  spec: NeighbourSpec,
  options: { seq?: number; del?: boolean } = {},
) {
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
      [NDA_DST, Uint8Array.from(spec.dst)],
      [NDA_LLADDR, Uint8Array.from([2, 0, 0, 0, 0, spec.dst[spec.dst.length - 1]])],
    ],
  });
}

/** What the simulated kernel holds and how it answers. */
export interface Model {
  links: LinkSpec[];
  addresses: AddressSpec[];
  routes: RouteSpec[];
  neighbours: NeighbourSpec[];
  /** Honour the family and table filters of dump requests (strict checking). Default true. */
  strict?: boolean;
  /** Messages per dump datagram (default 2, so dumps span frames). */
  perDatagram?: number;
  /** Answer dumps of this type with an error. */
  fail?: { type: number; errno: number; extack?: string };
  /** Flag the replies of dumps of this type NLM_F_DUMP_INTR (the table changed meanwhile). */
  interrupt?: number;
}

/** One dump request the kernel received: its type, family byte and RTA_TABLE if any. */
export interface SeenRequest {
  type: number;
  family: number;
  table?: number;
  seq: number;
}

/**
 * A simulated kernel answering rtnetlink dumps from `model` (read at each request, so a test
 * may change it); `requests` records what it was asked, `opened` the sockets it opened
 * through `open`, each with its close() count and groups.
 */
export function rtnetlinkKernel(model: Model) {
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
        messages = model.links.map((l) => linkMessage(l, { seq }));
        break;
      case RTM_GETADDR:
        messages = model.addresses
          .filter((a) => keep(a.family))
          .map((a) => addressMessage(a, { seq }));
        break;
      case RTM_GETROUTE:
        messages = model.routes
          .filter((r) => keep(r.family))
          .filter((r) => !strict || seen.table === undefined || r.table === seen.table)
          .map((r) => routeMessage(r, { seq }));
        break;
      case RTM_GETNEIGH:
        messages = model.neighbours
          .filter((n) => keep(n.family))
          .map((n) => neighbourMessage(n, { seq }));
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
  const open = (groups: readonly number[] = []): SimSocket => {
    const socket = kernel.open({ rx: RX, groups });
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

/** A small world: lo, a veth pair v0 (3, up) / v1 (2, down) whose v1 is a port of br0 (4). */
export function world(): Model {
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
