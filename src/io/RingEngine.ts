import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { NETLINK_PKTINFO } from '../netlink/constants.js';
import {
  DEFAULT_PAGE_SIZE,
  MAX_RING_MEMORY,
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
  SOL_NETLINK,
} from '../ring/constants.js';
import type { RingGeometry } from '../ring/geometry.js';
import { ringSize } from '../ring/geometry.js';
import { Ring } from '../ring/Ring.js';
import { POLLERR, POLLIN } from '../ring/RingEndpoint.js';
import {
  AF_NETLINK,
  MAP_ANONYMOUS,
  MAP_NORESERVE,
  MAP_PRIVATE,
  MSG_DONTWAIT,
  MSG_TRUNC,
  PROT_READ,
  PROT_WRITE,
  SCM_CREDENTIALS,
  SOL_SOCKET,
} from './constants.js';
import {
  CMSG_LEVEL,
  CMSG_TYPE,
  CMSGHDR_SIZE,
  CONTROL_SIZE,
  cmsgAlign,
  IOV_BASE,
  IOV_LEN,
  IOVEC_SIZE,
  MMSG_LEN,
  MMSGHDR_SIZE,
  MSG_CONTROL,
  MSG_CONTROLLEN,
  MSG_FLAGS,
  MSG_IOV,
  MSG_IOVLEN,
  MSG_NAME,
  MSG_NAMELEN,
  NL_FAMILY,
  NL_GROUPS,
  NL_PID,
  SOCKADDR_NL_SIZE,
} from './layout.js';
import type { Libc } from './libc.js';
import { type RingProducer, takeSocketError } from './RingProducer.js';

const TWO_32 = 4294967296;
/** `nm_pid` for a datagram whose `msg_name` is missing: not the kernel's (port 0). */
const UNKNOWN_SENDER = 0xffffffff;
/** Room for one `sockaddr_nl` per slot, 8-aligned. */
const NAME_STRIDE = 16;

/** Options of a {@link RingEngine}. */
export interface RingEngineOptions {
  /**
   * Datagrams per `recvmmsg`/`sendmmsg`: an integer in [1, 1024] (default 64, and never
   * more than the ring's frames): one system call moves a whole batch.
   */
  batch?: number | undefined;
  /**
   * Bytes of spill area behind each frame of a batch, in [0, 1 MiB] with `batch × spill`
   * at most 64 MiB (default 65536): a datagram larger
   * than its frame overflows into it and becomes a COPY frame instead of being truncated.
   * The spill is an anonymous `MAP_NORESERVE` mapping, so pages cost memory only once a
   * datagram has overflowed into them.
   */
  spill?: number | undefined;
  /** PAGE_SIZE for the geometry checks (default 4096). */
  pageSize?: number | undefined;
  /** Why the engine runs, for `NetlinkSocket.modeReason` (default: "the ring engine"). */
  reason?: string | undefined;
}

