import { describe, expect, it } from 'vitest';
import { LossLedger } from '../../../src/sources/netfilter/LossLedger.js';

type Step = ['drops', number] | ['gap', number, number];

/** Runs the steps; after each, what a notification would report (0: none) and the unit. */
function replay(perPacket: boolean, sequence: boolean, start: number, steps: Step[]) {
  const ledger = new LossLedger(perPacket, sequence, start);
  const reports: Array<[number, string]> = [];
  for (const step of steps) {
    if (step[0] === 'drops') ledger.dropped(step[1]);
    else ledger.gap(step[1], step[2]);
    const lost = ledger.unreported();
    ledger.markReported();
    reports.push([lost, ledger.unit]);
  }
  return { reports, reported: ledger.reported, exact: ledger.exact };
}

describe('LossLedger', () => {
  it.each<{
    name: string;
    perPacket: boolean;
    steps: Step[];
    reports: Array<[number, string]>;
    reported: number;
    exact: boolean;
  }>([
    {
      name: 'one packet a datagram: the counter first, the gap over the same drops adds nothing',
      perPacket: true,
      steps: [
        ['drops', 13],
        ['gap', 3, 13],
      ],
      reports: [
        [3, 'packets'],
        [0, 'packets'],
      ],
      reported: 3,
      exact: true,
    },
    {
      name: 'one packet a datagram: the gap first, the counter of the same drops adds nothing',
      perPacket: true,
      steps: [
        ['gap', 2, 12],
        ['drops', 12],
        ['drops', 15],
      ],
      reports: [
        [2, 'packets'],
        [0, 'packets'],
        [3, 'packets'],
      ],
      reported: 5,
      exact: true,
    },
    {
      name: 'batched: a gap of 100 packets (one datagram), then a tail datagram: a lower bound',
      perPacket: false,
      steps: [
        ['gap', 100, 11],
        ['drops', 12],
      ],
      reports: [
        [100, 'packets'],
        [1, 'datagrams'],
      ],
      reported: 101,
      exact: false,
    },
    {
      name: 'batched: datagrams reported ahead, then the gap over them reports the packets beyond',
      perPacket: false,
      steps: [
        ['drops', 12],
        ['gap', 150, 12],
      ],
      reports: [
        [2, 'datagrams'],
        [148, 'datagrams'],
      ],
      reported: 150,
      exact: false,
    },
    {
      name: 'batched: as many drops as gaps: every drop is in a gap, the count is exact',
      perPacket: false,
      steps: [
        ['gap', 40, 11],
        ['gap', 7, 12],
      ],
      reports: [
        [40, 'packets'],
        [7, 'packets'],
      ],
      reported: 47,
      exact: true,
    },
  ])('$name', ({ perPacket, steps, reports, reported, exact }) => {
    expect(replay(perPacket, true, 10, steps)).toEqual({ reports, reported, exact });
  });

  it('with a counter that cannot count: gaps only with sequence numbers, NaN without', () => {
    expect(replay(true, true, Number.NaN, [['gap', 4, Number.NaN]]).reports).toEqual([
      [4, 'datagrams'],
    ]);
    expect(replay(true, false, Number.NaN, [['drops', Number.NaN]]).reports).toEqual([
      [Number.NaN, 'datagrams'],
    ]);
  });
});
