import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_AUDIT,
  NETLINK_CONNECTOR,
  NETLINK_EXT_ACK,
  NETLINK_GENERIC,
  NETLINK_GET_STRICT_CHK,
  NETLINK_KOBJECT_UEVENT,
  NETLINK_NETFILTER,
  NETLINK_NFLOG,
  NETLINK_NO_ENOBUFS,
  NETLINK_PKTINFO,
  NETLINK_ROUTE,
  NETLINK_SELINUX,
  NETLINK_SOCK_DIAG,
  NETLINK_USERSOCK,
  NETLINK_XFRM,
} from '../netlink/constants.js';
import { chooseGeometry } from '../ring/chooseGeometry.js';
import { DEFAULT_PAGE_SIZE, MAX_DUMP_DATAGRAM, SOL_NETLINK } from '../ring/constants.js';
import type { RingGeometry } from '../ring/RingGeometry.js';
import { validateRingRequest } from '../ring/validateRingRequest.js';
import {
  _SC_PAGESIZE,
  AF_NETLINK,
  SO_PASSCRED,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_SOCKET,
} from './constants.js';
import { inNetns } from './inNetns.js';
import { NL_FAMILY, NL_GROUPS, NL_PID, SOCKADDR_NL_SIZE } from './layout.js';
import { type Libc, libc as systemLibc } from './libc.js';
import { NetlinkSocket, type SocketProducer } from './NetlinkSocket.js';
import { probeRingMode, type RingSetup } from './probeRingMode.js';
import { RingEngine } from './RingEngine.js';

/** Netlink protocols by name. */
const PROTOCOLS = {
  route: NETLINK_ROUTE,
  usersock: NETLINK_USERSOCK,
  sock_diag: NETLINK_SOCK_DIAG,
  nflog: NETLINK_NFLOG,
  xfrm: NETLINK_XFRM,
  selinux: NETLINK_SELINUX,
  audit: NETLINK_AUDIT,
  connector: NETLINK_CONNECTOR,
  netfilter: NETLINK_NETFILTER,
  kobject_uevent: NETLINK_KOBJECT_UEVENT,
  generic: NETLINK_GENERIC,
} as const;

/** A netlink protocol name, as in `NETLINK_<NAME>` (lower case). */
export type NetlinkProtocol = keyof typeof PROTOCOLS;

/** Default RX ring memory when no geometry is given: 256 KiB. */
const DEFAULT_RING_MEMORY = 1 << 18;

/** Options of {@link openNetlinkSocket}. */
export interface OpenNetlinkSocketOptions {
  /** The netlink protocol: a name (`'route'`, `'netfilter'`, …) or its number. */
  protocol: NetlinkProtocol | number;
  /**
   * Multicast groups to join, by number (`RTNLGRP_LINK` = 1, …). Groups 1–32 are given to
   * `bind`, larger ones joined with `NETLINK_ADD_MEMBERSHIP`.
   */
  groups?: readonly number[];
  /** Open the socket in this named network namespace (`ip netns add NAME`). */
  netns?: string;
  /**
   * The RX ring geometry. Default: `chooseGeometry({ messageSize, memory: ringMemory })`.
   * Dump sockets need frames of at least 32768 + 24 bytes for replies to stay in the ring
   * (see {@link RingEngine}).
   */
  rx?: RingGeometry;
  /** Largest datagram a frame should hold, for the default geometry (default 32768). */
  messageSize?: number;
  /** Bytes of RX ring, for the default geometry (default 256 KiB). */
  ringMemory?: number;
  /** The TX ring geometry, or null (default) for none. */
  tx?: RingGeometry | null;
  /**
   * Socket receive buffer in bytes: `SO_RCVBUFFORCE` (CAP_NET_ADMIN), falling back to
   * `SO_RCVBUF` (capped by `net.core.rmem_max`) when that is refused. Default: the
   * kernel's.
   */
  receiveBufferSize?: number;
  /** `NETLINK_NO_ENOBUFS`: the kernel drops silently instead of reporting overruns. */
  noEnobufs?: boolean;
  /** `NETLINK_EXT_ACK` (default true): error messages and offsets in NLMSG_ERROR. */
  extendedAck?: boolean;
  /** `NETLINK_GET_STRICT_CHK` (default true): strict checking of dump requests. */
  strictCheck?: boolean;
  /** `'auto'` (default) probes for kernel rings; `'engine'` always runs the ring engine. */
  ringMode?: 'auto' | 'engine';
  /** Datagrams per engine batch (see {@link RingEngine}). */
  batch?: number;
  /**
   * After each wake-up that found data, rest the watcher this many milliseconds before
   * waiting again (default 0): a source that receives a stream of datagrams then reads them
   * a batch per wake-up instead of one each — fewer event-loop turns and poll callbacks per
   * message, at the cost of up to this much added latency. For bulk sources (NFLOG).
   */
  coalesce?: number;
  /** Spill bytes per engine batch slot (see {@link RingEngine}). */
  spill?: number;
  /** The C library to call; tests inject a scripted one. Default: the real libc. */
  libc?: Libc;
}

