import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import {
  AF_INET,
  NDA_FLAGS_EXT,
  NDA_PROTOCOL,
  NDA_VLAN,
  NTF_EXT_LEARNED,
  NTF_EXT_MANAGED,
  NTF_OFFLOADED,
  NTF_PROXY,
  NUD_DELAY,
  NUD_STALE,
  RTM_DELNEIGH,
} from '../../../src/families/rtnetlink/constants.js';
import {
  decodeNeighbour,
  type Neighbour,
  neighbourDumpRequest,
} from '../../../src/families/rtnetlink/neighbour.js';
import { ifname, message, neigh4, neigh6, patched, truncated, withAttribute } from './fixtures.js';

function fields(neighbour: Neighbour): Omit<Neighbour, 'attrs'> {
  const { attrs: _attrs, ...rest } = neighbour;
  return rest;
}

// neigh4: ndm_ifindex at 20, ndm_state at 24, ndm_flags at 26; NDA_DST header at 28,
// NDA_LLADDR at 36, NDA_PROBES at 48, NDA_CACHEINFO at 56.
describe('decodeNeighbour', () => {
  it.each([
    {
      name: 'a permanent IPv4 entry',
      bytes: neigh4,
      neighbour: {
        dst: '10.1.0.9',
        dev: 'v0',
        lladdr: '02:00:00:00:00:09',
        used: 0,
        confirmed: 0,
        updated: 0,
        probes: 0,
        state: ['PERMANENT'],
        family: 'inet',
        ifindex: 3,
      },
    },
    {
      name: 'a stale IPv6 router (confirmed 60 s ago: 6008 clock ticks)',
      bytes: neigh6,
      neighbour: {
        dst: '2001:db8::11',
        dev: 'v0',
        lladdr: '02:00:00:00:00:11',
        router: null,
        used: 0,
        confirmed: 60,
        updated: 0,
        probes: 0,
        state: ['STALE'],
        family: 'inet6',
        ifindex: 3,
      },
    },
    {
      name: 'RTM_DELNEIGH with two state bits',
      bytes: patched(neigh4, { 4: RTM_DELNEIGH, 24: NUD_STALE | NUD_DELAY }),
      neighbour: {
        deleted: true,
        dst: '10.1.0.9',
        dev: 'v0',
        lladdr: '02:00:00:00:00:09',
        used: 0,
        confirmed: 0,
        updated: 0,
        probes: 0,
        state: ['STALE', 'DELAY'],
        family: 'inet',
        ifindex: 3,
      },
    },
    {
      name: 'a proxy entry: no state, no interface, flags as nulls',
      bytes: patched(neigh4, { 20: 0, 24: 0, 26: NTF_PROXY | NTF_EXT_LEARNED | NTF_OFFLOADED }),
      neighbour: {
        dst: '10.1.0.9',
        lladdr: '02:00:00:00:00:09',
        proxy: null,
        extern_learn: null,
        offload: null,
        used: 0,
        confirmed: 0,
        updated: 0,
        probes: 0,
        family: 'inet',
        ifindex: 0,
      },
    },
    {
      name: 'NDA_PROTOCOL and NTF_EXT_MANAGED (in NDA_FLAGS_EXT)',
      bytes: withAttribute(
        withAttribute(truncated(neigh4, 36), NDA_PROTOCOL, Uint8Array.of(4)),
        NDA_FLAGS_EXT,
        Uint8Array.of(NTF_EXT_MANAGED, 0, 0, 0),
      ),
      neighbour: {
        dst: '10.1.0.9',
        dev: 'v0',
        managed: null,
        state: ['PERMANENT'],
        protocol: 'static',
        family: 'inet',
        ifindex: 3,
      },
    },
  ])('decodes $name', ({ bytes, neighbour }) => {
    const decoded = decodeNeighbour(message(bytes), { ifname });
    expect(fields(decoded)).toEqual(neighbour);
    expect(decoded.attrs.size).toBe(0);
    expect(Object.keys(decoded)).toEqual([...Object.keys(neighbour), 'attrs']);
  });

  it('keeps unmapped attributes (NDA_VLAN) and names the device if<N> without options', () => {
    const decoded = decodeNeighbour(message(withAttribute(neigh4, NDA_VLAN, Uint8Array.of(7, 0))));
    expect(decoded.dev).toBe('if3');
    expect([...decoded.attrs]).toEqual([
      { type: NDA_VLAN, nested: false, data: Uint8Array.of(7, 0) },
    ]);
  });

  it('skips an empty NDA_LLADDR', () => {
    const bytes = withAttribute(truncated(neigh4, 36), 2, new Uint8Array(0));
    expect(decodeNeighbour(message(bytes)).lladdr).toBeUndefined();
  });

  it.each([
    { name: 'a message of another type', bytes: patched(neigh4, { 4: 20 }), at: 0 },
    { name: 'a payload shorter than struct ndmsg', bytes: truncated(neigh4, 24), at: 0 },
    { name: 'NDA_DST with a 3-byte IPv4 address', bytes: patched(neigh4, { 28: 7 }), at: 28 },
    { name: 'NDA_PROBES with no payload', bytes: patched(neigh4, { 48: 4 }), at: 48 },
    {
      name: 'NDA_CACHEINFO shorter than struct nda_cacheinfo',
      bytes: patched(neigh4, { 56: 12 }),
      at: 56,
    },
    {
      name: 'NDA_CACHEINFO whose nla_len runs past the message',
      bytes: patched(neigh4, { 56: 40 }),
      at: 56,
    },
  ])('throws a DecodeError with the offset for $name', ({ bytes, at }) => {
    expect(() => decodeNeighbour(message(bytes))).toThrow(DecodeError);
    expect(() => decodeNeighbour(message(bytes))).toThrow(expect.objectContaining({ at }));
  });
});

