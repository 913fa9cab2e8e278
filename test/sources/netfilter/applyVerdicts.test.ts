import { describe, expect, it } from 'vitest';
import { AF_INET, NF_INET_LOCAL_OUT } from '../../../src/families/netfilter/constants.js';
import type { NfqueueDecision } from '../../../src/families/netfilter/verdict.js';
import { Frame } from '../../../src/ring/Frame.js';
import { Overrun } from '../../../src/ring/Overrun.js';
import { applyVerdicts } from '../../../src/sources/netfilter/applyVerdicts.js';
import { QueuedPacket } from '../../../src/sources/netfilter/QueuedPacket.js';
import type { Verdict } from '../../../src/sources/netfilter/verdicts.js';
import { marbles } from '../../marbles.js';

/** Packets over detached frames, whose decisions land in `decided`. */
function packets(count: number) {
  const decided: Array<[number, NfqueueDecision]> = [];
  const sink = {
    decide: (p: QueuedPacket, d: NfqueueDecision) => {
      decided.push([p.id, d]);
      return true;
    },
  };
  const list = Array.from(
    { length: count },
    (_, i) =>
      new QueuedPacket(
        { queue: 0, id: i + 1, family: AF_INET, hwProtocol: 0x0800, hook: NF_INET_LOCAL_OUT },
        Frame.of(new Uint8Array(16)),
        sink,
      ),
  );
  return { list, decided };
}

const accept: Verdict = { kind: 'accept' };
const drop: Verdict = { kind: 'drop' };

describe('applyVerdicts', () => {
  it(
    'gives each packet the first verdict of its decision, in the order decisions finish',
    marbles((m) => {
      const { list, decided } = packets(3);
      const overrun = new Overrun(2, 1);
      const source = m.cold('a-b-o-c|', { a: list[0], b: list[1], c: list[2], o: overrun });
      const subs = '^------!';
      const decisions: Record<number, string> = { 1: '-----(a|)', 2: '-d-a', 3: 'a' };
      const out = source.pipe(
        applyVerdicts((p) => m.cold(decisions[p.id], { a: accept, d: drop })),
      );
      m.expect(out).toBeObservable('---yoxz|', {
        x: { packet: list[0], verdict: accept },
        y: { packet: list[1], verdict: drop },
        z: { packet: list[2], verdict: accept },
        o: overrun,
      });
      m.expect(source).toHaveSubscriptions(subs);
      m.flush();
      expect(decided.map(([id, d]) => [id, d.verdict])).toEqual([
        [2, 0],
        [1, 1],
        [3, 1],
      ]);
      expect(list.map((p) => p.verdict?.kind)).toEqual(['accept', 'drop', 'accept']);
    }),
  );

  it(
    'errors with the TypeError of a bad verdict, and with the error of a decision',
    marbles((m) => {
      const { list } = packets(2);
      m.expect(
        m.cold('a|', { a: list[0] }).pipe(applyVerdicts(() => [{ kind: 'steal' } as never])),
      ).toBeObservable(
        '#',
        undefined,
        new TypeError('verdict: unknown kind steal; expected accept, drop, repeat or queue'),
      );
      m.expect(m.cold('a|', { a: list[1] }).pipe(applyVerdicts(() => m.cold('-#')))).toBeObservable(
        '-#',
      );
    }),
  );

  it('throws a TypeError at once for a decide that is not a function or a bad concurrency', () => {
    expect(() => applyVerdicts(3 as never)).toThrow(TypeError);
    expect(() => applyVerdicts(() => [accept], { concurrent: 0 })).toThrow(TypeError);
  });
});
