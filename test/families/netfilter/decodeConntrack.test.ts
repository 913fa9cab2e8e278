import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError } from '../../../src/errors/NetlinkError.js';
import { type ConntrackEntry, decodeConntrack } from '../../../src/families/netfilter/conntrack.js';
import {
  AF_INET,
  CTA_IP_V4_DST,
  CTA_IP_V4_SRC,
  CTA_PROTO_NUM,
  CTA_STATUS,
  CTA_TUPLE_IP,
  CTA_TUPLE_ORIG,
  CTA_TUPLE_PROTO,
  CTA_TUPLE_REPLY,
  IPCTNL_MSG_CT_GET,
  IPCTNL_MSG_CT_NEW,
  NFNL_SUBSYS_CTNETLINK,
} from '../../../src/families/netfilter/constants.js';
import { beginNfnlMessage, nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_MULTI } from '../../../src/netlink/constants.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { writeConntrack } from '../../../src/testing/netfilter.js';
import { conntrackEntry } from './arbitraries.js';
import { conntrackDestroyUdp, conntrackDumpTcp, conntrackNewTcp } from './kernelCaptures.js';

const CT_NEW = nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
const decode = (data: Uint8Array) => decodeConntrack(NetlinkMessage.from(data));

const loopback = (sport: number, dport: number, proto: string, protoNumber: number) => ({
  src: '127.0.0.1',
  dst: '127.0.0.1',
  sport,
  dport,
  proto,
  protoNumber,
});

/** A ctnetlink message whose attributes `fill` writes. */
function ctWith(fill: (w: MessageWriter) => void, type = CT_NEW): Uint8Array {
  const w = new MessageWriter();
  beginNfnlMessage(w, type, 0, AF_INET, 0);
  fill(w);
  return w.end().finish();
}

/** A tuple nest; `ip` and `proto` write inside CTA_TUPLE_IP and CTA_TUPLE_PROTO. */
function tupleNest(w: MessageWriter, type: number, ip: (w: MessageWriter) => void, proto = true) {
  const t = w.nest(type);
  const i = w.nest(CTA_TUPLE_IP);
  ip(w);
  w.endNest(i);
  if (proto) {
    const p = w.nest(CTA_TUPLE_PROTO);
    w.attrU8(CTA_PROTO_NUM, 17);
    w.endNest(p);
  }
  w.endNest(t);
}
const v4 = (w: MessageWriter) =>
  w.attr(CTA_IP_V4_SRC, Uint8Array.of(10, 0, 0, 1)).attr(CTA_IP_V4_DST, Uint8Array.of(10, 0, 0, 2));

