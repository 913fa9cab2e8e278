import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NF_ACCEPT, NF_DROP } from '../../../src/families/netfilter/constants.js';
import {
  type NfqueueDecision,
  planVerdictMessages,
  planVerdictSlots,
} from '../../../src/families/netfilter/verdict.js';

const A = { verdict: NF_ACCEPT };
const D = { verdict: NF_DROP };

describe('planVerdictSlots', () => {
  it.each([
    { name: 'nothing outstanding', ids: [], decisions: [], steps: [], left: [] },
    {
      name: 'a decided prefix and an undecided tail',
      ids: [5, 6, 7],
      decisions: [A, A, undefined],
      steps: [{ kind: 'batch', id: 6, verdict: NF_ACCEPT, count: 2 }],
      left: [2],
    },
    {
      name: 'an undecided head: singles, indexes left',
      ids: [5, 6, 9],
      decisions: [undefined, D, A],
      steps: [
        { kind: 'single', id: 6, verdict: NF_DROP },
        { kind: 'single', id: 9, verdict: NF_ACCEPT },
      ],
      left: [0],
    },
  ])('plans over parallel arrays: $name', ({ ids, decisions, steps, left }) => {
    expect(planVerdictSlots(ids, decisions)).toEqual({ steps, left });
  });

  it('refuses ids that do not increase (mod 2^32)', () => {
    expect(() => planVerdictSlots([7, 7], [A, A])).toThrow(TypeError);
    expect(() => planVerdictSlots([0xffffffff, 0], [A, A])).not.toThrow();
  });

  it('is planVerdictMessages over arrays: same steps, the left ids at the left indexes', () => {
    const decision = fc.option(
      fc.constantFrom<NfqueueDecision>(A, D, { verdict: NF_ACCEPT, mark: 1 }),
      { nil: undefined },
    );
    fc.assert(
      fc.property(
        fc.nat(0xffffffff),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 3 }), decision)),
        (first, entries) => {
          const ids: number[] = [];
          let id = first;
          for (const [step] of entries) {
            id = (id + step) >>> 0;
            ids.push(id);
          }
          const decisions = entries.map(([, d]) => d);
          const map = new Map<number, NfqueueDecision>();
          ids.forEach((i, k) => {
            const d = decisions[k];
            if (d !== undefined) map.set(i, d);
          });
          const slots = planVerdictSlots(ids, decisions);
          const plan = planVerdictMessages(ids, map);
          expect(slots.steps).toEqual(plan.steps);
          expect(slots.left.map((k) => ids[k])).toEqual(plan.outstanding);
        },
      ),
    );
  });
});
