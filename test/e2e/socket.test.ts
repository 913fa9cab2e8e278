// The netlink socket and its ring engine against this machine's kernel (Linux >= 4.6, so
// the engine runs), each test in its own network namespace.
import { readdirSync } from 'node:fs';
import { release } from 'node:os';
import { from, lastValueFrom, of, timeout, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  IFLA_IFNAME,
  RTA_DST,
  RTM_GETLINK,
  RTM_GETROUTE,
  RTM_NEWLINK,
  RTM_NEWROUTE,
  RTNLGRP_BRVLAN,
  RTNLGRP_LINK,
} from '../../src/families/rtnetlink/constants.js';
import { AF_NETLINK } from '../../src/io/constants.js';
import { libc } from '../../src/io/libc.js';
import type { NetlinkSocket } from '../../src/io/NetlinkSocket.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { Attributes } from '../../src/netlink/Attributes.js';
import { NLM_F_DUMP, NLM_F_REQUEST, NLMSG_DONE, NLMSG_ERROR } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { walkMessages } from '../../src/netlink/NetlinkMessage.js';
import { NL_MMAP_STATUS_VALID } from '../../src/ring/constants.js';
import type { Frame } from '../../src/ring/Frame.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingStats } from '../../src/ring/RingStats.js';
import { toTxRing } from '../../src/sinks/toTxRing.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { useNetns } from './netns.js';

const AF_INET = 2;

/** One netlink message copied out of a frame, with where it came from. */
interface Seen {
  type: number;
  seq: number;
  bytes: Uint8Array;
  view: DataView;
  frame: { copied: boolean; length: number; group: number; pid: number };
}

/** Every message of every frame, copied, in order. */
function messagesOf(frame: Frame): Seen[] {
  const out: Seen[] = [];
  const info = { copied: frame.copied, length: frame.length, group: frame.group, pid: frame.pid };
  walkMessages(frame.view, frame.start, frame.length, (offset, length) => {
    const bytes = frame.bytes.slice(offset, offset + length);
    const view = new DataView(bytes.buffer);
    out.push({
      type: view.getUint16(4, true),
      seq: view.getUint32(8, true),
      bytes,
      view,
      frame: info,
    });
    return true;
  });
  return out;
}

/** The value of a string attribute of a message with a `header`-byte family header. */
function attribute(message: Seen, header: number, type: number): Attributes | null {
  const a = new Attributes(message.view, 16 + header, message.bytes.byteLength);
  while (a.next()) if (a.type === type) return a;
  return null;
}

/**
 * Reads `socket` through fromRing until `done` says so (or rejects after `ms`), returning
 * everything seen; unsubscribes, which closes the socket.
 */
function readUntil(
  socket: NetlinkSocket,
  done: (seen: Array<Seen | Overrun>) => boolean,
  options: {
    stats?: RingStats | undefined;
    start?: (() => unknown) | undefined;
    ms?: number | undefined;
    senders?: 'kernel' | 'any' | undefined;
    onFrame?: ((frame: Frame) => void) | undefined;
  } = {},
): Promise<Array<Seen | Overrun>> {
  return new Promise((resolve, reject) => {
    const seen: Array<Seen | Overrun> = [];
    let finished = false;
    const finish = (error?: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      // Unsubscribing inside the poll callback is allowed; defer it so the current
      // delivery completes first.
      setImmediate(() => {
        subscription.unsubscribe();
        if (error === undefined) resolve(seen);
        else reject(error);
      });
    };
    const timer = setTimeout(
      () => finish(new Error(`timed out after ${seen.length} items`)),
      options.ms ?? 10_000,
    );
    const subscription = fromRing(() => socket, {
      ...(options.stats === undefined ? {} : { stats: options.stats }),
      ...(options.senders === undefined ? {} : { senders: options.senders }),
    }).subscribe({
      next: (x) => {
        if (finished) return;
        if (x instanceof Overrun) {
          seen.push(x);
        } else {
          options.onFrame?.(x);
          seen.push(...messagesOf(x));
        }
        if (done(seen)) finish();
      },
      error: (e) => finish(e),
    });
    Promise.resolve(options.start?.()).catch((e: unknown) => finish(e));
  });
}

