import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NF_ACCEPT, NF_DROP } from '../../../src/families/netfilter/constants.js';
import { nfQueueNr } from '../../../src/families/netfilter/nfnetlink.js';
import {
  type NfqueueDecision,
  planVerdictMessages,
  type VerdictStep,
} from '../../../src/families/netfilter/verdict.js';

const A = { verdict: NF_ACCEPT };
const D = { verdict: NF_DROP };
const marked = { verdict: NF_ACCEPT, mark: 9 };

/**
 * The kernel's side of one queue, as net/netfilter/nfnetlink_queue.c keeps it: packets in
 * arrival order; a verdict takes its packet out (ENOENT if absent); a batch verdict takes
 * every packet from the head whose id is not after the batch id (nfq_id_after), ENOENT if none.
 */
class KernelQueue {
  readonly list: number[];
  readonly applied = new Map<number, NfqueueDecision>();
  readonly batches: number[][] = [];

  constructor(ids: number[]) {
    this.list = [...ids];
  }

  apply(step: VerdictStep): void {
    if (step.kind === 'single') {
      const at = this.list.indexOf(step.id);
      if (at < 0) throw new Error(`ENOENT: single verdict for ${step.id}`);
      this.list.splice(at, 1);
      const d: NfqueueDecision = { verdict: step.verdict };
      if (step.mark !== undefined) d.mark = step.mark;
      if (step.payload !== undefined) d.payload = step.payload;
      this.applied.set(step.id, d);
      return;
    }
    const taken: number[] = [];
    while (this.list.length > 0 && ((this.list[0] - step.id) | 0) <= 0) {
      const id = this.list.shift() as number;
      taken.push(id);
      this.applied.set(id, { verdict: step.verdict });
    }
    if (taken.length === 0) throw new Error(`ENOENT: batch up to ${step.id}`);
    expect(taken.length).toBe(step.count);
    this.batches.push(taken);
  }
}