/**
 * nlring's userspace ring engine (Linux >= 4.6, where the kernel's rings are gone): it plays
 * the kernel's side of RING-SPEC §7 over a real netlink socket. It owns the ring memory (RX
 * then TX, zeroed, RING-SPEC §2.2) and one private head per ring.
 *
 * RX, {@link fill}: one `recvmmsg(MSG_DONTWAIT | MSG_TRUNC)` per batch scatters datagrams
 * straight into the payloads (+24) of free frames, taken from the engine's head, stepping
 * over SKIP and stopping at the first frame that is not UNUSED (§4.1). Each frame gets its
 * header — `nm_len`, `nm_group` from NETLINK_PKTINFO (else the lowest bit of `nl_groups`),
 * `nm_pid`, `nm_uid/gid` — then VALID with a release store. One
 * datagram is one frame, never merged or split. Batches repeat until EAGAIN or the ring is
 * full; then {@link full} is set and the caller stops watching the fd (libuv polls
 * level-triggered), so the socket buffer fills and the kernel's own policy (ENOBUFS)
 * applies.
 *
 * Sender (documented deviation, RING-SPEC §4.5, §7): `nm_pid` is the sender's netlink
 * **port id** from `msg_name` (`nl_pid`: 0 for the kernel, 0xffffffff when the address is
 * missing), not the process id of its credentials as the kernel's rings wrote. Both are 0
 * exactly when the kernel sent the datagram, so `nm_pid !== 0` means "not the kernel" on
 * every producer, which is what sources check; the port id is also what a reply would be
 * addressed to. `nm_uid/gid` come from SCM_CREDENTIALS (0 without).
 *
 * Policy (documented deviation from the kernel, RING-SPEC §7): a datagram is VALID whenever
 * it fits its frame, multicast included (the kernel put multicast through COPY). One that
 * does not fit but fits frame + spill becomes COPY: the whole message goes on the engine's
 * side queue, read by {@link recv} in frame order (§4.2). One larger still (the kernel
 * reports MSG_TRUNC beyond frame + spill) cannot be delivered whole: it is counted in
 * {@link drops}, reported as ENOBUFS through {@link pendingError} (an overrun: a message was
 * lost), and its frame is published as an empty VALID frame (`nm_len` 0, an aborted
 * construction, §4.1 step 9) so that frame order is kept.
 *
 * Dumps: the kernel sizes dump datagrams to the largest buffer the socket has ever read
 * into, up to ~32 KiB, and the engine always reads into frame + spill, so every dump
 * datagram is ~32 KiB: dump sockets need frames of at least 32768 + 24 bytes to stay
 * in-ring (`chooseGeometry({ messageSize: MAX_DUMP_DATAGRAM, … })`).
 *
 * TX, {@link flush}: the §5.2 walk. Consecutive VALID frames from the engine's TX head go
 * out with one `sendmmsg`, one datagram each, to the kernel (port 0); the walk stops at the
 * first non-VALID frame; sent frames become UNUSED.
 *
 * @example
 * const rxGeometry = chooseGeometry({ messageSize: 4096, memory: 1 << 16 });
 * const engine = new RingEngine(libc(), fd, rxGeometry, null);
 * engine.fill();
 * if (engine.rx.status(0) === NL_MMAP_STATUS_VALID) console.log(engine.rx.length(0));
 */
export class RingEngine implements RingProducer {
  readonly mode = 'engine' as const;
  /** Why the engine runs (the probe's answer). */
  readonly reason: string;
  /** The RX ring, over the engine's memory. */
  readonly rx: Ring;
  /** The TX ring, right after the RX ring in the same memory, or null. */
  readonly tx: Ring | null;
  /** The ring memory: RX blocks, then TX blocks. */
  readonly memory: ArrayBuffer;
  /** Datagrams the engine itself lost: larger than frame + spill. */
  drops = 0;
  /** The errno to report through the socket's `takeError` (ENOBUFS, …), 0 if none. */
  pendingError = 0;
  /** Whether the last {@link fill} stopped because no RX frame was free. */
  full = false;
  /** Whether the last {@link fill} found the socket empty (EAGAIN or a short read). */
  drained = false;

  private readonly libc: Libc;
  private readonly fd: number;
  private readonly spillSize: number;
  private rxHead = 0;
  private txHead = 0;
  private readonly queue: Uint8Array[] = [];
  private readonly errorScratch = new Uint8Array(new ArrayBuffer(4));
  private disposed = false;

  // RX batch: B mmsghdrs, 2 iovecs each (frame, spill), a sockaddr_nl and a control buffer.
  private readonly rxBase: number;
  private readonly rxVector: Uint8Array;
  private readonly rxVectorView: DataView;
  private readonly rxIovs: DataView;
  private readonly names: Uint8Array;
  private readonly namesView: DataView;
  private readonly control: Uint8Array;
  private readonly controlView: DataView;
  private readonly slotFrames: Int32Array;
  private readonly spillAddress: bigint;
  private readonly spillLength: number;
  private readonly spill: Uint8Array;

  // TX batch: B mmsghdrs with one iovec each, all addressed to the kernel.
  private readonly txBase: number;
  private readonly txVector: Uint8Array;
  private readonly txVectorView: DataView;
  private readonly txIovs: DataView;
  private readonly txSlotFrames: Int32Array;
  private readonly kernelAddress: Uint8Array;

