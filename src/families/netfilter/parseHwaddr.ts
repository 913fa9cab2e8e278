/**
 * The bytes of a hardware address written as hex bytes joined by `:` (`52:54:00:12:34:56`),
 * at most 8 — the inverse of what the packet decoders return in `hwaddr`. Throws a
 * TypeError otherwise.
 *
 * @example
 * parseHwaddr('52:54:00:12:34:56'); // Uint8Array(6)
 */
export function parseHwaddr(text: string): Uint8Array {
  const parts = text === '' ? [] : text.split(':');
  if (parts.length > 8 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new TypeError(`not a hardware address of at most 8 bytes: ${text}`);
  }
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}
