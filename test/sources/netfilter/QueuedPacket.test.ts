import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AF_INET, NF_INET_LOCAL_OUT } from '../../../src/families/netfilter/constants.js';
import {
  type NfqueuePacket,
  readNfqueuePacket,
} from '../../../src/families/netfilter/nfqueuePacket.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { Frame } from '../../../src/ring/Frame.js';
import { QueuedPacket, type VerdictSink } from '../../../src/sources/netfilter/QueuedPacket.js';
import { writeNfqueuePacket } from '../../../src/testing/netfilter.js';
import {
  nfqueuePacket as arbitraryPacket,
  damage,
  damaged,
} from '../../families/netfilter/arbitraries.js';
import { nfqueuePacket as captured } from '../../families/netfilter/kernelCaptures.js';
import { outcome } from '../../families/netfilter/referenceDecoders.js';

const sink: VerdictSink = { decide: () => true };

/** The NfqueuePacket fields of a QueuedPacket, named as readNfqueuePacket names them. */
function fields(p: QueuedPacket): NfqueuePacket {
  return {
    queue: p.queueNumber,
    id: p.id,
    family: p.family,
    hwProtocol: p.hwProtocol,
    hook: p.hook,
    mark: p.mark,
    timestamp: p.timestamp,
    indev: p.indev,
    outdev: p.outdev,
    physindev: p.physindev,
    physoutdev: p.physoutdev,
    hwaddr: p.hwaddr,
    uid: p.uid,
    gid: p.gid,
    skbInfo: p.skbInfo,
    capLen: p.capLen,
    ct: p.ct,
    ctInfo: p.ctInfo,
    secctx: p.secctx,
    priority: p.priority,
    vlan: p.vlan,
    l2hdr: p.l2hdr,
    payload: p.payload,
  };
}

describe('QueuedPacket.read', () => {
  it('decodes like readNfqueuePacket, error for error, for damaged messages', () => {
    const messages = fc.oneof(
      fc.constant(captured),
      arbitraryPacket.map((p) => writeNfqueuePacket(new MessageWriter(), p).finish()),
    );
    fc.assert(
      fc.property(messages, damage, (data, edits) => {
        const bytes = damaged(data, edits);
        const view = new DataView(bytes.buffer);
        const frame = Frame.of(bytes);
        const expected = outcome(() => readNfqueuePacket(view, 0, false));
        expect(outcome(() => fields(QueuedPacket.read(view, 0, frame, sink)))).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives views into the frame, the same ones on every read, made after decoding', () => {
    const bytes = new Uint8Array(captured.length + 12);
    bytes.set(captured, 8);
    const view = new DataView(bytes.buffer, 4);
    const p = QueuedPacket.read(view, 4, Frame.of(bytes), sink);
    const alone = readNfqueuePacket(new DataView(captured.buffer), 0, false);
    // Changing the bytes after decoding shows through: the view is made when read, in place.
    const at = 8 + (alone.payload?.byteOffset ?? Number.NaN);
    bytes[at] ^= 0xff;
    expect(p.payload?.buffer).toBe(bytes.buffer);
    expect(p.payload?.byteOffset).toBe(at);
    expect(p.payload?.[0]).toBe(bytes[at]);
    expect(p.payload).toBe(p.payload);
    expect(p.payload?.length).toBe(alone.payload?.length);
  });

  it('keeps the fields a constructed packet was given, byte fields included', () => {
    const payload = Uint8Array.of(0x45, 0, 0, 20);
    const p = new QueuedPacket(
      { queue: 3, id: 9, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT, payload },
      Frame.of(new Uint8Array(16)),
      sink,
    );
    expect([p.queueNumber, p.id, p.family, p.payload, p.l2hdr]).toEqual([
      3,
      9,
      AF_INET,
      payload,
      undefined,
    ]);
  });
});
