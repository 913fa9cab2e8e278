import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { decodeAddress } from '../../../src/families/rtnetlink/address.js';
import { decodeLink } from '../../../src/families/rtnetlink/link.js';
import { decodeNeighbour } from '../../../src/families/rtnetlink/neighbour.js';
import { decodeRoute } from '../../../src/families/rtnetlink/route.js';
import { formatAddress, parseAddress } from '../../../src/netlink/inet.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import {
  addr6,
  addrLabel,
  ifname,
  linkVeth,
  neigh4,
  neigh6,
  routeDefault,
  routeHost6,
  routeLocal,
  routeMetrics,
  routeMultipath,
  routeStatic,
} from './fixtures.js';

// Damaged kernel captures (issue: decoders never return garbage and never throw anything
// but a DecodeError with the byte offset): bit flips, bytes set, truncation with and without
// nlmsg_len following it, lying 16-bit lengths at attribute-aligned offsets, and random
// tails. Every string field of a result must be well-formed text.

const IP_OR_HEX = (text: string): boolean => {
  // Hex bytes first: 8 of them ('02:00:…') also parse as IPv6 groups.
  if (/^[0-9a-f]{2}(:[0-9a-f]{2})*$/.test(text)) return true;
  const parsed = parseAddress(text);
  return parsed !== undefined && formatAddress(parsed.bytes, 0, parsed.bytes.byteLength) === text;
};
const PREFIX = (text: string): boolean => {
  if (text === 'default' || /^0\/\d{1,3}$/.test(text)) return true;
  const slash = text.indexOf('/');
  return slash < 0
    ? IP_OR_HEX(text)
    : IP_OR_HEX(text.slice(0, slash)) && /^\/\d{1,3}$/.test(text.slice(slash));
};
/** Fields holding address text, by decoder, with their rule. */
const ADDRESS_FIELDS: Record<string, Record<string, (text: string) => boolean>> = {
  route: { dst: PREFIX, from: PREFIX, gateway: IP_OR_HEX, prefsrc: IP_OR_HEX, host: IP_OR_HEX },
  address: { local: IP_OR_HEX, address: IP_OR_HEX, broadcast: IP_OR_HEX, anycast: IP_OR_HEX },
  link: { address: IP_OR_HEX, broadcast: IP_OR_HEX, permaddr: IP_OR_HEX },
  neighbour: { dst: IP_OR_HEX, lladdr: IP_OR_HEX },
};

