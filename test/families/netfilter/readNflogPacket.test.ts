import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeNflogPacket, readNflogPacket } from '../../../src/families/netfilter/nflogPacket.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { writeNflogPacket } from '../../../src/testing/netfilter.js';
import { nflogPacket as arbitraryPacket, damage, damaged } from './arbitraries.js';
import { nflogPacket as captured } from './kernelCaptures.js';
import { outcome, referenceDecodeNflogPacket } from './referenceDecoders.js';

describe('readNflogPacket', () => {
  it.each([
    { name: 'a view', copy: false },
    { name: 'a copy', copy: true },
  ])(
    'decodes like the cursor-based decoder, error for error, for damaged messages ($name)',
    ({ copy }) => {
      const messages = fc.oneof(
        fc.constant(captured),
        arbitraryPacket.map((p) => writeNflogPacket(new MessageWriter(), p).finish()),
      );
      fc.assert(
        fc.property(messages, damage, (data, edits) => {
          const bytes = damaged(data, edits);
          const view = new DataView(bytes.buffer);
          const expected = outcome(() =>
            referenceDecodeNflogPacket(NetlinkMessage.from(bytes), { copy }),
          );
          expect(outcome(() => readNflogPacket(view, 0, copy))).toEqual(expected);
          expect(outcome(() => decodeNflogPacket(NetlinkMessage.from(bytes), { copy }))).toEqual(
            expected,
          );
        }),
        { numRuns: 2000 },
      );
    },
  );

  it('decodes a message its caller walked (walked = the view offset) as it decodes it alone', () => {
    const messages = fc.oneof(
      fc.constant(captured),
      arbitraryPacket.map((p) => writeNflogPacket(new MessageWriter(), p).finish()),
    );
    fc.assert(
      fc.property(messages, damage, fc.boolean(), (data, edits, copy) => {
        const bytes = new Uint8Array(data.length + 8);
        bytes.set(damaged(data, edits).subarray(0, data.length), 8);
        const view = new DataView(bytes.buffer, 4, data.length + 4);
        // Only a message that lies inside the view (the walk's check) may be passed on.
        const length = view.getUint32(4, true);
        if (length < 16 || 4 + length > view.byteLength) return;
        const expected = outcome(() => readNflogPacket(view, 4, copy));
        expect(outcome(() => readNflogPacket(view, 4, copy, view.byteOffset))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes a message in the middle of a buffer, with its byte fields over that buffer', () => {
    const bytes = new Uint8Array(captured.length + 12);
    bytes.set(captured, 8);
    const view = new DataView(bytes.buffer, 4);
    const p = readNflogPacket(view, 4, false);
    const alone = decodeNflogPacket(NetlinkMessage.from(captured));
    expect(p).toEqual(alone);
    expect(p.payload?.buffer).toBe(bytes.buffer);
    expect(p.payload?.byteOffset).toBe(8 + (alone.payload?.byteOffset ?? Number.NaN));
  });
});
