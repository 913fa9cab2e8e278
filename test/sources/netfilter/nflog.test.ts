import type { Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../../src/errors/errno.js';
import { NetlinkError } from '../../../src/errors/NetlinkError.js';
import {
  AF_INET,
  NF_INET_LOCAL_IN,
  NFGENMSG_LEN,
  NFNL_SUBSYS_ULOG,
  NFULA_CFG_CMD,
  NFULA_CFG_FLAGS,
  NFULA_CFG_MODE,
  NFULA_CFG_NLBUFSIZ,
  NFULA_CFG_QTHRESH,
  NFULA_CFG_TIMEOUT,
  NFULNL_CFG_CMD_BIND,
  NFULNL_CFG_CMD_PF_BIND,
  NFULNL_CFG_CMD_PF_UNBIND,
  NFULNL_CFG_CMD_UNBIND,
  NFULNL_CFG_F_SEQ,
  NFULNL_CFG_F_SEQ_GLOBAL,
  NFULNL_COPY_META,
  NFULNL_COPY_PACKET,
  NFULNL_MSG_CONFIG,
} from '../../../src/families/netfilter/constants.js';
import type { NflogPacket } from '../../../src/families/netfilter/nflogPacket.js';
import { NLM_F_ACK } from '../../../src/netlink/constants.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import { Overrun } from '../../../src/ring/Overrun.js';
import {
  type NflogOptions,
  NflogStats,
  nflog,
  nflogReceiveBuffer,
  nflogRest,
} from '../../../src/sources/netfilter/nflog.js';
import { buildDone } from '../../../src/testing/buildDone.js';
import { writeNflogPacket } from '../../../src/testing/netfilter.js';
import { packDatagram } from '../../../src/testing/packDatagram.js';
import type { SimSocket } from '../../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../../src/testing/SimulatedKernel.js';

interface Config {
  seq: number;
  ack: boolean;
  family: number;
  group: number;
  command?: number | undefined;
  copyMode?: number | undefined;
  copyRange?: number | undefined;
  flags?: number | undefined;
  timeout?: number | undefined;
  qthresh?: number | undefined;
  bufsize?: number | undefined;
}

/** A simulated nfnetlink_log: records configuration, acknowledges it (or refuses one seq). */
function setup(refuse: { seq: number; errno: number } | null = null) {
  const kernel = new SimulatedKernel();
  const socket = kernel.open();
  const config: Config[] = [];
  kernel.onRequest((request, reply) => {
    if (request.type !== ((NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_CONFIG)) return;
    const v = request.view;
    const entry: Config = {
      seq: request.seq,
      ack: (request.flags & NLM_F_ACK) !== 0,
      family: v.getUint8(request.payloadOffset),
      group: v.getUint16(request.payloadOffset + 2, false),
    };
    const a = request.attributes(NFGENMSG_LEN);
    while (a.next()) {
      if (a.type === NFULA_CFG_CMD) entry.command = a.u8();
      else if (a.type === NFULA_CFG_MODE) {
        entry.copyRange = v.getUint32(a.offset, false);
        entry.copyMode = v.getUint8(a.offset + 4);
      } else if (a.type === NFULA_CFG_FLAGS) entry.flags = a.be16();
      else if (a.type === NFULA_CFG_TIMEOUT) entry.timeout = a.be32();
      else if (a.type === NFULA_CFG_QTHRESH) entry.qthresh = a.be32();
      else if (a.type === NFULA_CFG_NLBUFSIZ) entry.bufsize = a.be32();
    }
    config.push(entry);
    if (refuse?.seq === request.seq) reply.error(refuse.errno, { extack: 'no' });
    else if (entry.ack) reply.ack();
  });
  return { kernel, socket, config };
}

/** One NFLOG datagram: the packets with these sequence numbers, and NLMSG_DONE after several. */
function datagram(seqs: number[], group = 7): Uint8Array {
  const w = new MessageWriter();
  for (const seq of seqs) {
    writeNflogPacket(w, {
      group,
      family: AF_INET,
      hwProtocol: 0x0800,
      hook: NF_INET_LOCAL_IN,
      seq,
      prefix: 'x',
      payload: Uint8Array.of(0x45, seq & 0xff),
    });
  }
  const bytes = w.finish();
  return seqs.length < 2 ? bytes : packDatagram([bytes, buildDone(0)]);
}

function run(socket: SimSocket, options: Partial<NflogOptions> = {}) {
  const seen: Array<{ seq?: number | undefined; payload: number[] } | Overrun> = [];
  const stats = new NflogStats();
  let error: unknown;
  let bound = 0;
  const subscription: Subscription = nflog({
    group: 7,
    open: () => socket,
    stats,
    onBound: () => bound++,
    ...options,
  }).subscribe({
    next: (p: NflogPacket | Overrun) =>
      seen.push(p instanceof Overrun ? p : { seq: p.seq, payload: [...(p.payload ?? [])] }),
    error: (e) => {
      error = e;
    },
  });
  return { seen, stats, subscription, error: () => error, bound: () => bound };
}

describe('nflog over the simulated kernel', () => {
  it('binds and configures the group, one acknowledged request per step, and unbinds at the end', () => {
    const { socket, config } = setup();
    const r = run(socket, {
      copyMode: 'meta',
      threshold: 16,
      flushTimeout: 25,
      bufferSize: 65536,
      bindFamilies: [AF_INET],
    });
    expect(r.error()).toBeUndefined();
    expect(config).toEqual([
      { seq: 1, ack: true, family: AF_INET, group: 0, command: NFULNL_CFG_CMD_PF_UNBIND },
      { seq: 2, ack: true, family: AF_INET, group: 0, command: NFULNL_CFG_CMD_PF_BIND },
      { seq: 3, ack: true, family: 0, group: 7, command: NFULNL_CFG_CMD_BIND },
      { seq: 4, ack: true, family: 0, group: 7, copyMode: NFULNL_COPY_META, copyRange: 0 },
      { seq: 5, ack: true, family: 0, group: 7, flags: NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL },
      // 25 ms rounds up to 3 hundredths.
      { seq: 6, ack: true, family: 0, group: 7, qthresh: 16, timeout: 3, bufsize: 65536 },
    ]);
    expect([r.bound(), r.stats.bound]).toEqual([1, true]);
    r.subscription.unsubscribe();
    expect(config.at(-1)).toEqual({
      seq: 0,
      ack: false,
      family: 0,
      group: 7,
      command: NFULNL_CFG_CMD_UNBIND,
    });
    expect([socket.closed, r.stats.bound]).toEqual([true, false]);
  });

  it('by default copies whole packets and numbers them, leaving batching to the kernel', () => {
    const { socket, config } = setup();
    const r = run(socket);
    expect(
      config.slice(1).map((c) => [c.copyMode, c.copyRange, c.flags, c.qthresh, c.timeout]),
    ).toEqual([
      [NFULNL_COPY_PACKET, 0xffff, undefined, undefined, undefined],
      [undefined, undefined, NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL, undefined, undefined],
    ]);
    r.subscription.unsubscribe();
  });

  it('errors with a typed NetlinkError naming the step when the kernel refuses the bind', () => {
    const { socket } = setup({ seq: 1, errno: errnos.EPERM });
    const r = run(socket);
    expect(r.error()).toBeInstanceOf(NetlinkError);
    expect(r.error()).toMatchObject({
      errno: errnos.EPERM,
      request: 'NFULNL_CFG_CMD_BIND group 7',
      extack: 'no',
    });
    expect([r.bound(), socket.closed]).toEqual([0, true]);
  });

  it('emits every packet of a batched datagram in order, not its NLMSG_DONE', () => {
    const { socket } = setup();
    const r = run(socket);
    socket.deliver(datagram([0, 1, 2]), { path: 'ring' });
    socket.deliver(datagram([3]), { path: 'ring' });
    expect(r.seen).toEqual([0, 1, 2, 3].map((seq) => ({ seq, payload: [0x45, seq] })));
    expect([r.stats.packets, r.stats.lost, r.stats.gaps]).toEqual([4, 0, 0]);
    r.subscription.unsubscribe();
  });

  it('reports a sequence gap as an Overrun with errno 0 and lost = the missing numbers, before the packet after it', () => {
    const { socket } = setup();
    const r = run(socket);
    socket.deliver(datagram([0, 1]), { path: 'ring' });
    socket.deliver(datagram([4, 5]), { path: 'ring' });
    socket.deliver(datagram([9]), { path: 'ring' });
    expect(
      r.seen.map((s) =>
        s instanceof Overrun ? `lost ${s.lost} #${s.count} errno ${s.errno}` : s.seq,
      ),
    ).toEqual([0, 1, 'lost 2 #1 errno 0', 4, 5, 'lost 3 #2 errno 0', 9]);
    expect([r.stats.packets, r.stats.lost, r.stats.gaps, r.stats.overruns]).toEqual([5, 5, 2, 0]);
    r.subscription.unsubscribe();
  });

  it('counts a gap from the first packet (a new instance numbers from 0)', () => {
    const { socket } = setup();
    const r = run(socket);
    socket.deliver(datagram([3]), { path: 'ring' });
    expect(r.seen.map((s) => (s instanceof Overrun ? s.lost : `#${s.seq}`))).toEqual([3, '#3']);
    r.subscription.unsubscribe();
  });

  it.each([
    { threshold: undefined, unit: 'datagrams', exact: false },
    { threshold: 1, unit: 'packets', exact: true },
  ])(
    'reports an ENOBUFS episode by the drop counter, its packets once (threshold $threshold: $unit)',
    ({ threshold, unit, exact }) => {
      const { socket } = setup();
      const r = run(socket, { threshold });
      socket.deliver(datagram([0]), { path: 'ring' });
      // The kernel is still building a frame: the reader stalls behind it, the ring fills,
      // and the next two datagrams are dropped.
      const building = socket.reserve();
      for (let seq = 1; seq <= 9; seq++) socket.deliver(datagram([seq]), { path: 'ring' });
      building?.abort();
      socket.deliver(datagram([10]), { path: 'ring' });
      const overruns = r.seen.filter((s): s is Overrun => s instanceof Overrun);
      const packets = r.seen.filter((s) => !(s instanceof Overrun));
      expect(packets).toHaveLength(9);
      // The drop counter told first (one datagram an episode); the gap after adds nothing.
      expect(overruns.map((o) => [o.errno, o.lost, o.unit])).toEqual([
        [errnos.ENOBUFS, 1, unit],
        [errnos.ENOBUFS, 1, unit],
      ]);
      expect(packets.length + overruns.reduce((sum, o) => sum + o.lost, 0)).toBe(11);
      expect([r.stats.droppedDatagrams, r.stats.lost, r.stats.gaps, r.stats.overruns]).toEqual([
        2, 2, 1, 2,
      ]);
      expect(r.stats.lostExact).toBe(exact);
      r.subscription.unsubscribe();
    },
  );

  it('reports loss after the last packet (the tail) from the drop counter while idle', async () => {
    const kernel = new SimulatedKernel();
    const socket = kernel.open({ noEnobufs: true });
    const r = run(socket, { threshold: 1 });
    socket.deliver(datagram([0]), { path: 'ring' });
    const building = socket.reserve();
    for (let seq = 1; seq <= 9; seq++) socket.deliver(datagram([seq]), { path: 'ring' });
    building?.abort();
    const before = r.seen.length;
    await new Promise((resolve) => setTimeout(resolve, 250));
    const overruns = r.seen.slice(before).filter((s): s is Overrun => s instanceof Overrun);
    expect(overruns.map((o) => [o.errno, o.lost, o.unit])).toEqual([[0, 2, 'packets']]);
    expect(r.seen.filter((s) => !(s instanceof Overrun))).toHaveLength(8);
    expect([r.stats.lost, r.stats.lostExact]).toEqual([2, true]);
    r.subscription.unsubscribe();
  });

  it('owns the drop counter: one ENOBUFS episode is one notice, later drops are told once', async () => {
    const kernel = new SimulatedKernel();
    const socket = kernel.open();
    const r = run(socket, { threshold: 1 });
    socket.deliver(datagram([0]), { path: 'ring' });
    const building = socket.reserve();
    // A COPY message queued behind the frame being built keeps the socket congested, so the
    // ring fills in one episode: the first drop raises ENOBUFS, the second only counts.
    socket.deliver(datagram([1]), { path: 'copy' });
    for (let seq = 2; seq <= 9; seq++) socket.deliver(datagram([seq]), { path: 'ring' });
    building?.abort();
    await new Promise((resolve) => setTimeout(resolve, 250));
    const overruns = r.seen.filter((s): s is Overrun => s instanceof Overrun);
    expect(overruns.map((o) => [o.errno, o.lost])).toEqual([
      [errnos.ENOBUFS, 1],
      [0, 1],
    ]);
    expect([r.stats.overruns, r.stats.lost, r.stats.droppedDatagrams]).toEqual([1, 2, 2]);
    expect(r.seen.filter((s) => !(s instanceof Overrun))).toHaveLength(8);
    r.subscription.unsubscribe();
  });

  it('counts drops read at teardown in the stats', () => {
    const kernel = new SimulatedKernel();
    const socket = kernel.open({ noEnobufs: true });
    const r = run(socket, { threshold: 1 });
    const building = socket.reserve();
    for (let seq = 0; seq <= 9; seq++) socket.deliver(datagram([seq]), { path: 'ring' });
    building?.abort();
    r.subscription.unsubscribe();
    expect([r.stats.packets, r.stats.lost, r.stats.droppedDatagrams]).toEqual([7, 3, 3]);
  });

  it('without sequence numbers, counts loss by the drop counter only, never by a gap', () => {
    const { socket, config } = setup();
    const r = run(socket, { sequence: false });
    expect(config[2].flags).toBe(0);
    socket.deliver(datagram([0]), { path: 'ring' });
    socket.deliver(datagram([5]), { path: 'ring' });
    socket.setError(errnos.ENOBUFS);
    expect(r.seen.map((s) => (s instanceof Overrun ? [s.lost, s.errno] : s.seq))).toEqual([
      0,
      5,
      [0, errnos.ENOBUFS],
    ]);
    r.subscription.unsubscribe();
  });

  it.each([
    { name: 'group out of range', options: { group: -1 } },
    { name: 'unknown copy mode', options: { group: 1, copyMode: 'all' } },
    { name: 'negative flush timeout', options: { group: 1, flushTimeout: -5 } },
    { name: 'sequence not a boolean', options: { group: 1, sequence: 'yes' } },
    { name: 'bad family to bind', options: { group: 1, bindFamilies: [300] } },
  ])('throws a TypeError at once for $name', ({ options }) => {
    expect(() => nflog(options as unknown as NflogOptions)).toThrow(TypeError);
  });
});

describe('nflogRest', () => {
  it.each([
    { coalesce: undefined, threshold: undefined, rest: 5 },
    { coalesce: undefined, threshold: 64, rest: 5 },
    { coalesce: undefined, threshold: 255, rest: 5 },
    { coalesce: undefined, threshold: 256, rest: 0 },
    { coalesce: undefined, threshold: 1024, rest: 0 },
    { coalesce: 0, threshold: 64, rest: 0 },
    { coalesce: 2, threshold: 1024, rest: 2 },
  ])('coalesce $coalesce, threshold $threshold: rests $rest ms after a wake-up', (c) => {
    expect(nflogRest(c.coalesce, c.threshold)).toBe(c.rest);
  });
});

describe('nflogReceiveBuffer', () => {
  it.each([
    { size: undefined, rest: 5, buffer: 4 << 20 },
    { size: undefined, rest: 0, buffer: undefined },
    { size: 65536, rest: 5, buffer: 65536 },
    { size: 0, rest: 5, buffer: 0 },
  ])('size $size, rest $rest ms: $buffer', (c) => {
    expect(nflogReceiveBuffer(c.size, c.rest)).toBe(c.buffer);
  });
});
