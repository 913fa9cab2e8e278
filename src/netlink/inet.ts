/**
 * Address text, written once for every family: IPv4 and IPv6 addresses (formatted as glibc's
 * `inet_ntop` prints them, which is what iproute2 and conntrack(8) print, and parsed as
 * `inet_pton` accepts them), prefixes (`address/length`), and link-layer addresses
 * (`aa:bb:cc:dd:ee:ff`, as iproute2's `ll_addr_n2a`). Formatters read in place from a
 * `Uint8Array` at an offset, so decoders call them on a frame's bytes without copying;
 * parsers return `undefined` for text that is not an address, and {@link inetChecker} turns
 * that into the `TypeError` of a public function.
 *
 * @module
 */
import { type ArgumentChecker, argumentChecker } from '../errors/check.js';
import { DecodeError } from '../errors/NetlinkError.js';

/** `AF_INET` and `AF_INET6` (linux/socket.h), the families this module tells apart. */
const AF_INET = 2;
const AF_INET6 = 10;
/** The tunnel ARPHRD_* types whose link-layer addresses are IP addresses (linux/if_arp.h). */
const ARPHRD_TUNNEL = 768;
const ARPHRD_TUNNEL6 = 769;
const ARPHRD_SIT = 776;
const ARPHRD_IPGRE = 778;
const ARPHRD_IP6GRE = 823;

/** "0" … "255", so a dotted quad is four lookups and no number formatting. */
const DECIMAL: readonly string[] = Array.from({ length: 256 }, (_, i) => String(i));
/** Hex digits of 0…255 without leading zeros, and with two digits. */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, i) => i.toString(16));
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/** An address in network byte order with its family (AF_INET or AF_INET6). */
export interface InetAddress {
  /** AF_INET (2) for 4 bytes, AF_INET6 (10) for 16. */
  family: number;
  /** Network byte order. */
  bytes: Uint8Array;
}

/** An address with a prefix length, as `10.9.0.0/16` or a bare `10.9.0.1`. */
export interface InetPrefix extends InetAddress {
  /** The prefix length; the whole address (32, 128) when the text has no `/length`. */
  prefixlen: number;
  /** Whether the text gave `/length`. */
  explicitLength: boolean;
}

/**
 * Formats the 4 bytes at `offset` as a dotted quad, as `inet_ntop(AF_INET)` and iproute2
 * print it. The caller checks that 4 bytes are there.
 *
 * @example
 * formatIPv4(new Uint8Array([10, 1, 0, 1])); // '10.1.0.1'
 */
export function formatIPv4(bytes: Uint8Array, offset = 0): string {
  checkBytes('formatIPv4', bytes, offset, 4);
  return ipv4Text(bytes, offset);
}

/**
 * The text of recent `a.b.c.` prefixes, direct-mapped by the first three bytes: a route
 * dump lists its addresses in trie order, so neighbours share them, and a dotted quad
 * becomes one concatenation instead of seven (string additions measured 9% of a fresh
 * 100k-route dump's samples, `perf`). A pure cache: the text is the same either way.
 */
const PREFIX_SLOTS = 256;
const prefixKeys = new Int32Array(PREFIX_SLOTS).fill(-1);
const prefixTexts: string[] = new Array<string>(PREFIX_SLOTS).fill('');

/**
 * The dotted quad of the 4 bytes at `offset` (the caller checks that they are there), through
 * the prefix cache above: what `formatAddress` gives for an IPv4 address, for a decoder that
 * has already checked the attribute's family and size.
 *
 * @internal
 * @example
 * ipv4Text(new Uint8Array([10, 0, 0, 1]), 0); // '10.0.0.1'
 */
