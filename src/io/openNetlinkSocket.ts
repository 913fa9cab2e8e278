import { type ArgumentChecker, argumentChecker } from '../errors/check.js';
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
import {
  DEFAULT_PAGE_SIZE,
  MAX_DUMP_DATAGRAM,
  MAX_RING_MEMORY,
  SOL_NETLINK,
} from '../ring/constants.js';
import type { RingGeometry } from '../ring/geometry.js';
import { ringSize } from '../ring/geometry.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
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
import { checkNetnsRef, inNetns, type NetnsRef } from './inNetns.js';
import { NL_FAMILY, NL_GROUPS, NL_PID, SOCKADDR_NL_SIZE } from './layout.js';
import { type Libc, libc as systemLibc } from './libc.js';
import { NetlinkSocket } from './NetlinkSocket.js';
import { probeRingMode } from './probeRingMode.js';
import { checkEngineSizes, RingEngine } from './RingEngine.js';
import type { RingProducer } from './RingProducer.js';

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

/**
 * What a source would open by default, handed to its `open` option: the protocol it speaks,
 * the multicast groups it joins at bind (none for a dump or a request, and none for a source
 * that joins by name after opening, as `genlMonitor` does) and the namespace asked for with
 * its `netns` option. It is a valid {@link OpenNetlinkSocketOptions}, so an `open` may pass
 * it on with changes.
 *
 * @example
 * const open: OpenEndpoint = (r) => openNetlinkSocket({ ...r, ringMemory: 1 << 20 });
 * dumpRoutes({ open });
 */
export interface OpenRequest {
  /** The protocol of the source: `'route'`, `'netfilter'`, `'generic'`. */
  readonly protocol: NetlinkProtocol;
  /** The multicast groups to join at bind (RTNLGRP_*, NFNLGRP_*). */
  readonly groups: readonly number[];
  /** The source's `netns` option (a name, path, `{ fd }` or `{ pid }`), or undefined for the process's own. */
  readonly netns: NetnsRef | undefined;
}

/**
 * The `open` option of every source (rtnetlink, netfilter, generic netlink, YNL): opens the
 * endpoint a subscription uses, given what the source would open by default — a simulated
 * kernel's socket in tests, or a socket with other options. Called once per subscription;
 * the source closes what it returns at teardown. A function that ignores its argument
 * (`() => socket`) is one too.
 *
 * @example
 * const kernel = rtnetlinkKernel(rtnetlinkWorld());
 * monitor({ kinds: ['link'], open: kernel.open });
 */
