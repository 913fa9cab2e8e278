import { describe, expect, it } from 'vitest';
import {
  NF_ACCEPT,
  NF_DROP,
  NF_REPEAT,
  NF_VERDICT_FLAG_QUEUE_BYPASS,
} from '../../../src/families/netfilter/constants.js';
import { nfQueueNr } from '../../../src/families/netfilter/nfnetlink.js';
import type { Verdict } from '../../../src/sources/netfilter/verdicts.js';
import { verdictDecision } from '../../../src/sources/netfilter/verdicts.js';

const payload = Uint8Array.of(0x45, 0);

describe('verdictDecision', () => {
  it.each([
    { name: 'accept', verdict: { kind: 'accept' }, decision: { verdict: NF_ACCEPT } },
    {
      name: 'accept with undefined options',
      verdict: { kind: 'accept', mark: undefined, payload: undefined },
      decision: { verdict: NF_ACCEPT },
    },
    {
      name: 'accept with a mark',
      verdict: { kind: 'accept', mark: 7 },
      decision: { verdict: NF_ACCEPT, mark: 7 },
    },
    {
      name: 'accept with a payload',
      verdict: { kind: 'accept', payload },
      decision: { verdict: NF_ACCEPT, payload },
    },
    { name: 'drop', verdict: { kind: 'drop' }, decision: { verdict: NF_DROP } },
    { name: 'repeat', verdict: { kind: 'repeat' }, decision: { verdict: NF_REPEAT } },
    {
      name: 'repeat with a mark',
      verdict: { kind: 'repeat', mark: 1 },
      decision: { verdict: NF_REPEAT, mark: 1 },
    },
    {
      name: 'queue with bypass',
      verdict: { kind: 'queue', queue: 2, bypass: true },
      decision: { verdict: (nfQueueNr(2) | NF_VERDICT_FLAG_QUEUE_BYPASS) >>> 0 },
    },
  ] satisfies Array<{ name: string; verdict: Verdict; decision: object }>)(
    '$name',
    ({ verdict, decision }) => {
      expect(verdictDecision(verdict)).toStrictEqual(decision);
    },
  );

  it('shares one frozen decision for each bare verdict, so the common ones allocate nothing', () => {
    for (const kind of ['accept', 'drop', 'repeat'] as const) {
      const d = verdictDecision({ kind });
      expect(verdictDecision({ kind })).toBe(d);
      expect(Object.isFrozen(d)).toBe(true);
    }
    expect(verdictDecision({ kind: 'accept', mark: 1 })).not.toBe(
      verdictDecision({ kind: 'accept', mark: 1 }),
    );
  });

  it.each([
    { name: 'no object', verdict: null, message: /verdict: expected/ },
    { name: 'an unknown kind', verdict: { kind: 'reject' }, message: /unknown kind reject/ },
    {
      name: 'a payload that is not bytes',
      verdict: { kind: 'accept', payload: [1] },
      message: /payload/,
    },
    { name: 'a mark out of range', verdict: { kind: 'accept', mark: 2 ** 32 }, message: /mark/ },
    { name: 'a queue out of range', verdict: { kind: 'queue', queue: 70000 }, message: /queue/ },
  ])('throws a TypeError for $name', ({ verdict, message }) => {
    expect(() => verdictDecision(verdict as unknown as Verdict)).toThrow(TypeError);
    expect(() => verdictDecision(verdict as unknown as Verdict)).toThrow(message);
  });
});
