import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  AF_INET,
  IP_CT_NEW,
  NF_INET_LOCAL_OUT,
  NFNL_SUBSYS_QUEUE,
  NFQA_CT,
  NFQA_CT_INFO,
  NFQA_PACKET_HDR,
  NFQA_SKB_CSUMNOTREADY,
  NFQA_SKB_GSO,
  NFQA_SKB_INFO,
  NFQNL_MSG_PACKET,
} from '../../../src/families/netfilter/constants.js';
import { beginNfnlMessage, nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import {
  decodeNfqueuePacket,
  type NfqueuePacket,
} from '../../../src/families/netfilter/nfqueuePacket.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { writeConntrackAttributes, writeNfqueuePacket } from '../../../src/testing/netfilter.js';
import { nfqueuePacket as arbitraryPacket } from './arbitraries.js';
import { nfqueuePacket as captured } from './kernelCaptures.js';

const PACKET = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);
const text = new TextDecoder();

function packetWith(fill: (w: MessageWriter) => void): Uint8Array {
  const w = new MessageWriter();
  beginNfnlMessage(w, PACKET, 0, AF_INET, 3);
  fill(w);
  return w.end().finish();
}

// struct nfqnl_msg_packet_hdr: packet_id 0x01020304, ETH_P_IPV6, NF_INET_PRE_ROUTING.
const hdr = (w: MessageWriter) => w.attr(NFQA_PACKET_HDR, Uint8Array.of(1, 2, 3, 4, 0x86, 0xdd, 0));

function decodeError(data: Uint8Array): DecodeError {
  try {
    decodeNfqueuePacket(NetlinkMessage.from(data));
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

describe('decodeNfqueuePacket', () => {
  it('decodes a packet the kernel queued (queue 3, LOCAL_OUT, NFQA_CFG_F_UID_GID)', () => {
    const p = decodeNfqueuePacket(NetlinkMessage.from(captured));
    expect({ ...p, payload: undefined }).toEqual({
      queue: 3,
      id: 1,
      family: AF_INET,
      hwProtocol: 0x0800,
      hook: NF_INET_LOCAL_OUT,
      outdev: 1,
      uid: 0,
      gid: 0,
    });
    expect(text.decode((p.payload ?? new Uint8Array()).subarray(28))).toBe('q-one');
  });

  it('reads the packet header packed (7 bytes, not padded to 8 inside)', () => {
    const p = decodeNfqueuePacket(NetlinkMessage.from(packetWith(hdr)));
    expect([p.id, p.hwProtocol, p.hook]).toEqual([0x01020304, 0x86dd, 0]);
  });

  it('decodes NFQA_SKB_INFO flags, NFQA_CT and NFQA_CT_INFO', () => {
    const data = packetWith((w) => {
      hdr(w).attrBe32(NFQA_SKB_INFO, NFQA_SKB_GSO | NFQA_SKB_CSUMNOTREADY);
      const nest = w.nest(NFQA_CT);
      writeConntrackAttributes(w, {
        orig: {
          src: '2001:db8::1',
          dst: '2001:db8::2',
          proto: 'tcp',
          protoNumber: 6,
          sport: 40000,
          dport: 443,
        },
        reply: {
          src: '2001:db8::2',
          dst: '2001:db8::1',
          proto: 'tcp',
          protoNumber: 6,
          sport: 443,
          dport: 40000,
        },
        status: 0,
        statusNames: [],
        protoinfo: { state: 'SYN_SENT', stateNumber: 1 },
      });
      w.endNest(nest).attrBe32(NFQA_CT_INFO, IP_CT_NEW);
    });
    const p = decodeNfqueuePacket(NetlinkMessage.from(data));
    expect(p.skbInfo).toBe(NFQA_SKB_GSO | NFQA_SKB_CSUMNOTREADY);
    expect(p.ctInfo).toBe(IP_CT_NEW);
    expect(p.ct?.orig).toEqual({
      src: '2001:db8::1',
      dst: '2001:db8::2',
      proto: 'tcp',
      protoNumber: 6,
      sport: 40000,
      dport: 443,
    });
    expect(p.ct?.protoinfo?.state).toBe('SYN_SENT');
  });

  it('gives the payload as a view into the message, or a copy with { copy: true }', () => {
    const data = captured.slice();
    const message = NetlinkMessage.from(data);
    const view = decodeNfqueuePacket(message).payload ?? new Uint8Array();
    const copy = decodeNfqueuePacket(message, { copy: true }).payload ?? new Uint8Array();
    data[data.length - 1] = 0x21; // 'q-one' becomes 'q-on!'
    expect(text.decode(view.subarray(28))).toBe('q-on!');
    expect(text.decode(copy.subarray(28))).toBe('q-one');
  });

  it('throws the frame error for a message whose frame was released', () => {
    const released = NetlinkMessage.at(captured, new DataView(captured.buffer), 0, 0, {
      live: false,
    });
    expect(() => decodeNfqueuePacket(released)).toThrow(NetlinkError);
    expect(() => decodeNfqueuePacket(released)).not.toThrow(DecodeError);
  });

  it('round trip: decode(writeNfqueuePacket(p)) is p, for any packet', () => {
    fc.assert(
      fc.property(arbitraryPacket, (packet: NfqueuePacket) => {
        const data = writeNfqueuePacket(new MessageWriter(), packet).finish();
        expect(decodeNfqueuePacket(NetlinkMessage.from(data))).toEqual(packet);
      }),
      { numRuns: 300 },
    );
  });

  it('skips attributes it does not know', () => {
    const data = packetWith((w) => hdr(w).attrU32(22, 5).attrU32(23, 6).attrBe32(NFQA_SKB_INFO, 4));
    expect(decodeNfqueuePacket(NetlinkMessage.from(data)).skbInfo).toBe(4);
  });

  it.each([
    { name: 'an NFLOG packet', data: () => packetWith(hdr).fill(0x04, 5, 6), at: 0 },
    {
      name: 'no NFQA_PACKET_HDR',
      data: () => packetWith((w) => w.attrBe32(NFQA_SKB_INFO, 1)),
      at: 0,
    },
    {
      name: 'a 6-byte NFQA_PACKET_HDR',
      data: () => packetWith((w) => w.attr(NFQA_PACKET_HDR, new Uint8Array(6))),
      at: 20,
    },
    {
      name: 'a 2-byte NFQA_SKB_INFO',
      data: () => packetWith((w) => hdr(w).attr(NFQA_SKB_INFO, Uint8Array.of(0, 1))),
      at: 32,
    },
    {
      name: 'an NFQA_CT without tuples',
      data: () => packetWith((w) => hdr(w).attr(NFQA_CT, Uint8Array.of(8, 0, 3, 0, 0, 0, 0, 8))),
      at: 36,
    },
    { name: 'a payload cut short', data: () => captured.slice(0, 90), at: 0 },
  ])('throws a DecodeError with the offset for $name', ({ data, at }) => {
    expect(decodeError(data()).at).toBe(at);
  });
});