export function ipv4Text(bytes: Uint8Array, offset: number): string {
  // dottedQuad's body, written out: this runs twice a route in a dump, most of it before
  // the JIT has compiled (and could inline) a call.
  const a = bytes[offset];
  const b = bytes[offset + 1];
  const c = bytes[offset + 2];
  const key = (a << 16) | (b << 8) | c;
  const slot = (a ^ (b << 1) ^ (c << 2) ^ (c >>> 6)) & (PREFIX_SLOTS - 1);
  let prefix: string;
  if (prefixKeys[slot] === key) {
    prefix = prefixTexts[slot];
  } else {
    prefix = `${DECIMAL[a]}.${DECIMAL[b]}.${DECIMAL[c]}.`;
    prefixKeys[slot] = key;
    prefixTexts[slot] = prefix;
  }
  return prefix + DECIMAL[bytes[offset + 3]];
}

/**
 * `a.b.c.d` from its four bytes, through the prefix cache above: what the decoders that
 * read a DataView (the generated YNL views) format IPv4 with, as those on a Uint8Array do.
 * The caller passes bytes (0…255).
 *
 * @internal
 * @example
 * dottedQuad(10, 1, 0, 1); // '10.1.0.1'
 */
export function dottedQuad(a: number, b: number, c: number, d: number): string {
  const key = (a << 16) | (b << 8) | c;
  const slot = (a ^ (b << 1) ^ (c << 2) ^ (c >>> 6)) & (PREFIX_SLOTS - 1);
  let prefix: string;
  if (prefixKeys[slot] === key) {
    prefix = prefixTexts[slot];
  } else {
    prefix = `${DECIMAL[a]}.${DECIMAL[b]}.${DECIMAL[c]}.`;
    prefixKeys[slot] = key;
    prefixTexts[slot] = prefix;
  }
  return prefix + DECIMAL[d];
}

/**
 * Formats the 16 bytes at `offset` as glibc's `inet_ntop(AF_INET6)` does (RFC 5952 text,
 * which iproute2 and conntrack print): lower-case groups without leading zeros; the longest
 * run of two or more zero groups (the first one on a tie) becomes `::`; `::ffff:a.b.c.d`
 * (IPv4-mapped) and `::a.b.c.d` (IPv4-compatible, when the run is exactly the first six
 * groups) end in a dotted quad. The caller checks that 16 bytes are there.
 *
 * @example
 * formatIPv6(new Uint8Array([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])); // '2001:db8::1'
 */
export function formatIPv6(bytes: Uint8Array, offset = 0): string {
  checkBytes('formatIPv6', bytes, offset, 16);
  return ipv6Text(bytes, offset);
}

/** The argument check of the public formatters: `length` bytes at `offset` of `bytes`. */
function checkBytes(fn: string, bytes: unknown, offset: unknown, length: number): void {
  if (
    bytes instanceof Uint8Array &&
    typeof offset === 'number' &&
    Number.isInteger(offset) &&
    offset >= 0 &&
    offset + length <= bytes.byteLength
  ) {
    return;
  }
  const check = argumentChecker(fn);
  if (!(bytes instanceof Uint8Array)) {
    check.fail('bytes', 'a Uint8Array', bytes);
    return;
  }
  if (bytes.byteLength < length) check.fail('bytes', `at least ${length} bytes long`, bytes);
  check.integer('offset', offset, 0, bytes.byteLength - length);
}

function ipv6Text(bytes: Uint8Array, offset: number): string {
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
      (bestLength === 6 ||
        (bestLength === 5 && bytes[offset + 10] === 0xff && bytes[offset + 11] === 0xff))
    ) {
      return text + ipv4Text(bytes, offset + 12);
    }
    const hi = bytes[offset + 2 * i];
    const lo = bytes[offset + 2 * i + 1];
    text += hi === 0 ? HEX[lo] : HEX[hi] + HEX2[lo];
  }
  if (bestBase >= 0 && bestBase + bestLength === 8) text += ':';
  return text;
}

