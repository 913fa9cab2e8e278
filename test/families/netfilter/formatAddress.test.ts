import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatAddress,
  parseAddress,
  parseHwaddr,
} from '../../../src/families/netfilter/address.js';

const format = (bytes: Uint8Array) =>
  formatAddress(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), 0, bytes.length);

const v6 = (...groups: number[]) => {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  for (const [i, g] of groups.entries()) view.setUint16(i * 2, g, false);
  return bytes;
};

describe('formatAddress and parseAddress', () => {
  it.each([
    { name: 'IPv4 loopback', bytes: Uint8Array.of(127, 0, 0, 1), text: '127.0.0.1' },
    { name: 'IPv4 broadcast', bytes: Uint8Array.of(255, 255, 255, 255), text: '255.255.255.255' },
    { name: 'IPv6 unspecified', bytes: v6(), text: '::' },
    { name: 'IPv6 loopback', bytes: v6(0, 0, 0, 0, 0, 0, 0, 1), text: '::1' },
    {
      name: 'documentation prefix',
      bytes: v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
      text: '2001:db8::1',
    },
    {
      name: 'a single zero group stays',
      bytes: v6(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1),
      text: '2001:db8:0:1:1:1:1:1',
    },
    { name: 'the longest run wins', bytes: v6(1, 0, 0, 1, 0, 0, 0, 1), text: '1:0:0:1::1' },
    {
      name: 'the first of equal runs wins',
      bytes: v6(1, 0, 0, 1, 1, 0, 0, 1),
      text: '1::1:1:0:0:1',
    },
    { name: 'a trailing run', bytes: v6(0xfe80, 0, 0, 0, 0, 0, 0, 0), text: 'fe80::' },
    {
      name: 'lowercase, no leading zeros',
      bytes: v6(0xabcd, 0xef, 1, 2, 3, 4, 5, 6),
      text: 'abcd:ef:1:2:3:4:5:6',
    },
    {
      name: 'IPv4-mapped',
      bytes: v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201),
      text: '::ffff:192.0.2.1',
    },
    {
      name: 'IPv4-compatible, as inet_ntop prints it',
      bytes: v6(0, 0, 0, 0, 0, 0, 1, 1),
      text: '::0.1.0.1',
    },
  ])('$name', ({ bytes, text }) => {
    expect(format(bytes)).toBe(text);
    expect(parseAddress(text)).toEqual(bytes);
  });

  it.each([
    {
      name: 'a full form',
      text: '2001:0db8:0000:0000:0000:0000:0000:0001',
      bytes: v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
    },
    { name: 'uppercase', text: 'FE80::1', bytes: v6(0xfe80, 0, 0, 0, 0, 0, 0, 1) },
    {
      name: 'an embedded dotted quad',
      text: '64:ff9b::192.0.2.1',
      bytes: v6(0x64, 0xff9b, 0, 0, 0, 0, 0xc000, 0x201),
    },
  ])('parseAddress reads $name', ({ text, bytes }) => {
    expect(parseAddress(text)).toEqual(bytes);
  });

  it.each([
    { name: 'an empty string', text: '' },
    { name: 'a five-part IPv4', text: '1.2.3.4.5' },
    { name: 'an IPv4 octet past 255', text: '1.2.3.256' },
    { name: 'two ::', text: '1::2::3' },
    { name: 'nine groups', text: '1:2:3:4:5:6:7:8:9' },
    { name: 'a five-digit group', text: '12345::' },
    { name: 'a bad dotted tail', text: '::1.2.3' },
  ])('parseAddress refuses $name', ({ text }) => {
    expect(() => parseAddress(text)).toThrow(TypeError);
  });

  it('formats IPv6 as the WHATWG URL serializer does (RFC 5952), except IPv4-mapped and -compatible', () => {
    const groups = fc.array(
      fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: 0, max: 0xffff })),
      {
        minLength: 8,
        maxLength: 8,
      },
    );
    fc.assert(
      fc.property(groups, (g) => {
        const bytes = v6(...g);
        fc.pre(!(g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff));
        // IPv4-compatible (the zero run is exactly the first six groups): inet_ntop's dotted tail.
        fc.pre(!(g.slice(0, 6).every((x) => x === 0) && g[6] !== 0));
        const text = format(bytes);
        expect(text).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
        expect(parseAddress(text)).toEqual(bytes);
      }),
    );
  });

  it('round-trips any 4 or 16 bytes through text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 4, maxLength: 4 }),
          fc.uint8Array({ minLength: 16, maxLength: 16 }),
        ),
        (bytes) => {
          expect(parseAddress(format(bytes))).toEqual(bytes);
        },
      ),
    );
  });

  it('formats other lengths as hex bytes', () => {
    expect(format(Uint8Array.of(0xde, 0xad, 0x01))).toBe('de:ad:01');
  });
});

describe('parseHwaddr', () => {
  it.each([
    {
      name: 'a MAC',
      text: '52:54:00:ab:cd:ef',
      bytes: Uint8Array.of(0x52, 0x54, 0, 0xab, 0xcd, 0xef),
    },
    {
      name: 'eight bytes',
      text: '01:02:03:04:05:06:07:08',
      bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8),
    },
    { name: 'nothing', text: '', bytes: new Uint8Array() },
  ])('$name', ({ text, bytes }) => {
    expect(parseHwaddr(text)).toEqual(bytes);
  });

  it.each([
    { name: 'nine bytes', text: '1:2:3:4:5:6:7:8:9' },
    { name: 'a three-digit byte', text: '123:4' },
    { name: 'not hex', text: 'zz:00' },
  ])('refuses $name', ({ text }) => {
    expect(() => parseHwaddr(text)).toThrow(TypeError);
  });
});