  constructor(
    libc: Libc,
    fd: number,
    rxGeometry: RingGeometry,
    txGeometry: RingGeometry | null,
    options: RingEngineOptions = {},
  ) {
    this.libc = libc;
    this.fd = fd;
    this.reason = options.reason ?? 'the ring engine';
    const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    const rxSize = ringSize(rxGeometry);
    const txSize = txGeometry === null ? 0 : ringSize(txGeometry);
    if (!(rxSize + txSize <= MAX_RING_MEMORY)) {
      argumentChecker('RingEngine').fail(
        'geometry',
        `rings of at most ${MAX_RING_MEMORY} bytes in all`,
        rxSize + txSize,
      );
    }
    this.memory = new ArrayBuffer(rxSize + txSize);
    this.rx = new Ring(this.memory, rxGeometry, { pageSize, claims: true });
    this.tx =
      txGeometry === null
        ? null
        : new Ring(this.memory, txGeometry, { byteOffset: rxSize, pageSize });
    const base = Number(libc.address(new Uint8Array(this.memory)));
    this.rxBase = base;
    this.txBase = base + rxSize;

    const { batch, spill } = checkEngineSizes('RingEngine', options.batch, options.spill);
    this.spillSize = spill;

    // RX batch structures.
    const rxSlots = Math.min(batch, this.rx.frameNr);
    this.rxVector = bytes(rxSlots * MMSGHDR_SIZE);
    this.rxVectorView = view(this.rxVector);
    const rxIovs = bytes(rxSlots * 2 * IOVEC_SIZE);
    this.rxIovs = view(rxIovs);
    this.names = bytes(rxSlots * NAME_STRIDE);
    this.namesView = view(this.names);
    this.control = bytes(rxSlots * CONTROL_SIZE);
    this.controlView = view(this.control);
    this.slotFrames = new Int32Array(rxSlots);
    this.spillLength = rxSlots * spill;
    if (this.spillLength > 0) {
      const address = libc.mmap(
        this.spillLength,
        PROT_READ | PROT_WRITE,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
        -1,
        0,
      );
      if (address < 0n) throw new NetlinkError({ op: 'mmap', errno: Number(-address) });
      this.spillAddress = address;
      this.spill = new Uint8Array(libc.view(address, this.spillLength));
    } else {
      this.spillAddress = 0n;
      this.spill = new Uint8Array(0);
    }
    const iovBase = Number(libc.address(rxIovs));
    const namesBase = Number(libc.address(this.names));
    const controlBase = Number(libc.address(this.control));
    const spillBase = Number(this.spillAddress);
    for (let s = 0; s < rxSlots; s++) {
      const m = s * MMSGHDR_SIZE;
      setPointer(this.rxVectorView, m + MSG_NAME, namesBase + s * NAME_STRIDE);
      setPointer(this.rxVectorView, m + MSG_IOV, iovBase + s * 2 * IOVEC_SIZE);
      setPointer(this.rxVectorView, m + MSG_IOVLEN, spill > 0 ? 2 : 1);
      setPointer(this.rxVectorView, m + MSG_CONTROL, controlBase + s * CONTROL_SIZE);
      const spillIov = (s * 2 + 1) * IOVEC_SIZE;
      setPointer(this.rxIovs, spillIov + IOV_BASE, spillBase + s * spill);
      setPointer(this.rxIovs, spillIov + IOV_LEN, spill);
    }

    // TX batch structures.
    const txSlots = this.tx === null ? 0 : Math.min(batch, this.tx.frameNr);
    this.txVector = bytes(txSlots * MMSGHDR_SIZE);
    this.txVectorView = view(this.txVector);
    const txIovs = bytes(txSlots * IOVEC_SIZE);
    this.txIovs = view(txIovs);
    this.txSlotFrames = new Int32Array(txSlots);
    this.kernelAddress = bytes(SOCKADDR_NL_SIZE);
    view(this.kernelAddress).setUint16(NL_FAMILY, AF_NETLINK, true);
    if (txSlots > 0) {
      const txIovBase = Number(libc.address(txIovs));
      const kernel = Number(libc.address(this.kernelAddress));
      for (let s = 0; s < txSlots; s++) {
        const m = s * MMSGHDR_SIZE;
        setPointer(this.txVectorView, m + MSG_NAME, kernel);
        this.txVectorView.setUint32(m + MSG_NAMELEN, SOCKADDR_NL_SIZE, true);
        setPointer(this.txVectorView, m + MSG_IOV, txIovBase + s * IOVEC_SIZE);
        setPointer(this.txVectorView, m + MSG_IOVLEN, 1);
      }
    }
  }

  /** Whether the RX ring is full: the fd watcher must stop until a frame is released. */
  get paused(): boolean {
    return this.full;
  }

  /** poll(2): {@link fill}, then POLLERR while an error is pending, POLLIN when data is ready. */
  poll(): number {
    this.fill();
    return this.mask();
  }

  /**
   * {@link poll} for a watcher that rests: the socket is read only if the last
   * {@link fill} left it unread (the ring was full); one it found empty is not read again
   * (a `recvmmsg` that would answer EAGAIN). POLLERR and POLLIN from what the engine holds,
   * and {@link full} cleared once a frame is free again.
   */
  ready(): number {
    if (!this.drained) return this.poll();
    if (this.full) this.full = !this.hasFree();
    return this.mask();
  }

