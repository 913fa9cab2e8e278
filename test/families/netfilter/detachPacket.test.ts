import { describe, expect, it } from 'vitest';
import { AF_INET } from '../../../src/families/netfilter/constants.js';
import { decodeNflogPacket } from '../../../src/families/netfilter/nflogPacket.js';
import {
  decodeNfqueuePacket,
  detachPacket,
} from '../../../src/families/netfilter/nfqueuePacket.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { writeNflogPacket, writeNfqueuePacket } from '../../../src/testing/netfilter.js';

const base = { family: AF_INET, hwProtocol: 0x0800, hook: 1 };

describe('detachPacket', () => {
  it.each([
    {
      name: 'an NFLOG packet (payload, hwheader, l2hdr)',
      make: () =>
        writeNflogPacket(new MessageWriter(), {
          ...base,
          group: 1,
          payload: Uint8Array.of(1, 2),
          hwheader: Uint8Array.of(3),
          l2hdr: Uint8Array.of(4),
        }).finish(),
      decode: (m: NetlinkMessage) => decodeNflogPacket(m),
    },
    {
      name: 'an NFQUEUE packet (payload, l2hdr)',
      make: () =>
        writeNfqueuePacket(new MessageWriter(), {
          ...base,
          queue: 1,
          id: 9,
          payload: Uint8Array.of(1, 2),
          l2hdr: Uint8Array.of(4),
        }).finish(),
      decode: (m: NetlinkMessage) => decodeNfqueuePacket(m),
    },
  ])('keeps $name intact when the frame memory is reused', ({ make, decode }) => {
    const memory = make();
    const packet = decode(NetlinkMessage.from(memory));
    const before = structuredClone(detachPacket(packet));
    const detached = detachPacket(packet);
    memory.fill(0xee); // the producer reuses the frame
    expect(detached).toEqual(before);
    expect(packet.payload?.[0]).toBe(0xee); // the zero-copy view went stale
  });
});
