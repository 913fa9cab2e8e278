import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  ARPHRD_TUNNEL,
  IFLA_ADDRESS,
  IFLA_AF_SPEC,
  IFLA_ALLMULTI,
  IFLA_ALT_IFNAME,
  IFLA_CARRIER,
  IFLA_IFALIAS,
  IFLA_IFNAME,
  IFLA_INET6_ADDR_GEN_MODE,
  IFLA_INFO_SLAVE_KIND,
  IFLA_LINK_NETNSID,
  IFLA_LINKINFO,
  IFLA_MASTER,
  IFLA_PARENT_DEV_BUS_NAME,
  IFLA_PARENT_DEV_NAME,
  IFLA_PERM_ADDRESS,
  IFLA_PROMISCUITY,
  IFLA_PROP_LIST,
  IFLA_PROTO_DOWN,
  IFLA_TSO_MAX_SEGS,
  RTEXT_FILTER_SKIP_STATS,
  RTM_DELLINK,
  RTM_NEWLINK,
} from '../../../src/families/rtnetlink/constants.js';
import { decodeLink, type Link, linkDumpRequest } from '../../../src/families/rtnetlink/link.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { ifname, linkVeth, message, patched, truncated, withAttribute } from './fixtures.js';

function fields(link: Link): Omit<Link, 'attrs'> {
  const { attrs: _attrs, ...rest } = link;
  return rest;
}

/** ip's key order for the fields these tests use. */
const ORDER = [
  'deleted',
  'ifindex',
  'link',
  'link_index',
  'ifname',
  'flags',
  'mtu',
  'qdisc',
  'operstate',
  'linkmode',
  'group',
  'txqlen',
  'link_type',
  'address',
  'link_pointtopoint',
  'broadcast',
  'link_netnsid',
  'linkinfo',
];

/** The veth link with `changes` applied (undefined removes a field), keys in ip's order. */
function vethWith(changes: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...veth, ...changes };
  const out: Record<string, unknown> = {};
  for (const key of ORDER) if (merged[key] !== undefined) out[key] = merged[key];
  return out;
}

const veth = {
  ifindex: 3,
  link: 'v1',
  ifname: 'v0',
  flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'],
  mtu: 1500,
  qdisc: 'noqueue',
  operstate: 'UP',
  linkmode: 'DEFAULT',
  group: 'default',
  txqlen: 1000,
  link_type: 'ether',
  address: '96:4e:c9:43:00:22',
  broadcast: 'ff:ff:ff:ff:ff:ff',
  linkinfo: { info_kind: 'veth' },
};

/** A nested attribute payload: `(type, payload)` pairs. */
function nest(...attrs: Array<[number, Uint8Array]>): Uint8Array {
  const w = new MessageWriter();
  for (const [type, payload] of attrs) w.attr(type, payload);
  return w.finish();
}
const cstring = (s: string) => Uint8Array.from([...new TextEncoder().encode(s), 0]);
const u32 = (v: number) => new Uint8Array(new Uint32Array([v]).buffer);

