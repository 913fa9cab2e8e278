import type { Ring } from './Ring.js';

/**
 * Which producer fills the rings: the kernel's own (Linux 3.10–4.5 with
 * CONFIG_NETLINK_MMAP), nlring's userspace ring engine over `recvmmsg`/`sendmmsg` (every
 * other Linux), or the simulated kernel of `nlring/testing`.
 */
export type RingMode = 'kernel' | 'engine' | 'simulated';

/** poll(2) bits, from <asm-generic/poll.h>. */
export const POLLIN = 0x0001;
export const POLLOUT = 0x0004;
export const POLLERR = 0x0008;
export const POLLHUP = 0x0010;

/**
 * The contract between a ring producer and the consumer side of nlring (sources and sinks).
 * It is the process's view of one netlink socket with an RX ring and optionally a TX ring,
 * whatever fills them. Consumers read status words and call these methods; they never ask
 * which producer is behind them.
 *
 * Contract, for every implementation:
 * - `poll()` is poll(2): it first does the producer work that the kernel does on poll — one
 *   dump continuation step per "dump space" check (RING-SPEC §4.4), the engine's batch read
 *   (§7), clearing CONGESTED when the COPY queue is empty (§4.3) — then returns a mask:
 *   POLLIN when an RX frame is VALID or a COPY message is queued, POLLERR while an error
 *   is pending, POLLOUT always. It never blocks and never throws for EAGAIN/EINTR.
 * - `watch(wake)` calls `wake` (later, from the event loop, or synchronously from a
 *   simulated kernel's script) whenever `poll()` may have something new. One watcher at a
 *   time; the returned function stops it. `wake` must not throw; if it does, the endpoint
 *   swallows nothing: implementations catch and route the error to `watch`'s `onError`.
 * - `recv()` returns the message of the oldest COPY frame not yet read, whole, in a buffer
 *   the caller owns (§4.2 FIFO). It throws a NetlinkError with EAGAIN when none is queued.
 *   Like recvmsg, it may report a pending socket error (ENOBUFS after an overrun) first, by
 *   throwing it once and clearing it; the message stays queued for the next call (§4.3).
 * - `takeError()` is getsockopt(SO_ERROR): the pending error as a positive errno, cleared,
 *   or 0. ENOBUFS means an overrun; `drops` counts dropped messages (sk_drops).
 * - `send(data)` is the ordinary `sendto` with a buffer: one datagram, not through a ring.
 * - `flush()` is `sendto(fd, NULL, 0)`: the TX walk of §5.2. It sends VALID TX frames from
 *   the producer's TX head until the first non-VALID one, releasing each before sending,
 *   and returns the bytes sent (0 if none). EINVAL leaves an oversize frame VALID.
 * - `close()` is idempotent; after it every method but `close` throws a NetlinkError EBADF.
 * - Sender: `nm_pid` is 0 for a datagram the kernel sent and non-zero for any other sender
 *   (the kernel's rings write the sender's credentials pid, RING-SPEC §4.5; the engine the
 *   sender's port id). Sources drop non-zero ones as foreign.
 * - Capabilities: `drainsSynchronously` is true when every wake comes synchronously from a
 *   script step and the producer cannot refill the ring without another one (the simulated
 *   kernel): a consumer then drains to the end inside the wake, with no turn budget and no
 *   deferral to the event loop (which would move output out of the virtual frame of its
 *   delivery in a marble test). Absent or false for producers fed by a real socket.
 * - The process side of the rings (read position, deferred frames, the TX index) is not the
 *   endpoint's: it has one owner per ring, `RingReader.of(rx)` and `RingWriter.of(tx)`.
 * - RX claim order: a producer that runs in this process (the ring engine, the simulated
 *   kernel) makes its RX ring with `claims: true` and claims every RX frame — RESERVED,
 *   VALID (empty ones too) and COPY — with `Ring.claim`, which numbers the claim before the
 *   status store; the consumer then reads frames in exactly that order. The kernel's own
 *   rings have no claim numbers (`rx.claims` is null) and are read best-effort.
 */
export interface RingEndpoint {
  /** Which producer fills the rings. */
  readonly mode: RingMode;
  /** Why this mode was chosen (e.g. the setsockopt answer), for `nlring info` and logs. */
  readonly modeReason: string;
  /** The socket's netlink port id (`nl_pid` from getsockname), 0 if unbound. */
  readonly portid: number;
  /** The RX ring. */
  readonly rx: Ring;
  /** The TX ring, if one was configured. */
  readonly tx: Ring | null;
  /**
   * Whether the producer is a script whose wakes are synchronous (see the contract above);
   * absent means false.
   */
  readonly drainsSynchronously?: boolean | undefined;
  /** Messages dropped by the producer or the socket so far (sk_drops). */
  readonly drops: number;
  /** Whether close() was called. */
  readonly closed: boolean;
  /** poll(2): producer work due on poll, then the readiness mask. */
  poll(): number;
  /** Calls `wake` whenever poll() may report something new; returns a stop function. */
  watch(wake: () => void, onError: (error: unknown) => void): () => void;
  /** recv() for the oldest unread COPY frame: its whole message. */
  recv(): Uint8Array;
  /** getsockopt(SO_ERROR): the pending errno, cleared; 0 if none. */
  takeError(): number;
  /** sendto(NULL, 0): the TX ring walk; bytes sent. */
  flush(): number;
  /**
   * sendto(fd, data): the normal (non-ring) send path, to the kernel (port 0) unless the
   * endpoint is connected elsewhere. `data` may hold several messages (one datagram).
   * Returns the bytes sent; throws a NetlinkError.
   */
  send(data: Uint8Array): number;
  /** Closes the socket and stops watching. Idempotent. */
  close(): void;
}
