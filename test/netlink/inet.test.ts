import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AF_INET,
  AF_INET6,
  ARPHRD_ETHER,
  ARPHRD_IP6GRE,
  ARPHRD_IPGRE,
  ARPHRD_SIT,
  ARPHRD_TUNNEL,
  ARPHRD_TUNNEL6,
} from '../../src/families/rtnetlink/constants.js';
import {
  formatIPv4,
  formatIPv6,
  formatLinkAddress,
  parseAddress,
  parsePrefix,
} from '../../src/netlink/inet.js';
import { libcNtop6, libcOracleMissing, libcPton } from './libcOracle.js';

describe('formatIPv4', () => {
  it.each([
    { name: 'zeros', bytes: [0, 0, 0, 0], offset: 0, text: '0.0.0.0' },
    { name: 'all ones', bytes: [255, 255, 255, 255], offset: 0, text: '255.255.255.255' },
    { name: 'a private address', bytes: [10, 1, 0, 1], offset: 0, text: '10.1.0.1' },
    { name: 'at an offset', bytes: [9, 9, 192, 0, 2, 33], offset: 2, text: '192.0.2.33' },
  ])('formats $name', ({ bytes, offset, text }) => {
    expect(formatIPv4(Uint8Array.from(bytes), offset)).toBe(text);
  });

  it('agrees with the platform for every value of each octet', () => {
    for (let v = 0; v < 256; v++) {
      expect(formatIPv4(Uint8Array.of(v, 255 - v, v, 1))).toBe(`${v}.${255 - v}.${v}.1`);
    }
  });

  it('formats addresses whose a.b.c. prefixes share a cache slot, interleaved, each right', () => {
    // 4096 prefixes over 256 slots, visited twice in an order that evicts between uses.
    const seen: string[] = [];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4096; i++) {
        const a = (i * 37) & 255;
        const b = (i >> 4) & 255;
        const c = (i * 11) & 255;
        const d = (i + round) & 255;
        seen.push(formatIPv4(Uint8Array.of(a, b, c, d)));
        expect(seen[seen.length - 1]).toBe(`${a}.${b}.${c}.${d}`);
      }
    }
    expect(new Set(seen).size).toBeGreaterThan(4096);
  });
});

function v6(...words: number[]): Uint8Array {
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

describe('formatIPv6', () => {
  it.each([
    { name: 'the unspecified address', bytes: v6(0, 0, 0, 0, 0, 0, 0, 0), text: '::' },
    { name: 'loopback', bytes: v6(0, 0, 0, 0, 0, 0, 0, 1), text: '::1' },
    {
      name: 'a documentation address',
      bytes: v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
      text: '2001:db8::1',
    },
    { name: 'a trailing run', bytes: v6(0xfe80, 0, 0, 0, 0, 0, 0, 0), text: 'fe80::' },
    {
      name: 'a single zero group (not compressed)',
      bytes: v6(1, 0, 1, 1, 1, 1, 1, 1),
      text: '1:0:1:1:1:1:1:1',
    },
    {
      name: 'the first of two equal runs',
      bytes: v6(0xfe80, 0, 0, 0, 1, 0, 0, 0),
      text: 'fe80::1:0:0:0',
    },
    { name: 'the longer run', bytes: v6(0, 1, 0, 0, 1, 0, 0, 0), text: '0:1:0:0:1::' },
    {
      name: 'IPv4-mapped',
      bytes: v6(0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201),
      text: '::ffff:192.0.2.1',
    },
    { name: 'IPv4-mapped zero', bytes: v6(0, 0, 0, 0, 0, 0xffff, 0, 0), text: '::ffff:0.0.0.0' },
    { name: 'IPv4-compatible', bytes: v6(0, 0, 0, 0, 0, 0, 0x0102, 0x0304), text: '::1.2.3.4' },
    {
      name: 'not IPv4-compatible when the run is longer',
      bytes: v6(0, 0, 0, 0, 0, 0, 0, 0x0102),
      text: '::102',
    },
    {
      name: 'lower case, no leading zeros',
      bytes: v6(0xabcd, 0xef, 1, 0x20, 0x300, 4, 5, 6),
      text: 'abcd:ef:1:20:300:4:5:6',
    },
  ])('formats $name', ({ bytes, text }) => {
    expect(formatIPv6(bytes)).toBe(text);
  });

  it('reads at an offset', () => {
    const bytes = new Uint8Array(20);
    bytes.set(v6(0x2001, 0xdb8, 0, 0, 0, 0, 0, 9), 4);
    expect(formatIPv6(bytes, 4)).toBe('2001:db8::9');
  });

  it.skipIf(libcOracleMissing !== undefined)(
    'prints what glibc inet_ntop prints (ip uses it) for 3000 addresses rich in zero runs',
    () => {
      const word = fc.oneof(
        { weight: 5, arbitrary: fc.constant(0) },
        { weight: 1, arbitrary: fc.constant(0xffff) },
        { weight: 1, arbitrary: fc.integer({ min: 1, max: 0xff }) },
        { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }) },
      );
      const addresses = fc
        .sample(fc.array(word, { minLength: 8, maxLength: 8 }), { numRuns: 3000, seed: 4242 })
        .map((words) => v6(...words));
      const theirs = libcNtop6(addresses);
      expect(addresses.map((a) => formatIPv6(a))).toEqual(theirs);
    },
  );
});