/** A `sockaddr_nl` for port `portid`. */
function addressOf(portid: number): Uint8Array {
  const to = new Uint8Array(new ArrayBuffer(12));
  const view = new DataView(to.buffer);
  view.setUint16(0, AF_NETLINK, true);
  view.setUint32(4, portid, true);
  return to;
}

function dumpRequest(type: number, family: number, header: number, seq: number): Uint8Array {
  return new MessageWriter()
    .begin(type, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(header - 1)
    .end()
    .finish();
}

const sawDone = (seq: number) => (seen: Array<Seen | Overrun>) =>
  seen.some((m) => !(m instanceof Overrun) && m.seq === seq && m.type === NLMSG_DONE);

function messages(seen: Array<Seen | Overrun>): Seen[] {
  return seen.filter((m): m is Seen => !(m instanceof Overrun));
}

function linkNames(seen: Array<Seen | Overrun>): string[] {
  return messages(seen)
    .filter((m) => m.type === RTM_NEWLINK)
    .map((m) => attribute(m, 16, IFLA_IFNAME)?.string() ?? '?');
}

describe('openNetlinkSocket on the real kernel', () => {
  const netns = useNetns();

  it('runs the ring engine, saying the kernel answered ENOPROTOOPT', () => {
    const socket = openNetlinkSocket({ protocol: 'route', netns: netns().name });
    try {
      expect(socket.ringMode).toBe('engine');
      expect(socket.modeReason).toContain('ENOPROTOOPT');
      expect(socket.modeReason).toContain(release());
      expect(socket.portid).toBeGreaterThan(0);
    } finally {
      socket.close();
    }
  });

  it('dumps the links of its namespace, as ip -j link show lists them', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'br-e2e', 'type', 'bridge');
    ns.ip('link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb');
    const socket = openNetlinkSocket({ protocol: 'route', netns: ns.name });
    const seen = await readUntil(socket, sawDone(1), {
      start: () => socket.send(dumpRequest(RTM_GETLINK, 0, 16, 1)),
    });
    const expected = ns.ipJson<Array<{ ifname: string }>>('link', 'show').map((l) => l.ifname);
    expect(linkNames(seen).sort()).toEqual(expected.sort());
    expect(expected).toContain('br-e2e');
    expect(messages(seen).some((m) => m.type === NLMSG_ERROR)).toBe(false);
    expect(socket.closed).toBe(true);
  });

  const routes = 5000;
  it.each([
    {
      name: 'frames of 32 KiB + 24 hold every dump datagram in the ring',
      messageSize: 32768,
      inRing: true,
    },
    {
      name: 'smaller frames get the ~32 KiB datagrams as COPY, still whole',
      messageSize: 4072,
      inRing: false,
    },
  ])('delivers each of 5000 routes exactly once: $name', async ({ messageSize, inRing }) => {
    const ns = netns();
    const commands: string[] = [];
    for (let i = 0; i < routes; i++) {
      commands.push(`route add blackhole 10.1.${i >> 8}.${i & 255}/32`);
    }
    ns.batch(commands);
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: ns.name,
      messageSize,
      ringMemory: 1 << 18,
    });
    const stats = new RingStats();
    const frames: Array<{ copied: boolean; length: number }> = [];
    const seen = await readUntil(socket, sawDone(2), {
      stats,
      onFrame: (f) => frames.push({ copied: f.copied, length: f.length }),
      start: () => socket.send(dumpRequest(RTM_GETROUTE, AF_INET, 12, 2)),
    });
    const destinations = messages(seen)
      .filter((m) => m.type === RTM_NEWROUTE)
      .map((m) => attribute(m, 12, RTA_DST)?.bytes().join('.'))
      .filter((d) => d?.startsWith('10.1.'));
    expect(destinations).toHaveLength(routes);
    expect(new Set(destinations).size).toBe(routes);
    expect(stats.overruns).toBe(0);
    expect(frames.length).toBeGreaterThan(5);
    // The kernel sizes dump datagrams to the socket's largest read (frame + spill), ~32 KiB.
    expect(Math.max(...frames.map((f) => f.length))).toBeGreaterThan(16384);
    // A datagram is COPY exactly when it does not fit its frame.
    const maxlen = socket.rx.maxlen;
    expect(frames.map((f) => f.copied)).toEqual(frames.map((f) => f.length > maxlen));
    if (inRing) {
      expect(stats.copies).toBe(0);
    } else {
      // Only the first datagram (built before any read) and the last ones are small.
      expect(stats.copies).toBeGreaterThanOrEqual(frames.length - 3);
    }
  });

  it('sees a link created in its namespace on a monitor socket (RTNLGRP_LINK)', async () => {
    const ns = netns();
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: ns.name,
      groups: [RTNLGRP_LINK],
      messageSize: 4072,
    });
    let ip: Promise<string> = Promise.resolve('');
    const seen = await readUntil(socket, (s) => linkNames(s).includes('br-mon'), {
      start: () => {
        ip = ns.ipAsync('link', 'add', 'br-mon', 'type', 'bridge');
      },
    });
    await ip;
    const created = messages(seen).find(
      (m) => m.type === RTM_NEWLINK && attribute(m, 16, IFLA_IFNAME)?.string() === 'br-mon',
    );
    // Kernel notifications: group from NETLINK_PKTINFO, credentials all zero.
    expect(created?.frame.group).toBe(RTNLGRP_LINK);
    expect(created?.frame.pid).toBe(0);
  });

  it('joins groups above 32 with NETLINK_ADD_MEMBERSHIP', () => {
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: netns().name,
      groups: [RTNLGRP_LINK, RTNLGRP_BRVLAN],
    });
    try {
      expect(socket.memberships()).toEqual([RTNLGRP_LINK, RTNLGRP_BRVLAN]);
      socket.dropMembership(RTNLGRP_LINK);
      expect(socket.memberships()).toEqual([RTNLGRP_BRVLAN]);
    } finally {
      socket.close();
    }
  });

  it('closes its socket on unsubscribe and leaves no fd behind', async () => {
    const ns = netns();
    const fds = () => readdirSync('/proc/self/fd').sort();
    const before = fds();
    const socket = openNetlinkSocket({ protocol: 'route', netns: ns.name, groups: [1] });
    const fd = String(socket.fd);
    expect(fds()).toEqual([...before, fd].sort());
    await readUntil(socket, sawDone(3), {
      start: () => socket.send(dumpRequest(RTM_GETLINK, 0, 16, 3)),
    });
    expect(socket.closed).toBe(true);
    expect(fds()).toEqual(before);
  });

  it('reports a receive-buffer overrun as an Overrun and goes on', async () => {
    const ns = netns();
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: ns.name,
      groups: [RTNLGRP_LINK],
      receiveBufferSize: 1024,
      messageSize: 4072,
      ringMemory: 16384,
    });
    const flood: string[] = [];
    for (let i = 0; i < 40; i++) flood.push(`link add fl${i} type bridge`);
    let ip: Promise<string> = Promise.resolve('');
    const seen = await readUntil(socket, (s) => linkNames(s).includes('after'), {
      start: () => {
        // Synchronously: nothing reads the socket while the kernel floods it.
        ns.batch(flood);
        setTimeout(() => {
          ip = ns.ipAsync('link', 'add', 'after', 'type', 'bridge');
        }, 50);
      },
    });
    await ip;
    const overruns = seen.filter((x): x is Overrun => x instanceof Overrun);
    expect(overruns.length).toBeGreaterThanOrEqual(1);
    expect(overruns[0].errno).toBe(errnos.ENOBUFS);
    expect(overruns[0].lost).toBeGreaterThan(0);
    // The stream went on: the link made after the overrun arrived behind it.
    const afterIndex = seen.findIndex(
      (x) => !(x instanceof Overrun) && linkNames([x]).includes('after'),
    );
    expect(afterIndex).toBeGreaterThan(seen.indexOf(overruns[0]));
    expect(linkNames(seen).filter((n) => n.startsWith('fl')).length).toBeLessThan(40);
  });

  it('sends the frames of its TX ring with sendmmsg (flush)', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'br-tx', 'type', 'bridge');
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: ns.name,
      tx: { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 },
    });
    const tx = socket.tx;
    if (tx === null) throw new Error('no TX ring');
    const request = dumpRequest(RTM_GETLINK, 0, 16, 4);
    tx.bytes.set(request, tx.dataOffset(0));
    tx.setLength(0, request.byteLength);
    tx.setStatus(0, NL_MMAP_STATUS_VALID);
    let sent = -1;
    const seen = await readUntil(socket, sawDone(4), {
      start: () => {
        sent = socket.flush();
      },
    });
    expect(sent).toBe(request.byteLength);
    expect(linkNames(seen)).toContain('br-tx');
  });

  it('fills nm_pid with the sender port id of a user-space sender (senders: any)', async () => {
    const ns = netns();
    const receiver = openNetlinkSocket({ protocol: 'usersock', netns: ns.name, messageSize: 4072 });
    const sender = openNetlinkSocket({ protocol: 'usersock', netns: ns.name, messageSize: 4072 });
    const message = new MessageWriter().begin(0x20, NLM_F_REQUEST, 5).u32(42).end().finish();
    try {
      const seen = await readUntil(receiver, (s) => messages(s).some((m) => m.seq === 5), {
        senders: 'any',
        start: () => {
          expect(libc().sendto(sender.fd, message, 0, addressOf(receiver.portid))).toBe(
            message.byteLength,
          );
        },
      });
      const got = messages(seen).find((m) => m.seq === 5);
      expect(got?.bytes).toEqual(message);
      expect(got?.frame.pid).toBe(sender.portid);
      expect(got?.frame.group).toBe(0);
    } finally {
      sender.close();
    }
  });

  it('drops a datagram forged by another socket of the namespace and counts it foreign', async () => {
    const ns = netns();
    const receiver = openNetlinkSocket({ protocol: 'route', netns: ns.name });
    const forger = openNetlinkSocket({ protocol: 'route', netns: ns.name });
    // A forged "kernel" reply: an RTM_NEWROUTE with nlmsg_pid 0, then a real request's answer.
    const forged = new MessageWriter().begin(RTM_NEWROUTE, 0, 6, 0).zeros(12).end().finish();
    const stats = new RingStats();
    try {
      const seen = await readUntil(receiver, sawDone(7), {
        stats,
        start: () => {
          expect(libc().sendto(forger.fd, forged, 0, addressOf(receiver.portid))).toBe(
            forged.byteLength,
          );
          receiver.send(dumpRequest(RTM_GETLINK, 0, 16, 7));
        },
      });
      expect(messages(seen).some((m) => m.seq === 6)).toBe(false);
      expect(linkNames(seen)).toContain('lo');
      expect(stats.foreign).toBe(1);
    } finally {
      forger.close();
    }
  });

  it('a second toTxRing on the socket resumes at the engine TX head', async () => {
    const ns = netns();
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: ns.name,
      tx: { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 },
    });
    const receipts: number[][] = [];
    // RTM_GETLINK for ifindex 1 (lo), not a dump: one RTM_NEWLINK answers each.
    const getLo = (seq: number) =>
      new MessageWriter()
        .begin(RTM_GETLINK, NLM_F_REQUEST, seq)
        .u8(0)
        .zeros(3)
        .u32(1)
        .zeros(8)
        .end()
        .finish();
    const answered = (seq: number) => (s: Array<Seen | Overrun>) =>
      messages(s).some((m) => m.seq === seq && m.type === RTM_NEWLINK);
    const seen = await readUntil(socket, answered(14), {
      start: async () => {
        const first = [11, 12, 13].map(getLo);
        for (const r of await lastValueFrom(from(first).pipe(toTxRing(socket), toArray()))) {
          receipts.push([r.frame, r.seq]);
        }
        const second = await lastValueFrom(
          of(getLo(14)).pipe(toTxRing(socket), toArray(), timeout(2000)),
        );
        for (const r of second) receipts.push([r.frame, r.seq]);
      },
    });
    expect(receipts).toEqual([
      [0, 11],
      [1, 12],
      [2, 13],
      [3, 14],
    ]);
    const links = messages(seen).filter((m) => m.type === RTM_NEWLINK);
    expect(links.map((m) => m.seq)).toEqual([11, 12, 13, 14]);
  });

  it('fails with NetlinkError op netns ENOENT for an unknown namespace', () => {
    let error: unknown;
    try {
      openNetlinkSocket({ protocol: 'route', netns: `${netns().name}-missing` });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op: 'netns', errno: errnos.ENOENT, code: 'ENOENT' });
  });
});
