import { formatIPv4 } from './formatIPv4.js';

/** Hex digits of 0…255 without leading zeros, and with two digits. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16));
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

function word(bytes: Uint8Array, at: number): number {
  return (bytes[at] << 8) | bytes[at + 1];
}

/**
 * Formats the 16 bytes at `offset` as glibc's `inet_ntop(AF_INET6)` does, which is what
 * iproute2 prints: lower-case groups without leading zeros; the longest run of two or more
 * zero groups (the first one on a tie) becomes `::`; `::ffff:a.b.c.d` (mapped) and
 * `::a.b.c.d` (compatible, when the run is exactly the first six groups) end in a dotted
 * quad. The caller checks that 16 bytes are there.
 *
 * @example
 * formatIPv6(new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])); // '2001:db8::1'
 */
export function formatIPv6(bytes: Uint8Array, offset = 0): string {
  let bestBase = -1;
  let bestLength = 0;
  let runBase = -1;
  let runLength = 0;
  for (let i = 0; i < 8; i++) {
    if (bytes[offset + 2 * i] === 0 && bytes[offset + 2 * i + 1] === 0) {
      if (runBase < 0) runBase = i;
      runLength++;
    } else if (runBase >= 0) {
      if (runLength > bestLength) {
        bestBase = runBase;
        bestLength = runLength;
      }
      runBase = -1;
      runLength = 0;
    }
  }
  if (runBase >= 0 && runLength > bestLength) {
    bestBase = runBase;
    bestLength = runLength;
  }
  if (bestLength < 2) bestBase = -1;

  let text = '';
  for (let i = 0; i < 8; i++) {
    if (bestBase >= 0 && i >= bestBase && i < bestBase + bestLength) {
      if (i === bestBase) text += ':';
      continue;
    }
    if (i !== 0) text += ':';
    if (
      i === 6 &&
      bestBase === 0 &&
      (bestLength === 6 || (bestLength === 5 && word(bytes, offset + 10) === 0xffff))
    ) {
      return text + formatIPv4(bytes, offset + 12);
    }
    const hi = bytes[offset + 2 * i];
    const lo = bytes[offset + 2 * i + 1];
    text += hi === 0 ? HEX[lo] : HEX[hi] + HEX2[lo];
  }
  if (bestBase >= 0 && bestBase + bestLength === 8) text += ':';
  return text;
}
