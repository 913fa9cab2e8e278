import { DecodeError } from '../../errors/DecodeError.js';
import { AF_INET, AF_INET6 } from './constants.js';
import { formatIPv4 } from './formatIPv4.js';
import { formatIPv6 } from './formatIPv6.js';
import { formatLinkAddress } from './formatLinkAddress.js';

/**
 * Formats a network address attribute payload (`length` bytes at `offset`) of address
 * family `family`: IPv4 needs 4 bytes, IPv6 16, else a {@link DecodeError} at `at` (the
 * attribute's header). Other families print 4 and 16 bytes as IP addresses (as ip does for
 * AF_BRIDGE) and anything else as colon-separated hex.
 *
 * @example
 * formatAddress(new Uint8Array([192, 0, 2, 1]), 0, 4, AF_INET, 0); // '192.0.2.1'
 */
export function formatAddress(
  bytes: Uint8Array,
  offset: number,
  length: number,
  family: number,
  at: number,
): string {
  if (length === 4 && family !== AF_INET6) return formatIPv4(bytes, offset);
  if (length === 16 && family !== AF_INET) return formatIPv6(bytes, offset);
  if (family === AF_INET || family === AF_INET6) {
    throw new DecodeError(
      `a ${family === AF_INET ? 'IPv4' : 'IPv6'} address attribute has ${length} bytes`,
      at,
    );
  }
  return formatLinkAddress(bytes, offset, length);
}
