import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeNfqueuePacket,
  readNfqueuePacket,
} from '../../../src/families/netfilter/nfqueuePacket.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { writeNfqueuePacket } from '../../../src/testing/netfilter.js';
import { nfqueuePacket as arbitraryPacket, damage, damaged } from './arbitraries.js';
import { nfqueuePacket as captured } from './kernelCaptures.js';
import { outcome, referenceDecodeNfqueuePacket } from './referenceDecoders.js';

describe('readNfqueuePacket', () => {
  it.each([
    { name: 'a view', copy: false },
    { name: 'a copy', copy: true },
  ])(
    'decodes like the cursor-based decoder, error for error, for damaged messages ($name)',
    ({ copy }) => {
      const messages = fc.oneof(
        fc.constant(captured),
        arbitraryPacket.map((p) => writeNfqueuePacket(new MessageWriter(), p).finish()),
      );
      fc.assert(
        fc.property(messages, damage, (data, edits) => {
          const bytes = damaged(data, edits);
          const view = new DataView(bytes.buffer);
          const expected = outcome(() =>
            referenceDecodeNfqueuePacket(NetlinkMessage.from(bytes), { copy }),
          );
          expect(outcome(() => readNfqueuePacket(view, 0, copy))).toEqual(expected);
          expect(outcome(() => decodeNfqueuePacket(NetlinkMessage.from(bytes), { copy }))).toEqual(
            expected,
          );
        }),
        { numRuns: 2000 },
      );
    },
  );

  it('decodes a message in the middle of a buffer, with its byte fields over that buffer', () => {
    const bytes = new Uint8Array(captured.length + 12);
    bytes.set(captured, 8);
    const view = new DataView(bytes.buffer, 4);
    const p = readNfqueuePacket(view, 4, false);
    const alone = decodeNfqueuePacket(NetlinkMessage.from(captured));
    expect(p).toEqual(alone);
    expect(p.payload?.buffer).toBe(bytes.buffer);
    expect(p.payload?.byteOffset).toBe(8 + (alone.payload?.byteOffset ?? Number.NaN));
  });
});