  /** POLLERR while an error is pending, POLLIN while a message is ready. */
  private mask(): number {
    let mask = 0;
    if (this.pendingError !== 0) mask |= POLLERR;
    if (this.queue.length > 0 || this.hasValid()) mask |= POLLIN;
    return mask;
  }

  /** Whether {@link fill} would find a free frame: UNUSED at the head, past any SKIP frames. */
  private hasFree(): boolean {
    const rx = this.rx;
    let index = this.rxHead;
    for (let visited = 0; visited < rx.frameNr; visited++) {
      const status = rx.status(index);
      if (status === NL_MMAP_STATUS_UNUSED) return true;
      if (status !== NL_MMAP_STATUS_SKIP) return false;
      index = rx.next(index);
    }
    return false;
  }

  /** The engine's pending error first (cleared), else the socket's SO_ERROR; 0 if none. */
  takeError(): number {
    const errno = this.pendingError;
    if (errno !== 0) {
      this.pendingError = 0;
      return errno;
    }
    return takeSocketError(this.libc, this.fd, this.errorScratch);
  }

  /** COPY messages waiting on the side queue for {@link recv}. */
  get queued(): number {
    return this.queue.length;
  }

  /**
   * Fills free RX frames from the socket until EAGAIN or the ring is full (RING-SPEC §7).
   * Never throws for EAGAIN or EINTR (EINTR is retried); ENOBUFS and other errors of the
   * socket become {@link pendingError}. Returns the number of frames published.
   */
  fill(): number {
    const rx = this.rx;
    const v = this.rxVectorView;
    const maxlen = rx.maxlen;
    const slots = this.slotFrames.length;
    let published = 0;
    this.full = false;
    this.drained = false;
    for (;;) {
      // Claim free frames from the head: step over SKIP (§4.1 step 4), stop at the first
      // frame that is neither SKIP nor UNUSED, never visit a frame twice.
      let n = 0;
      let index = this.rxHead;
      for (let visited = 0; n < slots && visited < rx.frameNr; visited++) {
        const status = rx.status(index);
        if (status === NL_MMAP_STATUS_UNUSED) {
          this.slotFrames[n] = index;
          const m = n * MMSGHDR_SIZE;
          const iov = n * 2 * IOVEC_SIZE;
          setPointer(this.rxIovs, iov + IOV_BASE, this.rxBase + rx.dataOffset(index));
          setPointer(this.rxIovs, iov + IOV_LEN, maxlen);
          v.setUint32(m + MSG_NAMELEN, SOCKADDR_NL_SIZE, true);
          setPointer(v, m + MSG_CONTROLLEN, CONTROL_SIZE);
          n++;
        } else if (status !== NL_MMAP_STATUS_SKIP) {
          break;
        }
        index = rx.next(index);
      }
      if (n === 0) {
        this.full = true;
        return published;
      }
      const r = this.libc.recvmmsg(this.fd, this.rxVector, n, MSG_DONTWAIT | MSG_TRUNC);
      if (r < 0) {
        const errno = -r;
        if (errno === errnos.EINTR) continue;
        if (errno === errnos.EAGAIN) {
          this.drained = true;
          return published;
        }
        this.pendingError = errno;
        // ENOBUFS: the socket overran (and the error is now cleared); read on.
        if (errno === errnos.ENOBUFS) continue;
        return published;
      }
      for (let s = 0; s < r; s++) this.publish(s, this.slotFrames[s]);
      if (r > 0) {
        this.rxHead = rx.next(this.slotFrames[r - 1]);
        published += r;
      }
      // Fewer datagrams than frames offered: the socket queue is drained (or an error is
      // now pending on the socket, which poll reports as POLLERR).
      if (r < n) {
        this.drained = true;
        return published;
      }
    }
  }

