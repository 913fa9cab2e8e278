import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import {
  addAddressRequest,
  addressDumpRequest,
  decodeAddress,
  deleteAddressRequest,
  type InterfaceAddress,
} from '../../../src/families/rtnetlink/address.js';
import {
  AF_INET6,
  IFA_CACHEINFO,
  IFA_F_MANAGETEMPADDR,
  IFA_F_NODAD,
  IFA_F_NOPREFIXROUTE,
  IFA_FLAGS,
  IFA_MULTICAST,
  IFA_PROTO,
  IFA_RT_PRIORITY,
  RTM_DELADDR,
  RTM_NEWADDR,
} from '../../../src/families/rtnetlink/constants.js';
import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../../src/netlink/constants.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
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

// biome-ignore format: byte literals four per line
const inet6OfIfindex3 = Uint8Array.from([
  0x18, 0x00, 0x00, 0x00, // nlmsg_len 24
  0x16, 0x00, 0x01, 0x03, // RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP
  0x02, 0x00, 0x00, 0x00, // seq 2
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x0a, 0x00, 0x00, 0x00, // ifaddrmsg: AF_INET6, prefixlen 0, flags 0, scope 0
  0x03, 0x00, 0x00, 0x00, // ifa_index 3
]);

describe('addressDumpRequest', () => {
  it.each([
    {
      name: 'a family and interface filter',
      options: { family: AF_INET6, ifindex: 3, seq: 2 },
      bytes: inet6OfIfindex3,
    },
    {
      name: 'every address',
      options: undefined,
      bytes: Uint8Array.from(inet6OfIfindex3).fill(0, 8, 9).fill(0, 16, 17).fill(0, 20, 21),
    },
  ])('writes $name', ({ options, bytes }) => {
    expect(addressDumpRequest(options)).toEqual(bytes);
  });

  it.each([
    { name: 'options.family', options: { family: -1 } },
    { name: 'options.ifindex', options: { ifindex: 0.5 } },
    { name: 'options.seq', options: { seq: '1' } },
  ])('throws a TypeError naming $name', ({ name, options }) => {
    const build = () =>
      addressDumpRequest(options as unknown as Parameters<typeof addressDumpRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(`addressDumpRequest: ${name} must be`);
  });
});

// Expected bytes: what iproute2 6.1 sends for the same command (captured with strace, the
// sequence number set to the one given here).

/** ip addr add 10.5.0.1/24 brd 10.5.0.255 dev v0 (ifindex 3) label v0:a */
// biome-ignore format: byte literals four per line
const addressLabel = Uint8Array.from([
  0x3c, 0x00, 0x00, 0x00, // nlmsg_len 60
  0x14, 0x00, 0x05, 0x06, // type 20, flags 0x605
  0x05, 0x00, 0x00, 0x00, // seq 5
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x18, 0x00, 0x00, // ifaddrmsg: family 2, prefixlen 24, flags 0x00, scope 0
  0x03, 0x00, 0x00, 0x00, // ifa_index 3
  0x08, 0x00, 0x02, 0x00, // IFA_LOCAL, nla_len 8
  0x0a, 0x05, 0x00, 0x01,
  0x08, 0x00, 0x04, 0x00, // IFA_BROADCAST, nla_len 8
  0x0a, 0x05, 0x00, 0xff,
  0x09, 0x00, 0x03, 0x00, // IFA_LABEL, nla_len 9
  0x76, 0x30, 0x3a, 0x61,
  0x00, 0x00, 0x00, 0x00,
  0x08, 0x00, 0x01, 0x00, // IFA_ADDRESS, nla_len 8
  0x0a, 0x05, 0x00, 0x01,
]);

/** ip -6 addr add 2001:db8:5::1/64 dev v0 nodad */
// biome-ignore format: byte literals four per line
const address6 = Uint8Array.from([
  0x40, 0x00, 0x00, 0x00, // nlmsg_len 64
  0x14, 0x00, 0x05, 0x06, // type 20, flags 0x605
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x0a, 0x40, 0x02, 0x00, // ifaddrmsg: family 10, prefixlen 64, flags 0x02, scope 0
  0x03, 0x00, 0x00, 0x00, // ifa_index 3
  0x14, 0x00, 0x02, 0x00, // IFA_LOCAL, nla_len 20
  0x20, 0x01, 0x0d, 0xb8,
  0x00, 0x05, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x01,
  0x14, 0x00, 0x01, 0x00, // IFA_ADDRESS, nla_len 20
  0x20, 0x01, 0x0d, 0xb8,
  0x00, 0x05, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x01,
]);

/** ip addr add 10.6.0.1 peer 10.6.0.2 dev v0 */
// biome-ignore format: byte literals four per line
const addressPeer = Uint8Array.from([
  0x28, 0x00, 0x00, 0x00, // nlmsg_len 40
  0x14, 0x00, 0x05, 0x06, // type 20, flags 0x605
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x20, 0x00, 0x00, // ifaddrmsg: family 2, prefixlen 32, flags 0x00, scope 0
  0x03, 0x00, 0x00, 0x00, // ifa_index 3
  0x08, 0x00, 0x02, 0x00, // IFA_LOCAL, nla_len 8
  0x0a, 0x06, 0x00, 0x01,
  0x08, 0x00, 0x01, 0x00, // IFA_ADDRESS, nla_len 8
  0x0a, 0x06, 0x00, 0x02,
]);

describe('addAddressRequest', () => {
  it.each([
    {
      name: 'an IPv4 address with broadcast and label',
      options: {
        ifindex: 3,
        address: '10.5.0.1/24',
        broadcast: '10.5.0.255',
        label: 'v0:a',
        seq: 5,
      },
      bytes: addressLabel,
    },
    {
      name: 'an IPv6 address with IFA_F_NODAD (in ifa_flags)',
      options: { ifindex: 3, address: '2001:db8:5::1/64', flags: IFA_F_NODAD },
      bytes: address6,
    },
    {
      name: 'a point-to-point address (/32 by default)',
      options: { ifindex: 3, address: '10.6.0.1', peer: '10.6.0.2' },
      bytes: addressPeer,
    },
  ])('writes $name as ip address add does', ({ options, bytes }) => {
    expect(addAddressRequest(options)).toEqual(bytes);
  });

  it.each([
    {
      name: 'an IPv4 address with metric and lifetimes',
      options: {
        ifindex: 2,
        address: '10.1.0.9/24',
        label: 'v1:m',
        metric: 77,
        validLifetime: 100,
        preferredLifetime: 50,
      },
      address: {
        ifindex: 2,
        ifname: 'v1',
        family: 'inet',
        local: '10.1.0.9',
        prefixlen: 24,
        metric: 77,
        scope: 'global',
        dynamic: true,
        label: 'v1:m',
        valid_life_time: 100,
        preferred_life_time: 50,
      },
    },
    {
      name: 'a loopback address (scope host by default)',
      options: { ifindex: 1, address: '127.0.0.2/8' },
      address: { ifname: 'lo', local: '127.0.0.2', prefixlen: 8, scope: 'host' },
    },
    {
      name: 'IPv6 flags above 0xff (IFA_FLAGS) and a named scope',
      options: {
        ifindex: 3,
        address: 'fe80::9/64',
        scope: 'link',
        flags: IFA_F_NODAD | IFA_F_NOPREFIXROUTE | IFA_F_MANAGETEMPADDR,
      },
      address: {
        family: 'inet6',
        local: 'fe80::9',
        scope: 'link',
        nodad: true,
        mngtmpaddr: true,
        noprefixroute: true,
      },
    },
  ])('round-trips $name through decodeAddress', ({ options, address }) => {
    const message = NetlinkMessage.from(addAddressRequest(options));
    expect(message.type).toBe(RTM_NEWADDR);
    const decoded = decodeAddress(message, { ifname });
    expect(decoded).toMatchObject(address);
    expect(decoded.attrs.size).toBe(0);
  });

  it('puts flags above 0xff in IFA_FLAGS and lifetimes in IFA_CACHEINFO', () => {
    const bytes = addAddressRequest({
      ifindex: 3,
      address: 'fe80::9/64',
      flags: IFA_F_NOPREFIXROUTE,
      validLifetime: 60,
    });
    const a = NetlinkMessage.from(bytes).attributes(8);
    const seen: Record<number, number[]> = {};
    while (a.next()) seen[a.type] = [...a.bytes()];
    expect(bytes[18]).toBe(0); // ifa_flags left 0
    expect(seen[IFA_FLAGS]).toEqual([0x00, 0x02, 0x00, 0x00]);
    // ifa_prefered defaults to ifa_valid.
    expect(seen[IFA_CACHEINFO]).toEqual([60, 0, 0, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('sets NLM_F_REPLACE instead of NLM_F_EXCL for replace', () => {
    const bytes = addAddressRequest({ ifindex: 3, address: '10.5.0.1/24', replace: true });
    expect(new DataView(bytes.buffer).getUint16(6, true)).toBe(
      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_REPLACE,
    );
  });

  it.each([
    { name: 'no options', options: null, message: /options must be an object/ },
    {
      name: 'no ifindex',
      options: { address: '10.5.0.1/24' },
      message: /options\.ifindex must be an interface index/,
    },
    {
      name: 'a string ifindex',
      options: { ifindex: '3', address: '10.5.0.1/24' },
      message: /options\.ifindex/,
    },
    { name: 'no address', options: { ifindex: 3 }, message: /options\.address/ },
    {
      name: 'a zone index',
      options: { ifindex: 3, address: 'fe80::1%v0/64' },
      message: /options\.address/,
    },
    {
      name: 'a peer of another family',
      options: { ifindex: 3, address: '10.6.0.1', peer: '::1' },
      message: /options\.peer/,
    },
    {
      name: 'an IPv6 broadcast',
      options: { ifindex: 3, address: '2001:db8::1/64', broadcast: '10.0.0.255' },
      message: /options\.broadcast must be absent for an IPv6 address/,
    },
    {
      name: 'a broadcast that is not IPv4',
      options: { ifindex: 3, address: '10.5.0.1/24', broadcast: 'ff02::1' },
      message: /options\.broadcast must be an IPv4 address/,
    },
    {
      name: 'a 16-byte label',
      options: { ifindex: 3, address: '10.5.0.1/24', label: 'v0:0123456789abc' },
      message: /options\.label must be a non-empty string of at most 15 bytes/,
    },
    {
      name: 'an IPv6 label',
      options: { ifindex: 3, address: '2001:db8::1/64', label: 'v0:a' },
      message: /options\.label must be absent/,
    },
    {
      name: 'an unknown scope',
      options: { ifindex: 3, address: '10.5.0.1/24', scope: 'planet' },
      message: /options\.scope/,
    },
    {
      name: 'preferred past valid',
      options: { ifindex: 3, address: '10.5.0.1/24', validLifetime: 10, preferredLifetime: 20 },
      message: /options\.preferredLifetime must be at most options\.validLifetime/,
    },
    {
      name: 'flags past u32',
      options: { ifindex: 3, address: '10.5.0.1/24', flags: 2 ** 32 },
      message: /options\.flags/,
    },
  ])('throws a TypeError naming the argument for $name', ({ options, message }) => {
    const build = () =>
      addAddressRequest(options as unknown as Parameters<typeof addAddressRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(/^addAddressRequest: /);
    expect(build).toThrow(message);
  });
});

// Expected bytes: what iproute2 6.1 sends for the same command (captured with strace).

/** ip addr del 10.5.0.1/24 dev v0 */
// biome-ignore format: byte literals four per line
const addressDelete = Uint8Array.from([
  0x28, 0x00, 0x00, 0x00, // nlmsg_len 40
  0x15, 0x00, 0x05, 0x00, // type 21, flags 0x005
  0x06, 0x00, 0x00, 0x00, // seq 6
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x18, 0x00, 0x00, // ifaddrmsg: family 2, prefixlen 24, flags 0x00, scope 0
  0x03, 0x00, 0x00, 0x00, // ifa_index 3
  0x08, 0x00, 0x02, 0x00, // IFA_LOCAL, nla_len 8
  0x0a, 0x05, 0x00, 0x01,
  0x08, 0x00, 0x01, 0x00, // IFA_ADDRESS, nla_len 8
  0x0a, 0x05, 0x00, 0x01,
]);

describe('deleteAddressRequest', () => {
  it('writes what ip address del sends', () => {
    expect(deleteAddressRequest({ ifindex: 3, address: '10.5.0.1/24', seq: 6 })).toEqual(
      addressDelete,
    );
  });

  it('round-trips through decodeAddress', () => {
    const decoded = decodeAddress(
      NetlinkMessage.from(
        deleteAddressRequest({ ifindex: 3, address: '10.6.0.1', peer: '10.6.0.2' }),
      ),
    );
    expect(decoded).toMatchObject({
      deleted: true,
      ifindex: 3,
      local: '10.6.0.1',
      address: '10.6.0.2',
      prefixlen: 32,
      scope: 'global',
    });
  });

  it.each([
    { name: 'label', options: { ifindex: 3, address: '10.5.0.1/24', label: 'v0:a' } },
    { name: 'broadcast', options: { ifindex: 3, address: '10.5.0.1/24', broadcast: '10.5.0.255' } },
    { name: 'validLifetime', options: { ifindex: 3, address: '10.5.0.1/24', validLifetime: 5 } },
    { name: 'replace', options: { ifindex: 3, address: '10.5.0.1/24', replace: false } },
  ])('throws a TypeError for the add-only option $name', ({ name, options }) => {
    const build = () =>
      deleteAddressRequest(options as unknown as Parameters<typeof deleteAddressRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(`deleteAddressRequest: options.${name} must be absent when deleting`);
  });
});
