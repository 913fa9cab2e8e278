import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RTM_NEWLINK, RTM_NEWROUTE } from '../../src/families/rtnetlink/constants.js';
import { AF_NETLINK } from '../../src/io/constants.js';
import { libc } from '../../src/io/libc.js';
import type { NetlinkSocket } from '../../src/io/NetlinkSocket.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { NLM_F_ACK, NLM_F_MULTI, NLM_F_REQUEST, NLMSG_ERROR } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingStats } from '../../src/ring/RingStats.js';
import { NflogStats, nflog } from '../../src/sources/netfilter/nflog.js';
import { NfqueueStats, nfqueue } from '../../src/sources/netfilter/nfqueue.js';
import { request } from '../../src/sources/request.js';
import { dumpLinks, dumpRoutes } from '../../src/sources/rtnetlink/dumps.js';
import { monitor, type RtnetlinkChange } from '../../src/sources/rtnetlink/monitor.js';
import { nflogPacket, nfqueuePacket } from '../families/netfilter/kernelCaptures.js';
import { type Netns, useNetns } from './netns.js';

// Nobody but the kernel is believed, on every source: another socket of the namespace (root
// here; a container has CAP_NET_ADMIN in its own) sends datagrams that look like the
// kernel's (nlmsg_pid 0, the right seq) straight to the source's port id, or to the
// multicast group it joined. The source must drop them unseen, count them in
// `stats.foreign`, and go on with what the kernel sends.

/** A sockaddr_nl for port `portid` and multicast `groups` (bitmask of groups 1..32). */
function addressOf(portid: number, groups = 0): Uint8Array {
  const to = new Uint8Array(new ArrayBuffer(12));
  const view = new DataView(to.buffer);
  view.setUint16(0, AF_NETLINK, true);
  view.setUint32(4, portid, true);
  view.setUint32(8, groups, true);
  return to;
}

/** Sends `datagram` from `forger` to `portid` (or the groups), checking it left. */
function forge(forger: NetlinkSocket, datagram: Uint8Array, portid: number, groups = 0): void {
  expect(libc().sendto(forger.fd, datagram, 0, addressOf(portid, groups))).toBe(
    datagram.byteLength,
  );
}

/** A kernel-looking RTM_NEWROUTE "default via 6.6.6.6" (seq `seq`, pid 0). */
function forgedRoute(seq: number, flags = 0): Uint8Array {
  return new MessageWriter()
    .begin(RTM_NEWROUTE, flags, seq, 0)
    .u8(2) // AF_INET
    .u8(0) // dst_len 0: default
    .u8(0)
    .u8(0)
    .u8(254) // RT_TABLE_MAIN
    .u8(3) // RTPROT_BOOT
    .u8(0)
    .u8(1) // RTN_UNICAST
    .u32(0)
    .attrBe32(5, 0x06060606) // RTA_GATEWAY 6.6.6.6
    .end()
    .finish();
}

/** A kernel-looking RTM_NEWLINK for "evil0", ifindex 1 (seq `seq`, pid 0). */
function forgedLink(seq: number): Uint8Array {
  return new MessageWriter()
    .begin(RTM_NEWLINK, NLM_F_MULTI, seq, 0)
    .u8(0)
    .u8(0)
    .u16(772)
    .s32(1)
    .u32(0x49)
    .u32(0)
    .attrString(3, 'evil0') // IFLA_IFNAME
    .end()
    .finish();
}

/** A kernel-looking NLMSG_ERROR (EPERM) for `seq`. */
function forgedError(seq: number): Uint8Array {
  return new MessageWriter()
    .begin(NLMSG_ERROR, 0, seq, 0)
    .s32(-1)
    .u32(16)
    .u16(24)
    .u16(NLM_F_REQUEST | NLM_F_ACK)
    .u32(seq)
    .u32(0)
    .end()
    .finish();
}