  /** Writes frame `index`'s header from batch slot `s` and hands the frame over. */
  private publish(s: number, index: number): void {
    const rx = this.rx;
    const v = this.rxVectorView;
    const m = s * MMSGHDR_SIZE;
    const length = v.getUint32(m + MMSG_LEN, true);
    // Control messages: credentials and the destination group.
    let group = 0;
    let pid = 0;
    let uid = 0;
    let gid = 0;
    let havePktinfo = false;
    const c = this.controlView;
    const start = s * CONTROL_SIZE;
    const end = start + Math.min(v.getUint32(m + MSG_CONTROLLEN, true), CONTROL_SIZE);
    for (let p = start; p + CMSGHDR_SIZE <= end; ) {
      const cmsgLen = c.getUint32(p, true);
      if (cmsgLen < CMSGHDR_SIZE || p + cmsgLen > end) break;
      const level = c.getInt32(p + CMSG_LEVEL, true);
      const type = c.getInt32(p + CMSG_TYPE, true);
      if (level === SOL_SOCKET && type === SCM_CREDENTIALS && cmsgLen >= CMSGHDR_SIZE + 12) {
        uid = c.getUint32(p + CMSGHDR_SIZE + 4, true);
        gid = c.getUint32(p + CMSGHDR_SIZE + 8, true);
      } else if (level === SOL_NETLINK && type === NETLINK_PKTINFO && cmsgLen >= CMSGHDR_SIZE + 4) {
        group = c.getUint32(p + CMSGHDR_SIZE, true);
        havePktinfo = true;
      }
      p += cmsgAlign(cmsgLen);
    }
    if (v.getUint32(m + MSG_NAMELEN, true) >= SOCKADDR_NL_SIZE) {
      // nm_pid: the sender's port id (0 for the kernel), see the class comment.
      pid = this.namesView.getUint32(s * NAME_STRIDE + NL_PID, true);
      if (!havePktinfo) {
        // nl_groups is a bitmask of groups 1..32; the lowest set bit is the group (ffs).
        const mask = this.namesView.getUint32(s * NAME_STRIDE + NL_GROUPS, true);
        group = mask === 0 ? 0 : 32 - Math.clz32(mask & -mask);
      }
    } else {
      // No address: the sender cannot be known, so it is not taken for the kernel.
      pid = UNKNOWN_SENDER;
    }
    const maxlen = rx.maxlen;
    if (length <= maxlen) {
      rx.setHeader(index, length, group, pid, uid, gid);
      rx.claim(index, NL_MMAP_STATUS_VALID);
    } else if (length <= maxlen + this.spillSize) {
      // Overflowed into the spill: the whole message goes on the side queue (COPY, §4.2).
      const message = new Uint8Array(length);
      const data = rx.dataOffset(index);
      message.set(rx.bytes.subarray(data, data + maxlen), 0);
      const spill = s * this.spillSize;
      message.set(this.spill.subarray(spill, spill + length - maxlen), maxlen);
      this.queue.push(message);
      rx.setHeader(index, length, group, pid, uid, gid);
      rx.claim(index, NL_MMAP_STATUS_COPY);
    } else {
      // Larger than frame + spill: truncated by the kernel, lost. Count it, report an
      // overrun, and publish an empty frame (an aborted construction, §4.1 step 9).
      this.drops++;
      this.pendingError = errnos.ENOBUFS;
      rx.setHeader(index, 0, group, pid, uid, gid);
      rx.claim(index, NL_MMAP_STATUS_VALID);
    }
    v.setInt32(m + MSG_FLAGS, 0, true);
  }

  /** Whether some RX frame is VALID (for POLLIN). */
  hasValid(): boolean {
    const rx = this.rx;
    for (let i = 0; i < rx.frameNr; i++) if (rx.status(i) === NL_MMAP_STATUS_VALID) return true;
    return false;
  }

  /**
   * The message of the oldest unread COPY frame, whole, in a buffer the caller owns. Throws
   * a NetlinkError EAGAIN when none is queued.
   */
  recv(): Uint8Array {
    const message = this.queue.shift();
    if (message === undefined) throw new NetlinkError({ op: 'recv', errno: errnos.EAGAIN });
    return message;
  }

