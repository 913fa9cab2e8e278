import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { AF_INET6, NFULA_CFG_QTHRESH } from '../../../src/families/netfilter/constants.js';
import { beginNfnlMessage, readNfgenmsg } from '../../../src/families/netfilter/nfnetlink.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';

// biome-ignore format: byte literals four per line
const header = new Uint8Array([
  0x1c, 0x00, 0x00, 0x00, // nlmsg_len 28
  0x01, 0x04, 0x05, 0x00, // type 0x0401, flags 5
  0x2a, 0x00, 0x00, 0x00, // seq 42
  0x00, 0x00, 0x00, 0x00, // pid 0
  0x0a, 0x00, 0xbe, 0xef, // nfgenmsg: AF_INET6, NFNETLINK_V0, res_id 0xbeef (big-endian)
  0x08, 0x00, 0x05, 0x00, // an attribute the caller added
  0x00, 0x00, 0x00, 0x01,
]);

describe('beginNfnlMessage and readNfgenmsg', () => {
  it('writes nlmsghdr then struct nfgenmsg with res_id big-endian', () => {
    const w = new MessageWriter();
    beginNfnlMessage(w, 0x0401, 5, AF_INET6, 0xbeef, 42).attrBe32(NFULA_CFG_QTHRESH, 1).end();
    expect(w.finish()).toEqual(header);
  });

  it.each([
    { name: 'AF_INET6 and res_id 0xbeef', family: AF_INET6, resId: 0xbeef, version: 0 },
    { name: 'AF_UNSPEC and res_id 0', family: 0, resId: 0, version: 0 },
    { name: 'another version', family: 2, resId: 1, version: 1 },
  ])('round trip: $name', ({ family, resId, version }) => {
    const w = new MessageWriter();
    beginNfnlMessage(w, 0x0100, 0, family, resId, 0, version).end();
    expect(readNfgenmsg(NetlinkMessage.from(w.finish()))).toEqual({ family, version, resId });
  });

  it.each([
    { name: 'res_id past u16', args: [0x100, 0, 0, 65536] },
    { name: 'family past u8', args: [0x100, 0, 256, 0] },
    { name: 'type past u16', args: [0x10000, 0, 0, 0] },
    { name: 'negative seq', args: [0x100, 0, 0, 0, -1] },
  ])('throws a RangeError for $name', ({ args }) => {
    const [type, flags, family, resId, seq] = args;
    expect(() => beginNfnlMessage(new MessageWriter(), type, flags, family, resId, seq)).toThrow(
      RangeError,
    );
  });

  it('refuses a payload shorter than struct nfgenmsg, at the message offset', () => {
    const short = new MessageWriter().begin(0x0100, 0).u16(0).end().finish();
    const error = (() => {
      try {
        readNfgenmsg(NetlinkMessage.from(short));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DecodeError);
    expect((error as DecodeError).at).toBe(0);
  });
});