/** Resolves once `done()` holds, polling every 10 ms (rejects after `ms`). */
async function until(done: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The forger: a socket of the same protocol in the namespace. */
function forgerIn(ns: Netns, protocol: 'route' | 'netfilter'): NetlinkSocket {
  return openNetlinkSocket({ protocol, netns: ns.name });
}

describe('forged senders on a real socket pair in a namespace', () => {
  const netns = useNetns();

  it('monitor: a forged route (unicast and multicast) and a forged error are dropped; real changes go on', async () => {
    const ns = netns();
    ns.batch([
      'link add v0 type veth peer name v1',
      'link set v0 up',
      'addr add 10.7.0.1/24 dev v0',
    ]);
    const forger = forgerIn(ns, 'route');
    const stats = new RingStats();
    let socket: NetlinkSocket | undefined;
    const seen: Array<RtnetlinkChange | Overrun> = [];
    let failure: unknown;
    const subscription = monitor({
      kinds: ['route'],
      family: 'inet',
      netns: ns.name,
      stats,
      open: (asked) => {
        socket = openNetlinkSocket({
          protocol: 'route',
          netns: ns.name,
          groups: [...asked.groups],
        });
        return socket;
      },
    }).subscribe({
      next: (c) => seen.push(c),
      error: (e) => {
        failure = e;
      },
    });
    try {
      const portid = (socket as NetlinkSocket).portid;
      forge(forger, forgedRoute(0), portid);
      // RTNLGRP_IPV4_ROUTE (7): bit 6 of nl_groups.
      forge(forger, forgedRoute(0), 0, 1 << 6);
      forge(forger, forgedError(1), portid);
      await ns.ipAsync('route', 'add', '10.8.0.0/16', 'via', '10.7.0.2');
      const real = () =>
        seen.some(
          (c) => c.kind === 'route' && c.route.dst === '10.8.0.0/16' && c.route.dev === 'v0',
        );
      await until(() => real() || failure !== undefined, 'the real route');
      expect(failure).toBeUndefined();
      expect(seen.some((c) => c.kind === 'route' && c.route.gateway === '6.6.6.6')).toBe(false);
      expect(stats.foreign).toBe(3);
    } finally {
      subscription.unsubscribe();
      forger.close();
    }
  });

  it('request: a forged NLMSG_ERROR with the request seq, queued before the answer, is dropped', async () => {
    const ns = netns();
    const forger = forgerIn(ns, 'route');
    try {
      const ask = new MessageWriter()
        .begin(RTM_NEWLINK + 2, NLM_F_REQUEST | NLM_F_ACK, 9) // RTM_GETLINK of lo
        .u8(0)
        .zeros(3)
        .s32(1)
        .zeros(8)
        .end()
        .finish();
      const replies = await lastValueFrom(
        request(() => {
          const socket = openNetlinkSocket({ protocol: 'route', netns: ns.name });
          forge(forger, forgedError(9), socket.portid);
          forge(forger, forgedLink(9), socket.portid);
          return socket;
        }, ask).pipe(toArray()),
      );
      // The kernel's answer (RTM_NEWLINK of lo), then its ack: nothing of the forger's.
      expect(replies.map((m) => m.type)).toEqual([RTM_NEWLINK]);
      expect(new TextDecoder().decode(replies[0].payload)).toContain('lo');
      expect(new TextDecoder().decode(replies[0].payload)).not.toContain('evil0');
    } finally {
      forger.close();
    }
  });

  it.each([
    { name: 'dumpLinks', dump: dumpLinks as (o: object) => Observable<unknown> },
    { name: 'dumpRoutes', dump: dumpRoutes as (o: object) => Observable<unknown> },
  ])(
    '$name: forged replies with every seq it uses (names and data) are dropped',
    async ({ dump }) => {
      const ns = netns();
      ns.batch([
        'link add v0 type veth peer name v1',
        'link set v0 up',
        'addr add 10.7.0.1/24 dev v0',
      ]);
      const forger = forgerIn(ns, 'route');
      const stats = new RingStats();
      try {
        const values = await lastValueFrom(
          dump({
            stats,
            open: () => {
              const socket = openNetlinkSocket({ protocol: 'route', netns: ns.name });
              for (const seq of [1, 2]) {
                forge(forger, forgedLink(seq), socket.portid);
                forge(forger, forgedRoute(seq, NLM_F_MULTI), socket.portid);
              }
              return socket;
            },
          }).pipe(toArray()),
        );
        const text = JSON.stringify(values);
        expect(text).not.toContain('evil0');
        expect(text).not.toContain('6.6.6.6');
        expect(text).toContain('v0');
        expect(stats.foreign).toBe(4);
      } finally {
        forger.close();
      }
    },
  );

  it.each([
    {
      name: 'nflog',
      run: (ns: Netns, open: () => NetlinkSocket, onBound: () => void) => {
        const stats = new NflogStats();
        return {
          stats: stats.ring,
          source: nflog({ group: 41, netns: ns.name, open, onBound, stats }),
        };
      },
      forged: nflogPacket,
    },
    {
      name: 'nfqueue',
      run: (ns: Netns, open: () => NetlinkSocket, onBound: () => void) => {
        const stats = new NfqueueStats();
        return {
          stats: stats.ring,
          source: nfqueue({ queue: 41, netns: ns.name, open, onBound, stats }),
        };
      },
      forged: nfqueuePacket,
    },
  ])(
    '$name: a forged packet and a forged error are dropped and counted',
    async ({ run, forged }) => {
      const ns = netns();
      const forger = forgerIn(ns, 'netfilter');
      let socket: NetlinkSocket | undefined;
      let bound = false;
      const seen: unknown[] = [];
      let failure: unknown;
      const { stats, source } = run(
        ns,
        () => {
          // A TX ring for NFQUEUE's verdicts.
          socket = openNetlinkSocket({
            protocol: 'netfilter',
            netns: ns.name,
            tx: { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 },
          });
          return socket;
        },
        () => {
          bound = true;
        },
      );
      const subscription = (source as Observable<unknown>).subscribe({
        next: (p) => seen.push(p instanceof Overrun ? `lost ${p.lost}` : p),
        error: (e) => {
          failure = e;
        },
      });
      try {
        await until(() => bound || failure !== undefined, 'the binding');
        expect(failure).toBeUndefined();
        const portid = (socket as NetlinkSocket).portid;
        forge(forger, forged, portid);
        forge(forger, forgedError(1), portid);
        await until(() => stats.foreign >= 2 || failure !== undefined, 'the forged datagrams');
        // Give a wrongly delivered packet the time to arrive.
        await new Promise((r) => setTimeout(r, 50));
        expect(failure).toBeUndefined();
        expect(seen).toEqual([]);
        expect(stats.foreign).toBe(2);
      } finally {
        subscription.unsubscribe();
        forger.close();
      }
    },
  );
});
