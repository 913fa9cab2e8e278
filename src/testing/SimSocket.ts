import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { RingGeometryError } from '../errors/RingGeometryError.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_NO_ENOBUFS,
} from '../netlink/constants.js';
import { NetlinkMessage, walkMessages } from '../netlink/NetlinkMessage.js';
import {
  NETLINK_RX_RING,
  NETLINK_TX_RING,
  NL_MMAP_REQ_SIZE,
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../ring/constants.js';
import type { RingGeometry } from '../ring/geometry.js';
import { ringSize } from '../ring/geometry.js';
import { Ring } from '../ring/Ring.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import { POLLERR, POLLIN, POLLOUT } from '../ring/RingEndpoint.js';
import { validateRingRequest } from '../ring/validateRingRequest.js';
import { buildDone } from './buildDone.js';
import type { Reservation } from './Reservation.js';

/**
 * How the simulated kernel decides between building a message in the ring (VALID) and
 * queueing it on the socket (COPY) when a delivery says `path: 'auto'`:
 * - `'faithful'` (default): multicast (group ≠ 0) → COPY; a datagram larger than the frame
 *   (`maxlen`) → COPY; a unicast that fits → in the ring. This is what the kernel did for
 *   the messages it built in the ring (ACKs, dump parts, nfqueue, nflog, genl unicast;
 *   RING-SPEC §4.1, §7).
 * - `'valid-when-fits'`: in the ring whenever the datagram fits, multicast included. A
 *   **deviation** from the kernel (it put every multicast through COPY), offered because it
 *   is simpler to reason about and matches a ring engine that fills frames from `recvmmsg`.
 */
export type DeliveryPolicy = 'faithful' | 'valid-when-fits';

/**
 * Which path a delivery takes: `'auto'` applies the socket's {@link DeliveryPolicy};
 * `'ring'` is a kernel-allocated skb (in the ring when it fits, COPY otherwise, §4.1 step 3);
 * `'copy'` is an ordinary skb (the COPY path of §4.2).
 */
export type DeliveryPath = 'auto' | 'ring' | 'copy';

/**
 * What happened to a delivery: `'valid'` (built in the ring), `'copy'` (queued on the
 * socket: a COPY frame when there is an RX ring), or `'dropped'` (overrun, §4.3).
 */
export type DeliveryResult = 'valid' | 'copy' | 'dropped';

/** Header fields and path of one delivery (RING-SPEC §4.5). */
export interface DeliverOptions {
  /** `nm_group`: the multicast group number, 0 (default) for unicast. */
  group?: number | undefined;
  /** `nm_pid`: the sender's process id (0, the default, for the kernel). */
  pid?: number | undefined;
  /** `nm_uid`: the sender's uid; default 0. */
  uid?: number | undefined;
  /** `nm_gid`: the sender's gid; default 0. */
  gid?: number | undefined;
  /** Default `'auto'`. */
  path?: DeliveryPath | undefined;
}

/** Options of a simulated socket (SimulatedKernel.socket / open). */
export interface SimSocketOptions {
  /** The netlink port id; default: the kernel picks a free one. */
  portid?: number | undefined;
  /** PAGE_SIZE for the geometry rules and mmap rounding; default the kernel's. */
  pageSize?: number | undefined;
  /** Default `'faithful'`. */
  policy?: DeliveryPolicy | undefined;
  /** NETLINK_NO_ENOBUFS: overruns count drops but raise no ENOBUFS; default false. */
  noEnobufs?: boolean | undefined;
  /**
   * Reproduce the kernel's dump-space off-by-one (RING-SPEC §4.4: `n -= frame_max` instead of
   * `frame_max + 1`); default true.
   */
  dumpOffByOne?: boolean | undefined;
  /** Multicast groups to join (NETLINK_ADD_MEMBERSHIP). */
  groups?: readonly number[] | undefined;
  /**
   * `sk_rcvbuf` for the admission test of the COPY path (§4.2 step 1), in bytes of queued
   * datagrams; default Infinity (only CONGESTED refuses).
   */
  rcvbuf?: number | undefined;
  /** Whether the caller holds CAP_NET_ADMIN (§2.1.1); default true. */
  privileged?: boolean | undefined;
  /** Bytes of ring memory the socket may allocate; beyond, setsockopt fails ENOMEM. Default 256 MiB. */
  memoryLimit?: number | undefined;
  /** NETLINK_EXT_ACK: extended-ack TLVs in error replies; default true. */
  extAck?: boolean | undefined;
  /** NETLINK_CAP_ACK: error replies echo only the request header; default false. */
  capAck?: boolean | undefined;
  /**
   * Whether the RX ring carries claim numbers ({@link Ring.claims}, an nlring extension) so
   * the consumer reads frames in exactly the order they were claimed; default true, as the
   * ring engine does. False models the kernel's own rings, which carry none: the consumer
   * then orders frames by their status words alone, best-effort around released deferred
   * frames (RING-SPEC §4.6).
   */
  claimOrder?: boolean | undefined;
}

/** One datagram the process sent: through the TX ring (`'ring'`) or `send()` (`'send'`). */
export interface SentDatagram {
  /** The bytes, copied out of the frame or buffer. */
  readonly data: Uint8Array;
  /** Which path carried it. */
  readonly via: 'ring' | 'send';
  /** The messages in it, detached (a malformed tail is left out). */
  readonly messages: readonly NetlinkMessage[];
}

/** Hooks from the simulated kernel into which a socket sends and which it leaves on close. */
export interface SimSocketHooks {
  /** A datagram the socket sent to the kernel (port 0). */
  transmit(socket: SimSocket, datagram: SentDatagram): void;
  /** The socket was closed. */
  closed(socket: SimSocket): void;
}

interface RingState {
  ring: Ring;
  buffer: SharedArrayBuffer;
  byteOffset: number;
  /** The kernel's private head index (RING-SPEC §3). */
  head: number;
  /** Frames RESERVED and not yet delivered (`ring.pending`). */
  pending: number;
}

const MODE_REASON = 'simulated kernel (nlring/testing): the kernel side of RING-SPEC, scripted';

/**
 * One netlink socket of a {@link SimulatedKernel}: the process side is a {@link RingEndpoint}
 * (`mode: 'simulated'`) that sources and sinks consume; the kernel side is a script — the
 * test calls {@link deliver}, {@link abort}, {@link reserve}, {@link dump},
 * {@link setError} — played by the rules of RING-SPEC §2–§6 as §7 asks of an emulator:
 * - setsockopt/mmap follow §2.1/§2.2 (EBUSY once mapped, RX-then-TX layout, zeroed frames,
 *   queue purge); the CAP_NET_ADMIN check is an option (`privileged`) rather than a fact.
 * - One private head per ring. The in-ring path steps over SKIP frames, the COPY path does
 *   not. Ring full → drop, `drops`++, ENOBUFS once per congestion episode (the CONGESTED
 *   latch, cleared when the COPY queue is empty and poll()/recv() runs), unless `noEnobufs`.
 * - Every RX claim — in-ring (RESERVED, then VALID; aborted ones too) and COPY alike — is
 *   numbered in the order frames are claimed, before the status store ({@link Ring.claim},
 *   {@link Ring.claims}), unless `claimOrder: false` models the kernel's rings, which carry
 *   no such numbers.
 * - One datagram, one frame, never merged or split. Header fields are written before the
 *   status, which is a release store.
 * - Dumps are flow-controlled: the first datagram goes out at once, the rest one per "dump
 *   space" check in poll() (with the kernel's off-by-one by default); dump data is never
 *   dropped for lack of room, it waits.
 * - flush() is the §5.2 TX walk; every datagram sent is recorded in {@link sent} and handed
 *   to the kernel's request handler.
 *
 * Deviations: no concurrency (RESERVED is visible only through {@link reserve}); dump steps
 * run from poll() only on a socket with an RX ring (the kernel could also run one from a
 * `recvmsg`); a first dump step that finds the ring full stays in the backlog (counted as an
 * overrun) instead of failing the request; no zero-copy TX era.
 *
 * Every script step that may change poll() wakes the watcher synchronously (guarded
 * against re-entrancy), so a source over this socket emits inside the step, which is what
 * makes marble tests in virtual time work.
 *
 * @example
 * const kernel = new SimulatedKernel();
 * const socket = kernel.open({ rx: { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 } });
 * fromRing(socket).subscribe((f) => console.log(f instanceof Frame ? f.length : 'lost'));
 * socket.deliver(buildMessage({ type: 16, seq: 1 })); // logs 16
 */
export class SimSocket implements RingEndpoint {
  readonly mode = 'simulated' as const;
  readonly modeReason = MODE_REASON;
  /** Wakes come synchronously from script steps: sources drain to the end inside them. */
  readonly drainsSynchronously = true;
  /** The netlink port id. */
  readonly portid: number;
  /** PAGE_SIZE of this socket's rules. */
  readonly pageSize: number;
  /** The delivery policy for `path: 'auto'`. */
  readonly policy: DeliveryPolicy;
  /** Whether dump space is computed with the kernel's off-by-one. */
  readonly dumpOffByOne: boolean;
  /** Whether the RX ring carries claim numbers ({@link SimSocketOptions.claimOrder}). */
  readonly claimOrder: boolean;
  /** Every datagram sent so far, oldest first. */
  readonly sent: SentDatagram[] = [];

  private readonly hooks: SimSocketHooks;
  private readonly rcvbuf: number;
  private readonly privileged: boolean;
  private readonly memoryLimit: number;
  private readonly memberships = new Set<number>();
  private noEnobufs: boolean;
  private extAckOn: boolean;
  private capAckOn: boolean;
  private rxState: RingState | null = null;
  private txState: RingState | null = null;
  private mapping: SharedArrayBuffer | null = null;
  private mappedCount = 0;
  /** The socket receive queue: COPY messages, oldest at `queueHead`. */
  private queue: Uint8Array[] = [];
  private queueHead = 0;
  private queueBytes = 0;
  private isCongested = false;
  private skErr = 0;
  private dropCount = 0;
  /** Dump datagrams not yet delivered, NLMSG_DONE last; null when no dump runs. */
  private backlog: Uint8Array[] | null = null;
  private watcher: { wake: () => void; onError: (error: unknown) => void } | null = null;
  private waking = false;
  private wakeAgain = false;
  private isClosed = false;

  /** Made by {@link SimulatedKernel.socket}; not meant to be called directly. */
  constructor(portid: number, pageSize: number, options: SimSocketOptions, hooks: SimSocketHooks) {
    this.portid = portid;
    this.pageSize = pageSize;
    this.hooks = hooks;
    this.policy = options.policy ?? 'faithful';
    if (this.policy !== 'faithful' && this.policy !== 'valid-when-fits') {
      throw new TypeError(
        `policy: expected 'faithful' or 'valid-when-fits', got ${String(this.policy)}`,
      );
    }
    this.noEnobufs = options.noEnobufs ?? false;
    this.dumpOffByOne = options.dumpOffByOne ?? true;
    this.claimOrder = options.claimOrder ?? true;
    this.rcvbuf = options.rcvbuf ?? Number.POSITIVE_INFINITY;
    this.privileged = options.privileged ?? true;
    this.memoryLimit = options.memoryLimit ?? 256 * 1024 * 1024;
    this.extAckOn = options.extAck ?? true;
    this.capAckOn = options.capAck ?? false;
    for (const g of options.groups ?? []) this.memberships.add(g);
  }

  // ---------------------------------------------------------------- process side: state

  /** The RX ring as mapped by the process. Throws NetlinkError EFAULT until mmap(). */
  get rx(): Ring {
    const rx = this.rxState;
    if (rx === null || this.mappedCount === 0) {
      throw new NetlinkError({
        op: 'mmap',
        errno: errnos.EFAULT,
        detail: 'no RX ring is mapped: setsockopt(NETLINK_RX_RING) then mmap()',
      });
    }
    return rx.ring;
  }

  /** The TX ring as mapped, or null when none is configured. Throws EFAULT until mmap(). */
  get tx(): Ring | null {
    const tx = this.txState;
    if (tx === null) return null;
    if (this.mappedCount === 0) {
      throw new NetlinkError({
        op: 'mmap',
        errno: errnos.EFAULT,
        detail: 'the TX ring is not mapped',
      });
    }
    return tx.ring;
  }

  /** `sk_drops`: messages dropped by overruns so far. */
  get drops(): number {
    return this.dropCount;
  }

  /** Whether close() was called. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Live mappings (`mapped`, §2.2). */
  get mapped(): number {
    return this.mappedCount;
  }

  /** The CONGESTED latch of §4.3. */
  get congested(): boolean {
    return this.isCongested;
  }

  /** COPY messages waiting on the socket receive queue. */
  get queued(): number {
    return this.queue.length - this.queueHead;
  }

  /** RX frames RESERVED by {@link reserve} and not yet settled (`ring.pending`). */
  get pending(): number {
    return this.rxState?.pending ?? 0;
  }

  /** Whether a dump is running (its backlog, NLMSG_DONE included, is not yet delivered). */
  get dumping(): boolean {
    return this.backlog !== null;
  }

  /** Dump datagrams waiting for ring space, NLMSG_DONE included. */
  get dumpBacklog(): number {
    return this.backlog?.length ?? 0;
  }

  /** The multicast groups the socket belongs to. */
  get groups(): readonly number[] {
    return [...this.memberships].sort((a, b) => a - b);
  }

  /** Whether error replies carry extended-ack TLVs (NETLINK_EXT_ACK). */
  get extAck(): boolean {
    return this.extAckOn;
  }

  /** Whether error replies echo only the request header (NETLINK_CAP_ACK). */
  get capAck(): boolean {
    return this.capAckOn;
  }

  /** The kernel's private head index of a ring (RING-SPEC §3); -1 when it is not configured. */
  head(which: 'rx' | 'tx'): number {
    const state = which === 'rx' ? this.rxState : this.txState;
    return state === null ? -1 : state.head;
  }

  // ---------------------------------------------------------------- process side: setup

  /**
   * setsockopt(fd, SOL_NETLINK, optname, value, optlen). Rings (NETLINK_RX_RING,
   * NETLINK_TX_RING) take an `nl_mmap_req` and follow every rule of RING-SPEC §2.1 in order
   * (errors are {@link RingGeometryError}); on success the ring is (re)built zeroed, its head
   * is 0, and the queue tied to it is purged (§2.1.9: the receive queue for RX). Integer
   * options: NETLINK_ADD_MEMBERSHIP / NETLINK_DROP_MEMBERSHIP (a group), NETLINK_NO_ENOBUFS
   * (switching it on clears CONGESTED), NETLINK_EXT_ACK, NETLINK_CAP_ACK. Others: ENOPROTOOPT.
   */
  setsockopt(optname: number, value: RingGeometry | number, optlen?: number): void {
    this.ensureOpen('setsockopt');
    if (optname === NETLINK_RX_RING || optname === NETLINK_TX_RING) {
      if (typeof value !== 'object' || value === null) {
        throw new TypeError('value: a ring option takes an nl_mmap_req (RingGeometry)');
      }
      this.setRing(optname === NETLINK_RX_RING ? 'rx' : 'tx', value, optlen ?? NL_MMAP_REQ_SIZE);
      return;
    }
    if (typeof value !== 'number') throw new TypeError(`value: option ${optname} takes an int`);
    if ((optlen ?? 4) < 4) {
      throw new NetlinkError({
        op: 'setsockopt',
        errno: errnos.EINVAL,
        detail: `optlen ${optlen}`,
      });
    }
    switch (optname) {
      case NETLINK_ADD_MEMBERSHIP:
      case NETLINK_DROP_MEMBERSHIP:
        if (!Number.isInteger(value) || value <= 0) {
          throw new NetlinkError({
            op: 'setsockopt',
            errno: errnos.EINVAL,
            detail: `group ${value}`,
          });
        }
        if (optname === NETLINK_ADD_MEMBERSHIP) this.memberships.add(value);
        else this.memberships.delete(value);
        return;
      case NETLINK_NO_ENOBUFS:
        this.noEnobufs = value !== 0;
        if (this.noEnobufs && this.isCongested) {
          this.isCongested = false;
          this.notify();
        }
        return;
      case NETLINK_EXT_ACK:
        this.extAckOn = value !== 0;
        return;
      case NETLINK_CAP_ACK:
        this.capAckOn = value !== 0;
        return;
      default:
        throw new NetlinkError({
          op: 'setsockopt',
          errno: errnos.ENOPROTOOPT,
          detail: `option ${optname} is not simulated`,
        });
    }
  }

  private setRing(which: 'rx' | 'tx', req: RingGeometry, optlen: number): void {
    const state = which === 'rx' ? this.rxState : this.txState;
    const other = which === 'rx' ? this.txState : this.rxState;
    const kind = validateRingRequest(req, {
      pageSize: this.pageSize,
      privileged: this.privileged,
      optlen,
      mapped: this.mappedCount,
      pending: state?.pending ?? 0,
      exists: state !== null,
      maxBytes: this.memoryLimit - (other === null ? 0 : other.ring.size),
    });
    let next: RingState | null = null;
    if (kind === 'create') {
      // The kernel reads four u32s.
      const geometry: RingGeometry = {
        blockSize: req.blockSize >>> 0,
        blockNr: req.blockNr >>> 0,
        frameSize: req.frameSize >>> 0,
        frameNr: req.frameNr >>> 0,
      };
      let buffer: SharedArrayBuffer;
      try {
        buffer = new SharedArrayBuffer(ringSize(geometry)); // zeroed: every frame UNUSED
      } catch (error) {
        if (error instanceof RangeError) throw new RingGeometryError('memory', error.message);
        throw error;
      }
      next = {
        ring: new Ring(buffer, geometry, {
          pageSize: this.pageSize,
          claims: which === 'rx' && this.claimOrder,
        }),
        buffer,
        byteOffset: 0,
        head: 0,
        pending: 0,
      };
    }
    if (which === 'rx') {
      this.rxState = next;
      // §2.1.9: purge the receive queue; waiting COPY messages are lost.
      this.queue = [];
      this.queueHead = 0;
      this.queueBytes = 0;
    } else {
      this.txState = next; // the write queue is not modelled: nothing to purge
    }
    this.mapping = null;
  }

  /**
   * mmap(NULL, length, PROT_READ|PROT_WRITE, MAP_SHARED, fd, offset), RING-SPEC §2.2: EINVAL
   * for an offset other than 0, no ring, or a length that does not round up (to pages) to
   * the size of the RX ring plus the TX ring. Returns the mapping: RX blocks, then TX blocks.
   * Every mapping of the socket shows the same memory; each adds one to {@link mapped}.
   */
  mmap(length: number, offset = 0): SharedArrayBuffer {
    this.ensureOpen('mmap');
    const rx = this.rxState;
    const tx = this.txState;
    const rxSize = rx === null ? 0 : rx.ring.size;
    const expected = rxSize + (tx === null ? 0 : tx.ring.size);
    const fail = (detail: string) => new NetlinkError({ op: 'mmap', errno: errnos.EINVAL, detail });
    if (offset !== 0) throw fail(`offset ${offset}: the rings are mapped together at offset 0`);
    if (expected === 0) throw fail('no ring is configured');
    if (!Number.isSafeInteger(length) || length <= 0) throw fail(`length ${length}`);
    const rounded = Math.ceil(length / this.pageSize) * this.pageSize;
    if (rounded !== expected) {
      throw fail(`length ${length} (${rounded} in pages) != ${expected} bytes of rings`);
    }
    if (this.mapping === null) {
      // Lay the rings out RX then TX in one buffer, keeping what they hold (a configured ring
      // is live before it is mapped, §2.1).
      const mapping = new SharedArrayBuffer(expected);
      const bytes = new Uint8Array(mapping);
      if (rx !== null) this.move(rx, mapping, bytes, 0);
      if (tx !== null) this.move(tx, mapping, bytes, rxSize);
      this.mapping = mapping;
    }
    this.mappedCount++;
    return this.mapping;
  }

  private move(state: RingState, mapping: SharedArrayBuffer, bytes: Uint8Array, at: number): void {
    const old = state.ring;
    bytes.set(new Uint8Array(state.buffer, state.byteOffset, old.size), at);
    const ring = new Ring(mapping, old.geometry, {
      byteOffset: at,
      pageSize: this.pageSize,
      claims: old.claims !== null,
    });
    // The claims made while the ring was live but unmapped (§2.1) go with it.
    if (old.claims !== null) ring.claims?.set(old.claims);
    ring.claimed = old.claimed;
    state.ring = ring;
    state.buffer = mapping;
    state.byteOffset = at;
  }

  /** munmap() of one mapping: {@link mapped} goes down by one. EINVAL when nothing is mapped. */
  munmap(): void {
    this.ensureOpen('mmap');
    if (this.mappedCount === 0) {
      throw new NetlinkError({ op: 'mmap', errno: errnos.EINVAL, detail: 'nothing is mapped' });
    }
    this.mappedCount--;
  }

  // ---------------------------------------------------------------- process side: I/O

  /**
   * poll(2), RING-SPEC §6: dump continuation first (one step per "dump space" check, §4.4),
   * then rcv_wake (clears CONGESTED when the receive queue is empty), then the mask: POLLIN
   * when a COPY message is queued or any RX frame is VALID, POLLERR while an error is
   * pending, POLLOUT always. Without an RX ring it is plain datagram_poll.
   */
  poll(): number {
    this.ensureOpen('poll');
    const rx = this.rxState;
    if (rx !== null) {
      while (this.backlog !== null && this.dumpSpace(rx)) {
        const errno = this.dumpStep();
        if (errno !== 0) {
          this.skErr = errno;
          break;
        }
      }
      if (this.queued === 0) this.isCongested = false;
    }
    let mask = POLLOUT;
    if (this.skErr !== 0) mask |= POLLERR;
    if (this.queued > 0) mask |= POLLIN;
    else if (rx !== null) {
      const ring = rx.ring;
      for (let i = 0; i < ring.frameNr; i++) {
        if (ring.status(i) === NL_MMAP_STATUS_VALID) {
          mask |= POLLIN;
          break;
        }
      }
    }
    return mask;
  }

  /**
   * Calls `wake` synchronously after every script step that may change poll(); errors it
   * throws go to `onError`. One watcher at a time (a second one is EBUSY); the returned
   * function stops it.
   */
  watch(wake: () => void, onError: (error: unknown) => void): () => void {
    this.ensureOpen('poll');
    if (this.watcher !== null) {
      throw new NetlinkError({
        op: 'poll',
        errno: errnos.EBUSY,
        detail: 'the socket is already watched',
      });
    }
    const w = { wake, onError };
    this.watcher = w;
    return () => {
      if (this.watcher === w) this.watcher = null;
    };
  }

  /**
   * recvmsg() for the oldest queued message, whole (§4.2: FIFO, the same order as the COPY
   * frames). Like the kernel, a pending socket error comes first: it is thrown (and
   * cleared) before any data. Throws NetlinkError EAGAIN when the queue is empty. Emptying
   * the queue clears CONGESTED.
   */
  recv(): Uint8Array {
    this.ensureOpen('recv');
    if (this.skErr !== 0) {
      const errno = this.skErr;
      this.skErr = 0;
      throw new NetlinkError({ op: 'recv', errno });
    }
    if (this.queued === 0) {
      throw new NetlinkError({ op: 'recv', errno: errnos.EAGAIN, detail: 'no message is queued' });
    }
    const data = this.queue[this.queueHead];
    this.queue[this.queueHead++] = EMPTY;
    this.queueBytes -= data.byteLength;
    if (this.queueHead === this.queue.length) {
      this.queue = [];
      this.queueHead = 0;
    }
    // Without a ring, dumps advance from recvmsg (§4.4), rcvbuf permitting.
    if (this.rxState === null && this.backlog !== null && this.queueBytes <= this.rcvbuf / 2) {
      const errno = this.dumpStep();
      if (errno !== 0) this.skErr = errno;
    }
    if (this.queued === 0) this.isCongested = false;
    return data;
  }

  /** getsockopt(SO_ERROR): the pending errno, cleared; 0 if none. */
  takeError(): number {
    this.ensureOpen('getsockopt');
    const errno = this.skErr;
    this.skErr = 0;
    return errno;
  }

  /**
   * sendto(fd, NULL, 0): the TX walk of RING-SPEC §5.2, from the kernel's private TX head:
   * stop at the first frame that is not VALID; `nm_len > maxlen` throws NetlinkError EINVAL
   * with that frame left VALID and the head where it was; otherwise copy the data, set the
   * frame UNUSED and advance, then send it. Returns the bytes sent (0 when none, or without
   * a TX ring).
   */
  flush(): number {
    this.ensureOpen('send');
    const tx = this.txState;
    if (tx === null) return 0;
    let total = 0;
    for (;;) {
      const ring = tx.ring;
      const index = tx.head;
      if (ring.status(index) !== NL_MMAP_STATUS_VALID) break;
      const length = ring.length(index);
      if (length > ring.maxlen) {
        throw new NetlinkError({
          op: 'tx',
          errno: errnos.EINVAL,
          detail: `TX frame ${index}: nm_len ${length} > ${ring.maxlen}`,
        });
      }
      const at = ring.dataOffset(index);
      const data = ring.bytes.slice(at, at + length);
      // §5.2 step 4: released and advanced before the message is processed.
      ring.setStatus(index, NL_MMAP_STATUS_UNUSED);
      tx.head = ring.next(index);
      this.transmit(data, 'ring');
      total += length;
    }
    return total;
  }

  /** sendto(fd, data): one datagram to the kernel, not through a ring. Returns its length. */
  send(data: Uint8Array): number {
    this.ensureOpen('send');
    if (!(data instanceof Uint8Array)) throw new TypeError('data: expected a Uint8Array');
    this.transmit(data.slice(), 'send');
    return data.byteLength;
  }

  /** Closes the socket: stops the watcher, drops the queue and any dump. Idempotent. */
  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.watcher = null;
    this.backlog = null;
    this.queue = [];
    this.queueHead = 0;
    this.queueBytes = 0;
    this.hooks.closed(this);
  }

  // ---------------------------------------------------------------- kernel side: script

  /**
   * The kernel delivers one datagram (one frame; never merged or split). `path: 'auto'`
   * applies the policy. In the ring: allocation steps over SKIP frames (§4.1 step 4), then
   * RESERVED → header fields → VALID. COPY: admission (rcvbuf, CONGESTED), then the head
   * frame must be UNUSED — SKIP is not stepped over (§4.2) — then the bytes are queued and the
   * frame gets only the header (`nm_len` may exceed `maxlen`) and COPY. Ring full → dropped,
   * counted in {@link drops}, ENOBUFS once per congestion episode unless `noEnobufs`.
   */
  deliver(data: Uint8Array, options: DeliverOptions = {}): DeliveryResult {
    this.ensureOpen('ring');
    if (!(data instanceof Uint8Array)) throw new TypeError('data: expected a Uint8Array');
    const group = options.group ?? 0;
    let path = options.path ?? 'auto';
    if (path === 'auto') path = this.policy === 'faithful' && group !== 0 ? 'copy' : 'ring';
    else if (path !== 'ring' && path !== 'copy') {
      throw new TypeError(`path: expected 'auto', 'ring' or 'copy', got ${String(path)}`);
    }
    const result = this.put(
      data,
      group,
      options.pid ?? 0,
      options.uid ?? 0,
      options.gid ?? 0,
      path,
      true,
    );
    this.notify();
    return result;
  }

  /**
   * A message allocated in the ring and then freed without being delivered (a filter drop,
   * a producer error; §4.1 step 9): the frame becomes VALID with `nm_len` 0, its other header
   * fields left from its previous use. Returns `'valid'`, or `'dropped'` when the ring was
   * full (an overrun). Needs an RX ring.
   */
  abort(): 'valid' | 'dropped' {
    const reservation = this.reserve();
    if (reservation === null) return 'dropped';
    reservation.abort();
    return 'valid';
  }

  /**
   * Allocates the next RX frame in the ring (stepping over SKIP) and leaves it RESERVED until
   * the returned {@link Reservation} is committed or aborted, so tests can see a frame being
   * built (§4.1, §4.6). Returns null when the ring is full (an overrun, counted). Needs an RX
   * ring (EINVAL otherwise).
   */
  reserve(): Reservation | null {
    this.ensureOpen('ring');
    const rx = this.rxState;
    if (rx === null) {
      throw new NetlinkError({
        op: 'ring',
        errno: errnos.EINVAL,
        detail: 'in-ring allocation needs an RX ring',
      });
    }
    const index = this.allocate(rx);
    if (index < 0) {
      this.notify();
      return null;
    }
    let settled = false;
    const settle = (): void => {
      if (settled) throw new Error(`frame ${index}: the reservation was already settled`);
      this.ensureOpen('ring');
      settled = true;
      rx.pending--;
    };
    return {
      index,
      get settled() {
        return settled;
      },
      commit: (data, header = {}) => {
        // rx.ring, not a captured view: an mmap() may have moved the ring since.
        const ring = rx.ring;
        if (data.byteLength > ring.maxlen) {
          throw new RangeError(`data: ${data.byteLength} bytes exceed the frame's ${ring.maxlen}`);
        }
        settle();
        this.fill(
          ring,
          index,
          data,
          header.group ?? 0,
          header.pid ?? 0,
          header.uid ?? 0,
          header.gid ?? 0,
        );
        this.notify();
      },
      abort: () => {
        settle();
        rx.ring.setLength(index, 0);
        rx.ring.setStatus(index, NL_MMAP_STATUS_VALID);
        this.notify();
      },
    };
  }

  /**
   * Starts a dump: `datagrams` (each one datagram, e.g. from packDatagram) followed by an
   * NLMSG_DONE for `seq` carrying `errno`. The first datagram goes out at once, as the
   * kernel runs the first dump step inside the request's sendmsg; the rest wait in a backlog
   * and go out one per "dump space" check in poll() (§4.4): the head frame and the frame
   * `floor(frame_max / 2)` ahead must both be UNUSED. Dump datagrams are never dropped for
   * lack of room. A datagram larger than `maxlen` becomes COPY. Throws NetlinkError EBUSY
   * while another dump runs.
   */
  dump(
    datagrams: readonly Uint8Array[],
    options: { seq?: number; pid?: number; errno?: number } = {},
  ): void {
    this.ensureOpen('dump');
    if (this.backlog !== null) {
      throw new NetlinkError({
        op: 'dump',
        errno: errnos.EBUSY,
        detail: 'a dump is already running',
      });
    }
    const backlog = datagrams.map((d): Uint8Array => {
      if (!(d instanceof Uint8Array)) throw new TypeError('datagrams: expected Uint8Arrays');
      return d.slice();
    });
    backlog.push(
      buildDone(options.seq ?? 0, { errno: options.errno ?? 0, pid: options.pid ?? this.portid }),
    );
    this.backlog = backlog;
    this.dumpStep();
    this.notify();
  }

  /** Sets `sk_err` (a positive errno): poll() reports POLLERR until takeError() or recv(). */
  setError(errno: number): void {
    this.ensureOpen('ring');
    if (!Number.isInteger(errno) || errno === 0)
      throw new TypeError(`errno: expected a non-zero errno, got ${errno}`);
    this.skErr = Math.abs(errno);
    this.notify();
  }

  // ---------------------------------------------------------------- internals

  /** Whether the socket is a member of `group`. */
  isMember(group: number): boolean {
    return this.memberships.has(group);
  }

  private ensureOpen(op: NetlinkError['op']): void {
    if (this.isClosed) {
      throw new NetlinkError({ op, errno: errnos.EBADF, detail: 'the socket is closed' });
    }
  }

  /** §4.3: an overrun. ENOBUFS once per congestion episode; the drop always counts. */
  private overrun(): void {
    if (!this.noEnobufs && !this.isCongested) {
      this.isCongested = true;
      this.skErr = errnos.ENOBUFS;
    }
    this.dropCount++;
  }

  /**
   * §4.1 steps 4–6: step over SKIP, claim the head frame (RESERVED, numbered in claim order)
   * or overrun (-1).
   */
  private allocate(rx: RingState): number {
    const ring = rx.ring;
    for (let n = 0; n < ring.frameNr && ring.status(rx.head) === NL_MMAP_STATUS_SKIP; n++) {
      rx.head = ring.next(rx.head);
    }
    if (ring.status(rx.head) !== NL_MMAP_STATUS_UNUSED) {
      this.overrun();
      return -1;
    }
    const index = rx.head;
    ring.claim(index, NL_MMAP_STATUS_RESERVED);
    rx.pending++;
    rx.head = ring.next(index);
    return index;
  }

  /** §4.1 step 8: payload, header fields, then VALID with a release store. */
  private fill(
    ring: Ring,
    index: number,
    data: Uint8Array,
    group: number,
    pid: number,
    uid: number,
    gid: number,
  ): void {
    ring.bytes.set(data, ring.dataOffset(index));
    ring.setHeader(index, data.byteLength, group, pid, uid, gid);
    ring.setStatus(index, NL_MMAP_STATUS_VALID);
  }

  /** One delivery, without waking anyone. `admission`: the COPY path's §4.2 step 1. */
  private put(
    data: Uint8Array,
    group: number,
    pid: number,
    uid: number,
    gid: number,
    path: 'ring' | 'copy',
    admission: boolean,
  ): DeliveryResult {
    const rx = this.rxState;
    if (path === 'ring' && rx !== null && data.byteLength <= rx.ring.maxlen) {
      const index = this.allocate(rx);
      if (index < 0) return 'dropped';
      this.fill(rx.ring, index, data, group, pid, uid, gid);
      rx.pending--;
      return 'valid';
    }
    if (admission && (this.queueBytes > this.rcvbuf || this.isCongested)) {
      this.overrun();
      return 'dropped';
    }
    if (rx !== null) {
      const ring = rx.ring;
      const index = rx.head;
      if (ring.status(index) !== NL_MMAP_STATUS_UNUSED) {
        this.overrun();
        return 'dropped';
      }
      rx.head = ring.next(index);
      this.enqueue(data);
      ring.setHeader(index, data.byteLength, group, pid, uid, gid);
      ring.claim(index, NL_MMAP_STATUS_COPY);
      return 'copy';
    }
    this.enqueue(data);
    return 'copy';
  }

  private enqueue(data: Uint8Array): void {
    this.queue.push(data.slice());
    this.queueBytes += data.byteLength;
  }

  /** §4.4 netlink_dump_space, with or without the off-by-one. */
  private dumpSpace(rx: RingState): boolean {
    const ring = rx.ring;
    if (ring.status(rx.head) !== NL_MMAP_STATUS_UNUSED) return false;
    let n = rx.head + Math.floor(ring.frameMax / 2);
    if (n > ring.frameMax) n -= this.dumpOffByOne ? ring.frameMax : ring.frameMax + 1;
    return ring.status(n) === NL_MMAP_STATUS_UNUSED;
  }

  /**
   * One dump step: the oldest backlog datagram, in the ring when it fits, COPY otherwise
   * (no admission test: dump output bypasses it). If the ring has no room it stays in the
   * backlog (the kernel never loses dump data; it counts the overrun). Returns 0 or ENOBUFS.
   */
  private dumpStep(): number {
    const backlog = this.backlog;
    if (backlog === null || backlog.length === 0) return 0;
    if (this.put(backlog[0], 0, 0, 0, 0, 'ring', false) === 'dropped') return errnos.ENOBUFS;
    backlog.shift();
    if (backlog.length === 0) this.backlog = null;
    return 0;
  }

  private transmit(data: Uint8Array, via: 'ring' | 'send'): void {
    const messages: NetlinkMessage[] = [];
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    try {
      walkMessages(view, 0, data.byteLength, (offset, length) => {
        messages.push(NetlinkMessage.from(data.slice(offset, offset + length)));
        return true;
      });
    } catch {
      // A malformed tail: the kernel's parser stops there too.
    }
    const datagram: SentDatagram = { data, via, messages };
    this.sent.push(datagram);
    this.hooks.transmit(this, datagram);
  }

  /** Wakes the watcher after a script step; re-entrant steps fold into one more wake. */
  private notify(): void {
    if (this.isClosed || this.watcher === null) return;
    if (this.waking) {
      this.wakeAgain = true;
      return;
    }
    this.waking = true;
    try {
      do {
        this.wakeAgain = false;
        const w = this.watcher;
        if (w === null) break;
        try {
          w.wake();
        } catch (error) {
          w.onError(error);
        }
      } while (this.wakeAgain && !this.isClosed);
    } finally {
      this.waking = false;
    }
  }
}

const EMPTY = new Uint8Array(0);
