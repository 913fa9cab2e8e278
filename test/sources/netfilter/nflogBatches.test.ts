import { describe, expect, it } from 'vitest';
import { DecodeError, FrameReleasedError } from '../../../src/errors/NetlinkError.js';
import {
  AF_INET,
  NF_INET_LOCAL_IN,
  NFNL_SUBSYS_ULOG,
  NFULNL_MSG_PACKET,
} from '../../../src/families/netfilter/constants.js';
import type { NflogPacket } from '../../../src/families/netfilter/nflogPacket.js';
import { nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { Overrun } from '../../../src/ring/Overrun.js';
import {
  type NflogOptions,
  NflogStats,
  nflog,
  nflogBatches,
} from '../../../src/sources/netfilter/nflog.js';
import type { NflogBatch } from '../../../src/sources/netfilter/nflogBatch.js';
import { buildDone } from '../../../src/testing/buildDone.js';
import { writeNflogPacket } from '../../../src/testing/netfilter.js';
import { packDatagram } from '../../../src/testing/packDatagram.js';
import type { SimSocket } from '../../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../../src/testing/SimulatedKernel.js';

/** A simulated nfnetlink_log socket that acknowledges every configuration request. */
function socket(): SimSocket {
  const kernel = new SimulatedKernel();
  kernel.onRequest((_request, reply) => reply.ack());
  return kernel.open();
}

function packet(seq: number | undefined, payload: boolean): NflogPacket {
  return {
    group: 7,
    family: AF_INET,
    hwProtocol: 0x0800,
    hook: NF_INET_LOCAL_IN,
    seq,
    prefix: 'x',
    uid: 1000 + (seq ?? 0),
    payload: payload ? Uint8Array.of(0x45, (seq ?? 0) & 0xff, 9) : undefined,
  };
}

/** One NFLOG datagram: these packets, then NLMSG_DONE when there are several. */
function datagram(seqs: Array<number | undefined>, payload = true): Uint8Array {
  const w = new MessageWriter();
  for (const seq of seqs) writeNflogPacket(w, packet(seq, payload));
  const bytes = w.finish();
  return seqs.length < 2 ? bytes : packDatagram([bytes, buildDone(0)]);
}

/** Subscribes to both forms over sockets given the same datagrams; records what each saw. */
function run(s: SimSocket, options: Partial<NflogOptions> = {}) {
  const seen: Array<string | Array<{ seq?: number | undefined; payload: number[] | null }>> = [];
  const kept: NflogBatch[] = [];
  const stats = new NflogStats();
  let error: unknown;
  const subscription = nflogBatches({ group: 7, open: () => s, stats, ...options }).subscribe({
    next: (b) => {
      if (b instanceof Overrun) {
        seen.push(`lost ${b.lost} errno ${b.errno}`);
        return;
      }
      kept.push(b);
      const rows = [];
      for (let i = 0; i < b.length; i++) {
        const payload = b.payload(i);
        expect(b.payloadLength(i)).toBe(payload === undefined ? -1 : payload.length);
        // The same bytes by offset into `bytes`, with no view made.
        const at = b.payloadOffset(i);
        expect(at).toBe(payload === undefined ? -1 : payload.byteOffset);
        if (payload !== undefined) {
          expect(b.bytes.buffer).toBe(payload.buffer);
          expect([...b.bytes.subarray(at, at + b.payloadLength(i))]).toEqual([...payload]);
        }
        rows.push({ seq: b.seq(i), payload: payload === undefined ? null : [...payload] });
      }
      seen.push(rows);
    },
    error: (e) => {
      error = e;
    },
  });
  return { seen, kept, stats, subscription, error: () => error };
}

describe('nflogBatches over the simulated kernel', () => {
  it('emits one batch per datagram, its packets in order, read in place', () => {
    const s = socket();
    const r = run(s);
    s.deliver(datagram([0, 1, 2]), { path: 'ring' });
    s.deliver(datagram([3]), { path: 'ring' });
    expect(r.seen).toEqual([
      [0, 1, 2].map((seq) => ({ seq, payload: [0x45, seq, 9] })),
      [{ seq: 3, payload: [0x45, 3, 9] }],
    ]);
    expect([r.stats.packets, r.stats.lost, r.stats.gaps]).toEqual([4, 0, 0]);
    r.subscription.unsubscribe();
  });

  it('reads a COPY frame the same way: payloads by offset into its own buffer', () => {
    const s = socket();
    const r = run(s);
    s.deliver(datagram([0, 1]), { path: 'copy' });
    expect(r.seen).toEqual([[0, 1].map((seq) => ({ seq, payload: [0x45, seq, 9] }))]);
    expect(r.stats.ring.copies).toBe(1);
    r.subscription.unsubscribe();
  });

  it('decodes packet(i) and iterates as nflog() emits the same packets', () => {
    const data = datagram([5, 6]);
    const fromPackets: unknown[] = [];
    const a = socket();
    const p = nflog({ group: 7, open: () => a }).subscribe((x) => {
      if (!(x instanceof Overrun)) fromPackets.push({ ...x, payload: [...(x.payload ?? [])] });
    });
    a.deliver(data, { path: 'ring' });
    p.unsubscribe();
    const fromBatches: unknown[] = [];
    const b = socket();
    const q = nflogBatches({ group: 7, open: () => b }).subscribe((x) => {
      if (x instanceof Overrun) return;
      for (const one of x) fromBatches.push({ ...one, payload: [...(one.payload ?? [])] });
      expect(x.packet(1).uid).toBe(1006);
    });
    b.deliver(data, { path: 'ring' });
    q.unsubscribe();
    expect(fromPackets).toHaveLength(2);
    expect(fromBatches).toEqual(fromPackets);
  });

  it('ends a batch before a sequence gap: the packets before it, the Overrun, then the rest', () => {
    const s = socket();
    const r = run(s);
    s.deliver(datagram([0, 1]), { path: 'ring' });
    s.deliver(datagram([2, 5, 6]), { path: 'ring' });
    expect(r.seen.map((x) => (typeof x === 'string' ? x : x.map((p) => p.seq)))).toEqual([
      [0, 1],
      [2],
      'lost 2 errno 0',
      [5, 6],
    ]);
    expect([r.stats.packets, r.stats.lost, r.stats.gaps]).toEqual([5, 2, 1]);
    r.subscription.unsubscribe();
  });

  it('gives undefined for a packet without payload or sequence number', () => {
    const s = socket();
    const r = run(s, { sequence: false });
    s.deliver(datagram([undefined, undefined], false), { path: 'ring' });
    expect(r.seen).toEqual([
      [
        { seq: undefined, payload: null },
        { seq: undefined, payload: null },
      ],
    ]);
    r.subscription.unsubscribe();
  });

  it('throws FrameReleasedError once next() returned, and a RangeError for a bad index', () => {
    const s = socket();
    const r = run(s);
    s.deliver(datagram([0, 1]), { path: 'ring' });
    const [batch] = r.kept;
    expect(batch.length).toBe(2);
    expect(() => batch.seq(0)).toThrow(FrameReleasedError);
    expect(() => batch.payload(1)).toThrow(FrameReleasedError);
    expect(() => batch.payloadOffset(1)).toThrow(FrameReleasedError);
    expect(() => batch.bytes).toThrow(FrameReleasedError);
    expect(() => batch.packet(0)).toThrow(FrameReleasedError);
    for (const bad of [-1, 2, 0.5, Number.NaN]) expect(() => batch.seq(bad)).toThrow(RangeError);
    r.subscription.unsubscribe();
  });

  it('errors with a DecodeError for a packet without NFULA_PACKET_HDR', () => {
    const s = socket();
    const r = run(s);
    const w = new MessageWriter();
    w.begin(nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET), 0, 0, 0);
    w.bytes(Uint8Array.of(AF_INET, 0, 0, 7));
    w.attrBe32(12, 0);
    w.end();
    s.deliver(w.finish(), { path: 'ring' });
    expect(r.error()).toBeInstanceOf(DecodeError);
    expect(String(r.error())).toMatch(/without NFULA_PACKET_HDR/);
    expect(r.seen).toEqual([]);
  });

  it('grows its table for a datagram of more packets than it first holds', () => {
    const s = socket();
    const r = run(s);
    const seqs = Array.from({ length: 150 }, (_, i) => i);
    s.deliver(datagram(seqs), { path: 'ring' });
    expect(r.seen).toHaveLength(1);
    expect((r.seen[0] as Array<{ seq?: number }>).map((p) => p.seq)).toEqual(seqs);
    r.subscription.unsubscribe();
  });

  it('throws a TypeError naming nflogBatches at once for a bad option', () => {
    expect(() => nflogBatches({ group: -1 })).toThrow(/nflogBatches/);
  });
});
