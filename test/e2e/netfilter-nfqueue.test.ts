import { execFileSync } from 'node:child_process';
import { map, mergeMap, type Observable, tap, timer } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { udpFirewall } from '../../examples/udpFirewall.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { NfqueueStats, nfqueue } from '../../src/sources/netfilter/nfqueue.js';
import type { QueuedPacket } from '../../src/sources/netfilter/QueuedPacket.js';
import {
  netfilterE2eUnavailable,
  receiveUdp,
  sendUdp,
  udpOutputRule,
} from '../sources/netfilter/traffic.js';
import { openFds, withNetns } from './netns.js';

// NFQUEUE end to end: iptables NFQUEUE rules inside a namespace of the test's own, real UDP
// senders and receivers in it, and nfqueue() pipelines giving the verdicts through the TX
// ring of their socket (the ring engine's sendmmsg).

const decoder = new TextDecoder();

/** The UDP payload of a queued IPv4 packet as text (read while its verdict is pending). */
function udpText(p: QueuedPacket): string {
  const b = p.payload ?? new Uint8Array();
  return decoder.decode(b.subarray((b[0] & 0x0f) * 4 + 8));
}

/** Packets the kernel holds for `queue` in namespace `ns` (queue_total of /proc/net/netfilter/nfnetlink_queue). */
function kernelHeld(ns: string, queue: number): number {
  const table = execFileSync(
    'ip',
    ['netns', 'exec', ns, 'cat', '/proc/net/netfilter/nfnetlink_queue'],
    {
      encoding: 'utf8',
    },
  );
  for (const line of table.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (Number(fields[0]) === queue) return Number(fields[2]);
  }
  return 0;
}

async function until(done: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  if (!done()) throw new Error('timed out');
}

/** Subscribes; resolves once the queue is bound. */
async function start<T>(make: (onBound: () => void) => Observable<T>, next: (x: T) => void) {
  let errored: unknown;
  let bound: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    bound = resolve;
  });
  const subscription = make(() => bound()).subscribe({
    next,
    error: (e) => {
      errored = e;
      bound();
    },
  });
  await ready;
  if (errored !== undefined) throw errored;
  return subscription;
}