export type OpenEndpoint = (request: OpenRequest) => RingEndpoint;

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
  groups?: readonly number[] | undefined;
  /**
   * Open the socket in this network namespace: a name (`ip netns add NAME`), an absolute
   * path (`/proc/PID/ns/net`), `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /**
   * The RX ring geometry. Default: `chooseGeometry({ messageSize, memory: ringMemory })`.
   * Dump sockets need frames of at least 32768 + 24 bytes for replies to stay in the ring
   * (see {@link RingEngine}).
   */
  rx?: RingGeometry | undefined;
  /** Largest datagram a frame should hold, for the default geometry (default 32768). */
  messageSize?: number | undefined;
  /** Bytes of RX ring, for the default geometry (default 256 KiB). */
  ringMemory?: number | undefined;
  /** The TX ring geometry, or null (default) for none. */
  tx?: RingGeometry | null | undefined;
  /**
   * Socket receive buffer in bytes: `SO_RCVBUFFORCE` (CAP_NET_ADMIN), falling back to
   * `SO_RCVBUF` (capped by `net.core.rmem_max`) when that is refused. Default: the
   * kernel's.
   */
  receiveBufferSize?: number | undefined;
  /** `NETLINK_NO_ENOBUFS`: the kernel drops silently instead of reporting overruns. */
  noEnobufs?: boolean | undefined;
  /** `NETLINK_EXT_ACK` (default true): error messages and offsets in NLMSG_ERROR. */
  extendedAck?: boolean | undefined;
  /** `NETLINK_GET_STRICT_CHK` (default true): strict checking of dump requests. */
  strictCheck?: boolean | undefined;
  /** `'auto'` (default) probes for kernel rings; `'engine'` always runs the ring engine. */
  ringMode?: 'auto' | 'engine' | undefined;
  /** Datagrams per engine batch, 1–1024 (see {@link RingEngine}). */
  batch?: number | undefined;
  /**
   * After each wake-up that found data, rest the watcher this many milliseconds before
   * waiting again (default 0): a source that receives a stream of datagrams then reads them
   * a batch per wake-up instead of one each — fewer event-loop turns and poll callbacks per
   * message, at the cost of up to this much added latency. During the rest, `poll()` reads
   * the socket only while the last read stopped at a full ring; one found empty waits for
   * the rest to end. The rest's end reads the socket itself: while each rest gathers
   * something, the next begins at once without the handle (one wake-up a rest); the first
   * rest that gathers nothing gives the socket back to the handle. For bulk sources (NFLOG).
   */
  coalesce?: number | undefined;
  /** Spill bytes per engine batch slot, 0–1 MiB, `batch × spill` ≤ 64 MiB (see {@link RingEngine}). */
  spill?: number | undefined;
  /** The C library to call; tests inject a scripted one. Default: the real libc. */
  libc?: Libc | undefined;
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
 * Synchronous. Throws a TypeError naming the option for a bad one — every size that reaches
 * native code (geometry totals up to 1 GiB, `batch`, `spill`) is bounded and checked first —
 * a RingGeometryError for an impossible
 * geometry, and a NetlinkError (op `socket`, `setsockopt`, `bind`, `netns`, `ring`, `mmap`)
 * when the kernel refuses; nothing is left open when it throws.
 *
 * @example
 * const socket = openNetlinkSocket({ protocol: 'route', groups: [1], netns: 'blue' });
 * socket.ringMode; // 'engine' on Linux >= 4.6
 */
export function openNetlinkSocket(options: OpenNetlinkSocketOptions): NetlinkSocket {
  const check = argumentChecker('openNetlinkSocket');
  const opts = check.options(options, true);
  const protocol = protocolNumber(check, opts.protocol);
  const groups = opts.groups ?? [];
  if (!Array.isArray(groups)) check.fail('options.groups', 'an array of group numbers', groups);
  for (const group of groups) check.integer('options.groups[]', group, 1, 0xffffffff);
  const ringMode = check.oneOf('options.ringMode', opts.ringMode, ['auto', 'engine']) ?? 'auto';
  const receiveBufferSize = check.integer(
    'options.receiveBufferSize',
    opts.receiveBufferSize,
    1,
    0x7fffffff,
  );
  const coalesce = check.number('options.coalesce', opts.coalesce, 0, 1000) ?? 0;
  const noEnobufs = check.flag('options.noEnobufs', opts.noEnobufs);
  const extendedAck = check.boolean('options.extendedAck', opts.extendedAck) ?? true;
  const strictCheck = check.boolean('options.strictCheck', opts.strictCheck) ?? true;
  const netns = checkNetnsRef('openNetlinkSocket', 'options.netns', opts.netns);
  // Sizes that reach native code are bounded here, before anything is opened.
  const { batch, spill } = checkEngineSizes('openNetlinkSocket', opts.batch, opts.spill);
  const messageSize = check.integer('options.messageSize', opts.messageSize, 1, MAX_RING_MEMORY);
  const ringMemory = check.integer('options.ringMemory', opts.ringMemory, 1, MAX_RING_MEMORY);
  if (opts.libc !== undefined && (typeof opts.libc !== 'object' || opts.libc === null)) {
    check.fail('options.libc', 'a Libc', opts.libc);
  }
  const c = opts.libc ?? systemLibc();
  const page = c.sysconf(_SC_PAGESIZE);
  const pageSize = page > 0 ? page : DEFAULT_PAGE_SIZE;
  const rx =
    opts.rx ??
    chooseGeometry({
      messageSize: messageSize ?? MAX_DUMP_DATAGRAM,
      memory: ringMemory ?? DEFAULT_RING_MEMORY,
      pageSize,
    });
  const tx = opts.tx ?? null;
  checkGeometry(check, 'options.rx', rx, pageSize, MAX_RING_MEMORY);
  if (tx !== null) checkGeometry(check, 'options.tx', tx, pageSize, MAX_RING_MEMORY - ringSize(rx));

  const create = () => c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, protocol);
  const fd = netns === undefined ? create() : inNetns(c, netns, create);
  if (fd < 0) throw new NetlinkError({ op: 'socket', errno: -fd, detail: `protocol ${protocol}` });

  let producer: RingProducer | null = null;
  try {
    // Switches a boolean option on; `optional` ones may be unknown to the kernel.
    const flag = (level: number, name: number, label: string, optional: boolean) => {
      const r = c.setsockopt(fd, level, name, int(1));
      if (r < 0 && !(optional && r === -errnos.ENOPROTOOPT)) {
        throw new NetlinkError({ op: 'setsockopt', errno: -r, detail: label });
      }
    };
    if (extendedAck) flag(SOL_NETLINK, NETLINK_EXT_ACK, 'NETLINK_EXT_ACK', true);
    if (strictCheck) {
      flag(SOL_NETLINK, NETLINK_GET_STRICT_CHK, 'NETLINK_GET_STRICT_CHK', true);
    }
    if (noEnobufs) {
      flag(SOL_NETLINK, NETLINK_NO_ENOBUFS, 'NETLINK_NO_ENOBUFS', false);
    }
    if (receiveBufferSize !== undefined) {
      const size = int(receiveBufferSize);
      let r = c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size);
      if (r === -errnos.EPERM) r = c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size);
      if (r < 0) throw new NetlinkError({ op: 'setsockopt', errno: -r, detail: 'SO_RCVBUF' });
    }

    // The engine needs the sender credentials and the group in control messages.
    const engine = (reason: string): RingEngine => {
      flag(SOL_SOCKET, SO_PASSCRED, 'SO_PASSCRED', false);
      flag(SOL_NETLINK, NETLINK_PKTINFO, 'NETLINK_PKTINFO', false);
      return new RingEngine(c, fd, rx, tx, { batch, spill, pageSize, reason });
    };
    producer =
      ringMode === 'engine'
        ? engine("the ring engine, as asked (ringMode: 'engine')")
        : probeRingMode(c, fd, rx, tx, pageSize, engine);

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

    return new NetlinkSocket({ libc: c, fd, protocol, portid, producer, coalesce });
  } catch (error) {
    producer?.dispose();
    c.close(fd);
    throw error;
  }
}

