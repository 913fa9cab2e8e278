import { errnos } from '../../src/errors/errno.js';
import {
  AF_NETLINK,
  MAP_ANONYMOUS,
  MSG_PEEK,
  MSG_TRUNC,
  SCM_CREDENTIALS,
  SK_MEMINFO_DROPS,
  SK_MEMINFO_VARS,
  SO_ERROR,
  SO_MEMINFO,
  SO_PASSCRED,
  SOL_SOCKET,
} from '../../src/io/constants.js';
import type { Libc, PollWatcher } from '../../src/io/libc.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_LIST_MEMBERSHIPS,
  NETLINK_PKTINFO,
} from '../../src/netlink/constants.js';
import {
  DEFAULT_PAGE_SIZE,
  NETLINK_RX_RING,
  NETLINK_TX_RING,
  SOL_NETLINK,
} from '../../src/ring/constants.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { ringSize } from '../../src/ring/geometry.js';
import { POLLERR, POLLIN, POLLOUT } from '../../src/ring/RingEndpoint.js';

/** One datagram waiting on a scripted socket's receive queue. */
export interface ScriptedDatagram {
  data: Uint8Array;
  /** Destination group number, reported through NETLINK_PKTINFO and `nl_groups`. */
  group?: number | undefined;
  /** Sender port id, in `msg_name`. */
  portid?: number | undefined;
  /** Sender credentials (SCM_CREDENTIALS). */
  pid?: number | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
}

/** One datagram a scripted socket sent. */
export interface SentDatagram {
  data: Uint8Array;
  /** Destination port id from `msg_name` (0 = kernel), or null without a name. */
  to: number | null;
}

/** A poll handle whose events the test fires by hand. */
export class ScriptedWatcher implements PollWatcher {
  active = true;
  closed = false;
  starts = 0;
  stops = 0;
  constructor(
    readonly fd: number,
    private readonly callback: (status: number) => void,
  ) {}
  start(): void {
    if (this.closed) return;
    this.starts++;
    this.active = true;
  }
  stop(): void {
    if (this.closed) return;
    this.stops++;
    this.active = false;
  }
  close(): void {
    this.closed = true;
    this.active = false;
  }
  /**
   * What libuv does when the fd is ready: nothing unless the handle is started. POLLERR
   * (status < 0) stops the handle first, as libuv does.
   */
  fire(status = 0): boolean {
    if (!this.active || this.closed) return false;
    if (status < 0) this.active = false;
    this.callback(status);
    return true;
  }
}

/** The kernel's side of one scripted netlink socket. */
export class ScriptedSocket {
  readonly options = new Map<string, Uint8Array>();
  /** errnos for setsockopt, by `level:name`. */
  readonly answers = new Map<string, number>();
  readonly groups = new Set<number>();
  readonly queue: ScriptedDatagram[] = [];
  /** errnos the next receive calls return, one per call, before anything else. */
  readonly recvErrors: number[] = [];
  /** Most datagrams one recvmmsg returns (a short read). */
  recvLimit = Number.POSITIVE_INFINITY;
  /** The count each recvmmsg call asked for. */
  readonly recvmmsgCalls: number[] = [];
  readonly sent: SentDatagram[] = [];
  /** errnos the next send calls return, one per call. */
  readonly sendErrors: number[] = [];
  /** Most messages one sendmmsg sends (a partial send). */
  sendLimit = Number.POSITIVE_INFINITY;
  /** sendto(NULL) calls: the kernel TX ring trigger; its answer. */
  flushes = 0;
  flushAnswer = 0;
  /** sk_err, reported once by the next receive or SO_ERROR. */
  skErr = 0;
  /** sk_drops. */
  skDrops = 0;
  /** Messages the kernel dropped in each scripted ENOBUFS episode (added to sk_drops). */
  overrunDrops = 1;
  closes = 0;
  bound = false;
  portid = 4242;
  rxRing: RingGeometry | null = null;
  txRing: RingGeometry | null = null;
  mapping: { address: bigint; memory: ArrayBuffer } | null = null;