const mac = Uint8Array.of(0x02, 0xfc, 0x00, 0x0a, 0xbc, 0xde);
const ipv4 = Uint8Array.of(192, 0, 2, 1);
const ipv6 = Uint8Array.of(0xfe, 0x80, ...new Array(13).fill(0), 1);

describe('formatLinkAddress', () => {
  it.each([
    { name: 'an Ethernet MAC', bytes: mac, type: ARPHRD_ETHER, text: '02:fc:00:0a:bc:de' },
    { name: 'a MAC without link type', bytes: mac, type: undefined, text: '02:fc:00:0a:bc:de' },
    {
      name: 'an 8-byte address',
      bytes: Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 0xff),
      type: 32,
      text: '01:02:03:04:05:06:07:ff',
    },
    { name: 'an empty address', bytes: new Uint8Array(0), type: ARPHRD_ETHER, text: '' },
    { name: 'an ipip tunnel', bytes: ipv4, type: ARPHRD_TUNNEL, text: '192.0.2.1' },
    { name: 'a sit tunnel', bytes: ipv4, type: ARPHRD_SIT, text: '192.0.2.1' },
    { name: 'a gre tunnel', bytes: ipv4, type: ARPHRD_IPGRE, text: '192.0.2.1' },
    {
      name: 'a 4-byte address on Ethernet (hex)',
      bytes: ipv4,
      type: ARPHRD_ETHER,
      text: 'c0:00:02:01',
    },
    { name: 'an ip6tnl tunnel', bytes: ipv6, type: ARPHRD_TUNNEL6, text: 'fe80::1' },
    { name: 'an ip6gre tunnel', bytes: ipv6, type: ARPHRD_IP6GRE, text: 'fe80::1' },
  ])('formats $name', ({ bytes, type, text }) => {
    expect(formatLinkAddress(bytes, 0, bytes.byteLength, type)).toBe(text);
  });

  it('reads `length` bytes at `offset`', () => {
    expect(formatLinkAddress(Uint8Array.of(9, 9, 0xaa, 0xbb, 9), 2, 2)).toBe('aa:bb');
  });
});

const hex = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('hex') : '-');