describe('decodeLink', () => {
  it.each([
    { name: 'a veth link', bytes: linkVeth, options: { ifname }, link: vethWith({}) },
    {
      name: 'RTM_DELLINK',
      bytes: patched(linkVeth, { 4: RTM_DELLINK }),
      options: { ifname },
      link: vethWith({ deleted: true }),
    },
    {
      name: 'UP without RUNNING (NO-CARRIER)',
      bytes: patched(linkVeth, { 24: 0x03, 26: 0x00 }),
      options: { ifname },
      link: vethWith({ flags: ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP'] }),
    },
    {
      name: 'a peer that is down (M-DOWN, from options.ifflags)',
      bytes: linkVeth,
      options: { ifname, ifflags: new Map([[2, 0x1002]]) },
      link: vethWith({ flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP', 'M-DOWN'] }),
    },
    {
      name: 'a peer that is up (no M-DOWN)',
      bytes: linkVeth,
      options: { ifname, ifflags: (index: number) => (index === 2 ? 0x11043 : undefined) },
      link: vethWith({}),
    },
    {
      name: 'a POINTOPOINT link and unnamed flag bits',
      bytes: patched(linkVeth, { 24: 0x51, 27: 0x80 }),
      options: { ifname },
      link: vethWith({
        flags: ['POINTOPOINT', 'MULTICAST', 'UP', 'LOWER_UP', '80000000'],
        link_pointtopoint: true,
      }),
    },
    {
      name: 'txqlen 0 (left out, as ip does) and IFLA_LINK 0 (null)',
      bytes: patched(linkVeth, { 44: 0, 45: 0, 96: 0 }),
      options: { ifname },
      link: vethWith({ txqlen: undefined, link: null }),
    },
    {
      name: 'a link in another namespace (link_index and link_netnsid)',
      bytes: withAttribute(linkVeth, IFLA_LINK_NETNSID, u32(0)),
      options: { ifname },
      link: vethWith({ link: undefined, link_index: 2, link_netnsid: 0 }),
    },
    {
      name: 'no options: interface names as ip prints unknown ones',
      bytes: linkVeth,
      options: undefined,
      link: vethWith({ link: 'if2' }),
    },
  ])('decodes $name', ({ bytes, options, link }) => {
    const decoded = decodeLink(message(bytes), options);
    expect(fields(decoded)).toEqual(link);
    expect(Object.keys(decoded)).toEqual([...Object.keys(link), 'attrs']);
  });

  it('maps the -d fields, alternative names, alias, master and permanent address', () => {
    let bytes: Uint8Array = linkVeth;
    const add = (type: number, payload: Uint8Array) => {
      bytes = withAttribute(bytes, type, payload);
    };
    add(IFLA_MASTER, u32(4));
    add(IFLA_PROMISCUITY, u32(1));
    add(IFLA_ALLMULTI, u32(0));
    add(IFLA_TSO_MAX_SEGS, u32(65535));
    add(IFLA_PROTO_DOWN, Uint8Array.of(1));
    add(IFLA_PERM_ADDRESS, Uint8Array.of(2, 0, 0, 0, 0, 1));
    add(IFLA_IFALIAS, cstring('uplink'));
    add(IFLA_PARENT_DEV_NAME, cstring('virtio2'));
    add(IFLA_PARENT_DEV_BUS_NAME, cstring('virtio'));
    add(IFLA_PROP_LIST, nest([IFLA_ALT_IFNAME, cstring('a1')], [IFLA_ALT_IFNAME, cstring('a2')]));
    add(
      IFLA_AF_SPEC,
      nest([AF_INET, nest()], [AF_INET6, nest([IFLA_INET6_ADDR_GEN_MODE, Uint8Array.of(1)])]),
    );
    add(IFLA_LINKINFO, nest([IFLA_INFO_SLAVE_KIND, cstring('bridge')]));
    const link = decodeLink(message(bytes), { ifname });
    expect(link).toMatchObject({
      master: 'if4',
      promiscuity: 1,
      allmulti: 0,
      tso_max_segs: 65535,
      proto_down: true,
      permaddr: '02:00:00:00:00:01',
      ifalias: 'uplink',
      parentdev: 'virtio2',
      parentbus: 'virtio',
      altnames: ['a1', 'a2'],
      inet6_addr_gen_mode: 'none',
      linkinfo: { info_slave_kind: 'bridge' },
    });
    // IFLA_LINKINFO (twice) and IFLA_AF_SPEC are only partly mapped; IFLA_CARRIER not at all.
    expect(link.attrs.types()).toEqual([IFLA_CARRIER, IFLA_LINKINFO, IFLA_AF_SPEC, IFLA_LINKINFO]);
    expect(link.attrs.get(IFLA_CARRIER)).toEqual(Uint8Array.of(1));
  });

  it('leaves permaddr out when it equals the address', () => {
    const bytes = withAttribute(
      linkVeth,
      IFLA_PERM_ADDRESS,
      Uint8Array.of(0x96, 0x4e, 0xc9, 0x43, 0, 0x22),
    );
    expect(decodeLink(message(bytes)).permaddr).toBeUndefined();
  });

  it('prints an IPv4 tunnel address as an IP address', () => {
    const bytes = new MessageWriter()
      .begin(RTM_NEWLINK, 0)
      .u8(0)
      .u8(0)
      .u16(ARPHRD_TUNNEL)
      .u32(9)
      .u32(0x41)
      .u32(0)
      .attrString(IFLA_IFNAME, 'tunl0')
      .attr(IFLA_ADDRESS, Uint8Array.of(0, 0, 0, 0))
      .end()
      .finish();
    const link = decodeLink(NetlinkMessage.from(bytes));
    expect(fields(link)).toEqual({
      ifindex: 9,
      ifname: 'tunl0',
      flags: ['UP'],
      link_type: 'ipip',
      address: '0.0.0.0',
    });
    expect(link.attrs.size).toBe(0);
  });

  it.each([
    { name: 'a message of another type', bytes: patched(linkVeth, { 4: 24 }), at: 0 },
    { name: 'a payload shorter than struct ifinfomsg', bytes: truncated(linkVeth, 28), at: 0 },
    { name: 'IFLA_MTU with a 2-byte payload', bytes: patched(linkVeth, { 64: 6 }), at: 64 },
    { name: 'IFLA_OPERSTATE with no payload', bytes: patched(linkVeth, { 48: 4 }), at: 48 },
    {
      name: 'IFLA_INFO_KIND whose nla_len runs past IFLA_LINKINFO',
      bytes: patched(linkVeth, { 136: 0x40 }),
      at: 136,
    },
    {
      name: 'IFLA_ADDRESS whose nla_len runs past the message',
      bytes: patched(linkVeth, { 108: 0xf0 }),
      at: 108,
    },
  ])('throws a DecodeError with the offset for $name', ({ bytes, at }) => {
    expect(() => decodeLink(message(bytes))).toThrow(DecodeError);
    expect(() => decodeLink(message(bytes))).toThrow(expect.objectContaining({ at }));
  });
});

// biome-ignore format: byte literals four per line
const plain = Uint8Array.from([
  0x20, 0x00, 0x00, 0x00, // nlmsg_len 32
  0x12, 0x00, 0x01, 0x03, // RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP
  0x01, 0x00, 0x00, 0x00, // seq 1
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x00, // ifinfomsg: AF_UNSPEC, pad, ifi_type 0
  0x00, 0x00, 0x00, 0x00, // ifi_index 0 (strict checking rejects anything else)
  0x00, 0x00, 0x00, 0x00, // ifi_flags
  0x00, 0x00, 0x00, 0x00, // ifi_change
]);

// biome-ignore format: byte literals four per line
const filtered = Uint8Array.from([
  0x40, 0x00, 0x00, 0x00, // nlmsg_len 64
  0x12, 0x00, 0x01, 0x03, // RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x07, 0x00, 0x00, 0x00, // ifinfomsg: AF_BRIDGE
  0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00,
  0x00, 0x00, 0x00, 0x00,
  0x08, 0x00, 0x1d, 0x00, // IFLA_EXT_MASK
  0x08, 0x00, 0x00, 0x00, // RTEXT_FILTER_SKIP_STATS
  0x08, 0x00, 0x0a, 0x00, // IFLA_MASTER
  0x04, 0x00, 0x00, 0x00, // ifindex 4
  0x10, 0x00, 0x12, 0x80, // IFLA_LINKINFO | NLA_F_NESTED
  0x09, 0x00, 0x01, 0x00, // IFLA_INFO_KIND
  0x76, 0x65, 0x74, 0x68, // "veth"
  0x00, 0x00, 0x00, 0x00,
]);

describe('linkDumpRequest', () => {
  it.each([
    { name: 'a plain dump', options: { seq: 1 }, bytes: plain },
    { name: 'no options at all', options: undefined, bytes: Uint8Array.from(plain).fill(0, 8, 9) },
    {
      name: 'a filtered bridge dump',
      options: { family: AF_BRIDGE, extMask: RTEXT_FILTER_SKIP_STATS, master: 4, kind: 'veth' },
      bytes: filtered,
    },
  ])('writes $name', ({ options, bytes }) => {
    expect(linkDumpRequest(options)).toEqual(bytes);
  });

  it.each([
    { name: 'options.family', options: { family: 256 } },
    { name: 'options.extMask', options: { extMask: -1 } },
    { name: 'options.master', options: { master: 0 } },
    { name: 'options.kind', options: { kind: '' } },
    { name: 'options.seq', options: { seq: 2 ** 32 } },
    { name: 'options', options: 'all' },
  ])('throws a TypeError naming $name', ({ name, options }) => {
    const build = () =>
      linkDumpRequest(options as unknown as Parameters<typeof linkDumpRequest>[0]);
    expect(build).toThrow(TypeError);
    expect(build).toThrow(`linkDumpRequest: ${name} must be`);
  });
});