const unavailable = netfilterE2eUnavailable();
if (unavailable !== undefined) console.warn(`skipping the nfqueue e2e tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('nfqueue() against the kernel', () => {
  it('the example firewall drops UDP to one port and accepts the rest, exactly', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '46000:46001', 'NFQUEUE', '--queue-num', '4');
      const stats = new NfqueueStats();
      const events: Array<{ kind: string; dport?: number | undefined }> = [];
      const subscription = await start(
        (onBound) => udpFirewall({ queue: 4, dropPort: 46001, netns: ns.name, onBound, stats }),
        (e) => events.push(e),
      );
      try {
        const receiver = receiveUdp(ns.name, [46000, 46001], { expect: 40, lingerMs: 400 });
        await receiver.ready;
        const sent = await sendUdp(ns.name, [
          { port: 46000, count: 20, prefix: 'a' },
          { port: 46001, count: 15, prefix: 'd' },
          { port: 46000, count: 20, prefix: 'b' },
        ]);
        expect(sent).toEqual({ sent: 55, errors: 0 });
        const got = await receiver.result;
        const accepted = [
          ...Array.from({ length: 20 }, (_, i) => `a${i}`),
          ...Array.from({ length: 20 }, (_, i) => `b${i}`),
        ];
        expect(got['46000'].slice().sort()).toEqual(accepted.slice().sort());
        expect(got['46001']).toEqual([]);
        expect(events.filter((e) => e.kind === 'accept').map((e) => e.dport)).toEqual(
          Array.from({ length: 40 }, () => 46000),
        );
        expect(events.filter((e) => e.kind === 'drop').map((e) => e.dport)).toEqual(
          Array.from({ length: 15 }, () => 46001),
        );
        expect([
          stats.packets,
          stats.verdicts,
          stats.pending,
          stats.defaulted,
          stats.verdictErrors,
        ]).toEqual([55, 55, 0, 0, 0]);
        expect(stats.flushes).toBeGreaterThan(0);
        console.log(
          `firewall: ${stats.messages} verdict messages (${stats.batches} batches) in ${stats.txFrames} TX frames, ${stats.flushes} flushes`,
        );
      } finally {
        subscription.unsubscribe();
      }
      expect(stats.defaulted).toBe(0);
    });
  });

  it('asynchronous out-of-order verdicts still deliver every accepted packet exactly once', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '46010', 'NFQUEUE', '--queue-num', '5');
      const stats = new NfqueueStats();
      const order: string[] = [];
      const count = 60;
      const subscription = await start(
        (onBound) =>
          nfqueue({ queue: 5, netns: ns.name, onBound, stats }).pipe(
            mergeMap((p) => {
              if (p instanceof Overrun) throw new Error(`lost ${p.lost}`);
              const text = udpText(p);
              const i = Number(text.slice(1));
              // Later packets mostly decided sooner: delays cycle downwards.
              return timer(((count - i) % 13) * 4).pipe(
                tap(() => {
                  order.push(text);
                  if (i % 5 === 0) p.drop();
                  else p.accept();
                }),
                map(() => text),
              );
            }),
          ),
        () => {},
      );
      try {
        const expected = Array.from({ length: count }, (_, i) => i)
          .filter((i) => i % 5 !== 0)
          .map((i) => `x${i}`);
        const receiver = receiveUdp(ns.name, [46010], { expect: expected.length, lingerMs: 400 });
        await receiver.ready;
        await sendUdp(ns.name, [{ port: 46010, count, prefix: 'x' }]);
        const got = (await receiver.result)['46010'];
        expect(got.slice().sort()).toEqual(expected.slice().sort());
        expect(new Set(got).size).toBe(got.length);
        // The verdicts really were out of order.
        const arrival = Array.from({ length: count }, (_, i) => `x${i}`);
        expect(order.slice().sort()).toEqual(arrival.slice().sort());
        expect(order).not.toEqual(arrival);
        expect([stats.packets, stats.verdicts, stats.pending, stats.verdictErrors]).toEqual([
          count,
          count,
          0,
          0,
        ]);
      } finally {
        subscription.unsubscribe();
      }
    });
  });

  it('unsubscribing accepts what waits, unbinds the queue and closes every fd', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '46020', 'NFQUEUE', '--queue-num', '6');
      const before = openFds();
      const stats = new NfqueueStats();
      const held: QueuedPacket[] = [];
      const subscription = await start(
        (onBound) => nfqueue({ queue: 6, netns: ns.name, onBound, stats }),
        (p) => {
          if (!(p instanceof Overrun)) held.push(p);
        },
      );
      const receiver = receiveUdp(ns.name, [46020], { expect: 5, lingerMs: 300 });
      await receiver.ready;
      await sendUdp(ns.name, [{ port: 46020, count: 5, prefix: 'h' }]);
      await until(() => held.length === 5);
      expect(stats.pending).toBe(5);
      subscription.unsubscribe();
      // The default verdict (accept) went to all five, before the queue was unbound.
      expect((await receiver.result)['46020'].slice().sort()).toEqual([
        'h0',
        'h1',
        'h2',
        'h3',
        'h4',
      ]);
      expect(held.map((p) => [p.verdict?.kind, p.defaulted])).toEqual(
        held.map(() => ['accept', true]),
      );
      expect(stats.defaulted).toBe(5);
      // Touching a packet after its verdict throws instead of reading a reused frame.
      expect(() => held[0].payload).toThrow();
      // A verdict after the end is ignored: the packet already has one.
      held[0].drop();
      expect(held[0].verdict).toEqual({ kind: 'accept' });
      expect(openFds()).toEqual(before);

      // Nobody is bound now and the rule has no --queue-bypass: nf_queue finds no listener
      // and the kernel frees the packets; the sender is not told (its sendto succeeds).
      const nobody = receiveUdp(ns.name, [46020], { expect: 1, limitMs: 700 });
      await nobody.ready;
      expect(await sendUdp(ns.name, [{ port: 46020, count: 3, prefix: 'n' }])).toEqual({
        sent: 3,
        errors: 0,
      });
      expect((await nobody.result)['46020']).toEqual([]);

      // The queue is free again: a new binding gets the packets.
      const again = await start(
        (onBound) => nfqueue({ queue: 6, netns: ns.name, onBound, defaultVerdict: 'drop' }),
        (p) => {
          if (!(p instanceof Overrun)) p.accept();
        },
      );
      try {
        const receiver2 = receiveUdp(ns.name, [46020], { expect: 2, lingerMs: 200 });
        await receiver2.ready;
        await sendUdp(ns.name, [{ port: 46020, count: 2, prefix: 'z' }]);
        expect((await receiver2.result)['46020'].slice().sort()).toEqual(['z0', 'z1']);
      } finally {
        again.unsubscribe();
      }
      expect(openFds()).toEqual(before);
    });
  });

  it('a pipeline error gives what waits the default verdict (accept)', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '46030', 'NFQUEUE', '--queue-num', '7');
      const stats = new NfqueueStats();
      let failed: unknown;
      let seen = 0;
      let bound: () => void = () => {};
      const ready = new Promise<void>((r) => {
        bound = r;
      });
      nfqueue({ queue: 7, netns: ns.name, onBound: () => bound(), stats })
        .pipe(
          tap((p) => {
            if (p instanceof Overrun) return;
            seen++;
            // Two accepted, one dropped, one left waiting; the fifth breaks the pipeline.
            if (seen <= 2) p.accept();
            if (seen === 3) p.drop();
            if (seen === 5) throw new Error('boom');
          }),
        )
        .subscribe({ error: (e) => (failed = e) });
      await ready;
      const receiver = receiveUdp(ns.name, [46030], { expect: 4, limitMs: 1500 });
      await receiver.ready;
      await sendUdp(ns.name, [{ port: 46030, count: 5, prefix: 'e' }]);
      await until(() => failed !== undefined);
      expect(String(failed)).toContain('boom');
      expect((await receiver.result)['46030'].slice().sort()).toEqual(['e0', 'e1', 'e3', 'e4']);
      expect([stats.verdicts, stats.defaulted, stats.bound]).toEqual([3, 2, false]);
    });
  });

  it('rewrites packets with accept({ payload }), a large one (a COPY frame) included', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '46040', 'NFQUEUE', '--queue-num', '8');
      const stats = new NfqueueStats();
      const sizes: number[] = [];
      const subscription = await start(
        (onBound) => nfqueue({ queue: 8, netns: ns.name, onBound, stats }),
        (p) => {
          if (p instanceof Overrun) return;
          const packet = (p.payload ?? new Uint8Array()).slice();
          sizes.push(packet.byteLength);
          const udp = (packet[0] & 0x0f) * 4;
          // Upper-case the first byte of the data, and send it without a UDP checksum (0).
          packet[udp + 8] -= 0x20;
          packet[udp + 6] = 0;
          packet[udp + 7] = 0;
          p.accept({ payload: packet, mark: 7 });
        },
      );
      try {
        const receiver = receiveUdp(ns.name, [46040], { expect: 2, lingerMs: 300 });
        await receiver.ready;
        await sendUdp(ns.name, [
          { port: 46040, count: 1, prefix: 'small' },
          { port: 46040, count: 1, prefix: 'b'.repeat(3000) },
        ]);
        const got = (await receiver.result)['46040'];
        expect(got).toEqual(['Small0', `B${'b'.repeat(2999)}0`]);
        expect(sizes).toEqual([34, 3029]);
        // The large packet came through a COPY frame (larger than a 2 KiB RX frame).
        expect(stats.ring.copies).toBe(1);
        expect([stats.verdicts, stats.verdictErrors]).toEqual([2, 0]);
      } finally {
        subscription.unsubscribe();
      }
    });
  });

  it('batch verdicts take exactly the runs meant: never a held packet below, drops kept apart', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '46050', 'NFQUEUE', '--queue-num', '9');
      const stats = new NfqueueStats();
      const packets: QueuedPacket[] = [];
      const subscription = await start(
        (onBound) => nfqueue({ queue: 9, netns: ns.name, onBound, stats }),
        (p) => {
          if (p instanceof Overrun) throw new Error(`lost ${p.lost}`);
          packets.push(p);
        },
      );
      try {
        const count = 40;
        // Accept 0-9, drop 10-14, accept 15-19, hold 20, accept 21-29, drop 30-34, accept 35-39.
        const drop = (i: number) => (i >= 10 && i < 15) || (i >= 30 && i < 35);
        const expected = Array.from({ length: count }, (_, i) => i)
          .filter((i) => !drop(i))
          .map((i) => `q${i}`);
        const receiver = receiveUdp(ns.name, [46050], { expect: expected.length, lingerMs: 300 });
        await receiver.ready;
        await sendUdp(ns.name, [{ port: 46050, count, prefix: 'q' }]);
        // Every packet waits first, so that one synchronous burst decides them all.
        await until(() => packets.length === count);
        expect(packets.map(udpText)).toEqual(Array.from({ length: count }, (_, i) => `q${i}`));
        let held: QueuedPacket | undefined;
        for (const [i, p] of packets.entries()) {
          if (i === 20) held = p;
          else if (drop(i)) p.drop();
          else p.accept();
        }
        await until(() => stats.verdicts === count - 1);
        // One flush: three batches over the decided prefix (accept <= 9, drop <= 14, accept
        // <= 19), then, with packet 20 undecided at the head, a single verdict for each of
        // the 19 packets after it: a batch there would have taken packet 20 too.
        expect([stats.messages, stats.batches, stats.pending]).toEqual([22, 3, 1]);
        expect(kernelHeld(ns.name, 9)).toBe(1);
        // Packet 20 is still the kernel's: nothing let it through meanwhile.
        await new Promise((r) => setTimeout(r, 200));
        expect(kernelHeld(ns.name, 9)).toBe(1);
        held?.accept();
        await until(() => stats.verdicts === count);
        expect(kernelHeld(ns.name, 9)).toBe(0);
        const got = (await receiver.result)['46050'];
        expect(got.slice().sort()).toEqual(expected.slice().sort());
        // The held packet came out last, after its verdict, and exactly once.
        expect(got.at(-1)).toBe('q20');
        expect(got.filter((t) => t === 'q20')).toHaveLength(1);
        expect([stats.messages, stats.batches, stats.verdictErrors]).toEqual([23, 3, 0]);
      } finally {
        subscription.unsubscribe();
      }
      expect(stats.defaulted).toBe(0);
    });
  });
});
