import { describe, expect, it } from 'vitest';
import { addressDumpRequest } from '../../../src/families/rtnetlink/addressDumpRequest.js';
import { AF_INET6 } from '../../../src/families/rtnetlink/constants.js';

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
