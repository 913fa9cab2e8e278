/**
 * Whether `aLength` bytes at `a` equal `bLength` bytes at `b` in `bytes` (false when `b`
 * is negative, meaning absent).
 *
 * @example
 * sameBytes(new Uint8Array([1, 2, 1, 2]), 0, 2, 2, 2); // true
 */
export function sameBytes(
  bytes: Uint8Array,
  a: number,
  aLength: number,
  b: number,
  bLength: number,
): boolean {
  if (b < 0 || aLength !== bLength) return false;
  for (let i = 0; i < aLength; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}