function protocolNumber(check: ArgumentChecker, protocol: unknown): number {
  if (typeof protocol === 'number') {
    if (Number.isInteger(protocol) && protocol >= 0 && protocol < 32) return protocol;
  } else if (typeof protocol === 'string' && Object.hasOwn(PROTOCOLS, protocol)) {
    return PROTOCOLS[protocol as NetlinkProtocol];
  }
  return check.fail(
    'options.protocol',
    `one of ${Object.keys(PROTOCOLS).join(', ')} or a number 0-31`,
    protocol,
  );
}

/**
 * A ring geometry: four integers, a ring the rules of RING-SPEC §2.1 accept (a
 * RingGeometryError otherwise), and at most `maxBytes` of memory (a TypeError).
 */
function checkGeometry(
  check: ArgumentChecker,
  name: string,
  geometry: unknown,
  pageSize: number,
  maxBytes: number,
): void {
  const g = geometry as Partial<RingGeometry> | null;
  if (typeof g !== 'object' || g === null) check.fail(name, 'a ring geometry', geometry);
  const r = g as Partial<RingGeometry>;
  for (const field of ['blockSize', 'blockNr', 'frameSize', 'frameNr'] as const) {
    check.requiredInteger(`${name}.${field}`, r[field], 0, 0xffffffff);
  }
  const bytes = (r.blockSize as number) * (r.blockNr as number);
  if (bytes > maxBytes) check.fail(name, `a ring of at most ${maxBytes} bytes`, bytes);
  if (validateRingRequest(r as RingGeometry, { pageSize }) !== 'create') {
    check.fail(name, 'a ring geometry with nm_block_nr > 0', geometry);
  }
}

/** A C `int` option value. */
function int(value: number): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(4));
  new DataView(bytes.buffer).setInt32(0, value, true);
  return bytes;
}
