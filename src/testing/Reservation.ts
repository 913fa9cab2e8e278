/**
 * An RX frame the simulated kernel has allocated in the ring and is still building: its
 * status is RESERVED (RING-SPEC §4.1 step 6) until {@link commit} or {@link abort}. While it
 * is outstanding the ring's `pending` count is above zero, so setsockopt on that ring fails
 * with EBUSY (§2.1.5), and a reader that stops at the first non-VALID frame stalls behind it
 * (§4.6).
 *
 * @example
 * declare const socket: SimSocket;
 * declare const first: Uint8Array;
 * declare const later: Uint8Array;
 * const r = socket.reserve();      // frame RESERVED, the kernel head moves on
 * socket.deliver(later);           // lands in the next frame, VALID before r
 * r?.commit(first);                // now r's frame is VALID too
 */
export interface Reservation {
  /** The frame index in the RX ring. */
  readonly index: number;
  /** Whether commit() or abort() was called. */
  readonly settled: boolean;
  /**
   * Delivers `data` in the frame (§4.1 step 8): payload, `nm_len` and the header fields, then
   * VALID with a release store. Throws a RangeError when `data` is larger than the frame's
   * `maxlen`, and an Error when already settled.
   */
  commit(
    data: Uint8Array,
    header?: { group?: number; pid?: number; uid?: number; gid?: number },
  ): void;
  /**
   * Frees the message without delivering it (§4.1 step 9): `nm_len` = 0 and VALID; the other
   * header fields keep the values of the frame's previous use.
   */
  abort(): void;
}
