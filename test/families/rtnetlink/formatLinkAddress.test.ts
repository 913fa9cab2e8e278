import { describe, expect, it } from 'vitest';
import {
  ARPHRD_ETHER,
  ARPHRD_IP6GRE,
  ARPHRD_IPGRE,
  ARPHRD_SIT,
  ARPHRD_TUNNEL,
  ARPHRD_TUNNEL6,
} from '../../../src/families/rtnetlink/constants.js';
import { formatLinkAddress } from '../../../src/families/rtnetlink/formatLinkAddress.js';

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
