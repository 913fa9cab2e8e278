import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6 } from '../../../src/families/rtnetlink/constants.js';
import { formatIPv6 } from '../../../src/families/rtnetlink/formatIPv6.js';
import { parseAddress } from '../../../src/families/rtnetlink/parseAddress.js';
import { libcOracleMissing, libcPton } from './libcOracle.js';

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