/**
 * Formats the `length` bytes of a network address at `offset`: 4 bytes as IPv4, 16 as
 * IPv6, anything else as colon-separated hex (as iproute2 does for AF_BRIDGE or AF_MPLS
 * payloads, and conntrack for odd lengths). With `family` AF_INET or AF_INET6 the length
 * must be 4 or 16; a wrong length, or none at all, throws a {@link DecodeError} at `at` (the
 * attribute's header; default `offset`). An attribute decoder has checked that the bytes
 * are there.
 *
 * @example
 * formatAddress(new Uint8Array([192, 0, 2, 1]), 0, 4); // '192.0.2.1'
 * declare const bytes: Uint8Array;
 * declare const a: Attributes; // at an IFA_ADDRESS of 16 bytes
 * formatAddress(bytes, a.offset, a.length, AF_INET6, a.headerOffset); // '2001:db8::1' or DecodeError
 */
export function formatAddress(
  bytes: Uint8Array,
  offset: number,
  length: number,
  family = 0,
  at = offset,
): string {
  if (offset < 0 || offset + length > bytes.byteLength) {
    throw new DecodeError(`an address of ${length} bytes runs past the end of the buffer`, at);
  }
  if (length === 4 && family !== AF_INET6) return ipv4Text(bytes, offset);
  if (length === 16 && family !== AF_INET) return ipv6Text(bytes, offset);
  if (family === AF_INET || family === AF_INET6 || length === 0) {
    const kind = family === AF_INET ? 'an IPv4' : family === AF_INET6 ? 'an IPv6' : 'a network';
    throw new DecodeError(`${kind} address attribute has ${length} bytes`, at);
  }
  return hexBytes(bytes, offset, length);
}

/**
 * Formats a link-layer address as iproute2's `ll_addr_n2a` does: two lower-case hex digits
 * per byte joined by `:`, except that IPv4 tunnels (`ARPHRD_TUNNEL`, `ARPHRD_SIT`,
 * `ARPHRD_IPGRE`) with 4-byte addresses and IPv6 tunnels (`ARPHRD_TUNNEL6`,
 * `ARPHRD_IP6GRE`) with 16-byte addresses print as IP addresses. `linkType` is the
 * `ifi_type` of the interface (omit it for plain hex). Zero bytes give `''`.
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
    !(bytes instanceof Uint8Array) ||
    !Number.isInteger(offset) ||
    !Number.isInteger(length) ||
    offset < 0 ||
    length < 0 ||
    offset + length > bytes.byteLength
  ) {
    const check = argumentChecker('formatLinkAddress');
    if (!(bytes instanceof Uint8Array)) check.fail('bytes', 'a Uint8Array', bytes);
    check.integer('offset', offset, 0, bytes.byteLength);
    check.integer('length', length, 0, bytes.byteLength - offset);
  }
  if (typeof linkType !== 'number') {
    argumentChecker('formatLinkAddress').fail('linkType', 'an ARPHRD_* number', linkType);
  }
  if (
    length === 4 &&
    (linkType === ARPHRD_TUNNEL || linkType === ARPHRD_SIT || linkType === ARPHRD_IPGRE)
  ) {
    return ipv4Text(bytes, offset);
  }
  if (length === 16 && (linkType === ARPHRD_TUNNEL6 || linkType === ARPHRD_IP6GRE)) {
    return ipv6Text(bytes, offset);
  }
  return hexBytes(bytes, offset, length);
}

function hexBytes(bytes: Uint8Array, offset: number, length: number): string {
  if (length === 6) {
    return `${HEX2[bytes[offset]]}:${HEX2[bytes[offset + 1]]}:${HEX2[bytes[offset + 2]]}:${HEX2[bytes[offset + 3]]}:${HEX2[bytes[offset + 4]]}:${HEX2[bytes[offset + 5]]}`;
  }
  let text = '';
  for (let i = 0; i < length; i++) {
    text += i === 0 ? HEX2[bytes[offset]] : `:${HEX2[bytes[offset + i]]}`;
  }
  return text;
}

const DECIMAL_OCTET = /^(0|[1-9][0-9]{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;
const HEX_BYTE = /^[0-9a-fA-F]{1,2}$/;

/**
 * A dotted quad as inet_pton reads it (four decimal octets, no leading zeros, each at most
 * 255), scanned by character: route programming parses one per request, and the split and
 * the regular expressions were most of a builder's time.
 */
