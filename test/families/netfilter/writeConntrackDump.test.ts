import { describe, expect, it } from 'vitest';
import {
  type ConntrackDumpRequest,
  writeConntrackDump,
} from '../../../src/families/netfilter/conntrack.js';
import { AF_INET, AF_INET6, IPS_ASSURED } from '../../../src/families/netfilter/constants.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';

const build = (r?: ConntrackDumpRequest) => writeConntrackDump(new MessageWriter(), r).finish();

// biome-ignore format: byte literals four per line
const dumpAll = new Uint8Array([
  0x14, 0x00, 0x00, 0x00, // nlmsg_len 20
  0x01, 0x01, 0x01, 0x03, // NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_GET; NLM_F_REQUEST | NLM_F_DUMP
  0x00, 0x00, 0x00, 0x00, // seq 0
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x00, 0x00, 0x00, 0x00, // nfgenmsg: AF_UNSPEC (every family), NFNETLINK_V0, res_id 0
]);

// biome-ignore format: byte literals four per line
const dumpFiltered = new Uint8Array([
  0x34, 0x00, 0x00, 0x00, // nlmsg_len 52
  0x03, 0x01, 0x01, 0x03, // IPCTNL_MSG_CT_GET_CTRZERO; NLM_F_REQUEST | NLM_F_DUMP
  0x4d, 0x00, 0x00, 0x00, // seq 77
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x02, 0x00, 0x00, 0x00, // nfgenmsg: AF_INET
  0x08, 0x00, 0x08, 0x00, // CTA_MARK, nla_len 8
  0x00, 0x00, 0x00, 0x10, // 0x10 (be32)
  0x08, 0x00, 0x15, 0x00, // CTA_MARK_MASK, nla_len 8
  0x00, 0x00, 0x00, 0xf0, // 0xf0 (be32)
  0x08, 0x00, 0x03, 0x00, // CTA_STATUS, nla_len 8
  0x00, 0x00, 0x00, 0x04, // IPS_ASSURED (be32)
  0x08, 0x00, 0x1a, 0x00, // CTA_STATUS_MASK, nla_len 8
  0x00, 0x00, 0x00, 0x04, // IPS_ASSURED (be32)
]);

describe('writeConntrackDump', () => {
  it.each([
    { name: 'every family, no filter', request: undefined, expected: dumpAll },
    {
      name: 'IPv4, zeroing counters, filtered by mark and status',
      request: {
        family: AF_INET,
        zero: true,
        mark: 0x10,
        markMask: 0xf0,
        status: IPS_ASSURED,
        statusMask: IPS_ASSURED,
        seq: 77,
      },
      expected: dumpFiltered,
    },
  ])('$name', ({ request, expected }) => {
    expect(build(request)).toEqual(expected);
  });

  it('puts the family in nfgen_family', () => {
    expect(build({ family: AF_INET6 })[16]).toBe(AF_INET6);
  });

  it.each([
    { name: 'a mark mask without a mark', request: { markMask: 1 }, error: TypeError },
    { name: 'a status mask without a status', request: { statusMask: 1 }, error: TypeError },
    { name: 'a family past u8', request: { family: 256 }, error: RangeError },
    { name: 'a mark past u32', request: { mark: 2 ** 32 }, error: RangeError },
  ])('throws at once: $name', ({ request, error }) => {
    expect(() => build(request)).toThrow(error);
  });
});
