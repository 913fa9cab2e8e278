/** "0" … "255", so a dotted quad is four lookups and no number formatting. */
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));

/**
 * Formats the 4 bytes at `offset` as a dotted quad, as `inet_ntop(AF_INET)` and iproute2
 * print it. The caller checks that 4 bytes are there.
 *
 * @example
 * formatIPv4(new Uint8Array([10, 1, 0, 1])); // '10.1.0.1'
 */
export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  return `${DECIMAL[bytes[offset]]}.${DECIMAL[bytes[offset + 1]]}.${DECIMAL[bytes[offset + 2]]}.${DECIMAL[bytes[offset + 3]]}`;
}
