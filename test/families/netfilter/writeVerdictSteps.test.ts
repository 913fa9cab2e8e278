import { describe, expect, it } from 'vitest';
import { NF_ACCEPT, NF_DROP } from '../../../src/families/netfilter/constants.js';
import {
  type VerdictStep,
  writeNfqueueBatchVerdict,
  writeNfqueueVerdict,
  writeVerdictSteps,
} from '../../../src/families/netfilter/verdict.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { parseRequests } from './bytes.js';

const steps: VerdictStep[] = [
  { kind: 'single', id: 1, verdict: NF_ACCEPT, mark: 5 },
  { kind: 'batch', id: 3, verdict: NF_DROP, count: 2 },
  { kind: 'single', id: 5, verdict: NF_ACCEPT, payload: Uint8Array.of(0x45) },
];

describe('writeVerdictSteps', () => {
  it('writes exactly what the single and batch builders write, in order', () => {
    const expected = new MessageWriter();
    writeNfqueueVerdict(expected, {
      queue: 2,
      id: 1,
      verdict: NF_ACCEPT,
      mark: 5,
      seq: 7,
      ack: true,
    });
    writeNfqueueBatchVerdict(expected, { queue: 2, id: 3, verdict: NF_DROP, seq: 8, ack: true });
    writeNfqueueVerdict(expected, {
      queue: 2,
      id: 5,
      verdict: NF_ACCEPT,
      payload: Uint8Array.of(0x45),
      seq: 9,
      ack: true,
    });
    const w = writeVerdictSteps(new MessageWriter(), 2, steps, { seq: 7, ack: true });
    expect(w.finish()).toEqual(expected.finish());
  });

  it.each([
    { name: 'seq 0 for all without a seq', options: {}, seqs: [0, 0, 0] },
    { name: 'counting up from seq', options: { seq: 100 }, seqs: [100, 101, 102] },
    { name: 'wrapping past 2^32 - 1', options: { seq: 0xffffffff }, seqs: [0xffffffff, 0, 1] },
  ])('numbers the messages: $name', ({ options, seqs }) => {
    const w = writeVerdictSteps(new MessageWriter(), 0, steps, options);
    expect(parseRequests(w.finish()).map((m) => m.seq)).toEqual(seqs);
  });

  it('writes nothing for an empty plan', () => {
    expect(writeVerdictSteps(new MessageWriter(), 0, []).length).toBe(0);
  });
});
