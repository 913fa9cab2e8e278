import {
  ARPHRD_IP6GRE,
  ARPHRD_IPGRE,
  ARPHRD_SIT,
  ARPHRD_TUNNEL,
  ARPHRD_TUNNEL6,
} from './constants.js';
import { formatIPv4 } from './formatIPv4.js';
import { formatIPv6 } from './formatIPv6.js';

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * Formats a link-layer address as iproute2's `ll_addr_n2a` does: two lower-case hex digits
 * per byte joined by `:`, except that IPv4 tunnels (`ARPHRD_TUNNEL`, `ARPHRD_SIT`,
 * `ARPHRD_IPGRE`) with 4-byte addresses and IPv6 tunnels (`ARPHRD_TUNNEL6`,
 * `ARPHRD_IP6GRE`) with 16-byte addresses print as IP addresses. `linkType` is the
 * `ifi_type` of the interface (omit it for plain hex).
 *
 * @example
 * formatLinkAddress(new Uint8Array([2, 0, 0, 0, 0, 9]), 0, 6); // '02:00:00:00:00:09'
 */
export function formatLinkAddress(
  bytes: Uint8Array,
  offset: number,
  length: number,
  linkType = -1,
): string {
  if (
    length === 4 &&
    (linkType === ARPHRD_TUNNEL || linkType === ARPHRD_SIT || linkType === ARPHRD_IPGRE)
  ) {
    return formatIPv4(bytes, offset);
  }
  if (length === 16 && (linkType === ARPHRD_TUNNEL6 || linkType === ARPHRD_IP6GRE)) {
    return formatIPv6(bytes, offset);
  }
  if (length === 6) {
    return `${HEX2[bytes[offset]]}:${HEX2[bytes[offset + 1]]}:${HEX2[bytes[offset + 2]]}:${HEX2[bytes[offset + 3]]}:${HEX2[bytes[offset + 4]]}:${HEX2[bytes[offset + 5]]}`;
  }
  let text = '';
  for (let i = 0; i < length; i++)
    text += i === 0 ? HEX2[bytes[offset]] : `:${HEX2[bytes[offset + i]]}`;
  return text;
}
