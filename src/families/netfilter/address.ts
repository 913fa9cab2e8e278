// The netfilter namespace's address text, kept for its callers: thin forms of the one
// address-text module, src/netlink/inet.ts, over a DataView and with throwing parsers.
import {
  parseAddress as inetAddress,
  formatAddress as inetText,
  parseLinkAddress,
} from '../../netlink/inet.js';

/**
 * The text form of an IPv4 (4 bytes) or IPv6 (16 bytes) address read in place at `offset`
 * of `view`, as inet_ntop and conntrack(8) print it (RFC 5952); any other length gives the
 * bytes in hex joined by `:`. The text comes from `src/netlink/inet.ts`.
 *
 * @example
 * formatAddress(new DataView(new Uint8Array([127, 0, 0, 1]).buffer), 0, 4); // '127.0.0.1'
 */
export function formatAddress(view: DataView, offset: number, length: number): string {
  return inetText(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), offset, length);
}

/**
 * The bytes of an IPv4 address (4 bytes) or an IPv6 address (any RFC 4291 text form, 16
 * bytes) — the inverse of {@link formatAddress}. Throws a TypeError for text that is neither.
 *
 * @example
 * parseAddress('::1'); // Uint8Array(16) [0, ..., 0, 1]
 */
export function parseAddress(text: string): Uint8Array {
  const parsed = inetAddress(text);
  if (parsed === undefined) throw new TypeError(`not an IPv4 or IPv6 address: ${text}`);
  return parsed.bytes;
}

/**
 * The bytes of a hardware address written as hex bytes joined by `:` (`52:54:00:12:34:56`),
 * at most 8 — the inverse of what the packet decoders return in `hwaddr`. Throws a
 * TypeError otherwise.
 *
 * @example
 * parseHwaddr('52:54:00:12:34:56'); // Uint8Array(6)
 */
export function parseHwaddr(text: string): Uint8Array {
  const parsed = parseLinkAddress(text, 8);
  if (parsed === undefined)
    throw new TypeError(`not a hardware address of at most 8 bytes: ${text}`);
  return parsed;
}