function parseIPv4(
  text: string,
  out: Uint8Array,
  at: number,
  start = 0,
  end = text.length,
): boolean {
  let octet = 0;
  let value = 0;
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2e) {
      if (digits === 0 || octet === 3) return false;
      out[at + octet++] = value;
      value = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && value === 0) return false; // a leading zero
      value = value * 10 + (c - 0x30);
      if (value > 255) return false;
      digits++;
    } else {
      return false;
    }
  }
  if (digits === 0 || octet !== 3) return false;
  out[at + 3] = value;
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
 * Parses an IPv4 dotted quad or an IPv6 address in text form, as `inet_pton` accepts it (no
 * leading zeros in IPv4 octets, at most one `::`, an optional trailing dotted quad in IPv6,
 * no zone index), into its family and network-order bytes; undefined if it is neither (or
 * not a string). The inverse of {@link formatAddress} for 4 and 16 bytes.
 *
 * @example
 * parseAddress('10.1.0.1'); // { family: AF_INET, bytes: Uint8Array [10, 1, 0, 1] }
 * parseAddress('fe80::1%eth0'); // undefined
 */
export function parseAddress(text: string): InetAddress | undefined {
  if (typeof text !== 'string') return undefined;
  if (text.includes(':')) {
    const bytes = new Uint8Array(16);
    return parseIPv6(text, bytes) ? { family: AF_INET6, bytes } : undefined;
  }
  const bytes = new Uint8Array(4);
  return parseIPv4(text, bytes, 0) ? { family: AF_INET, bytes } : undefined;
}

/**
 * Parses `address` or `address/length` (IPv4 or IPv6) into family, bytes and prefix length;
 * without `/length` the prefix is the whole address (32 or 128) and `explicitLength` is
 * false. Undefined if the address does not parse or the length is not a decimal in range.
 * Bits past the prefix are kept as given ({@link hostBitsSet} tells whether there are any).
 *
 * @example
 * parsePrefix('10.9.0.0/16'); // { family: AF_INET, bytes: [10, 9, 0, 0], prefixlen: 16, explicitLength: true }
 */
export function parsePrefix(text: string): InetPrefix | undefined {
  if (typeof text !== 'string') return undefined;
  const slash = text.indexOf('/');
  let family: number;
  let bytes: Uint8Array;
  if (text.includes(':')) {
    const parsed = parseAddress(slash < 0 ? text : text.slice(0, slash));
    if (parsed === undefined) return undefined;
    family = parsed.family;
    bytes = parsed.bytes;
  } else {
    // IPv4 in place, without slicing the address out.
    family = AF_INET;
    bytes = new Uint8Array(4);
    if (!parseIPv4(text, bytes, 0, 0, slash < 0 ? text.length : slash)) return undefined;
  }
  const bits = bytes.byteLength * 8;
  if (slash < 0) return { family, bytes, prefixlen: bits, explicitLength: false };
  const length = text.slice(slash + 1);
  if (!DECIMAL_OCTET.test(length)) return undefined;
  const prefixlen = Number(length);
  if (prefixlen > bits) return undefined;
  return { family, bytes, prefixlen, explicitLength: true };
}

/**
 * Whether any bit past `prefix.prefixlen` is set (`10.9.1.0/16` has, `10.9.0.0/16` has not).
 *
 * @example
 * hostBitsSet({ bytes: Uint8Array.of(10, 9, 1, 0), prefixlen: 16 }); // true
 */
