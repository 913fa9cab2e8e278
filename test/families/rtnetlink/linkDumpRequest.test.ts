import { describe, expect, it } from 'vitest';
import { AF_BRIDGE, RTEXT_FILTER_SKIP_STATS } from '../../../src/families/rtnetlink/constants.js';
import { linkDumpRequest } from '../../../src/families/rtnetlink/linkDumpRequest.js';

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