function decodeError(data: Uint8Array): DecodeError {
  try {
    decode(data);
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

describe('decodeConntrack', () => {
  it.each([
    {
      name: 'a NEW event (NLM_F_CREATE | NLM_F_EXCL): TCP in SYN_SENT',
      data: conntrackNewTcp,
      expected: {
        type: 'new',
        family: AF_INET,
        protocol: 'tcp',
        orig: loopback(35700, 5557, 'tcp', 6),
        reply: loopback(5557, 35700, 'tcp', 6),
        id: 1797674392,
        status: 0x08,
        statusNames: ['CONFIRMED'],
        timeout: 120,
        protoinfo: {
          state: 'SYN_SENT',
          stateNumber: 1,
          wscaleOrig: 10,
          wscaleReply: 0,
          flagsOrig: 0x03,
          flagsReply: 0x00,
        },
      },
    },
    {
      name: 'a DESTROY event: UDP with accounting counters',
      data: conntrackDestroyUdp,
      expected: {
        type: 'destroy',
        family: AF_INET,
        protocol: 'udp',
        orig: loopback(49963, 5555, 'udp', 17),
        reply: loopback(5555, 49963, 'udp', 17),
        id: 2726323172,
        status: 0x208,
        statusNames: ['CONFIRMED', 'DYING'],
        timeout: 29,
        counters: { orig: { packets: 2n, bytes: 59n }, reply: { packets: 0n, bytes: 0n } },
      },
    },
    {
      name: 'a dump entry (NLM_F_MULTI, as update): TCP in TIME_WAIT, assured',
      data: conntrackDumpTcp,
      expected: {
        type: 'update',
        family: AF_INET,
        protocol: 'tcp',
        orig: loopback(35700, 5557, 'tcp', 6),
        reply: loopback(5557, 35700, 'tcp', 6),
        id: 1797674392,
        status: 0x0e,
        statusNames: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED'],
        mark: 0,
        use: 1,
        timeout: 119,
        protoinfo: {
          state: 'TIME_WAIT',
          stateNumber: 7,
          wscaleOrig: 10,
          wscaleReply: 10,
          flagsOrig: 0x27,
          flagsReply: 0x23,
        },
        counters: { orig: { packets: 5n, bytes: 273n }, reply: { packets: 3n, bytes: 164n } },
      },
    },
  ])('decodes what the kernel sent: $name', ({ data, expected }) => {
    expect(decode(data)).toEqual(expected);
  });

  it('reads the event kind from the message type and NLM_F_CREATE only', () => {
    const entry = decode(conntrackNewTcp);
    const kinds = [
      { flags: NLM_F_CREATE | NLM_F_EXCL, type: 'new' },
      { flags: NLM_F_CREATE, type: 'new' },
      { flags: 0, type: 'update' },
      { flags: NLM_F_MULTI, type: 'update' },
    ];
    for (const { flags, type } of kinds) {
      const data = conntrackNewTcp.slice();
      new DataView(data.buffer).setUint16(6, flags, true);
      expect(decode(data).type).toBe(type);
    }
    expect(entry.type).toBe('new');
  });

  it('round trip: decode(writeConntrack(e)) is e, for any entry (IPv4/IPv6, any protocol)', () => {
    fc.assert(
      fc.property(conntrackEntry, (entry: ConntrackEntry) => {
        const data = writeConntrack(new MessageWriter(), entry, {
          multi: entry.type === 'update',
        }).finish();
        expect(decode(data)).toEqual(entry);
      }),
      { numRuns: 300 },
    );
  });

  it('decodes ICMP tuples and IPv6 addresses', () => {
    const entry: ConntrackEntry = {
      type: 'new',
      family: 10,
      protocol: 'icmpv6',
      orig: {
        src: 'fe80::1',
        dst: 'ff02::1',
        proto: 'icmpv6',
        protoNumber: 58,
        icmpType: 128,
        icmpCode: 0,
        icmpId: 7,
      },
      reply: {
        src: 'ff02::1',
        dst: 'fe80::1',
        proto: 'icmpv6',
        protoNumber: 58,
        icmpType: 129,
        icmpCode: 0,
        icmpId: 7,
      },
      statusNames: [],
    };
    expect(decode(writeConntrack(new MessageWriter(), entry).finish())).toEqual(entry);
  });

  it('skips attributes it does not know, at any depth', () => {
    const data = ctWith((w) => {
      w.attrU32(99, 1);
      const t = w.nest(CTA_TUPLE_ORIG);
      w.attrU32(9, 1); // an unknown tuple attribute
      const i = w.nest(CTA_TUPLE_IP);
      v4(w).attrU32(7, 1); // and an unknown address kind
      w.endNest(i);
      const p = w.nest(CTA_TUPLE_PROTO);
      w.attrU8(CTA_PROTO_NUM, 17).attrU32(42, 0);
      w.endNest(p).endNest(t);
      tupleNest(w, CTA_TUPLE_REPLY, v4);
    });
    expect(decode(data).orig).toEqual({
      src: '10.0.0.1',
      dst: '10.0.0.2',
      proto: 'udp',
      protoNumber: 17,
    });
  });

  it.each([
    {
      name: 'a ctnetlink message that is not an entry (IPCTNL_MSG_CT_GET)',
      data: () => ctWith(() => {}, nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET)),
      at: 0,
    },
    {
      name: 'no CTA_TUPLE_REPLY',
      data: () => ctWith((w) => tupleNest(w, CTA_TUPLE_ORIG, v4)),
      at: 20,
    },
    { name: 'no tuples at all', data: () => ctWith((w) => w.attrBe32(CTA_STATUS, 8)), at: 20 },
    {
      name: 'a 5-byte IPv4 address',
      data: () =>
        ctWith((w) =>
          tupleNest(w, CTA_TUPLE_ORIG, (x) => x.attr(CTA_IP_V4_SRC, new Uint8Array(5))),
        ),
      at: 28,
    },
    {
      name: 'a tuple without a destination',
      data: () =>
        ctWith((w) =>
          tupleNest(w, CTA_TUPLE_ORIG, (x) => x.attr(CTA_IP_V4_SRC, new Uint8Array(4))),
        ),
      at: 20,
    },
    {
      name: 'a tuple without CTA_PROTO_NUM',
      data: () => ctWith((w) => tupleNest(w, CTA_TUPLE_ORIG, v4, false)),
      at: 20,
    },
    {
      name: 'a 2-byte CTA_STATUS',
      data: () => ctWith((w) => w.attr(CTA_STATUS, Uint8Array.of(0, 8))),
      at: 20,
    },
    { name: 'a cut message', data: () => conntrackDumpTcp.slice(0, 200), at: 0 },
  ])('throws a DecodeError with the offset for $name', ({ data, at }) => {
    expect(decodeError(data()).at).toBe(at);
  });
});
