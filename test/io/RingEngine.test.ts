import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { RingEngine } from '../../src/io/RingEngine.js';
import {
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import type { Frame } from '../../src/ring/Frame.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { POLLERR, POLLIN, POLLOUT } from '../../src/ring/RingEndpoint.js';
import { RingReader } from '../../src/ring/RingReader.js';
import { RingStats } from '../../src/ring/RingStats.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { datagram, frameData, openScripted, small } from './openScripted.js';
import { ScriptedLibc } from './ScriptedLibc.js';

const U = NL_MMAP_STATUS_UNUSED;
const V = NL_MMAP_STATUS_VALID;
const C = NL_MMAP_STATUS_COPY;
const S = NL_MMAP_STATUS_SKIP;

function statuses(ring: { frameNr: number; status(i: number): number }): number[] {
  return Array.from({ length: ring.frameNr }, (_, i) => ring.status(i));
}

/** Collects what fromRing emits synchronously for `socket`, then unsubscribes. */
function drainOnce(socket: Parameters<typeof fromRing>[0], stats = new RingStats()) {
  const out: Array<{ copied: boolean; data: Uint8Array } | Overrun> = [];
  const subscription = fromRing(socket, { stats }).subscribe({
    next: (x: Frame | Overrun) => {
      out.push(
        x instanceof Overrun
          ? x
          : { copied: x.copied, data: x.bytes.slice(x.start, x.start + x.length) },
      );
    },
    error: (e) => {
      throw e;
    },
  });
  subscription.unsubscribe();
  return out;
}

describe('RingEngine RX (RING-SPEC §7)', () => {
  it('reads nothing and reports only POLLOUT when the socket answers EAGAIN', () => {
    const { socket, kernel } = openScripted();
    expect(socket.poll()).toBe(POLLOUT);
    expect(statuses(socket.rx)).toEqual([U, U, U, U, U, U, U, U]);
    expect(kernel.recvmmsgCalls).toEqual([8]);
    expect(socket.takeError()).toBe(0);
  });

  it('retries EINTR and then fills the frames', () => {
    const { socket, kernel } = openScripted();
    kernel.recvErrors.push(errnos.EINTR);
    kernel.deliver({ data: datagram(1, 40) }, { data: datagram(2, 64) });
    expect(socket.poll()).toBe(POLLOUT | POLLIN);
    expect(kernel.recvmmsgCalls).toEqual([8, 8]);
    expect(statuses(socket.rx).slice(0, 3)).toEqual([V, V, U]);
    expect(frameData(socket, 0)).toEqual(datagram(1, 40));
    expect(frameData(socket, 1)).toEqual(datagram(2, 64));
    expect(socket.takeError()).toBe(0);
  });

  it('turns ENOBUFS into POLLERR, takeError ENOBUFS once, and sk_drops, and reads on', () => {
    const { socket, kernel } = openScripted();
    kernel.overrunDrops = 3;
    kernel.recvErrors.push(errnos.ENOBUFS);
    kernel.deliver({ data: datagram(1, 32) });
    expect(socket.poll()).toBe(POLLOUT | POLLIN | POLLERR);
    expect(statuses(socket.rx)[0]).toBe(V);
    expect(socket.drops).toBe(3);
    expect(socket.takeError()).toBe(errnos.ENOBUFS);
    expect(socket.takeError()).toBe(0);
    expect(socket.poll() & POLLERR).toBe(0);
  });

  it('reports the overrun to fromRing as an Overrun with the drops, then the data', () => {
    const { socket, kernel } = openScripted();
    kernel.overrunDrops = 5;
    kernel.recvErrors.push(errnos.ENOBUFS);
    kernel.deliver({ data: datagram(9, 48) });
    const stats = new RingStats();
    const out = drainOnce(socket, stats);
    expect(out).toHaveLength(2);
    expect(out[0]).toBeInstanceOf(Overrun);
    expect((out[0] as Overrun).lost).toBe(5);
    expect(out[1]).toEqual({ copied: false, data: datagram(9, 48) });
    expect(stats.overruns).toBe(1);
  });

  it.each([
    { name: 'one batch', batch: 64, limit: Number.POSITIVE_INFINITY, calls: [8], got: 5 },
    { name: 'batches of 3', batch: 3, limit: Number.POSITIVE_INFINITY, calls: [3, 3], got: 5 },
    { name: 'a short read of 2', batch: 64, limit: 2, calls: [8], got: 2 },
  ])(
    'scatters datagrams into consecutive frames in order ($name)',
    ({ batch, limit, calls, got }) => {
      const { socket, kernel } = openScripted({ batch });
      kernel.recvLimit = limit;
      for (let i = 0; i < 5; i++) kernel.deliver({ data: datagram(i, 20 + i * 100) });
      socket.poll();
      // Fewer datagrams than frames offered ends the poll: the socket queue was drained.
      expect(kernel.recvmmsgCalls).toEqual(calls);
      for (let i = 0; i < got; i++) {
        expect(socket.rx.status(i)).toBe(V);
        expect(frameData(socket, i)).toEqual(datagram(i, 20 + i * 100));
      }
      expect(socket.rx.status(got)).toBe(U);
      // The rest arrives with the next polls, in order, behind the frames already filled.
      for (let n = 0; n < 3; n++) socket.poll();
      for (let i = 0; i < 5; i++) expect(frameData(socket, i)).toEqual(datagram(i, 20 + i * 100));
    },
  );

  it('steps over SKIP frames and claims only UNUSED ones, stopping at a VALID one', () => {
    const { socket, kernel } = openScripted();
    socket.rx.skip(0);
    socket.rx.skip(2);
    socket.rx.setStatus(5, V);
    for (let i = 0; i < 6; i++) kernel.deliver({ data: datagram(i, 32) });
    socket.poll();
    expect(statuses(socket.rx)).toEqual([S, V, S, V, V, V, U, U]);
    expect(kernel.queue).toHaveLength(3);
    expect(frameData(socket, 1)).toEqual(datagram(0, 32));
    expect(frameData(socket, 3)).toEqual(datagram(1, 32));
    expect(frameData(socket, 4)).toEqual(datagram(2, 32));
  });

  it('puts a datagram larger than its frame on the side queue as COPY; recv() returns it whole', () => {
    const { socket, kernel } = openScripted();
    const big = datagram(2, 5000);
    kernel.deliver({ data: datagram(1, 100) }, { data: big }, { data: datagram(3, 100) });
    expect(socket.poll() & POLLIN).toBe(POLLIN);
    expect(statuses(socket.rx).slice(0, 3)).toEqual([V, C, V]);
    expect(socket.rx.length(1)).toBe(5000);
    expect(socket.recv()).toEqual(big);
    expect(() => socket.recv()).toThrow(
      expect.objectContaining({ op: 'recv', errno: errnos.EAGAIN }),
    );
  });

  it('delivers VALID, COPY, VALID to fromRing as one ordered stream', () => {
    const { socket, kernel } = openScripted();
    kernel.deliver(
      { data: datagram(1, 100) },
      { data: datagram(2, 3000) },
      { data: datagram(3, 1000) },
    );
    const stats = new RingStats();
    expect(drainOnce(socket, stats)).toEqual([
      { copied: false, data: datagram(1, 100) },
      { copied: true, data: datagram(2, 3000) },
      { copied: false, data: datagram(3, 1000) },
    ]);
    expect(stats.copies).toBe(1);
  });

  it('counts a datagram larger than frame + spill, reports it as ENOBUFS and keeps frame order', () => {
    const { socket, kernel } = openScripted({ spill: 512 });
    kernel.deliver({ data: datagram(1, 1600) }, { data: datagram(2, 64) });
    const stats = new RingStats();
    const out = drainOnce(socket, stats);
    // The lost datagram's frame is an empty VALID frame, released unseen.
    expect(out).toHaveLength(2);
    expect(out[0]).toBeInstanceOf(Overrun);
    expect((out[0] as Overrun).lost).toBe(1);
    expect(out[1]).toEqual({ copied: false, data: datagram(2, 64) });
    expect(stats.empty).toBe(1);
    expect(socket.drops).toBe(1);
  });

  it('keeps a datagram that exactly fills frame + spill', () => {
    const { socket, kernel } = openScripted({ spill: 512 });
    kernel.deliver({ data: datagram(1, 1512) });
    socket.poll();
    expect(socket.rx.status(0)).toBe(C);
    expect(socket.recv()).toEqual(datagram(1, 1512));
    expect(socket.drops).toBe(0);
  });

  it('writes nm_group from NETLINK_PKTINFO, nm_pid from the sender port id, nm_uid/gid from SCM_CREDENTIALS', () => {
    const { socket, kernel } = openScripted();
    kernel.deliver(
      { data: datagram(1, 32), group: 5, portid: 77, pid: 1234, uid: 1000, gid: 100 },
      { data: datagram(2, 32), group: 40, pid: 0, uid: 0, gid: 0 },
      { data: datagram(3, 32) },
    );
    socket.poll();
    const header = (i: number) => [
      socket.rx.group(i),
      socket.rx.pid(i),
      socket.rx.uid(i),
      socket.rx.gid(i),
    ];
    expect(header(0)).toEqual([5, 77, 1000, 100]);
    expect(header(1)).toEqual([40, 0, 0, 0]);
    expect(header(2)).toEqual([0, 0, 0, 0]);
  });

  it('falls back to the lowest bit of nl_groups without NETLINK_PKTINFO', () => {
    const { socket, kernel } = openScripted();
    kernel.options.delete('270:3');
    kernel.deliver({ data: datagram(1, 32), group: 7 }, { data: datagram(2, 32), group: 40 });
    socket.poll();
    // nl_groups is a 32-bit mask: group 40 cannot be expressed and reads as 0.
    expect([socket.rx.group(0), socket.rx.group(1)]).toEqual([7, 0]);
  });

  it('stops reading when the ring is full and resumes once a frame is released', () => {
    const { socket, kernel, libc } = openScripted();
    for (let i = 0; i < 10; i++) kernel.deliver({ data: datagram(i, 32) });
    const wakes: number[] = [];
    socket.watch(
      () => wakes.push(1),
      (e) => {
        throw e;
      },
    );
    const watcher = libc.watcherOf(socket.fd);
    expect(watcher?.active).toBe(true);
    socket.poll();
    expect(statuses(socket.rx)).toEqual([V, V, V, V, V, V, V, V]);
    expect(kernel.queue).toHaveLength(2);
    // Full: the level-triggered handle is stopped, so a readable fd does not spin.
    expect(watcher?.active).toBe(false);
    expect(watcher?.fire()).toBe(false);
    const calls = kernel.recvmmsgCalls.length;
    socket.poll();
    expect(kernel.recvmmsgCalls).toHaveLength(calls);
    socket.rx.release(0);
    socket.rx.release(1);
    socket.poll();
    expect(frameData(socket, 0)).toEqual(datagram(8, 32));
    expect(frameData(socket, 1)).toEqual(datagram(9, 32));
    expect(kernel.queue).toHaveLength(0);
    // Full again (frames 2..7 are still VALID), so still paused; release all and it resumes.
    for (let i = 0; i < 8; i++) socket.rx.release(i);
    socket.poll();
    expect(watcher?.active).toBe(true);
    expect(watcher?.fire()).toBe(true);
    expect(wakes).toHaveLength(1);
  });

  it('treats a ring full of SKIP frames as full', () => {
    const { socket, kernel, libc } = openScripted();
    socket.watch(
      () => {},
      () => {},
    );
    for (let i = 0; i < 8; i++) socket.rx.skip(i);
    kernel.deliver({ data: datagram(1, 32) });
    expect(socket.poll() & POLLIN).toBe(0);
    expect(kernel.recvmmsgCalls).toEqual([]);
    expect(libc.watcherOf(socket.fd)?.active).toBe(false);
    socket.rx.release(3);
    socket.poll();
    expect(socket.rx.status(3)).toBe(V);
  });

  it('wraps around the ring with its private head', () => {
    const { socket, kernel } = openScripted();
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 5; i++) kernel.deliver({ data: datagram(round * 10 + i, 32) });
      const out = drainOnce(socket);
      expect(out.map((x) => (x instanceof Overrun ? -1 : x.data[8]))).toEqual(
        [0, 1, 2, 3, 4].map((i) => round * 10 + i),
      );
    }
  });
});