  /**
   * The TX walk of RING-SPEC §5.2: sends VALID frames from the engine's TX head, one
   * datagram each, with one `sendmmsg` per batch, and marks them UNUSED; stops at the first
   * non-VALID frame. Returns the bytes sent (0 if none).
   *
   * - A frame with `nm_len > maxlen` throws a NetlinkError EINVAL and stays VALID; frames
   *   before it are sent (their byte count is lost, as in the kernel).
   * - EAGAIN (or a partial `sendmmsg`) stops the walk: the rest stay VALID for the next
   *   flush. EINTR is retried.
   * - ENOBUFS throws and leaves the frame VALID (the kernel could not allocate, §5.2 step
   *   3). Any other error releases the failing frame, as the kernel releases a frame before
   *   sending it (§5.2 step 4), and throws.
   */
  flush(): number {
    const tx = this.tx;
    if (tx === null) return 0;
    const v = this.txVectorView;
    const slots = this.txSlotFrames.length;
    let total = 0;
    for (;;) {
      let n = 0;
      let index = this.txHead;
      let oversize = -1;
      while (n < slots) {
        if (tx.status(index) !== NL_MMAP_STATUS_VALID) break;
        const length = tx.length(index);
        if (length > tx.maxlen) {
          oversize = index;
          break;
        }
        this.txSlotFrames[n] = index;
        const iov = n * IOVEC_SIZE;
        setPointer(this.txIovs, iov + IOV_BASE, this.txBase + tx.dataOffset(index));
        setPointer(this.txIovs, iov + IOV_LEN, length);
        v.setUint32(n * MMSGHDR_SIZE + MMSG_LEN, 0, true);
        n++;
        index = tx.next(index);
        if (index === this.txHead) break;
      }
      if (n > 0) {
        const r = this.libc.sendmmsg(this.fd, this.txVector, n, MSG_DONTWAIT);
        if (r < 0) {
          const errno = -r;
          if (errno === errnos.EINTR) continue;
          if (errno === errnos.EAGAIN) return total;
          const first = this.txSlotFrames[0];
          if (errno !== errnos.ENOBUFS) {
            tx.setStatus(first, NL_MMAP_STATUS_UNUSED);
            this.txHead = tx.next(first);
          }
          throw new NetlinkError({ op: 'tx', errno, detail: `TX frame ${first}` });
        }
        for (let s = 0; s < r; s++) {
          total += v.getUint32(s * MMSGHDR_SIZE + MMSG_LEN, true);
          tx.setStatus(this.txSlotFrames[s], NL_MMAP_STATUS_UNUSED);
        }
        if (r > 0) this.txHead = tx.next(this.txSlotFrames[r - 1]);
        if (r < n) return total;
      }
      if (oversize >= 0) {
        throw new NetlinkError({
          op: 'tx',
          errno: errnos.EINVAL,
          detail: `TX frame ${oversize}: nm_len ${tx.length(oversize)} exceeds the frame's ${tx.maxlen} bytes`,
        });
      }
      if (n < slots) return total;
    }
  }

  /** Frees the spill mapping. Idempotent; the engine must not be used afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.queue.length = 0;
    if (this.spillLength > 0) this.libc.munmap(this.spillAddress, this.spillLength);
  }
}

/** Most datagrams per engine batch (`recvmmsg`/`sendmmsg` vector length). */
export const MAX_BATCH = 1024;
/** Most spill bytes per batch slot: 1 MiB, above any netlink datagram the kernel builds. */
export const MAX_SPILL = 2 ** 20;
/** Most spill bytes in all (batch × spill): 64 MiB of MAP_NORESERVE address space. */
export const MAX_SPILL_TOTAL = 2 ** 26;

/**
 * Checks the engine's sizes for public function `fn` before any reaches native code (the
 * spill mapping is `batch × spill` bytes, viewed with `koffi.view`, which aborts the process
 * on a size it cannot map): TypeErrors naming the option. Returns them with the defaults
 * (batch 64, spill 65536).
 *
 * @example
 * declare const options: OpenNetlinkSocketOptions;
 * const { batch, spill } = checkEngineSizes('openNetlinkSocket', options.batch, options.spill);
 */
export function checkEngineSizes(
  fn: string,
  batchOption: unknown,
  spillOption: unknown,
): { batch: number; spill: number } {
  const check = argumentChecker(fn);
  const batch = check.integer('options.batch', batchOption, 1, MAX_BATCH) ?? 64;
  const spill = check.integer('options.spill', spillOption, 0, MAX_SPILL) ?? 65536;
  if (batch * spill > MAX_SPILL_TOTAL) {
    check.fail('options.batch × options.spill', `at most ${MAX_SPILL_TOTAL} bytes`, batch * spill);
  }
  return { batch, spill };
}

/** A zeroed Uint8Array over its own ArrayBuffer (never on V8's moving heap). */
function bytes(length: number): Uint8Array {
  return new Uint8Array(new ArrayBuffer(length));
}

function view(array: Uint8Array): DataView {
  return new DataView(array.buffer, array.byteOffset, array.byteLength);
}

/** Stores a 64-bit pointer or size_t from a number (< 2^53) without allocating a BigInt. */
function setPointer(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, value % TWO_32, true);
  view.setUint32(offset + 4, Math.floor(value / TWO_32), true);
}
