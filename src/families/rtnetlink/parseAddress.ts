import { AF_INET, AF_INET6 } from './constants.js';

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseIPv4(text: string, out: Uint8Array, at: number): boolean {
  const parts = text.split('.');
  if (parts.length !== 4) return false;
  for (let i = 0; i < 4; i++) {
    const part = parts[i];
    if (!DECIMAL_OCTET.test(part)) return false;
    const value = Number(part);
    if (value > 255) return false;
    out[at + i] = value;
  }
  return true;
}

/** Parses the groups of one side of `::` into 16-bit words; a dotted quad may end the last side. */
function parseGroups(text: string, allowQuad: boolean, words: number[]): boolean {
  if (text === '') return true;
  const groups = text.split(':');
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i];
    if (allowQuad && i === groups.length - 1 && group.includes('.')) {
      const quad = new Uint8Array(4);
      if (!parseIPv4(group, quad, 0)) return false;
      words.push((quad[0] << 8) | quad[1], (quad[2] << 8) | quad[3]);
    } else if (HEX_GROUP.test(group)) {
      words.push(Number.parseInt(group, 16));
    } else {
      return false;
    }
  }
  return true;
}

function parseIPv6(text: string, out: Uint8Array): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const head: number[] = [];
  const tail: number[] = [];
  if (halves.length === 1) {
    if (!parseGroups(halves[0], true, head) || head.length !== 8) return false;
  } else {
    if (!parseGroups(halves[0], false, head) || !parseGroups(halves[1], true, tail)) return false;
    if (head.length + tail.length > 7) return false;
  }
  const words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  for (let i = 0; i < 8; i++) {
    out[2 * i] = words[i] >> 8;
    out[2 * i + 1] = words[i] & 0xff;
  }
  return true;
}

/**
 * Parses an IPv4 dotted quad or an IPv6 address in text form (as `inet_pton` accepts it:
 * no leading zeros in IPv4 octets, at most one `::`, an optional trailing dotted quad in
 * IPv6, no zone index) into its family and network-order bytes; undefined if it is neither.
 *
 * @example
 * parseAddress('10.1.0.1'); // { family: AF_INET, bytes: Uint8Array [10, 1, 0, 1] }
 * parseAddress('fe80::1%eth0'); // undefined
 */
export function parseAddress(text: string): { family: number; bytes: Uint8Array } | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const bytes = new Uint8Array(16);
    return parseIPv6(text, bytes) ? { family: AF_INET6, bytes } : undefined;
  }
  const bytes = new Uint8Array(4);
  return parseIPv4(text, bytes, 0) ? { family: AF_INET, bytes } : undefined;
}
