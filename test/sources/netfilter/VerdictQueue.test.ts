import { describe, expect, it } from 'vitest';
import {
  AF_INET,
  NF_ACCEPT,
  NF_DROP,
  NF_INET_LOCAL_OUT,
} from '../../../src/families/netfilter/constants.js';
import type { NfqueueDecision } from '../../../src/families/netfilter/verdict.js';
import { Frame } from '../../../src/ring/Frame.js';
import { NfqueueStats } from '../../../src/sources/netfilter/nfqueue.js';
import { QueuedPacket, type VerdictSink } from '../../../src/sources/netfilter/QueuedPacket.js';
import { VerdictQueue } from '../../../src/sources/netfilter/VerdictQueue.js';
import { KernelQueue } from '../../../src/testing/nfqueueKernel.js';

const A: NfqueueDecision = { verdict: NF_ACCEPT };
const D: NfqueueDecision = { verdict: NF_DROP };
const none: VerdictSink = { decide: () => false };

/** A VerdictQueue over a simulated kernel's queue that holds packets `ids` (gaps allowed). */
function setup(ids: number[]) {
  const k = new KernelQueue(3);
  const q = new VerdictQueue(k.socket, 3, new NfqueueStats());
  const packets = ids.map((id) => {
    const frame = Frame.of(new Uint8Array(16));
    const p = new QueuedPacket(
      { queue: 3, id, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT },
      frame,
      none,
    );
    q.add(p, frame);
    return p;
  });
  k.held = [...ids];
  return { k, q, packets };
}

describe('VerdictQueue', () => {
  it.each([
    {
      name: 'all decided, ids with gaps: one batch',
      decide: [
        [0, A],
        [1, A],
        [2, A],
        [3, A],
        [4, A],
      ],
      log: [['batch', 10, NF_ACCEPT, [1, 2, 5, 9, 10]]],
      left: 0,
    },
    {
      name: 'one past a gap: a single verdict',
      decide: [[3, D]],
      log: [['single', 9, NF_DROP, [9]]],
      left: 4,
    },
    {
      name: 'decided backwards across gaps, the oldest undecided: singles',
      decide: [
        [4, D],
        [3, D],
        [2, A],
        [1, A],
      ],
      log: [
        ['single', 2, NF_ACCEPT, [2]],
        ['single', 5, NF_ACCEPT, [5]],
        ['single', 9, NF_DROP, [9]],
        ['single', 10, NF_DROP, [10]],
      ],
      left: 1,
    },
  ] as const)(
    'finds each packet among the outstanding and plans them: $name',
    ({ decide, log, left }) => {
      const { k, q, packets } = setup([1, 2, 5, 9, 10]);
      for (const [i, d] of decide) expect(q.decide(packets[i], d)).toBe(true);
      q.flush();
      expect(k.log.map((l) => [l.kind, l.id, l.verdict, l.applied])).toEqual(log);
      expect(q.size).toBe(left);
    },
  );

  it.each([
    { name: 'a second decision', id: 5, same: true, twice: true },
    { name: 'another packet object with an outstanding id', id: 5, same: false, twice: false },
    { name: 'an id before the oldest', id: 0, same: false, twice: false },
    { name: 'an id in a gap', id: 7, same: false, twice: false },
    { name: 'an id after the newest', id: 11, same: false, twice: false },
  ])('refuses $name', ({ id, same, twice }) => {
    const { k, q, packets } = setup([1, 2, 5, 9, 10]);
    const packet = same
      ? packets[2]
      : new QueuedPacket(
          { queue: 3, id, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT },
          Frame.of(new Uint8Array(16)),
          none,
        );
    if (twice) expect(q.decide(packet, A)).toBe(true);
    expect(q.decide(packet, D)).toBe(false);
    q.flush();
    expect(k.log.map((l) => [l.id, l.verdict])).toEqual(twice ? [[5, NF_ACCEPT]] : []);
  });

  it.each([
    { name: 'one lower id, accepted last', ids: [5, 6, 3], order: [0, 1, 2] },
    { name: 'one lower id, accepted first', ids: [5, 6, 3], order: [2, 0, 1] },
    { name: 'two lower ids in a row', ids: [9, 4, 2, 10], order: [3, 2, 1, 0] },
  ])('takes an id lower than the newest in its place and verdicts it: $name', ({ ids, order }) => {
    const { k, q, packets } = setup(ids);
    k.held = [...ids].sort((a, b) => a - b);
    for (const i of order) expect(q.decide(packets[i], A)).toBe(true);
    expect(() => q.flush()).not.toThrow();
    expect(q.size).toBe(0);
    const applied = k.log.flatMap((l) => l.applied);
    expect(applied.sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    expect(k.held).toEqual([]);
  });

  it('keeps the frame of a packet put out of order until its own verdict', () => {
    const { q, packets } = setup([5, 6, 3]);
    expect(q.decide(packets[0], A)).toBe(true);
    expect(q.decide(packets[1], A)).toBe(true);
    q.flush();
    // 3 is the oldest and undecided: nothing can be batched past it, 5 and 6 go as singles.
    expect(q.size).toBe(1);
    expect(q.decide(packets[2], D)).toBe(true);
    q.flush();
    expect(q.size).toBe(0);
  });

  it('refuses an id that is already outstanding with a NetlinkError EPROTO', () => {
    const { q } = setup([5, 6]);
    const frame = Frame.of(new Uint8Array(16));
    const twin = new QueuedPacket(
      { queue: 3, id: 5, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT },
      frame,
      none,
    );
    expect(() => q.add(twin, frame)).toThrow(expect.objectContaining({ code: 'EPROTO' }));
    expect(q.size).toBe(2);
  });
});