describe('parseAddress', () => {
  it.each([
    { name: 'IPv4', text: '10.1.0.1', family: AF_INET, bytes: '0a010001' },
    { name: 'IPv4 zeros', text: '0.0.0.0', family: AF_INET, bytes: '00000000' },
    {
      name: 'IPv6 loopback',
      text: '::1',
      family: AF_INET6,
      bytes: '00000000000000000000000000000001',
    },
    {
      name: 'IPv6 unspecified',
      text: '::',
      family: AF_INET6,
      bytes: '00000000000000000000000000000000',
    },
    {
      name: 'IPv6 upper case',
      text: 'FE80::A',
      family: AF_INET6,
      bytes: 'fe80000000000000000000000000000a',
    },
    {
      name: 'IPv6 full form',
      text: '2001:0db8:0:0:0:0:0:1',
      family: AF_INET6,
      bytes: '20010db8000000000000000000000001',
    },
    {
      name: 'IPv6 with a trailing dotted quad',
      text: '::ffff:192.0.2.1',
      family: AF_INET6,
      bytes: '00000000000000000000ffffc0000201',
    },
    {
      name: 'IPv6 :: for one group',
      text: '1:2:3:4:5:6:7::',
      family: AF_INET6,
      bytes: '00010002000300040005000600070000',
    },
  ])('parses $name', ({ text, family, bytes }) => {
    const parsed = parseAddress(text);
    expect(parsed?.family).toBe(family);
    expect(hex(parsed?.bytes)).toBe(bytes);
  });

  it.each([
    { name: 'three octets', text: '10.1.0' },
    { name: 'an octet past 255', text: '10.1.0.256' },
    { name: 'a leading zero', text: '10.01.0.1' },
    { name: 'a sign', text: '+1.2.3.4' },
    { name: 'two ::', text: '1::2::3' },
    { name: 'nine groups', text: '1:2:3:4:5:6:7:8:9' },
    { name: 'eight groups and a trailing ::', text: '1:2:3:4:5:6:7:8::' },
    { name: 'eight groups and a leading ::', text: '::1:2:3:4:5:6:7:8' },
    { name: 'seven groups and a dotted quad', text: '::1:2:3:4:5:6:1.2.3.4' },
    { name: 'a five-digit group', text: '00001::' },
    { name: 'a zone index', text: 'fe80::1%eth0' },
    { name: 'a dotted quad not at the end', text: '1.2.3.4::' },
    { name: 'a leading single colon', text: ':1::' },
    { name: 'empty', text: '' },
    { name: 'a host name', text: 'localhost' },
  ])('rejects $name', ({ text }) => {
    expect(parseAddress(text)).toBeUndefined();
  });

  it('rejects what is not a string', () => {
    expect(parseAddress(7 as unknown as string)).toBeUndefined();
  });

  it('reads back what formatIPv6 writes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (bytes) => {
        expect(parseAddress(formatIPv6(bytes))?.bytes).toEqual(bytes);
      }),
    );
  });

  it.skipIf(libcOracleMissing !== undefined)(
    'accepts and rejects what glibc inet_pton does, with the same bytes',
    () => {
      const pieces = [
        '',
        '0',
        '1',
        '00',
        'ff',
        'FFFF',
        '0db8',
        '12345',
        '1.2.3.4',
        '256.0.0.1',
        '01.2.3.4',
        'g',
      ];
      const text = fc.oneof(
        fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 10 }).chain((parts) =>
          fc
            .array(fc.constantFrom(':', '::', '.'), {
              minLength: parts.length - 1,
              maxLength: parts.length - 1,
            })
            .map((seps) => parts.map((p, i) => p + (seps[i] ?? '')).join('')),
        ),
        fc
          .array(fc.integer({ min: 0, max: 300 }), { minLength: 3, maxLength: 5 })
          .map((n) => n.join('.')),
      );
      const texts = fc.sample(text, { numRuns: 4000, seed: 77 });
      const theirs = libcPton(texts);
      expect(texts.map((t) => hex(parseAddress(t)?.bytes))).toEqual(theirs);
    },
  );
});

describe('parsePrefix', () => {
  it.each([
    {
      name: 'an IPv4 prefix',
      text: '10.9.0.0/16',
      family: AF_INET,
      prefixlen: 16,
      explicitLength: true,
    },
    {
      name: 'an IPv4 host',
      text: '10.9.0.1',
      family: AF_INET,
      prefixlen: 32,
      explicitLength: false,
    },
    { name: '/0', text: '0.0.0.0/0', family: AF_INET, prefixlen: 0, explicitLength: true },
    {
      name: 'an IPv6 prefix',
      text: '2001:db8::/48',
      family: AF_INET6,
      prefixlen: 48,
      explicitLength: true,
    },
    { name: 'an IPv6 host', text: '::1', family: AF_INET6, prefixlen: 128, explicitLength: false },
    { name: '/128', text: 'fe80::1/128', family: AF_INET6, prefixlen: 128, explicitLength: true },
  ])('parses $name', ({ text, family, prefixlen, explicitLength }) => {
    expect(parsePrefix(text)).toMatchObject({ family, prefixlen, explicitLength });
  });

  it.each([
    { name: 'an IPv4 length past 32', text: '10.0.0.0/33' },
    { name: 'an IPv6 length past 128', text: '::/129' },
    { name: 'an empty length', text: '10.0.0.0/' },
    { name: 'a length with a leading zero', text: '10.0.0.0/08' },
    { name: 'a negative length', text: '10.0.0.0/-1' },
    { name: 'a netmask', text: '10.0.0.0/255.0.0.0' },
    { name: 'a bad address', text: '10.0.0/8' },
    { name: 'two slashes', text: '10.0.0.0/8/8' },
    { name: 'a trailing dot', text: '10.0.0.0./8' },
    { name: 'an empty octet', text: '10..0.0/8' },
    { name: 'five octets', text: '10.0.0.0.0/8' },
    { name: 'a leading zero in an octet', text: '10.00.0.0/16' },
    { name: 'an octet past 255', text: '10.0.0.256/32' },
    { name: 'no address', text: '/8' },
  ])('rejects $name', ({ text }) => {
    expect(parsePrefix(text)).toBeUndefined();
  });
});
