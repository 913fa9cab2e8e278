import { describe, expect, it } from 'vitest';
import { AF_INET } from '../../../src/families/rtnetlink/constants.js';
import { neighbourDumpRequest } from '../../../src/families/rtnetlink/neighbourDumpRequest.js';

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