  constructor(
    readonly fd: number,
    readonly protocol: number,
  ) {}

  option(level: number, name: number): number | null {
    const value = this.options.get(`${level}:${name}`);
    return value === undefined ? null : new DataView(value.buffer).getInt32(0, true);
  }

  /** Queues datagrams for the socket to receive. */
  deliver(...datagrams: ScriptedDatagram[]): void {
    this.queue.push(...datagrams);
  }
}

const REGION = 2 ** 32;

/**
 * A {@link Libc} whose kernel is a script: sockets with receive queues, errors and limits
 * the test sets, and a fake address space in which `address()` hands out addresses that the
 * scripted `recvmmsg`/`sendmmsg` resolve back to the caller's buffers. Structures are read
 * and written with the real LP64 layout, so the code under test builds its msghdrs exactly as
 * it does for the real kernel.
 */
export class ScriptedLibc implements Libc {
  readonly sockets = new Map<number, ScriptedSocket>();
  readonly watchers: ScriptedWatcher[] = [];
  readonly setnsCalls: Array<{ fd: number; nstype: number }> = [];
  readonly munmaps: Array<{ address: bigint; length: number }> = [];
  /** What setsockopt(NETLINK_RX_RING) answers on new sockets: an errno, or 0 to accept. */
  ringAnswer: number = errnos.ENOPROTOOPT;
  /** setsockopt errnos by `level:name`, copied into every new socket's `answers`. */
  readonly answers = new Map<string, number>();
  /** errno for socket(), 0 to succeed. */
  socketError = 0;
  /** errno for mmap() of a socket, 0 to succeed. */
  mmapError = 0;
  pageSize = DEFAULT_PAGE_SIZE;
  private nextFd = 100;
  private readonly regions = new Map<number, ArrayBuffer>();
  private readonly bases = new Map<ArrayBufferLike, number>();
  private nextRegion = 1;

  /** The socket with descriptor `fd` (throws when there is none). */
  socketOf(fd: number): ScriptedSocket {
    const socket = this.sockets.get(fd);
    if (socket === undefined) throw new Error(`scripted libc: no socket ${fd}`);
    return socket;
  }

  /** The only socket opened so far. */
  get only(): ScriptedSocket {
    if (this.sockets.size !== 1) throw new Error(`scripted libc: ${this.sockets.size} sockets`);
    return [...this.sockets.values()][0];
  }

  /** The watcher of `fd` that is not closed, if any. */
  watcherOf(fd: number): ScriptedWatcher | undefined {
    return this.watchers.find((w) => w.fd === fd && !w.closed);
  }

  /** Namespace and mount calls are not scripted: they fail with ENOSYS. */
  unshare(_flags: number): number {
    return -errnos.ENOSYS;
  }

  mount(_source: string, _target: string, _type: string, _flags: number): number {
    return -errnos.ENOSYS;
  }

  umount2(_target: string, _flags: number): number {
    return -errnos.ENOSYS;
  }

  socket(domain: number, _type: number, protocol: number): number {
    if (this.socketError !== 0) return -this.socketError;
    if (domain !== AF_NETLINK) return -errnos.EAFNOSUPPORT;
    const fd = this.nextFd++;
    const socket = new ScriptedSocket(fd, protocol);
    socket.answers.set(`${SOL_NETLINK}:${NETLINK_RX_RING}`, this.ringAnswer);
    for (const [key, errno] of this.answers) socket.answers.set(key, errno);
    this.sockets.set(fd, socket);
    return fd;
  }

  bind(fd: number, address: Uint8Array): number {
    const socket = this.socketOf(fd);
    const view = dataView(address);
    const mask = view.getUint32(8, true);
    for (let b = 0; b < 32; b++) if (mask & (1 << b)) socket.groups.add(b + 1);
    socket.bound = true;
    return 0;
  }

  getsockname(fd: number, address: Uint8Array): number {
    const socket = this.socketOf(fd);
    const view = dataView(address);
    view.setUint16(0, AF_NETLINK, true);
    view.setUint32(4, socket.portid, true);
    return 12;
  }