describe('planVerdictMessages', () => {
  it.each([
    { name: 'nothing outstanding', ids: [], decided: [], steps: [], left: [] },
    { name: 'nothing decided', ids: [1, 2, 3], decided: [], steps: [], left: [1, 2, 3] },
    {
      name: 'one decided packet is a single verdict',
      ids: [1],
      decided: [[1, A]],
      steps: [{ kind: 'single', id: 1, verdict: NF_ACCEPT }],
      left: [],
    },
    {
      name: 'a decided prefix with one verdict is one batch',
      ids: [5, 6, 7, 8],
      decided: [
        [5, A],
        [6, A],
        [7, A],
      ],
      steps: [{ kind: 'batch', id: 7, verdict: NF_ACCEPT, count: 3 }],
      left: [8],
    },
    {
      name: 'an undecided head forces singles',
      ids: [5, 6, 7],
      decided: [
        [6, A],
        [7, A],
      ],
      steps: [
        { kind: 'single', id: 6, verdict: NF_ACCEPT },
        { kind: 'single', id: 7, verdict: NF_ACCEPT },
      ],
      left: [5],
    },
    {
      name: 'two runs become two batches, in order',
      ids: [1, 2, 3, 4],
      decided: [
        [1, A],
        [2, A],
        [3, D],
        [4, D],
      ],
      steps: [
        { kind: 'batch', id: 2, verdict: NF_ACCEPT, count: 2 },
        { kind: 'batch', id: 4, verdict: NF_DROP, count: 2 },
      ],
      left: [],
    },
    {
      name: 'a marked head goes alone, then the run behind it batches',
      ids: [1, 2, 3],
      decided: [
        [1, marked],
        [2, A],
        [3, A],
      ],
      steps: [
        { kind: 'single', id: 1, verdict: NF_ACCEPT, mark: 9 },
        { kind: 'batch', id: 3, verdict: NF_ACCEPT, count: 2 },
      ],
      left: [],
    },
    {
      name: 'a marked packet ends a run',
      ids: [1, 2, 3, 4],
      decided: [
        [1, A],
        [2, A],
        [3, marked],
        [4, A],
      ],
      steps: [
        { kind: 'batch', id: 2, verdict: NF_ACCEPT, count: 2 },
        { kind: 'single', id: 3, verdict: NF_ACCEPT, mark: 9 },
        { kind: 'single', id: 4, verdict: NF_ACCEPT },
      ],
      left: [],
    },
    {
      name: 'a gap in the decisions stops the batch at the gap',
      ids: [1, 2, 3, 4, 5],
      decided: [
        [1, D],
        [2, D],
        [4, D],
        [5, D],
      ],
      steps: [
        { kind: 'batch', id: 2, verdict: NF_DROP, count: 2 },
        { kind: 'single', id: 4, verdict: NF_DROP },
        { kind: 'single', id: 5, verdict: NF_DROP },
      ],
      left: [3],
    },
    {
      name: 'ids that wrap past 2^32 - 1',
      ids: [0xfffffffe, 0xffffffff, 0, 1],
      decided: [
        [0xfffffffe, A],
        [0xffffffff, A],
        [0, A],
      ],
      steps: [{ kind: 'batch', id: 0, verdict: NF_ACCEPT, count: 3 }],
      left: [1],
    },
    {
      name: 'different queue numbers are different verdicts',
      ids: [1, 2],
      decided: [
        [1, { verdict: nfQueueNr(1) }],
        [2, { verdict: nfQueueNr(2) }],
      ],
      steps: [
        { kind: 'single', id: 1, verdict: nfQueueNr(1) },
        { kind: 'single', id: 2, verdict: nfQueueNr(2) },
      ],
      left: [],
    },
  ] as Array<{
    name: string;
    ids: number[];
    decided: Array<[number, NfqueueDecision]>;
    steps: VerdictStep[];
    left: number[];
  }>)('$name', ({ ids, decided, steps, left }) => {
    const plan = planVerdictMessages(ids, new Map(decided));
    expect(plan).toEqual({ steps, outstanding: left, unknown: [] });
  });

  it('lists decisions for ids that are not outstanding, and sends nothing for them', () => {
    const plan = planVerdictMessages(
      [3, 4],
      new Map([
        [1, A],
        [3, A],
        [9, D],
      ]),
    );
    expect(plan.unknown).toEqual([1, 9]);
    expect(plan.steps).toEqual([{ kind: 'single', id: 3, verdict: NF_ACCEPT }]);
  });

  it('keeps the payload of a decision on its single verdict', () => {
    const payload = Uint8Array.of(1, 2, 3);
    const plan = planVerdictMessages(
      [1, 2],
      new Map<number, NfqueueDecision>([
        [1, { verdict: NF_ACCEPT, payload }],
        [2, A],
      ]),
    );
    expect(plan.steps[0]).toEqual({ kind: 'single', id: 1, verdict: NF_ACCEPT, payload });
  });

  it.each([
    { name: 'a duplicate id', ids: [1, 2, 2] },
    { name: 'a decreasing id', ids: [5, 4] },
    { name: 'a jump of 2^31 (no longer after)', ids: [0, 0x80000000] },
  ])('throws a TypeError for outstanding ids out of arrival order: $name', ({ ids }) => {
    expect(() => planVerdictMessages(ids, new Map())).toThrow(TypeError);
  });

  describe('properties, checked against a model of the kernel queue', () => {
    const decision = fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom<NfqueueDecision>(A, D, { verdict: nfQueueNr(2) }) },
      {
        weight: 1,
        arbitrary: fc.record({ verdict: fc.constantFrom(NF_ACCEPT, NF_DROP), mark: fc.nat() }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          verdict: fc.constant(NF_ACCEPT),
          payload: fc.uint8Array({ maxLength: 4 }),
        }),
      },
    );
    /** Outstanding ids (increasing mod 2^32, with gaps), packets the process has not read yet, decisions. */
    const scenario = fc
      .record({
        start: fc.oneof(fc.constant(0xfffffff0), fc.integer({ min: 0, max: 0xffffffff })),
        gaps: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 40 }),
        unread: fc.integer({ min: 0, max: 4 }),
        // Many decisions share one verdict, so runs happen; undecided packets are common too.
        decisions: fc.array(fc.option(decision, { freq: 3 }), { maxLength: 41 }),
      })
      .map(({ start, gaps, unread, decisions }) => {
        const ids = [start];
        for (const g of gaps) ids.push((ids[ids.length - 1] + g) >>> 0);
        const tail: number[] = [];
        for (let i = 1; i <= unread; i++) tail.push((ids[ids.length - 1] + i) >>> 0);
        const decided = new Map<number, NfqueueDecision>();
        for (const [i, id] of ids.entries()) {
          const d = decisions[i];
          if (d !== undefined && d !== null) decided.set(id, d);
        }
        return { ids, tail, decided };
      });

    it('every decided packet gets exactly its decision; nothing else is touched', () => {
      fc.assert(
        fc.property(scenario, ({ ids, tail, decided }) => {
          const plan = planVerdictMessages(ids, decided);
          const kernel = new KernelQueue([...ids, ...tail]);
          for (const step of plan.steps) kernel.apply(step); // never ENOENT
          expect(kernel.applied).toEqual(decided);
          expect(kernel.list).toEqual([...plan.outstanding, ...tail]);
          expect(plan.outstanding).toEqual(ids.filter((id) => !decided.has(id)));
          expect(plan.unknown).toEqual([]);
        }),
        { numRuns: 500 },
      );
    });

    it('a batch never covers a packet that is undecided, marked, rewritten or of another verdict', () => {
      fc.assert(
        fc.property(scenario, ({ ids, tail, decided }) => {
          const plan = planVerdictMessages(ids, decided);
          const kernel = new KernelQueue([...ids, ...tail]);
          for (const step of plan.steps) kernel.apply(step);
          const batchSteps = plan.steps.filter((s) => s.kind === 'batch');
          expect(kernel.batches.length).toBe(batchSteps.length);
          for (const [i, taken] of kernel.batches.entries()) {
            expect(taken.length).toBeGreaterThanOrEqual(2);
            for (const id of taken) {
              const d = decided.get(id);
              expect(d).toBeDefined();
              expect(d?.verdict).toBe(batchSteps[i].verdict);
              expect(d?.mark).toBeUndefined();
              expect(d?.payload).toBeUndefined();
            }
          }
        }),
        { numRuns: 500 },
      );
    });

    it('sends no more messages than decisions, and one batch when all agree', () => {
      fc.assert(
        fc.property(scenario, ({ ids, decided }) => {
          const plan = planVerdictMessages(ids, decided);
          expect(plan.steps.length).toBeLessThanOrEqual(decided.size);
          const uniform = new Map(ids.map((id) => [id, A]));
          const all = planVerdictMessages(ids, uniform);
          expect(all.steps).toEqual(
            ids.length === 1
              ? [{ kind: 'single', id: ids[0], verdict: NF_ACCEPT }]
              : [{ kind: 'batch', id: ids[ids.length - 1], verdict: NF_ACCEPT, count: ids.length }],
          );
        }),
        { numRuns: 300 },
      );
    });
  });
});
