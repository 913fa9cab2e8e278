import type { NflogPacket } from './decodeNflogPacket.js';
import type { NfqueuePacket } from './decodeNfqueuePacket.js';

/**
 * A copy of a decoded packet that no longer points into its frame: the zero-copy byte
 * fields (`payload`, `hwheader`, `l2hdr`) are sliced, everything else is plain values
 * already. Call it inside the synchronous `next()` that delivered the frame, before the
 * frame is released — afterwards the views are stale and copying them copies garbage.
 * Decoding with `{ copy: true }` does the same in one pass.
 *
 * @example
 * const kept = detachPacket(decodeNfqueuePacket(msg)); // safe to hold across an await
 */
export function detachPacket<T extends NflogPacket | NfqueuePacket>(packet: T): T {
  const copy = { ...packet };
  if (copy.payload !== undefined) copy.payload = copy.payload.slice();
  if (copy.l2hdr !== undefined) copy.l2hdr = copy.l2hdr.slice();
  if ('hwheader' in copy && copy.hwheader !== undefined) copy.hwheader = copy.hwheader.slice();
  return copy;
}