  setsockopt(fd: number, level: number, name: number, value: Uint8Array): number {
    const socket = this.socketOf(fd);
    const key = `${level}:${name}`;
    const answer = socket.answers.get(key) ?? 0;
    if (answer !== 0) return -answer;
    const view = dataView(value);
    if (level === SOL_NETLINK && (name === NETLINK_RX_RING || name === NETLINK_TX_RING)) {
      if (socket.mapping !== null) return -errnos.EBUSY;
      const geometry: RingGeometry = {
        blockSize: view.getUint32(0, true),
        blockNr: view.getUint32(4, true),
        frameSize: view.getUint32(8, true),
        frameNr: view.getUint32(12, true),
      };
      const ring = geometry.blockNr === 0 ? null : geometry;
      if (name === NETLINK_RX_RING) socket.rxRing = ring;
      else socket.txRing = ring;
    } else if (level === SOL_NETLINK && name === NETLINK_ADD_MEMBERSHIP) {
      socket.groups.add(view.getUint32(0, true));
    } else if (level === SOL_NETLINK && name === NETLINK_DROP_MEMBERSHIP) {
      socket.groups.delete(view.getUint32(0, true));
    }
    socket.options.set(key, value.slice());
    return 0;
  }

  getsockopt(fd: number, level: number, name: number, value: Uint8Array): number {
    const socket = this.socketOf(fd);
    const view = dataView(value);
    if (level === SOL_SOCKET && name === SO_MEMINFO) {
      const words = new DataView(new ArrayBuffer(SK_MEMINFO_VARS * 4));
      words.setUint32(SK_MEMINFO_DROPS * 4, socket.skDrops, true);
      const n = Math.min(value.byteLength, SK_MEMINFO_VARS * 4);
      value.set(new Uint8Array(words.buffer, 0, n));
      return n;
    }
    if (level === SOL_SOCKET && name === SO_ERROR) {
      view.setInt32(0, socket.skErr, true);
      socket.skErr = 0;
      return 4;
    }
    if (level === SOL_NETLINK && name === NETLINK_LIST_MEMBERSHIPS) {
      const highest = Math.max(0, ...socket.groups);
      const need = Math.ceil(highest / 32) * 4;
      for (const group of socket.groups) {
        const word = Math.floor((group - 1) / 32) * 4;
        if (word + 4 <= value.byteLength) {
          view.setUint32(word, view.getUint32(word, true) | (1 << ((group - 1) % 32)), true);
        }
      }
      return need;
    }
    return -errnos.ENOPROTOOPT;
  }

  sendto(fd: number, data: Uint8Array | null, _flags: number, address: Uint8Array | null): number {
    const socket = this.socketOf(fd);
    const error = socket.sendErrors.shift();
    if (error !== undefined) return -error;
    if (data === null) {
      socket.flushes++;
      return socket.flushAnswer;
    }
    const to = address === null ? null : dataView(address).getUint32(4, true);
    socket.sent.push({ data: data.slice(), to });
    return data.byteLength;
  }

  sendmmsg(fd: number, vector: Uint8Array, count: number, _flags: number): number {
    const socket = this.socketOf(fd);
    const error = socket.sendErrors.shift();
    if (error !== undefined) return -error;
    const v = dataView(vector);
    const n = Math.min(count, socket.sendLimit);
    for (let i = 0; i < n; i++) {
      const m = i * 64;
      const name = pointer(v, m);
      const to = name === 0 ? null : this.resolveView(name, 12).getUint32(4, true);
      const iovs = this.resolveView(pointer(v, m + 16), pointer(v, m + 24) * 16);
      const parts: Uint8Array[] = [];
      for (let k = 0; k < pointer(v, m + 24); k++) {
        const length = pointer(iovs, k * 16 + 8);
        parts.push(this.resolve(pointer(iovs, k * 16), length).slice());
      }
      const data = concat(parts);
      socket.sent.push({ data, to });
      v.setUint32(m + 56, data.byteLength, true);
    }
    return n;
  }

