import { parseAddress } from './parseAddress.js';

/**
 * Parses `address` or `address/length` (IPv4 or IPv6) into family, bytes and prefix length;
 * without `/length` the prefix is the whole address (32 or 128) and `explicitLength` is
 * false. Undefined if the address does not parse or the length is not a decimal in range.
 *
 * @example
 * parsePrefix('10.9.0.0/16'); // { family: AF_INET, bytes: [10, 9, 0, 0], prefixlen: 16, explicitLength: true }
 */
export function parsePrefix(
  text: string,
): { family: number; bytes: Uint8Array; prefixlen: number; explicitLength: boolean } | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  const parsed = parseAddress(slash < 0 ? text : text.slice(0, slash));
  if (parsed === undefined) return undefined;
  const bits = parsed.bytes.byteLength * 8;
  if (slash < 0) return { ...parsed, prefixlen: bits, explicitLength: false };
  const length = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(length)) return undefined;
  const prefixlen = Number(length);
  if (prefixlen > bits) return undefined;
  return { ...parsed, prefixlen, explicitLength: true };
}
