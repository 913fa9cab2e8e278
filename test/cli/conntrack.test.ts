import { concat, type Observable, of, throwError } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { conntrackJson, conntrackJsonText } from '../../src/cli/conntrack.js';
import { DumpInterruptedError, type netfilter } from '../../src/index.js';

const tuple = (src: string, dst: string, sport: number, dport: number) => ({
  src,
  dst,
  proto: 'tcp',
  protoNumber: 6,
  sport,
  dport,
});

/** A TCP entry as conntrackDump emits it, with accounting and a connlabel bitmap. */
const entry: netfilter.ConntrackEntry = {
  type: 'update',
  family: 10,
  protocol: 'tcp',
  orig: tuple('fd00::1', 'fd00::2', 40000, 22),
  reply: tuple('fd00::2', 'fd00::1', 22, 40000),
  status: 14,
  statusNames: ['SEEN_REPLY', 'ASSURED', 'CONFIRMED'],
  timeout: 431999,
  counters: {
    orig: { packets: 12n, bytes: 2n ** 53n + 1n },
    reply: { packets: 10n, bytes: 1500n },
  },
  timestamp: { start: 1_700_000_000_000_000_000n },
  labels: new Uint8Array([0x01, 0x00, 0x80]),
  protoinfo: { state: 'ESTABLISHED', stateNumber: 3 },
};

describe('conntrackJson', () => {
  const parsed = JSON.parse(conntrackJson(entry)) as Record<string, unknown>;

  it.each([
    { name: 'the family by name', key: 'family', value: 'inet6' },
    {
      name: '64-bit counters as numbers, as strings past 2^53',
      key: 'counters',
      value: {
        orig: { packets: 12, bytes: '9007199254740993' },
        reply: { packets: 10, bytes: 1500 },
      },
    },
    {
      name: 'a nanosecond timestamp past 2^53 as a string',
      key: 'timestamp',
      value: { start: '1700000000000000000' },
    },
    { name: 'the connlabel bitmap in hex', key: 'labels', value: '010080' },
    { name: 'tuples as they are', key: 'orig', value: tuple('fd00::1', 'fd00::2', 40000, 22) },
    { name: 'the state', key: 'protoinfo', value: { state: 'ESTABLISHED', stateNumber: 3 } },
  ])('$name', ({ key, value }) => {
    expect(parsed[key]).toEqual(value);
  });

  it('keeps every field of the entry', () => {
    expect(Object.keys(parsed).sort()).toEqual(Object.keys(entry).sort());
  });
});

describe('conntrackJsonText (conntrack --json)', () => {
  const ipv4: netfilter.ConntrackEntry = {
    type: 'update',
    family: 2,
    protocol: 'udp',
    orig: { ...tuple('10.0.0.1', '10.0.0.2', 5353, 53), proto: 'udp', protoNumber: 17 },
    reply: { ...tuple('10.0.0.2', '10.0.0.1', 53, 5353), proto: 'udp', protoNumber: 17 },
    status: 8,
    statusNames: ['CONFIRMED'],
    timeout: 29,
    mark: 4294967295,
    id: 1234567890,
    use: 1,
  };
  const entries = [entry, ipv4, { ...ipv4, labels: new Uint8Array(0), zone: 0 }];

  async function text(dump: () => Observable<netfilter.ConntrackEntry>): Promise<string> {
    return Buffer.concat(await conntrackJsonText(dump)).toString('utf8');
  }

  it("is conntrackJson's text of each entry, in one array", async () => {
    expect(await text(() => of(...entries))).toBe(`[${entries.map(conntrackJson).join(',')}]\n`);
    expect(await text(() => of())).toBe('[]\n');
  });

  it('drops what an interrupted dump wrote and prints the dump run again', async () => {
    let attempts = 0;
    const dump = () =>
      attempts++ === 0
        ? concat(
            of(entry),
            throwError(() => new DumpInterruptedError(1, 1)),
          )
        : of(ipv4);
    expect(await text(dump)).toBe(`[${conntrackJson(ipv4)}]\n`);
    expect(attempts).toBe(2);
  });
});