  recv(fd: number, buffer: Uint8Array, flags: number): number {
    const socket = this.socketOf(fd);
    const early = this.receiveError(socket);
    if (early !== 0) return early;
    const datagram = flags & MSG_PEEK ? socket.queue[0] : socket.queue.shift();
    if (datagram === undefined) return -errnos.EAGAIN;
    const copied = Math.min(buffer.byteLength, datagram.data.byteLength);
    buffer.set(datagram.data.subarray(0, copied));
    return flags & MSG_TRUNC ? datagram.data.byteLength : copied;
  }

  recvmsg(fd: number, header: Uint8Array, flags: number): number {
    const socket = this.socketOf(fd);
    const early = this.receiveError(socket);
    if (early !== 0) return early;
    const datagram = socket.queue.shift();
    if (datagram === undefined) return -errnos.EAGAIN;
    return this.deliverInto(socket, dataView(header), 0, datagram, flags);
  }

  recvmmsg(fd: number, vector: Uint8Array, count: number, flags: number): number {
    const socket = this.socketOf(fd);
    socket.recvmmsgCalls.push(count);
    const early = this.receiveError(socket);
    if (early !== 0) return early;
    if (socket.queue.length === 0) return -errnos.EAGAIN;
    const v = dataView(vector);
    let n = 0;
    while (n < count && n < socket.recvLimit && socket.queue.length > 0) {
      const datagram = socket.queue.shift() as ScriptedDatagram;
      const length = this.deliverInto(socket, v, n * 64, datagram, flags);
      v.setUint32(n * 64 + 56, length, true);
      n++;
    }
    return n;
  }

  poll(fd: number, _events: number): number {
    const socket = this.socketOf(fd);
    let revents = POLLOUT;
    if (socket.queue.length > 0) revents |= POLLIN;
    if (socket.skErr !== 0) revents |= POLLERR;
    return revents;
  }

  mmap(length: number, _prot: number, flags: number, fd: number, offset: number): bigint {
    if (flags & MAP_ANONYMOUS) return BigInt(this.map(new ArrayBuffer(length)));
    const socket = this.socketOf(fd);
    if (this.mmapError !== 0) return -BigInt(this.mmapError);
    // RING-SPEC §2.2: offset 0, length = the configured rings (rounded to pages).
    const expected =
      (socket.rxRing === null ? 0 : ringSize(socket.rxRing)) +
      (socket.txRing === null ? 0 : ringSize(socket.txRing));
    const rounded = Math.ceil(length / this.pageSize) * this.pageSize;
    if (offset !== 0 || expected === 0 || rounded !== expected) return -BigInt(errnos.EINVAL);
    const memory = new ArrayBuffer(expected);
    const address = BigInt(this.map(memory));
    socket.mapping = { address, memory };
    return address;
  }

  munmap(address: bigint, length: number): number {
    this.munmaps.push({ address, length });
    const region = Math.floor(Number(address) / REGION);
    if (!this.regions.has(region)) return -errnos.EINVAL;
    this.regions.delete(region);
    return 0;
  }

  setns(fd: number, nstype: number): number {
    this.setnsCalls.push({ fd, nstype });
    return 0;
  }

  sysconf(_name: number): number {
    return this.pageSize;
  }

  close(fd: number): number {
    const socket = this.socketOf(fd);
    socket.closes++;
    return socket.closes === 1 ? 0 : -errnos.EBADF;
  }

  address(bytes: Uint8Array): bigint {
    let base = this.bases.get(bytes.buffer);
    if (base === undefined) base = this.map(bytes.buffer as ArrayBuffer);
    return BigInt(base + bytes.byteOffset);
  }

  view(address: bigint, length: number): ArrayBuffer {
    const a = Number(address);
    const memory = this.regions.get(Math.floor(a / REGION));
    if (memory === undefined || a % REGION !== 0 || length > memory.byteLength) {
      throw new Error(`scripted libc: no mapping of ${length} bytes at ${address}`);
    }
    return memory;
  }

  watch(fd: number, callback: (status: number) => void): PollWatcher {
    const watcher = new ScriptedWatcher(fd, callback);
    this.watchers.push(watcher);
    return watcher;
  }