/** The first problem of a decoded value, or undefined when every field is well-formed. */
function problem(kind: string, value: unknown, path = ''): string | undefined {
  if (typeof value === 'string') {
    if (/undefined|NaN/.test(value)) return `${path} = ${JSON.stringify(value)}`;
    const field = path.slice(path.lastIndexOf('.') + 1);
    const rule = ADDRESS_FIELDS[kind][field];
    if (rule !== undefined && !rule(value)) return `${path} = ${JSON.stringify(value)}`;
    return undefined;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} = ${value}`;
  if (value === null || typeof value !== 'object') return undefined;
  if (value instanceof Uint8Array) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key === 'attrs') continue;
    const found = problem(kind, inner, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; value: number }
  | { op: 'truncate'; length: number; patchLength: boolean }
  | { op: 'lie'; at: number; value: number }
  | { op: 'append'; tail: number[]; patchLength: boolean };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(400), bit: fc.nat(7) }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(400), value: fc.nat(255) }),
  fc.record({
    op: fc.constant('truncate' as const),
    length: fc.nat(400),
    patchLength: fc.boolean(),
  }),
  fc.record({ op: fc.constant('lie' as const), at: fc.nat(100), value: fc.nat(0xffff) }),
  fc.record({
    op: fc.constant('append' as const),
    tail: fc.array(fc.nat(255), { maxLength: 24 }),
    patchLength: fc.boolean(),
  }),
);

function damage(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = original.slice();
  for (const m of mutations) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    switch (m.op) {
      case 'flip':
        if (bytes.byteLength > 0) bytes[m.at % bytes.byteLength] ^= 1 << m.bit;
        break;
      case 'set':
        if (bytes.byteLength > 0) bytes[m.at % bytes.byteLength] = m.value;
        break;
      case 'truncate': {
        bytes = bytes.slice(0, Math.min(m.length, bytes.byteLength));
        if (m.patchLength && bytes.byteLength >= 4) {
          new DataView(bytes.buffer).setUint32(0, bytes.byteLength, true);
        }
        break;
      }
      case 'lie': {
        // An nla_len (or rtnh_len) at a 4-aligned offset past the nlmsghdr.
        const at = 16 + ((m.at * 4) % Math.max(4, bytes.byteLength - 16));
        if (at + 2 <= bytes.byteLength) view.setUint16(at, m.value, true);
        break;
      }
      case 'append': {
        const longer = new Uint8Array(bytes.byteLength + m.tail.length);
        longer.set(bytes);
        longer.set(m.tail, bytes.byteLength);
        bytes = longer;
        if (m.patchLength && bytes.byteLength >= 4) {
          new DataView(bytes.buffer).setUint32(0, bytes.byteLength, true);
        }
        break;
      }
    }
  }
  return bytes;
}

const decoders = {
  route: (m: NetlinkMessage) => decodeRoute(m, { ifname }),
  address: (m: NetlinkMessage) => decodeAddress(m, { ifname }),
  link: (m: NetlinkMessage) => decodeLink(m, { ifname, ifflags: new Map([[2, 1]]) }),
  neighbour: (m: NetlinkMessage) => decodeNeighbour(m, { ifname }),
};

describe('rtnetlink decoders over damaged captures', () => {
  it.each([
    { name: 'route default', kind: 'route', bytes: routeDefault },
    { name: 'route static', kind: 'route', bytes: routeStatic },
    { name: 'route multipath', kind: 'route', bytes: routeMultipath },
    { name: 'route metrics', kind: 'route', bytes: routeMetrics },
    { name: 'route local', kind: 'route', bytes: routeLocal },
    { name: 'route host6', kind: 'route', bytes: routeHost6 },
    { name: 'address label', kind: 'address', bytes: addrLabel },
    { name: 'address 6', kind: 'address', bytes: addr6 },
    { name: 'neighbour 4', kind: 'neighbour', bytes: neigh4 },
    { name: 'neighbour 6', kind: 'neighbour', bytes: neigh6 },
    { name: 'link veth', kind: 'link', bytes: linkVeth },
  ] as const)(
    '$name: only DecodeErrors with an offset, every string well-formed',
    ({ kind, bytes }) => {
      const decode = decoders[kind];
      // The undamaged capture passes the same checks (so the checks can fail).
      expect(problem(kind, decode(NetlinkMessage.from(bytes.slice())))).toBeUndefined();
      fc.assert(
        fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
          const damaged = damage(bytes, mutations);
          let value: unknown;
          try {
            value = decode(NetlinkMessage.from(damaged));
          } catch (error) {
            if (!(error instanceof DecodeError)) throw error;
            expect(Number.isInteger(error.at)).toBe(true);
            return;
          }
          const found = problem(kind, value);
          if (found !== undefined) throw new Error(`garbage ${found}`);
          // What a caller does with the result never throws either.
          JSON.stringify(value);
        }),
        { numRuns: Number(process.env.DAMAGED_RUNS ?? 1500) },
      );
    },
  );

  it.each([
    {
      name: 'a garbage dst from a short RTA_DST',
      check: problem('route', { dst: 'undefined.undefined.undefined.undefined/16' }),
    },
    { name: 'a MAC with undefined', check: problem('link', { address: '02:undefined' }) },
    { name: 'an IPv6 not in canonical form', check: problem('route', { gateway: '2001:0db8::1' }) },
  ])('the well-formedness check rejects $name', ({ check }) => {
    expect(check).toBeDefined();
  });
});
