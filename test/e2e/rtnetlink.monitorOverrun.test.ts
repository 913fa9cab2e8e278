import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingStats } from '../../src/ring/RingStats.js';
import { monitor, type RtnetlinkChange } from '../../src/sources/rtnetlink/monitor.js';
import { type Netns, useNetns } from './netns.js';

// Monitor loss accounting under a flood against this kernel: with a receive buffer of the
// kernel's minimum, bursts of changes overrun the socket; the kernel reports ENOBUFS once per
// congestion episode and counts every drop in sk_drops. Every drop must reach an Overrun:
// Σ Overrun.lost equals the socket's drop counter as the kernel reports it to `ss`
// (sock_diag, SK_MEMINFO_DROPS), and where the notifications are countable (one RTM_NEWADDR
// or RTM_DELADDR per /32 IPv4 address) received + Σ lost equals what was generated.

/**
 * The drop counters (`d` of skmem) of the rtnetlink sockets of user space in `ns`, by local
 * address (sock_diag lists a socket that joined groups twice: bound and in the groups' list).
 */
function kernelDrops(ns: Netns): number[] {
  const byAddress = new Map<string, number>();
  for (const line of ns.exec('ss', '-A', 'netlink', '-a', '-m', '-e').split('\n')) {
    const local = / (rtnl:\S+)/.exec(line)?.[1];
    if (local === undefined || local === 'rtnl:kernel') continue;
    byAddress.set(local, Number(/skmem:\(.*\bd(\d+)\)/.exec(line)?.[1]));
  }
  return [...byAddress.values()];
}

/** Subscribes, counting what arrives; `quiet(ms)` resolves once nothing came for `ms`. */
function count(source: ReturnType<typeof monitor>, spin = 0) {
  const seen = { changes: 0, lost: 0, overruns: 0, failure: undefined as unknown };
  let last = Date.now();
  const subscription: Subscription = source.subscribe({
    next: (x: RtnetlinkChange | Overrun) => {
      last = Date.now();
      if (x instanceof Overrun) {
        seen.overruns++;
        seen.lost += x.lost;
      } else {
        seen.changes++;
        // A slow consumer: the ring fills while the kernel goes on sending.
        for (const end = performance.now() + spin; performance.now() < end; );
      }
    },
    error: (error) => {
      seen.failure = error;
    },
  });
  const quiet = async (ms: number) => {
    // From now: the event loop may have been blocked (a synchronous burst) with data waiting.
    last = Date.now();
    while (Date.now() - last < ms) await new Promise((r) => setTimeout(r, ms / 4));
    if (seen.failure !== undefined) throw seen.failure;
  };
  return { seen, subscription, quiet };
}

const BURSTS = 6;

describe('monitor overrun accounting on the real kernel', () => {
  const netns = useNetns();

  it.each([
    { receiveBufferSize: 1, spin: 0, perBurst: 300 },
    { receiveBufferSize: 1 << 16, spin: 0.05, perBurst: 1000 },
  ])(
    'reports every dropped address notification: Σ lost = sk_drops, received + lost = sent (receive buffer $receiveBufferSize, $spin ms per change)',
    async ({ receiveBufferSize, spin, perBurst }) => {
      const ns = netns();
      ns.batch(['link add d0 type bridge', 'link set d0 up']);
      const stats = new RingStats();
      const events = count(
        monitor({
          kinds: ['address'],
          family: 'inet',
          netns: ns.name,
          receiveBufferSize,
          ifnames: new Map(),
          stats,
        }),
        spin,
      );
      try {
        let sent = 0;
        for (let burst = 0; burst < BURSTS; burst++) {
          const adds = Array.from(
            { length: perBurst },
            (_, i) => `addr add 10.${burst}.${i >> 8}.${i & 255}/32 dev d0`,
          );
          const dels = adds.map((c) => c.replace('addr add', 'addr del'));
          // Alternately with the event loop blocked (the socket fills while nothing reads)
          // and running (the reader races the kernel: drops after the first ENOBUFS).
          if (burst % 2 === 0) ns.batch(adds);
          else await ns.batchAsync(adds);
          await ns.batchAsync(dels);
          sent += 2 * perBurst;
          await events.quiet(150);
          const drops = kernelDrops(ns);
          expect(drops).toHaveLength(1);
          expect({ burst, lost: events.seen.lost }).toEqual({ burst, lost: drops[0] });
          expect({ burst, total: events.seen.changes + events.seen.lost }).toEqual({
            burst,
            total: sent,
          });
        }
        expect(events.seen.lost).toBeGreaterThan(0);
        expect([stats.overruns, stats.lost]).toEqual([events.seen.overruns, events.seen.lost]);
      } finally {
        events.subscription.unsubscribe();
      }
    },
  );

  it('reports every dropped link and address notification: Σ lost = sk_drops', async () => {
    const ns = netns();
    const events = count(
      monitor({ kinds: ['link', 'address'], netns: ns.name, receiveBufferSize: 1 }),
    );
    try {
      for (let burst = 0; burst < BURSTS; burst++) {
        const churn: string[] = [];
        for (let i = 0; i < 25; i++) {
          churn.push(
            `link add f${i} type bridge`,
            `link set f${i} up`,
            `addr add 10.9.${burst}.${i}/32 dev f${i}`,
          );
        }
        for (let i = 0; i < 25; i++) churn.push(`link del f${i}`);
        if (burst % 2 === 0) ns.batch(churn);
        else await ns.batchAsync(churn);
        await events.quiet(150);
        const drops = kernelDrops(ns);
        expect(drops).toHaveLength(1);
        expect({ burst, lost: events.seen.lost }).toEqual({ burst, lost: drops[0] });
      }
      expect(events.seen.overruns).toBeGreaterThan(0);
      expect(events.seen.changes).toBeGreaterThan(0);
    } finally {
      events.subscription.unsubscribe();
    }
  });
});
