import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import type { Ring } from '../ring/Ring.js';
import { RingReader } from '../ring/RingReader.js';
import {
  AF_NETLINK,
  MSG_DONTWAIT,
  MSG_PEEK,
  MSG_TRUNC,
  SO_ERROR,
  SOL_SOCKET,
} from './constants.js';
import { NL_FAMILY, SOCKADDR_NL_SIZE } from './layout.js';
import type { Libc } from './libc.js';

/**
 * What fills the rings of a `NetlinkSocket`: the kernel's own rings ({@link KernelRings},
 * Linux 3.10–4.5) or nlring's `RingEngine` (every other Linux). The socket delegates to it
 * and never asks which one runs; each method is the producer's half of the `RingEndpoint`
 * method of the same name.
 *
 * Contract: {@link poll} does the producer work due on poll(2) and returns POLLIN/POLLERR
 * bits (the socket adds POLLOUT); {@link ready} returns them without reading a socket the
 * last read found empty; {@link recv} returns the oldest COPY message, whole, or
 * throws a NetlinkError (EAGAIN when none); {@link takeError} is SO_ERROR (the producer's
 * own pending error first); {@link flush} is the §5.2 TX walk; {@link drops} counts what
 * the producer itself lost beyond the socket's `sk_drops`; {@link paused} says the fd
 * watcher must stop (the producer has no room, and libuv polls level-triggered);
 * {@link dispose} frees what the producer holds (idempotent), before the fd is closed.
 */
export interface RingProducer {
  readonly mode: 'kernel' | 'engine';
  /** Why this producer runs (the setsockopt answer), for `nlring info` and logs. */
  readonly reason: string;
  readonly rx: Ring;
  readonly tx: Ring | null;
  readonly drops: number;
  readonly paused: boolean;
  poll(): number;
  /** {@link poll} for a watcher that rests: no read of a socket the last read found empty. */
  ready(): number;
  recv(): Uint8Array;
  takeError(): number;
  flush(): number;
  dispose(): void;
}

/**
 * The kernel's own memory-mapped rings (Linux 3.10–4.5 with CONFIG_NETLINK_MMAP): the
 * kernel is the producer; this object only forwards to its system calls. poll(2) runs the
 * kernel's producer work (dump continuation, RING-SPEC §4.4); COPY messages are read with
 * `recv` after peeking their size (a large buffer would enlarge later dump datagrams,
 * §4.4); `sendto(NULL, 0)` is the TX trigger (§5.1). `dispose` unmaps the rings.
 *
 * @example
 * declare const address: bigint; // the mmap of RX then TX
 * declare const rx: Ring;
 * declare const tx: Ring | null;
 * const producer = new KernelRings(libc(), fd, 'the kernel has rings', address, length, rx, tx);
 * producer.poll(); // POLLIN when a frame is VALID
 */
export class KernelRings implements RingProducer {
  readonly mode = 'kernel' as const;
  readonly drops = 0;
  private readonly peek = new Uint8Array(new ArrayBuffer(0));
  private readonly intValue = new Uint8Array(new ArrayBuffer(4));
  private readonly kernelAddress = new Uint8Array(new ArrayBuffer(SOCKADDR_NL_SIZE));
  private disposed = false;

  constructor(
    private readonly libc: Libc,
    private readonly fd: number,
    readonly reason: string,
    /** The mapping of RX then TX (RING-SPEC §2.2), unmapped by {@link dispose}. */
    private readonly address: bigint,
    private readonly length: number,
    readonly rx: Ring,
    readonly tx: Ring | null,
  ) {
    new DataView(this.kernelAddress.buffer).setUint16(NL_FAMILY, AF_NETLINK, true);
  }

  /** The consumer holds as many deferred frames as it may: the VALID frames it leaves would keep the fd readable. */
  get paused(): boolean {
    return RingReader.of(this.rx).full;
  }

  poll(): number {
    const POLLIN_POLLOUT = 0x0001 | 0x0004;
    let revents: number;
    do revents = this.libc.poll(this.fd, POLLIN_POLLOUT);
    while (revents === -errnos.EINTR);
    if (revents < 0) throw new NetlinkError({ op: 'poll', errno: -revents });
    return revents;
  }

  /** The kernel produces into the rings by itself: the same poll(2). */
  ready(): number {
    return this.poll();
  }

  recv(): Uint8Array {
    for (;;) {
      const size = this.libc.recv(this.fd, this.peek, MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT);
      if (size === -errnos.EINTR) continue;
      if (size < 0) throw new NetlinkError({ op: 'recv', errno: -size });
      const message = new Uint8Array(size);
      const r = this.libc.recv(this.fd, message, MSG_DONTWAIT);
      if (r === -errnos.EINTR) continue;
      if (r < 0) throw new NetlinkError({ op: 'recv', errno: -r });
      return message.subarray(0, r);
    }
  }

  takeError(): number {
    return takeSocketError(this.libc, this.fd, this.intValue);
  }

  flush(): number {
    if (this.tx === null) return 0;
    for (;;) {
      const r = this.libc.sendto(this.fd, null, 0, this.kernelAddress);
      if (r >= 0) return r;
      if (r === -errnos.EINTR) continue;
      if (r === -errnos.EAGAIN) return 0;
      throw new NetlinkError({ op: 'tx', errno: -r });
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.libc.munmap(this.address, this.length);
  }
}

/**
 * getsockopt(SO_ERROR) into `scratch` (4 bytes): the pending errno, cleared, or 0.
 *
 * @example
 * const errno = takeSocketError(libc(), fd, new Uint8Array(new ArrayBuffer(4)));
 */
export function takeSocketError(libc: Libc, fd: number, scratch: Uint8Array): number {
  const r = libc.getsockopt(fd, SOL_SOCKET, SO_ERROR, scratch);
  if (r < 0) throw new NetlinkError({ op: 'getsockopt', errno: -r, detail: 'SO_ERROR' });
  return new DataView(scratch.buffer, scratch.byteOffset, 4).getInt32(0, true);
}
