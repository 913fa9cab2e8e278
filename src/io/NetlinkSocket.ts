import { errnos } from '../errors/errno.js';
import { NetlinkError, type NetlinkOp } from '../errors/NetlinkError.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_LIST_MEMBERSHIPS,
} from '../netlink/constants.js';
import { SOL_NETLINK } from '../ring/constants.js';
import type { Ring } from '../ring/Ring.js';
import {
  POLLERR,
  POLLIN,
  POLLOUT,
  type RingEndpoint,
  type RingMode,
} from '../ring/RingEndpoint.js';
import {
  AF_NETLINK,
  SK_MEMINFO_DROPS,
  SK_MEMINFO_VARS,
  SO_MEMINFO,
  SOL_SOCKET,
} from './constants.js';
import { NL_FAMILY, SOCKADDR_NL_SIZE } from './layout.js';
import type { Libc, PollWatcher } from './libc.js';
import type { RingProducer } from './RingProducer.js';

/** What {@link NetlinkSocket}'s constructor needs; `openNetlinkSocket` builds it. */
export interface NetlinkSocketInit {
  readonly libc: Libc;
  readonly fd: number;
  readonly protocol: number;
  readonly portid: number;
  /** What fills the rings: the kernel's own, or the ring engine. */
  readonly producer: RingProducer;
  /** Milliseconds to rest the watcher after a wake-up (see `OpenNetlinkSocketOptions.coalesce`); default 0. */
  readonly coalesce?: number | undefined;
}

/**
 * An open netlink socket with an RX ring (and optionally a TX ring): the
 * {@link RingEndpoint} that sources and sinks consume. Open one with `openNetlinkSocket`.
 *
 * Its rings are filled by the kernel itself on Linux 3.10–4.5 with CONFIG_NETLINK_MMAP
 * (`ringMode` `'kernel'`) or by nlring's {@link RingEngine} everywhere else (`'engine'`);
 * `modeReason` says why. The consumer side is the same for both.
 *
 * `watch()` puts a libuv poll handle (`koffi.node.poll`) on the fd: it runs on the main
 * thread, keeps the process alive until stopped, and its callback never lets an exception
 * out (an exception escaping a koffi poll callback kills the process): errors go to
 * `onError`. In engine mode the handle is stopped while the RX ring is full and restarted by
 * `poll()` once a frame is free, since libuv polls level-triggered. libuv also stops the
 * handle itself when the socket reports POLLERR; the socket restarts it after the wake-up.
 *
 * `close()` closes the fd exactly once (stopping the watcher and unmapping first); after it
 * every method throws a NetlinkError EBADF. In kernel mode the ring views point into the
 * unmapped memory after close: release frames before closing, never after.
 *
 * @example
 * const socket = openNetlinkSocket({ protocol: 'route', groups: [rtnetlink.RTNLGRP_LINK] });
 * console.log(socket.ringMode, socket.modeReason, socket.portid);
 * fromRing(socket).subscribe((frame) => console.log(frame instanceof Frame ? frame.length : 'lost'));
 */
export class NetlinkSocket implements RingEndpoint {
  private _fd: number;
  /** The netlink protocol number (`NETLINK_ROUTE`, …). */
  readonly protocol: number;
  /** The socket's port id (`nl_pid` from getsockname after bind). */
  readonly portid: number;
  readonly mode: RingMode;
  readonly modeReason: string;
  readonly rx: Ring;
  readonly tx: Ring | null;

  private readonly libc: Libc;
  private readonly producer: RingProducer;
  private readonly kernelAddress: Uint8Array;
  private readonly meminfo = new Uint8Array(new ArrayBuffer(SK_MEMINFO_VARS * 4));
  private readonly intValue = new Uint8Array(new ArrayBuffer(4));
  private watcher: PollWatcher | null = null;
  private watching = false;
  private wake: () => void = noop;
  private onError: (error: unknown) => void = noop;
  private lastDrops = 0;
  private _closed = false;
  private readonly coalesce: number;
  /** Whether the watcher rests (see `coalesce`). */
  private resting = false;
  /** The rest's timer: one per socket, re-armed with `refresh()` for each rest. */
  private restTimer: ReturnType<typeof setTimeout> | null = null;
  /** When the rest ends (`performance.now()`). */
  private restEnd = 0;

  constructor(init: NetlinkSocketInit) {
    this.libc = init.libc;
    this._fd = init.fd;
    this.protocol = init.protocol;
    this.portid = init.portid;
    this.coalesce = init.coalesce ?? 0;
    const producer = init.producer;
    this.producer = producer;
    this.mode = producer.mode;
    this.modeReason = producer.reason;
    this.rx = producer.rx;
    this.tx = producer.tx;
    this.kernelAddress = new Uint8Array(new ArrayBuffer(SOCKADDR_NL_SIZE));
    new DataView(this.kernelAddress.buffer).setUint16(NL_FAMILY, AF_NETLINK, true);
  }

