// Small helpers for the simulated-kernel tests.
import { NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import type { Ring } from '../../src/ring/Ring.js';
import { buildMessage } from '../../src/testing/buildMessage.js';

/** A netlink message of exactly `length` bytes (a multiple of 4, >= 16) with `nlmsg_seq` = seq. */
export function message(length: number, seq: number, type = 0x10): Uint8Array {
  const m = buildMessage({ type, seq, payload: new Uint8Array(length - 16).fill(seq & 0xff) });
  if (m.byteLength !== length) throw new Error(`message(${length}) is ${m.byteLength} bytes`);
  return m;
}

/** `nlmsg_seq` of the message at the start of `data`. */
export function seqOf(data: Uint8Array, at = 0): number {
  return new DataView(data.buffer, data.byteOffset, data.byteLength).getUint32(at + 8, true);
}

/** The process writes `data` into TX frame `index` and marks it VALID (RING-SPEC §8). */
export function writeTx(
  ring: Ring,
  index: number,
  data: Uint8Array,
  length = data.byteLength,
): void {
  ring.bytes.set(data, ring.dataOffset(index));
  ring.setLength(index, length);
  ring.setStatus(index, NL_MMAP_STATUS_VALID);
}

/** The RX ring of a socket as one letter per frame (U R V C S). */
export function picture(ring: Ring): string {
  return ring.describe();
}