export function hostBitsSet(prefix: { bytes: Uint8Array; prefixlen: number }): boolean {
  const bytes = prefix.bytes;
  for (let bit = prefix.prefixlen; bit < bytes.byteLength * 8; bit++) {
    if (bytes[bit >> 3] & (0x80 >> (bit & 7))) return true;
  }
  return false;
}

/**
 * Parses a link-layer (hardware) address written as hex bytes joined by `:`
 * (`52:54:00:12:34:56`; one or two digits a byte, as `ip link set address` takes it) of at
 * most `maxBytes` bytes (default 32, the kernel's MAX_ADDR_LEN); `''` is the empty address.
 * Undefined for anything else. The inverse of {@link formatLinkAddress} without `linkType`.
 *
 * @example
 * parseLinkAddress('52:54:00:12:34:56'); // Uint8Array(6) [0x52, 0x54, 0, 0x12, 0x34, 0x56]
 * parseLinkAddress('52:54:00:12:34:56:78:9a:bc', 8); // undefined
 */
export function parseLinkAddress(text: string, maxBytes = 32): Uint8Array | undefined {
  if (typeof text !== 'string') return undefined;
  if (text === '') return new Uint8Array(0);
  const parts = text.split(':');
  if (parts.length > maxBytes) return undefined;
  const out = new Uint8Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    if (!HEX_BYTE.test(parts[i])) return undefined;
    out[i] = Number.parseInt(parts[i], 16);
  }
  return out;
}

/**
 * The one argument checker (`argumentChecker` of src/errors/check.ts) with the address
 * checks of request builders added: each throws the same `TypeError` naming the public
 * function and the option (`addRoute: options.gateway must be an IPv4 or IPv6 address, got
 * "x"`).
 *
 * @example
 * declare const options: { dst?: string | undefined; gateway?: string | undefined };
 * const check = inetChecker('addRoute');
 * const dst = check.prefix('options.dst', options.dst);
 * const gateway = check.address('options.gateway', options.gateway, dst.family);
 */
export function inetChecker(fn: string): InetChecker {
  const check = argumentChecker(fn);
  return {
    ...check,
    address(name: string, value: unknown, family?: number): InetAddress | undefined {
      if (value === undefined) return undefined;
      const parsed = typeof value === 'string' ? parseAddress(value) : undefined;
      if (parsed === undefined) return check.fail(name, 'an IPv4 or IPv6 address', value);
      if (family !== undefined && parsed.family !== family) {
        const kind = family === AF_INET ? 'an IPv4' : 'an IPv6';
        return check.fail(name, `${kind} address like the others`, value);
      }
      return parsed;
    },
    prefix(name: string, value: unknown): InetPrefix {
      const parsed = typeof value === 'string' ? parsePrefix(value) : undefined;
      if (parsed === undefined) {
        return check.fail(name, 'an address or address/length (IPv4 or IPv6)', value);
      }
      return parsed;
    },
    linkAddress(name: string, value: unknown, maxBytes = 32): Uint8Array | undefined {
      if (value === undefined) return undefined;
      const parsed = typeof value === 'string' ? parseLinkAddress(value, maxBytes) : undefined;
      if (parsed === undefined) {
        return check.fail(name, `a link-layer address of at most ${maxBytes} hex bytes`, value);
      }
      return parsed;
    },
  };
}

/** What {@link inetChecker} returns: the one checker plus address checks. */
export interface InetChecker extends ArgumentChecker {
  /** An IPv4 or IPv6 address (of `family` when given), or undefined when absent. */
  address(name: string, value: unknown, family?: number): InetAddress | undefined;
  /** `address` or `address/length`, required. */
  prefix(name: string, value: unknown): InetPrefix;
  /** A link-layer address of at most `maxBytes` bytes, or undefined when absent. */
  linkAddress(name: string, value: unknown, maxBytes?: number): Uint8Array | undefined;
}