  /** Whether memory at `address` is still mapped. */
  mapped(address: bigint): boolean {
    return this.regions.has(Math.floor(Number(address) / REGION));
  }

  private map(memory: ArrayBuffer): number {
    const base = this.nextRegion++ * REGION;
    this.regions.set(base / REGION, memory);
    this.bases.set(memory, base);
    return base;
  }

  /** The bytes at a fake address; throws when the range is not inside one buffer. */
  private resolve(address: number, length: number): Uint8Array {
    const memory = this.regions.get(Math.floor(address / REGION));
    const offset = address % REGION;
    if (memory === undefined || offset + length > memory.byteLength) {
      throw new Error(`scripted libc: bad pointer ${address.toString(16)} (+${length})`);
    }
    return new Uint8Array(memory, offset, length);
  }

  private resolveView(address: number, length: number): DataView {
    return dataView(this.resolve(address, length));
  }

  private receiveError(socket: ScriptedSocket): number {
    const error = socket.recvErrors.shift();
    if (error === errnos.ENOBUFS) socket.skDrops += socket.overrunDrops;
    if (error !== undefined) return -error;
    if (socket.skErr !== 0) {
      const e = socket.skErr;
      socket.skErr = 0;
      return -e;
    }
    return 0;
  }

  /** recvmsg into the msghdr at `m`: scatter, name, control, flags; returns msg_len. */
  private deliverInto(
    socket: ScriptedSocket,
    v: DataView,
    m: number,
    datagram: ScriptedDatagram,
    flags: number,
  ): number {
    const data = datagram.data;
    const iovlen = pointer(v, m + 24);
    const iovs = this.resolveView(pointer(v, m + 16), iovlen * 16);
    let copied = 0;
    for (let k = 0; k < iovlen && copied < data.byteLength; k++) {
      const take = Math.min(pointer(iovs, k * 16 + 8), data.byteLength - copied);
      this.resolve(pointer(iovs, k * 16), take).set(data.subarray(copied, copied + take));
      copied += take;
    }
    let msgFlags = copied < data.byteLength ? MSG_TRUNC : 0;
    const name = pointer(v, m);
    if (name !== 0 && v.getUint32(m + 8, true) >= 12) {
      const nv = this.resolveView(name, 12);
      const group = datagram.group ?? 0;
      nv.setUint16(0, AF_NETLINK, true);
      nv.setUint16(2, 0, true);
      nv.setUint32(4, datagram.portid ?? 0, true);
      nv.setUint32(8, group >= 1 && group <= 32 ? (1 << (group - 1)) >>> 0 : 0, true);
      v.setUint32(m + 8, 12, true);
    }
    const control = pointer(v, m + 32);
    const room = pointer(v, m + 40);
    let used = 0;
    const cmsg = (level: number, type: number, words: number[]) => {
      const length = 16 + words.length * 4;
      const space = (length + 7) & ~7;
      if (used + space > room) {
        msgFlags |= 0x8; // MSG_CTRUNC
        return;
      }
      const c = this.resolveView(control + used, space);
      c.setBigUint64(0, BigInt(length), true);
      c.setInt32(8, level, true);
      c.setInt32(12, type, true);
      for (let i = 0; i < words.length; i++) c.setUint32(16 + i * 4, words[i] >>> 0, true);
      used += space;
    };
    if (socket.option(SOL_SOCKET, SO_PASSCRED)) {
      cmsg(SOL_SOCKET, SCM_CREDENTIALS, [datagram.pid ?? 0, datagram.uid ?? 0, datagram.gid ?? 0]);
    }
    if (socket.option(SOL_NETLINK, NETLINK_PKTINFO)) {
      cmsg(SOL_NETLINK, NETLINK_PKTINFO, [datagram.group ?? 0]);
    }
    v.setBigUint64(m + 40, BigInt(used), true);
    v.setInt32(m + 48, msgFlags, true);
    return flags & MSG_TRUNC ? data.byteLength : copied;
  }
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function pointer(view: DataView, offset: number): number {
  return Number(view.getBigUint64(offset, true));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