describe('RingEngine claim order (exact RX order around deferred frames)', () => {
  it('numbers its claims, so a batch that wraps into a released SKIP hole is still read in order', () => {
    const { socket, kernel } = openScripted();
    const ring = socket.rx;
    expect(ring.claims).not.toBeNull();
    // A first lap: 8 datagrams; the reader defers the first (SKIP) and releases the rest.
    for (let i = 1; i <= 8; i++) kernel.deliver({ data: datagram(i, 32) });
    socket.poll();
    ring.skip(0);
    for (let i = 1; i < 8; i++) ring.release(i);
    RingReader.of(ring).cursor = 0;
    RingReader.of(ring).consumed = 8;
    // The engine steps over the SKIP frame: 9, 10, 11 land in frames 1, 2, 3.
    for (let i = 9; i <= 11; i++) kernel.deliver({ data: datagram(i, 32) });
    socket.poll();
    expect(statuses(ring)).toEqual([S, V, V, V, U, U, U, U]);
    // The deferred frame is released behind the engine's head: a hole. The next batch fills
    // 4..7 and wraps into frame 0, which now holds the newest message.
    ring.release(0);
    for (let i = 12; i <= 16; i++) kernel.deliver({ data: datagram(i, 32) });
    socket.poll();
    expect(statuses(ring)).toEqual([V, V, V, V, V, V, V, V]);
    expect(frameData(socket, 0)).toEqual(datagram(16, 32));
    // Read from frame 0, a reader without claim numbers would take 16 first; fromRing reads claim order.
    const out = drainOnce(socket).map((x) => (x instanceof Overrun ? -1 : x.data[8]));
    expect(out).toEqual([9, 10, 11, 12, 13, 14, 15, 16]);
  });
});

