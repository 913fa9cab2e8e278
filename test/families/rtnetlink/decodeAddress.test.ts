import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/DecodeError.js';
import {
  IFA_MULTICAST,
  IFA_PROTO,
  IFA_RT_PRIORITY,
  RTM_DELADDR,
} from '../../../src/families/rtnetlink/constants.js';
import { decodeAddress } from '../../../src/families/rtnetlink/decodeAddress.js';
import type { InterfaceAddress } from '../../../src/families/rtnetlink/InterfaceAddress.js';
import {
  addr6,
  addrLabel,
  ifname,
  message,
  patched,
  truncated,
  withAttribute,
} from './fixtures.js';

function fields(address: InterfaceAddress): Omit<InterfaceAddress, 'attrs'> {
  const { attrs: _attrs, ...rest } = address;
  return rest;
}

const FOREVER = 4294967295;

// addrLabel: IFA_ADDRESS payload at 28, IFA_LOCAL at 36, IFA_FLAGS payload at 64,
// IFA_CACHEINFO header at 68. addr6: IFA_FLAGS payload at 68.
describe('decodeAddress', () => {
  it.each([
    {
      name: 'an IPv4 address with broadcast and label',
      bytes: addrLabel,
      address: {
        ifindex: 2,
        ifname: 'v1',
        family: 'inet',
        local: '10.1.0.2',
        prefixlen: 24,
        broadcast: '10.1.0.255',
        scope: 'global',
        label: 'v1:x',
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
    {
      name: 'an IPv6 address (IFA_ADDRESS only) with nodad',
      bytes: addr6,
      address: {
        ifindex: 3,
        ifname: 'v0',
        family: 'inet6',
        local: '2001:db8::1',
        prefixlen: 64,
        scope: 'global',
        nodad: true,
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
    {
      name: 'a point-to-point peer (IFA_ADDRESS differs from IFA_LOCAL)',
      bytes: patched(addrLabel, { 31: 9 }),
      address: {
        ifindex: 2,
        ifname: 'v1',
        family: 'inet',
        local: '10.1.0.2',
        address: '10.1.0.9',
        prefixlen: 24,
        broadcast: '10.1.0.255',
        scope: 'global',
        label: 'v1:x',
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
    {
      name: 'IPv4 secondary, dynamic and an unnamed flag bit',
      bytes: patched(addrLabel, { 64: 0x21, 65: 0x10 }),
      address: {
        ifindex: 2,
        ifname: 'v1',
        family: 'inet',
        local: '10.1.0.2',
        prefixlen: 24,
        broadcast: '10.1.0.255',
        scope: 'global',
        secondary: true,
        deprecated: true,
        dynamic: true,
        ifa_flags: '1000',
        label: 'v1:x',
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
    {
      name: 'IPv6 temporary (IFA_F_SECONDARY), tentative, stable-privacy, link scope',
      bytes: patched(addr6, { 19: 253, 68: 0xc1, 69: 0x0b }),
      address: {
        ifindex: 3,
        ifname: 'v0',
        family: 'inet6',
        local: '2001:db8::1',
        prefixlen: 64,
        scope: 'link',
        temporary: true,
        tentative: true,
        mngtmpaddr: true,
        noprefixroute: true,
        'stable-privacy': true,
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
    {
      name: 'RTM_DELADDR',
      bytes: patched(addr6, { 4: RTM_DELADDR }),
      address: {
        deleted: true,
        ifindex: 3,
        ifname: 'v0',
        family: 'inet6',
        local: '2001:db8::1',
        prefixlen: 64,
        scope: 'global',
        nodad: true,
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
    {
      name: 'IFA_RT_PRIORITY (metric) and IFA_PROTO (protocol)',
      bytes: withAttribute(
        withAttribute(addr6, IFA_RT_PRIORITY, Uint8Array.of(77, 0, 0, 0)),
        IFA_PROTO,
        Uint8Array.of(3),
      ),
      address: {
        ifindex: 3,
        ifname: 'v0',
        family: 'inet6',
        local: '2001:db8::1',
        prefixlen: 64,
        metric: 77,
        protocol: 'kernel_ll',
        scope: 'global',
        nodad: true,
        valid_life_time: FOREVER,
        preferred_life_time: FOREVER,
      },
    },
  ])('decodes $name', ({ bytes, address }) => {
    const decoded = decodeAddress(message(bytes), { ifname });
    expect(fields(decoded)).toEqual(address);
    expect(decoded.attrs.size).toBe(0);
    const defined = Object.entries(address).filter(([, v]) => v !== undefined);
    expect(Object.keys(decoded)).toEqual([...defined.map(([k]) => k), 'attrs']);
  });

  it('keeps unmapped attributes (IFA_MULTICAST) and names the link if<N> without options', () => {
    const decoded = decodeAddress(
      message(
        withAttribute(addr6, IFA_MULTICAST, Uint8Array.of(0xff, 2, ...new Array(13).fill(0), 1)),
      ),
    );
    expect(decoded.ifname).toBe('if3');
    expect(decoded.attrs.types()).toEqual([IFA_MULTICAST]);
    expect(decoded.attrs.get(IFA_MULTICAST)?.[0]).toBe(0xff);
  });

  it.each([
    { name: 'a message of another type', bytes: patched(addrLabel, { 4: 28 }), at: 0 },
    { name: 'a payload shorter than struct ifaddrmsg', bytes: truncated(addrLabel, 20), at: 0 },
    { name: 'IFA_LOCAL with a 3-byte IPv4 address', bytes: patched(addrLabel, { 32: 7 }), at: 32 },
    { name: 'IFA_FLAGS with a 1-byte payload', bytes: patched(addrLabel, { 60: 5 }), at: 60 },
    {
      name: 'IFA_CACHEINFO shorter than struct ifa_cacheinfo',
      bytes: patched(addrLabel, { 68: 16 }),
      at: 68,
    },
    {
      name: 'IFA_CACHEINFO whose nla_len runs past the message',
      bytes: patched(addrLabel, { 68: 24 }),
      at: 68,
    },
  ])('throws a DecodeError with the offset for $name', ({ bytes, at }) => {
    expect(() => decodeAddress(message(bytes))).toThrow(DecodeError);
    expect(() => decodeAddress(message(bytes))).toThrow(expect.objectContaining({ at }));
  });
});