/**
 * Opens a netlink socket with an RX ring (and a TX ring if asked), ready for `fromRing` and
 * the sinks.
 *
 * The socket is `SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK`; `NETLINK_EXT_ACK` and
 * `NETLINK_GET_STRICT_CHK` are switched on by default where the kernel accepts them
 * (ENOPROTOOPT is ignored). The ring mode is probed (RING-SPEC §8): kernel rings where they
 * exist, the {@link RingEngine} otherwise — then `SO_PASSCRED` and `NETLINK_PKTINFO` are
 * switched on so that frames carry the sender's credentials and the group. The socket is
 * bound (port id chosen by the kernel) with `groups`, and `netns` opens it inside a named
 * namespace without moving the process (see {@link inNetns}).
 *
 * Synchronous. Throws a TypeError for bad options, a RingGeometryError for an impossible
 * geometry, and a NetlinkError (op `socket`, `setsockopt`, `bind`, `netns`, `ring`, `mmap`)
 * when the kernel refuses; nothing is left open when it throws.
 *
 * @example
 * const socket = openNetlinkSocket({ protocol: 'route', groups: [1], netns: 'blue' });
 * socket.ringMode; // 'engine' on Linux >= 4.6
 */
export function openNetlinkSocket(options: OpenNetlinkSocketOptions): NetlinkSocket {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('options: expected { protocol, … }');
  }
  const protocol = protocolNumber(options.protocol);
  const groups = options.groups ?? [];
  if (!Array.isArray(groups)) throw new TypeError('groups: expected an array of group numbers');
  for (const group of groups) {
    if (!Number.isInteger(group) || group < 1 || group > 0xffffffff) {
      throw new TypeError(`groups: expected group numbers >= 1, got ${String(group)}`);
    }
  }
  const ringMode = options.ringMode ?? 'auto';
  if (ringMode !== 'auto' && ringMode !== 'engine') {
    throw new TypeError(`ringMode: expected 'auto' or 'engine', got ${String(ringMode)}`);
  }
  if (options.receiveBufferSize !== undefined) {
    const size = options.receiveBufferSize;
    if (!Number.isInteger(size) || size < 1 || size > 0x7fffffff) {
      throw new TypeError(`receiveBufferSize: expected a positive integer, got ${String(size)}`);
    }
  }
  const coalesce = options.coalesce ?? 0;
  if (typeof coalesce !== 'number' || !(coalesce >= 0) || coalesce > 1000) {
    throw new TypeError(`coalesce: expected milliseconds from 0 to 1000, got ${String(coalesce)}`);
  }
  const c = options.libc ?? systemLibc();
  const page = c.sysconf(_SC_PAGESIZE);
  const pageSize = page > 0 ? page : DEFAULT_PAGE_SIZE;
  const rx =
    options.rx ??
    chooseGeometry({
      messageSize: options.messageSize ?? MAX_DUMP_DATAGRAM,
      memory: options.ringMemory ?? DEFAULT_RING_MEMORY,
      pageSize,
    });
  const tx = options.tx ?? null;
  if (validateRingRequest(rx, { pageSize }) !== 'create') {
    throw new TypeError('rx: expected a ring geometry with nm_block_nr > 0');
  }
  if (tx !== null && validateRingRequest(tx, { pageSize }) !== 'create') {
    throw new TypeError('tx: expected a ring geometry with nm_block_nr > 0');
  }

  const create = () => c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  const fd = options.netns === undefined ? create() : inNetns(c, options.netns, create);
  if (fd < 0) throw new NetlinkError({ op: 'socket', errno: -fd, detail: `protocol ${protocol}` });

  let setup: RingSetup | null = null;
  let engine: RingEngine | null = null;
  try {
    // Switches a boolean option on; `optional` ones may be unknown to the kernel.
    const flag = (level: number, name: number, label: string, optional: boolean) => {
      const r = c.setsockopt(fd, level, name, int(1));
      if (r < 0 && !(optional && r === -errnos.ENOPROTOOPT)) {
        throw new NetlinkError({ op: 'setsockopt', errno: -r, detail: label });
      }
    };
    if (options.extendedAck !== false) flag(SOL_NETLINK, NETLINK_EXT_ACK, 'NETLINK_EXT_ACK', true);
    if (options.strictCheck !== false) {
      flag(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 'NETLINK_GET_STRICT_CHK', true);
    }
    if (options.noEnobufs === true) {
      flag(SOL_NETLINK, NETLINK_NO_ENOBUFS, 'NETLINK_NO_ENOBUFS', false);
    }
    if (options.receiveBufferSize !== undefined) {
      const size = int(options.receiveBufferSize);
      let r = c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size);
      if (r === -errnos.EPERM) r = c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size);
      if (r < 0) throw new NetlinkError({ op: 'setsockopt', errno: -r, detail: 'SO_RCVBUF' });
    }

    setup =
      ringMode === 'engine'
        ? { mode: 'engine', reason: "the ring engine, as asked (ringMode: 'engine')" }
        : probeRingMode(c, fd, rx, tx, pageSize);
    if (setup.mode === 'engine') {
      flag(SOL_SOCKET, SO_PASSCRED, 'SO_PASSCRED', false);
      flag(SOL_NETLINK, NETLINK_PKTINFO, 'NETLINK_PKTINFO', false);
    }

    const address = new Uint8Array(new ArrayBuffer(SOCKADDR_NL_SIZE));
    const view = new DataView(address.buffer);
    view.setUint16(NL_FAMILY, AF_NETLINK, true);
    let mask = 0;
    for (const group of groups) if (group <= 32) mask |= 1 << (group - 1);
    view.setUint32(NL_GROUPS, mask >>> 0, true);
    const bound = c.bind(fd, address);
    if (bound < 0) throw new NetlinkError({ op: 'bind', errno: -bound });
    for (const group of groups) {
      if (group <= 32) continue;
      const r = c.setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, int(group));
      if (r < 0) {
        throw new NetlinkError({
          op: 'setsockopt',
          errno: -r,
          detail: `NETLINK_ADD_MEMBERSHIP ${group}`,
        });
      }
    }
    const named = c.getsockname(fd, address);
    if (named < 0) throw new NetlinkError({ op: 'bind', errno: -named, detail: 'getsockname' });
    const portid = view.getUint32(NL_PID, true);

    let producer: SocketProducer;
    if (setup.mode === 'kernel') {
      producer = { kind: 'kernel', setup };
    } else {
      engine = new RingEngine(c, fd, rx, tx, {
        batch: options.batch,
        spill: options.spill,
        pageSize,
      });
      producer = { kind: 'engine', engine, reason: setup.reason };
    }
    return new NetlinkSocket({ libc: c, fd, protocol, portid, producer, coalesce });
  } catch (error) {
    if (engine !== null) engine.dispose();
    if (setup !== null && setup.mode === 'kernel') c.munmap(setup.address, setup.length);
    c.close(fd);
    throw error;
  }
}

function protocolNumber(protocol: unknown): number {
  if (typeof protocol === 'number') {
    if (Number.isInteger(protocol) && protocol >= 0 && protocol < 32) return protocol;
  } else if (typeof protocol === 'string' && Object.hasOwn(PROTOCOLS, protocol)) {
    return PROTOCOLS[protocol as NetlinkProtocol];
  }
  throw new TypeError(
    `protocol: expected one of ${Object.keys(PROTOCOLS).join(', ')} or a number 0-31, got ${String(protocol)}`,
  );
}

/** A C `int` option value. */
function int(value: number): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(4));
  new DataView(bytes.buffer).setInt32(0, value, true);
  return bytes;
}