  /** The socket's file descriptor (-1 once closed). */
  get fd(): number {
    return this._fd;
  }

  /** Which producer fills the rings (same as {@link mode}). */
  get ringMode(): RingMode {
    return this.mode;
  }

  get closed(): boolean {
    return this._closed;
  }

  /**
   * Messages dropped so far: the socket's `sk_drops` (`SO_MEMINFO`) plus the datagrams the
   * engine could not deliver whole. After close, the last value read.
   */
  get drops(): number {
    if (this._closed) return this.lastDrops;
    let drops = this.producer.drops;
    if (
      this.libc.getsockopt(this.fd, SOL_SOCKET, SO_MEMINFO, this.meminfo) >
      SK_MEMINFO_DROPS * 4
    ) {
      drops += new DataView(this.meminfo.buffer).getUint32(SK_MEMINFO_DROPS * 4, true);
    }
    this.lastDrops = drops;
    return drops;
  }

  poll(): number {
    this.check('poll');
    // While the watcher rests, a socket the last read found empty is not read again: what
    // arrives waits for the next wake-up's batch (a read now would mostly be one more
    // recvmmsg answering EAGAIN). One left unread because the ring was full is read on as
    // frames come back. A rest whose time is up (its timer not yet run: the wake-up took
    // longer) is over.
    const resting = this.resting && performance.now() < this.restEnd;
    const mask = (resting ? this.producer.ready() : this.producer.poll()) | POLLOUT;
    this.syncWatcher();
    return mask;
  }

  watch(wake: () => void, onError: (error: unknown) => void): () => void {
    this.check('poll');
    if (this.watcher !== null) {
      throw new Error('watch: this socket already has a watcher; stop it first');
    }
    this.wake = wake;
    this.onError = onError;
    const watcher = this.libc.watch(this.fd, (status) => this.onPoll(status));
    this.watcher = watcher;
    this.watching = true;
    this.syncWatcher();
    return () => {
      if (this.watcher === watcher) this.unwatch();
    };
  }

  recv(): Uint8Array {
    this.check('recv');
    return this.producer.recv();
  }

  takeError(): number {
    this.check('recv');
    return this.producer.takeError();
  }

  flush(): number {
    this.check('tx');
    return this.producer.flush();
  }

  send(data: Uint8Array): number {
    this.check('send');
    if (!(data instanceof Uint8Array)) throw new TypeError('data: expected a Uint8Array');
    for (;;) {
      const r = this.libc.sendto(this.fd, data, 0, this.kernelAddress);
      if (r >= 0) return r;
      if (r !== -errnos.EINTR) throw new NetlinkError({ op: 'send', errno: -r });
    }
  }

  /**
   * Joins multicast group `group` (`NETLINK_ADD_MEMBERSHIP`; any group number, including
   * those above 32 that `bind` cannot express). Throws a NetlinkError with op `setsockopt`.
   *
   * @example
   * socket.addMembership(rtnetlink.RTNLGRP_IPV4_ROUTE);
   */
  addMembership(group: number): void {
    this.membership(NETLINK_ADD_MEMBERSHIP, group);
  }

  /**
   * Leaves multicast group `group` (`NETLINK_DROP_MEMBERSHIP`).
   *
   * @example
   * socket.dropMembership(rtnetlink.RTNLGRP_LINK);
   */
  dropMembership(group: number): void {
    this.membership(NETLINK_DROP_MEMBERSHIP, group);
  }

  /**
   * The groups this socket belongs to (`NETLINK_LIST_MEMBERSHIPS`), ascending.
   *
   * @example
   * socket.memberships(); // [1]
   */
  memberships(): number[] {
    this.check('getsockopt');
    let buffer = new Uint8Array(new ArrayBuffer(32));
    for (;;) {
      const r = this.libc.getsockopt(this.fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, buffer);
      if (r < 0) {
        throw new NetlinkError({ op: 'getsockopt', errno: -r, detail: 'NETLINK_LIST_MEMBERSHIPS' });
      }
      // The kernel answers the length it needs; grow and ask again when it did not fit.
      if (r <= buffer.byteLength) break;
      buffer = new Uint8Array(new ArrayBuffer(Math.ceil(r / 4) * 4));
    }
    const words = new DataView(buffer.buffer);
    const groups: number[] = [];
    for (let w = 0; w * 4 < buffer.byteLength; w++) {
      const bits = words.getUint32(w * 4, true);
      for (let b = 0; b < 32; b++) if (bits & (1 << b)) groups.push(w * 32 + b + 1);
    }
    return groups;
  }

