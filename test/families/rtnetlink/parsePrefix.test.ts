import { describe, expect, it } from 'vitest';
import { AF_INET, AF_INET6 } from '../../../src/families/rtnetlink/constants.js';
import { parsePrefix } from '../../../src/families/rtnetlink/parsePrefix.js';

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
  ])('rejects $name', ({ text }) => {
    expect(parsePrefix(text)).toBeUndefined();
  });
});