describe('RingEngine TX walk (RING-SPEC §5.2)', () => {
  const txGeometry: RingGeometry = { blockSize: 4096, blockNr: 1, frameSize: 512, frameNr: 8 };

  function fillTx(
    socket: { tx: import('../../src/ring/Ring.js').Ring | null },
    index: number,
    data: Uint8Array,
  ) {
    const tx = socket.tx;
    if (tx === null) throw new Error('no TX ring');
    tx.bytes.set(data, tx.dataOffset(index));
    tx.setLength(index, data.byteLength);
    tx.setStatus(index, V);
  }

  it('sends consecutive VALID frames with one sendmmsg, to the kernel, and stops at the first non-VALID', () => {
    const { socket, kernel } = openScripted({ tx: txGeometry });
    fillTx(socket, 0, datagram(1, 40));
    fillTx(socket, 1, datagram(2, 60));
    fillTx(socket, 2, datagram(3, 80));
    fillTx(socket, 4, datagram(5, 20));
    expect(socket.flush()).toBe(180);
    expect(kernel.sent).toEqual([
      { data: datagram(1, 40), to: 0 },
      { data: datagram(2, 60), to: 0 },
      { data: datagram(3, 80), to: 0 },
    ]);
    expect(statuses(socket.tx ?? socket.rx)).toEqual([U, U, U, U, V, U, U, U]);
    // Frame 4 sits behind an UNUSED frame at the head: never seen (§5.2 step 1).
    expect(socket.flush()).toBe(0);
    expect(kernel.sent).toHaveLength(3);
    fillTx(socket, 3, datagram(4, 24));
    expect(socket.flush()).toBe(44);
    expect(kernel.sent.map((d) => d.data.byteLength)).toEqual([40, 60, 80, 24, 20]);
  });

  it('throws EINVAL for nm_len > maxlen, leaving that frame VALID after sending the ones before', () => {
    const { socket, kernel } = openScripted({ tx: txGeometry });
    fillTx(socket, 0, datagram(1, 40));
    fillTx(socket, 1, datagram(2, 40));
    socket.tx?.setLength(1, 489);
    for (let attempt = 0; attempt < 2; attempt++) {
      let error: unknown;
      try {
        socket.flush();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NetlinkError);
      expect(error).toMatchObject({ op: 'tx', errno: errnos.EINVAL });
    }
    expect(kernel.sent).toHaveLength(1);
    expect(statuses(socket.tx ?? socket.rx).slice(0, 2)).toEqual([U, V]);
    // maxlen itself is fine.
    socket.tx?.setLength(1, 488);
    expect(socket.flush()).toBe(488);
    expect(kernel.sent[1].data.subarray(0, 40)).toEqual(datagram(2, 40));
  });

  it.each([
    { name: 'a partial sendmmsg', script: { limit: 2, errors: [] }, bytes: 80, sent: 2 },
    { name: 'EAGAIN', script: { limit: Infinity, errors: [errnos.EAGAIN] }, bytes: 0, sent: 0 },
    {
      name: 'EINTR (retried)',
      script: { limit: Infinity, errors: [errnos.EINTR] },
      bytes: 160,
      sent: 4,
    },
  ])('stops on $name, leaving the rest VALID for the next flush', ({ script, bytes, sent }) => {
    // A batch of exactly the four VALID frames, so that a short batch is not what stops.
    const { socket, kernel } = openScripted({ tx: txGeometry, batch: 4 });
    for (let i = 0; i < 4; i++) fillTx(socket, i, datagram(i, 40));
    kernel.sendLimit = script.limit;
    kernel.sendErrors.push(...script.errors);
    expect(socket.flush()).toBe(bytes);
    expect(kernel.sent).toHaveLength(sent);
    const tx = socket.tx ?? socket.rx;
    for (let i = 0; i < 4; i++) expect(tx.status(i)).toBe(i < sent ? U : V);
    kernel.sendLimit = Number.POSITIVE_INFINITY;
    expect(socket.flush()).toBe(160 - bytes);
    expect(kernel.sent.map((d) => d.data[8])).toEqual([0, 1, 2, 3]);
  });

  it.each([
    { name: 'ENOBUFS keeps the frame VALID', errno: errnos.ENOBUFS, after: V },
    { name: 'ECONNREFUSED releases it, as the kernel does', errno: errnos.ECONNREFUSED, after: U },
  ])('throws on $name', ({ errno, after }) => {
    const { socket, kernel } = openScripted({ tx: txGeometry });
    fillTx(socket, 0, datagram(0, 40));
    fillTx(socket, 1, datagram(1, 40));
    kernel.sendErrors.push(errno);
    expect(() => socket.flush()).toThrow(expect.objectContaining({ op: 'tx', errno }));
    expect(socket.tx?.status(0)).toBe(after);
    expect(socket.tx?.status(1)).toBe(V);
  });

  it('sends more frames than one batch in several sendmmsg calls', () => {
    const { socket, kernel } = openScripted({ tx: txGeometry, batch: 3 });
    for (let i = 0; i < 8; i++) fillTx(socket, i, datagram(i, 16 + i * 4));
    expect(socket.flush()).toBe(8 * 16 + 4 * 28);
    expect(kernel.sent.map((d) => d.data[8])).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // Wrapped: the head is back at 0.
    fillTx(socket, 0, datagram(9, 16));
    expect(socket.flush()).toBe(16);
  });

  it('returns 0 without a TX ring', () => {
    const { socket, kernel } = openScripted();
    expect(socket.flush()).toBe(0);
    expect(kernel.sent).toHaveLength(0);
  });
});