  close(): void {
    if (this._closed) return;
    try {
      this.lastDrops = this.drops;
    } catch {
      // Diagnostics only.
    }
    this._closed = true;
    this.unwatch();
    this.producer.dispose();
    // close(2) is not retried on EINTR: Linux has released the fd either way.
    this.libc.close(this._fd);
    this._fd = -1;
  }

  private membership(option: number, group: number): void {
    this.check('setsockopt');
    if (!Number.isInteger(group) || group < 1 || group > 0xffffffff) {
      throw new TypeError(`group: expected a group number >= 1, got ${String(group)}`);
    }
    new DataView(this.intValue.buffer).setUint32(0, group, true);
    const r = this.libc.setsockopt(this.fd, SOL_NETLINK, option, this.intValue);
    if (r < 0) {
      const name = option === NETLINK_ADD_MEMBERSHIP ? 'ADD' : 'DROP';
      throw new NetlinkError({
        op: 'setsockopt',
        errno: -r,
        detail: `NETLINK_${name}_MEMBERSHIP ${group}`,
      });
    }
  }

  /** The poll handle's callback: nothing may escape it. */
  private onPoll(status: number): void {
    // A negative status is libuv's answer to POLLERR: it has stopped the handle already.
    if (status < 0) this.watching = false;
    // Rest the handle (with `coalesce`): datagrams that arrive meanwhile are read together
    // on the next wake-up, one batch instead of one wake-up each. The socket is read first,
    // then the rest starts before the wake-up runs, so the polls made during it neither
    // read an emptied socket again (a recvmmsg answering EAGAIN) nor restart the handle
    // only to stop it again afterwards (two epoll_ctl calls each way).
    if (this.coalesce > 0 && status >= 0 && !this.resting && !this._closed) {
      try {
        this.producer.poll();
      } catch (error) {
        this.report(error);
      }
      this.restEnd = performance.now() + this.coalesce;
      this.resting = true;
      // One timer re-armed, not one a rest: a new Timeout each time cost its allocation and
      // async-hooks set-up on every wake-up.
      if (this.restTimer === null) this.restTimer = setTimeout(this.endRest, this.coalesce);
      else this.restTimer.refresh();
    }
    try {
      this.wake();
    } catch (error) {
      this.report(error);
    }
    try {
      this.syncWatcher();
    } catch (error) {
      this.report(error);
    }
  }

  /**
   * The rest's timer. The socket is read here, not through the watcher: when the rest
   * gathered something, it is delivered and the next rest starts at once, the handle still
   * stopped, so steady traffic costs one wake-up a rest (this timer's) and no epoll_ctl.
   * Only a rest that gathered nothing (or a producer out of room) gives the socket back to
   * the watcher. Wake-ups after a long sleep are what costs here (docs/ARCHITECTURE.md,
   * "NFLOG wake-ups"): the watcher's would be a second one each rest.
   */
  private readonly endRest = (): void => {
    if (this._closed || this.watcher === null) {
      this.resting = false;
      return;
    }
    let mask = 0;
    if (!this.producer.paused) {
      try {
        mask = this.producer.poll();
      } catch (error) {
        this.report(error);
      }
    }
    if ((mask & (POLLIN | POLLERR)) !== 0) {
      this.restEnd = performance.now() + this.coalesce;
      this.restTimer?.refresh();
      try {
        this.wake();
      } catch (error) {
        this.report(error);
      }
      return;
    }
    this.resting = false;
    try {
      this.syncWatcher();
    } catch (error) {
      this.report(error);
    }
  };

  private report(error: unknown): void {
    try {
      this.onError(error);
    } catch {
      // An exception escaping a koffi poll callback kills the process: swallow it here.
    }
  }

  /**
   * Starts or stops the handle: it runs unless the watcher rests or the producer has no
   * room (`producer.paused`).
   */
  private syncWatcher(): void {
    const watcher = this.watcher;
    if (watcher === null || this._closed) return;
    const paused = this.resting || this.producer.paused;
    if (!paused && !this.watching) {
      watcher.start();
      this.watching = true;
    } else if (paused && this.watching) {
      watcher.stop();
      this.watching = false;
    }
  }

  private unwatch(): void {
    const watcher = this.watcher;
    if (watcher === null) return;
    this.watcher = null;
    this.watching = false;
    if (this.restTimer !== null) clearTimeout(this.restTimer);
    this.restTimer = null;
    this.resting = false;
    this.wake = noop;
    this.onError = noop;
    watcher.close();
  }

  private check(op: NetlinkOp): void {
    if (this._closed) {
      throw new NetlinkError({ op, errno: errnos.EBADF, detail: 'the socket is closed' });
    }
  }
}

function noop(): void {}
