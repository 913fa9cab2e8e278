import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodeError, NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  AF_INET,
  NF_INET_LOCAL_OUT,
  NFNL_SUBSYS_ULOG,
  NFULA_HWADDR,
  NFULA_MARK,
  NFULA_PACKET_HDR,
  NFULA_PREFIX,
  NFULA_TIMESTAMP,
  NFULNL_MSG_PACKET,
} from '../../../src/families/netfilter/constants.js';
import {
  decodeNflogPacket,
  type NflogPacket,
} from '../../../src/families/netfilter/nflogPacket.js';
import { beginNfnlMessage, nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import { NLMSG_DONE } from '../../../src/netlink/constants.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { writeNflogPacket } from '../../../src/testing/netfilter.js';
import { nflogPacket as arbitraryPacket } from './arbitraries.js';
import { messagesOf } from './bytes.js';
import { nflogPacket as captured } from './kernelCaptures.js';

const PACKET = nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET);
const text = new TextDecoder();

/** A copy of the capture with `patch` applied at byte offsets. */
function patched(patch: Record<number, number>): Uint8Array {
  const copy = captured.slice();
  for (const [at, value] of Object.entries(patch)) copy[Number(at)] = value;
  return copy;
}

/** An NFULNL_MSG_PACKET whose attributes `fill` writes. */
function packetWith(fill: (w: MessageWriter) => void): Uint8Array {
  const w = new MessageWriter();
  beginNfnlMessage(w, PACKET, 0, AF_INET, 7);
  fill(w);
  return w.end().finish();
}

const hdr = (w: MessageWriter) => w.attr(NFULA_PACKET_HDR, Uint8Array.of(0x08, 0x00, 3, 0));

function decodeError(data: Uint8Array): DecodeError {
  try {
    decodeNflogPacket(NetlinkMessage.from(data));
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
  throw new Error('decoded without error');
}

describe('decodeNflogPacket', () => {
  it('decodes a packet the kernel logged (NFLOG group 7, LOCAL_OUT)', () => {
    const p = decodeNflogPacket(NetlinkMessage.from(captured));
    expect({ ...p, payload: undefined }).toEqual({
      group: 7,
      family: AF_INET,
      hwProtocol: 0x0800,
      hook: NF_INET_LOCAL_OUT,
      prefix: 'nlring-h5',
      outdev: 1,
      uid: 0,
      gid: 0,
      seq: 0,
      seqGlobal: 1,
    });
    const payload = p.payload ?? new Uint8Array();
    const ip = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    expect([payload.length, ip.getUint16(20, false), ip.getUint16(22, false)]).toEqual([
      41, 45123, 5555,
    ]);
    expect(text.decode(payload.subarray(28))).toBe('nlring-h5-one');
  });

  it('gives the payload as a view into the message, or a copy with { copy: true }', () => {
    const data = captured.slice();
    const message = NetlinkMessage.from(data);
    const view = decodeNflogPacket(message).payload ?? new Uint8Array();
    const copy = decodeNflogPacket(message, { copy: true }).payload ?? new Uint8Array();
    expect(view.buffer).toBe(data.buffer);
    expect(copy.buffer).not.toBe(data.buffer);
    data[data.length - 4] = 0x21; // the last byte of 'nlring-h5-one' becomes '!'
    expect(text.decode(view.subarray(28))).toBe('nlring-h5-on!');
    expect(text.decode(copy.subarray(28))).toBe('nlring-h5-one');
  });

  it('throws the frame error for a message whose frame was released', () => {
    const view = new DataView(captured.buffer);
    const released = NetlinkMessage.at(captured, view, 0, 0, { live: false });
    expect(() => decodeNflogPacket(released)).toThrow(NetlinkError);
    expect(() => decodeNflogPacket(released)).not.toThrow(DecodeError);
  });

  it('decodes the packets of a batched datagram and skips its NLMSG_DONE', () => {
    const w = new MessageWriter();
    for (const seq of [10, 11, 12]) {
      writeNflogPacket(w, {
        group: 7,
        family: AF_INET,
        hwProtocol: 0x0800,
        hook: 1,
        seq,
        prefix: `p${seq}`,
      });
    }
    // NLMSG_DONE as __nfulnl_send adds it: an nfgenmsg with the group.
    w.begin(NLMSG_DONE, 0).u8(0).u8(0).be16(7).end();
    const datagram = w.finish();
    const messages = messagesOf(datagram);
    expect(messages.map((m) => m.type)).toEqual([PACKET, PACKET, PACKET, NLMSG_DONE]);
    const packets = messages.filter((m) => m.type === PACKET).map((m) => decodeNflogPacket(m));
    expect(packets.map((p) => [p.seq, p.prefix])).toEqual([
      [10, 'p10'],
      [11, 'p11'],
      [12, 'p12'],
    ]);
  });

  it('round trip: decode(writeNflogPacket(p)) is p, for any packet', () => {
    fc.assert(
      fc.property(arbitraryPacket, (packet: NflogPacket) => {
        const data = writeNflogPacket(new MessageWriter(), packet).finish();
        expect(decodeNflogPacket(NetlinkMessage.from(data))).toEqual(packet);
        expect(decodeNflogPacket(NetlinkMessage.from(data), { copy: true })).toEqual(packet);
      }),
      { numRuns: 300 },
    );
  });

  it('skips attributes it does not know', () => {
    const data = packetWith((w) => {
      hdr(w);
      w.attrU32(40, 1)
        .attr(0x3fff, Uint8Array.of(1, 2, 3))
        .attrString(NFULA_PREFIX, 'after');
    });
    expect(decodeNflogPacket(NetlinkMessage.from(data)).prefix).toBe('after');
  });

  it.each([
    { name: 'a message of another type', data: () => patched({ 4: 0x01 }), at: 0 },
    {
      name: 'NFULA_PAYLOAD whose nla_len runs past the message',
      data: () => patched({ 84: 0xff }),
      at: 84,
    },
    { name: 'NFULA_PREFIX with nla_len 2', data: () => patched({ 28: 0x02 }), at: 28 },
    { name: 'nlmsg_len past the bytes', data: () => captured.slice(0, 100), at: 0 },
    {
      name: 'no NFULA_PACKET_HDR',
      data: () => packetWith((w) => w.attrString(NFULA_PREFIX, 'x')),
      at: 0,
    },
    {
      name: 'a 2-byte NFULA_PACKET_HDR',
      data: () => packetWith((w) => w.attr(NFULA_PACKET_HDR, Uint8Array.of(8, 0))),
      at: 20,
    },
    {
      name: 'a 2-byte NFULA_MARK',
      data: () => packetWith((w) => hdr(w).attr(NFULA_MARK, Uint8Array.of(0, 1))),
      at: 28,
    },
    {
      name: 'an 8-byte NFULA_TIMESTAMP',
      data: () => packetWith((w) => hdr(w).attr(NFULA_TIMESTAMP, new Uint8Array(8))),
      at: 28,
    },
    {
      name: 'NFULA_HWADDR claiming 9 address bytes',
      data: () =>
        packetWith((w) =>
          hdr(w).attr(NFULA_HWADDR, Uint8Array.of(0, 9, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8)),
        ),
      at: 28,
    },
  ])('throws a DecodeError with the offset for $name', ({ data, at }) => {
    expect(decodeError(data()).at).toBe(at);
  });
});