// biome-ignore format: byte literals four per line
const proxyOfIfindex3 = Uint8Array.from([
  0x2c, 0x00, 0x00, 0x00, // nlmsg_len 44
  0x1e, 0x00, 0x01, 0x03, // RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP
  0x04, 0x00, 0x00, 0x00, // seq 4
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x00, 0x00, 0x00, // ndmsg: AF_INET, pad1, pad2
  0x00, 0x00, 0x00, 0x00, // ndm_ifindex 0 (strict checking rejects anything else)
  0x00, 0x00, 0x08, 0x00, // ndm_state 0, ndm_flags NTF_PROXY, ndm_type 0
  0x08, 0x00, 0x08, 0x00, // NDA_IFINDEX
  0x03, 0x00, 0x00, 0x00, // 3
  0x08, 0x00, 0x09, 0x00, // NDA_MASTER
  0x04, 0x00, 0x00, 0x00, // 4
]);

describe('neighbourDumpRequest', () => {
  it.each([
    {
      name: 'a proxy dump of one interface',
      options: { family: AF_INET, ifindex: 3, master: 4, proxy: true, seq: 4 },
      bytes: proxyOfIfindex3,
    },
    {
      name: 'the whole cache',
      options: undefined,
      bytes: Uint8Array.from(proxyOfIfindex3.subarray(0, 28))
        .fill(0, 8, 9)
        .fill(0, 16, 17)
        .fill(0, 26, 27)
        .fill(28, 0, 1),
    },
  ])('writes $name', ({ options, bytes }) => {
    expect(neighbourDumpRequest(options)).toEqual(bytes);
  });

  it.each([
    { name: 'options.proxy', options: { proxy: 1 } },
    { name: 'options.ifindex', options: { ifindex: 2 ** 31 } },
    { name: 'options.master', options: { master: 'br0' } },
  ])('throws a TypeError naming $name', ({ name, options }) => {
    const build = () =>
      neighbourDumpRequest(options as unknown as Parameters<typeof neighbourDumpRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(`neighbourDumpRequest: ${name} must be`);
  });
});
