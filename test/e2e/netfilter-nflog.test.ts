import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { nflogLogger } from '../../examples/nflogLogger.js';
import { errnos } from '../../src/errors/errno.js';
import { NF_INET_LOCAL_OUT } from '../../src/families/netfilter/constants.js';
import type { NflogPacket } from '../../src/families/netfilter/nflogPacket.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { NflogStats, nflog, nflogBatches } from '../../src/sources/netfilter/nflog.js';
import {
  netfilterE2eUnavailable,
  sendUdp,
  sendUdpSync,
  udpOutputRule,
} from '../sources/netfilter/traffic.js';
import { openFds, withNetns } from './netns.js';

// NFLOG end to end: iptables NFLOG rules inside a namespace of the test's own, real UDP
// traffic, and the nflog() source reading the group through the ring engine.

const decoder = new TextDecoder();

/** The UDP payload of an IPv4 packet as text. */
function udpText(packet: NflogPacket): string {
  const p = packet.payload ?? new Uint8Array();
  return decoder.decode(p.subarray((p[0] & 0x0f) * 4 + 8));
}

interface Seen {
  seq: number | undefined;
  hook: number;
  text: string;
}

/** Subscribes, resolves `bound` at onBound; `seen` collects packets (copied) and overruns. */
function watch(options: Parameters<typeof nflog>[0], onPacket?: (p: NflogPacket) => void) {
  const seen: Array<Seen | Overrun> = [];
  let errored: unknown;
  let boundResolve: () => void = () => {};
  const bound = new Promise<void>((resolve) => {
    boundResolve = resolve;
  });
  const subscription: Subscription = nflog({ ...options, onBound: boundResolve }).subscribe({
    next: (x) => {
      if (x instanceof Overrun) seen.push(x);
      else {
        onPacket?.(x);
        seen.push({ seq: x.seq, hook: x.hook, text: udpText(x) });
      }
    },
    error: (e) => {
      errored = e;
    },
  });
  const until = async (done: () => boolean, ms = 5000) => {
    const end = Date.now() + ms;
    while (!done() && errored === undefined && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (errored !== undefined) throw errored;
  };
  return {
    seen,
    bound,
    subscription,
    until,
    packets: () => seen.filter((s) => !(s instanceof Overrun)) as Seen[],
  };
}

const unavailable = netfilterE2eUnavailable();
if (unavailable !== undefined) console.warn(`skipping the nflog e2e tests: ${unavailable}`);

describe.skipIf(unavailable !== undefined)('nflog() against the kernel', () => {
  it('sees every one of 300 packets once, numbered 0..299 without a gap', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '45000', 'NFLOG', '--nflog-group', '9');
      const stats = new NflogStats();
      const w = watch({ group: 9, netns: ns.name, flushTimeout: 20, stats });
      try {
        await w.bound;
        expect(stats.bound).toBe(true);
        const sent = await sendUdp(ns.name, [{ port: 45000, count: 300, prefix: 'p' }]);
        expect(sent).toEqual({ sent: 300, errors: 0 });
        await w.until(() => w.seen.length >= 300);
        // A little longer, to see that nothing more arrives.
        await new Promise((r) => setTimeout(r, 200));
        expect(w.seen.filter((s) => s instanceof Overrun)).toEqual([]);
        const packets = w.packets();
        expect(packets.map((p) => p.seq)).toEqual(Array.from({ length: 300 }, (_, i) => i));
        expect(packets.map((p) => p.text)).toEqual(Array.from({ length: 300 }, (_, i) => `p${i}`));
        expect(packets.every((p) => p.hook === NF_INET_LOCAL_OUT)).toBe(true);
        expect([stats.packets, stats.lost, stats.gaps, stats.overruns]).toEqual([300, 0, 0, 0]);
      } finally {
        w.subscription.unsubscribe();
      }
    });
  });

  it('under a flood into a tiny receive buffer, received + reported lost == sent', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '45001', 'NFLOG', '--nflog-group', '10');
      const stats = new NflogStats();
      let blocked = false;
      // The first packet blocks the event loop for 300 ms: the flood piles up in a socket
      // buffer of a few KiB, which overflows.
      const w = watch(
        { group: 10, netns: ns.name, flushTimeout: 10, receiveBufferSize: 4096, stats },
        () => {
          if (blocked) return;
          blocked = true;
          const end = Date.now() + 300;
          while (Date.now() < end) {
            // busy: the consumer is slow
          }
        },
      );
      try {
        await w.bound;
        const flood = 4000;
        const sent = await sendUdp(ns.name, [
          { port: 45001, count: flood, prefix: 'f' },
          // A pause, then a marker: loss at the end of the flood shows up as a gap before it.
          { sleep: 0.5 },
          { port: 45001, count: 1, prefix: 'marker' },
        ]);
        expect(sent).toEqual({ sent: flood + 1, errors: 0 });
        await w.until(() => w.packets().some((p) => p.text === 'marker0'));
        const packets = w.packets();
        const overruns = w.seen.filter((s): s is Overrun => s instanceof Overrun);
        const gaps = overruns.filter((o) => o.errno === 0);
        const enobufs = overruns.filter((o) => o.errno === errnos.ENOBUFS);
        const lost = overruns.reduce((sum, o) => sum + o.lost, 0);
        console.log(
          `flood: ${packets.length} received, ${lost} lost in ${gaps.length} gaps, ${enobufs.length} ENOBUFS episodes, ${stats.droppedDatagrams} datagrams dropped`,
        );
        expect(packets.length + lost).toBe(flood + 1);
        expect(lost).toBeGreaterThan(0);
        expect(enobufs.length).toBeGreaterThan(0);
        expect(packets.at(-1)?.seq).toBe(flood);
        // Numbered in order, each once.
        const seqs = packets.map((p) => p.seq ?? -1);
        expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
        expect([stats.packets, stats.lost, stats.overruns]).toEqual([
          packets.length,
          lost,
          enobufs.length,
        ]);
        // A gap whose packets the drop counter has already reported is counted as a gap but
        // brings no second notice: every loss is reported once.
        expect(stats.gaps).toBeGreaterThanOrEqual(gaps.length);
        expect(overruns.map((o) => o.count)).toEqual(overruns.map((_, i) => i + 1));
      } finally {
        w.subscription.unsubscribe();
      }
    });
  });

  it.each([
    { threshold: 1, unit: 'packets', exact: true },
    { threshold: 50, unit: 'datagrams', exact: false },
  ])(
    'reports the tail of a flood (loss after the last packet) once, threshold $threshold',
    async ({ threshold, unit, exact }) => {
      await withNetns(async (ns) => {
        ns.ip('link', 'set', 'lo', 'up');
        await udpOutputRule(ns.name, '45004', 'NFLOG', '--nflog-group', '13');
        const stats = new NflogStats();
        const flood = 3000;
        let flooded: { sent: number; errors: number } | undefined;
        // The first packet floods, synchronously: the stream cannot read until the flood is
        // over, so a socket buffer of a few KiB keeps its first datagrams and the kernel drops
        // the rest, the last packet included. No packet comes after to show them as a gap.
        const w = watch(
          {
            group: 13,
            netns: ns.name,
            threshold,
            flushTimeout: 10,
            receiveBufferSize: 4096,
            stats,
          },
          () => {
            if (flooded !== undefined) return;
            flooded = sendUdpSync(ns.name, [{ port: 45004, count: flood, prefix: 'f' }]);
          },
        );
        try {
          await w.bound;
          expect(await sendUdp(ns.name, [{ port: 45004, count: 1, prefix: 's' }])).toEqual({
            sent: 1,
            errors: 0,
          });
          const sent = 1 + flood;
          const lost = () =>
            w.seen.reduce((sum, s) => sum + (s instanceof Overrun ? s.lost : 0), 0);
          await w.until(
            () =>
              flooded !== undefined &&
              lost() > 0 &&
              (!exact || w.packets().length + lost() >= sent),
          );
          // Longer, to see that nothing more arrives or is reported.
          await new Promise((r) => setTimeout(r, 300));
          expect(flooded).toEqual({ sent: flood, errors: 0 });
          const packets = w.packets();
          const overruns = w.seen.filter((s): s is Overrun => s instanceof Overrun);
          console.log(
            `tail (threshold ${threshold}): ${packets.length} received, last seq ${packets.at(-1)?.seq}, ${lost()} lost in ${overruns.length} notices (${overruns.map((o) => `${o.errno === 0 ? 'idle/gap' : 'ENOBUFS'} ${o.lost} ${o.unit}`).join(', ')}), ${stats.droppedDatagrams} datagrams dropped`,
          );
          // At one packet a datagram the tail is lost: the last packet sent never arrives. With
          // batches, the instance's timer may flush the last partial batch after the flood,
          // once the buffer has room, so only the accounting below is certain.
          if (exact) expect(packets.at(-1)?.seq).toBeLessThan(flood);
          expect(overruns.filter((o) => o.lost > 0).length).toBeGreaterThan(0);
          expect(stats.lost).toBe(lost());
          expect(stats.lostExact).toBe(exact);
          if (exact) {
            // One packet a datagram: the drop counter counts packets, and the sum is exact.
            expect(packets.length + lost()).toBe(sent);
            expect(overruns.every((o) => o.unit === 'packets')).toBe(true);
            expect(stats.droppedDatagrams).toBe(lost());
          } else {
            // Datagrams of up to `threshold` packets: a lower bound, which says so.
            expect(packets.length + lost()).toBeLessThanOrEqual(sent);
            expect(packets.length + stats.droppedDatagrams * threshold).toBeGreaterThanOrEqual(
              sent,
            );
            expect(overruns.some((o) => o.unit === unit)).toBe(true);
          }
        } finally {
          w.subscription.unsubscribe();
        }
      });
    },
  );

  it('with a slow consumer and one packet a datagram, received + reported lost == sent exactly', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '45005', 'NFLOG', '--nflog-group', '14');
      const stats = new NflogStats();
      // 1 ms a packet: the flood outruns the consumer the whole time, drops go on after each
      // ENOBUFS report, and those after the last packet are read from the counter at idle.
      const w = watch(
        { group: 14, netns: ns.name, threshold: 1, receiveBufferSize: 4096, stats },
        () => {
          const end = performance.now() + 1;
          while (performance.now() < end) {
            // busy: the consumer is slow
          }
        },
      );
      try {
        await w.bound;
        const flood = 3000;
        expect(await sendUdp(ns.name, [{ port: 45005, count: flood, prefix: 'f' }])).toEqual({
          sent: flood,
          errors: 0,
        });
        const lost = () => w.seen.reduce((sum, s) => sum + (s instanceof Overrun ? s.lost : 0), 0);
        await w.until(() => w.packets().length + lost() >= flood);
        await new Promise((r) => setTimeout(r, 300));
        const packets = w.packets();
        const overruns = w.seen.filter((s): s is Overrun => s instanceof Overrun);
        console.log(
          `slow consumer: ${packets.length} received, last seq ${packets.at(-1)?.seq}, ${lost()} lost: ${overruns.filter((o) => o.errno !== 0).length} ENOBUFS notices, ${overruns.filter((o) => o.errno === 0).length} gap/idle notices`,
        );
        expect(lost()).toBeGreaterThan(0);
        expect(packets.length + lost()).toBe(flood);
        expect(overruns.every((o) => o.unit === 'packets')).toBe(true);
        expect([stats.lost, stats.lostExact, stats.droppedDatagrams]).toEqual([
          lost(),
          true,
          lost(),
        ]);
      } finally {
        w.subscription.unsubscribe();
      }
    });
  });

  it.each([4096, 65536, 131072])(
    'with bufferSize %i, kernel batches fill ring frames whole: no COPY frame',
    async (bufferSize) => {
      await withNetns(async (ns) => {
        ns.ip('link', 'set', 'lo', 'up');
        await udpOutputRule(ns.name, '45006', 'NFLOG', '--nflog-group', '15');
        const stats = new NflogStats();
        // Packets of ~1 KiB, batched by buffer space only: the kernel's datagrams reach its
        // skb's whole tailroom, about twice the buffer size.
        const w = watch({
          group: 15,
          netns: ns.name,
          bufferSize,
          threshold: 100000,
          flushTimeout: 200,
          receiveBufferSize: 64 << 20,
          stats,
        });
        try {
          await w.bound;
          const count = 2000;
          const prefix = 'b'.repeat(1000);
          expect(await sendUdp(ns.name, [{ port: 45006, count, prefix }])).toEqual({
            sent: count,
            errors: 0,
          });
          await w.until(() => stats.packets >= count);
          const bytes = count * (1000 + 28 + 100);
          console.log(
            `bufferSize ${bufferSize}: ${stats.packets} packets in ${stats.ring.frames} frames (${Math.ceil(bytes / bufferSize)} if datagrams stopped at the buffer size), ${stats.ring.copies} COPY`,
          );
          expect([stats.packets, stats.lost, stats.ring.copies]).toEqual([count, 0, 0]);
        } finally {
          w.subscription.unsubscribe();
        }
      });
    },
  );

  it('nflogBatches: the same packets in batches of a datagram, and the loss of a flood, each counted once', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '45007', 'NFLOG', '--nflog-group', '13');
      const stats = new NflogStats();
      const seqs: number[] = [];
      const texts: string[] = [];
      const sizes: number[] = [];
      const overruns: Overrun[] = [];
      let blocked = false;
      let errored: unknown;
      let onBound: () => void = () => {};
      const bound = new Promise<void>((resolve) => {
        onBound = resolve;
      });
      const subscription = nflogBatches({
        group: 13,
        netns: ns.name,
        threshold: 64,
        flushTimeout: 10,
        receiveBufferSize: 65536,
        stats,
        onBound,
      }).subscribe({
        next: (b) => {
          if (b instanceof Overrun) {
            overruns.push(b);
            return;
          }
          sizes.push(b.length);
          for (let i = 0; i < b.length; i++) {
            seqs.push(b.seq(i) ?? -1);
            texts.push(udpText(b.packet(i)));
            expect(b.payload(i)?.length).toBe(b.packet(i).payload?.length);
            // By offset, no view: the kernel's IPv4 header (version 4) at the payload's start.
            expect(b.bytes[b.payloadOffset(i)] >> 4).toBe(4);
          }
          // The first batch blocks the event loop: the flood overflows the socket buffer.
          if (!blocked) {
            blocked = true;
            const end = Date.now() + 300;
            while (Date.now() < end) {
              // busy: the consumer is slow
            }
          }
        },
        error: (e) => {
          errored = e;
        },
      });
      try {
        await bound;
        const flood = 20000;
        const sent = await sendUdp(ns.name, [
          { port: 45007, count: flood, prefix: 'b' },
          { sleep: 0.5 },
          { port: 45007, count: 1, prefix: 'marker' },
        ]);
        expect(sent).toEqual({ sent: flood + 1, errors: 0 });
        const end = Date.now() + 5000;
        while (!texts.includes('marker0') && errored === undefined && Date.now() < end) {
          await new Promise((r) => setTimeout(r, 20));
        }
        if (errored !== undefined) throw errored;
        const lost = overruns.reduce((sum, o) => sum + o.lost, 0);
        console.log(
          `nflogBatches flood: ${seqs.length} received in ${sizes.length} batches (largest ${Math.max(...sizes)}), ${lost} lost in ${overruns.length} notices`,
        );
        // Several packets a batch, numbered in order, each once; every loss reported once.
        expect(Math.max(...sizes)).toBeGreaterThan(1);
        expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1])).toBe(true);
        expect(seqs.at(-1)).toBe(flood);
        expect(texts.filter((t) => t.startsWith('b')).length + lost).toBe(flood);
        expect(lost).toBeGreaterThan(0);
        expect([stats.packets, stats.lost]).toEqual([seqs.length, lost]);
      } finally {
        subscription.unsubscribe();
      }
    });
  });

  it('unbinds the group on unsubscribe and leaves no fd open', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(ns.name, '45002', 'NFLOG', '--nflog-group', '11');
      const before = openFds();
      const first = watch({ group: 11, netns: ns.name, flushTimeout: 10 });
      await first.bound;
      // While it is bound, a second binding of the group is refused.
      const second = watch({ group: 11, netns: ns.name });
      await expect(second.until(() => false, 2000)).rejects.toMatchObject({
        code: expect.stringMatching(/^(EPERM|EBUSY)$/),
        request: 'NFULNL_CFG_CMD_BIND group 11',
      });
      second.subscription.unsubscribe();
      first.subscription.unsubscribe();
      expect(openFds()).toEqual(before);
      // Unbound: a new binding works and sees traffic.
      const third = watch({ group: 11, netns: ns.name, flushTimeout: 10 });
      try {
        await third.bound;
        await sendUdp(ns.name, [{ port: 45002, count: 3, prefix: 'again' }]);
        await third.until(() => third.seen.length >= 3);
        expect(third.packets().map((p) => [p.seq, p.text])).toEqual([
          [0, 'again0'],
          [1, 'again1'],
          [2, 'again2'],
        ]);
      } finally {
        third.subscription.unsubscribe();
      }
      expect(openFds()).toEqual(before);
    });
  });

  it('the example logger prints one line per packet', async () => {
    await withNetns(async (ns) => {
      ns.ip('link', 'set', 'lo', 'up');
      await udpOutputRule(
        ns.name,
        '45003',
        'NFLOG',
        '--nflog-group',
        '12',
        '--nflog-prefix',
        'out',
      );
      const lines: string[] = [];
      let bound: () => void = () => {};
      const ready = new Promise<void>((r) => {
        bound = r;
      });
      const subscription = nflogLogger({
        group: 12,
        netns: ns.name,
        flushTimeout: 10,
        onBound: () => bound(),
      }).subscribe((l) => lines.push(l));
      try {
        await ready;
        await sendUdp(ns.name, [{ port: 45003, count: 3, prefix: 'log' }]);
        const end = Date.now() + 3000;
        while (lines.length < 3 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
        expect(lines).toHaveLength(3);
        lines.forEach((line, i) => {
          // The datagram: 20 bytes of IPv4 header, 8 of UDP, 4 of payload ('log' + digit).
          expect(line).toMatch(
            new RegExp(
              `^#${i} OUTPUT "out" 127\\.0\\.0\\.1 > 127\\.0\\.0\\.1 udp \\d+ > 45003 len 32$`,
            ),
          );
        });
      } finally {
        subscription.unsubscribe();
      }
    });
  });
});