describe('RingEngine memory', () => {
  it('lays out RX then TX in one zeroed buffer and maps one spill area per batch slot', () => {
    const libc = new ScriptedLibc();
    const fd = libc.socket(16, 3, 0);
    const tx: RingGeometry = { blockSize: 4096, blockNr: 1, frameSize: 2048, frameNr: 2 };
    const engine = new RingEngine(libc, fd, small, tx, { batch: 4, spill: 1024 });
    expect(engine.memory.byteLength).toBe(8192 + 4096);
    expect(engine.rx.bytes.byteOffset).toBe(0);
    expect(engine.tx?.bytes.byteOffset).toBe(8192);
    expect(new Uint8Array(engine.memory).every((b) => b === 0)).toBe(true);
    engine.dispose();
    engine.dispose();
    expect(libc.munmaps).toEqual([{ address: expect.any(BigInt), length: 4 * 1024 }]);
  });

  it.each([
    { name: 'batch 0', options: { batch: 0 } },
    { name: 'batch 1.5', options: { batch: 1.5 } },
    { name: 'negative spill', options: { spill: -1 } },
  ])('rejects $name with a TypeError', ({ options }) => {
    const libc = new ScriptedLibc();
    expect(() => new RingEngine(libc, libc.socket(16, 3, 0), small, null, options)).toThrow(
      TypeError,
    );
  });
});
