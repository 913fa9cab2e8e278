import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { RingGeometryError } from '../../src/errors/RingGeometryError.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_CAP_ACK,
  NETLINK_DROP_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_NO_ENOBUFS,
  NETLINK_PKTINFO,
} from '../../src/netlink/constants.js';
import {
  NETLINK_RX_RING,
  NETLINK_TX_RING,
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import type { SimSocket } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message } from './helpers.js';

const rxReq: RingGeometry = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };
const txReq: RingGeometry = { blockSize: 8192, blockNr: 1, frameSize: 2048, frameNr: 4 };
const teardown: RingGeometry = { blockSize: 0, blockNr: 0, frameSize: 0, frameNr: 0 };

function ruleOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof RingGeometryError) return `${error.rule}/${error.code}`;
    throw error;
  }
  return 'ok';
}

function errnoOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof NetlinkError) return `${error.op}/${error.code}`;
    throw error;
  }
  return 'ok';
}

describe('SimSocket setsockopt (RING-SPEC §2.1)', () => {
  it('configures a ring that is live before it is mapped, zeroed, head 0', () => {
    const s = new SimulatedKernel().socket();
    expect(s.head('rx')).toBe(-1);
    s.setsockopt(NETLINK_RX_RING, rxReq);
    expect(s.head('rx')).toBe(0);
    expect(errnoOf(() => s.rx)).toBe('mmap/EFAULT');
    // A configured, unmapped ring still takes messages (§2.1 "live as soon as configured").
    expect(s.deliver(message(64, 1))).toBe('valid');
    expect(s.head('rx')).toBe(1);
    s.mmap(8192);
    expect(s.rx.status(0)).toBe(NL_MMAP_STATUS_VALID);
    expect(s.rx.length(0)).toBe(64);
    expect(s.rx.census()).toEqual([7, 0, 1, 0, 0]);
  });

  it('is EBUSY for every ring request once mapped, even an identical one or a teardown', () => {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_RX_RING, rxReq);
    s.mmap(8192);
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, rxReq))).toBe('mapped/EBUSY');
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, teardown))).toBe('mapped/EBUSY');
    expect(ruleOf(() => s.setsockopt(NETLINK_TX_RING, txReq))).toBe('mapped/EBUSY');
    expect(ruleOf(() => s.setsockopt(NETLINK_TX_RING, { ...txReq, frameNr: 1 }))).toBe(
      'mapped/EBUSY',
    );
    // A second mapping keeps it busy until both are gone.
    s.mmap(8192);
    s.munmap();
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, teardown))).toBe('mapped/EBUSY');
    s.munmap();
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, teardown))).toBe('ok');
  });

  it('is EBUSY while frames of that ring are pending, and only for that ring', () => {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_RX_RING, rxReq);
    const r = s.reserve();
    expect(s.pending).toBe(1);
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, teardown))).toBe('pending/EBUSY');
    expect(ruleOf(() => s.setsockopt(NETLINK_TX_RING, txReq))).toBe('ok');
    r?.commit(message(32, 1));
    expect(s.pending).toBe(0);
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, teardown))).toBe('ok');
  });

  it('has no resize: EBUSY while the ring exists; tear down, then create anew', () => {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_RX_RING, rxReq);
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, { ...rxReq, blockNr: 1, frameNr: 4 }))).toBe(
      'exists/EBUSY',
    );
    s.deliver(message(64, 1));
    s.setsockopt(NETLINK_RX_RING, teardown);
    expect(s.head('rx')).toBe(-1);
    s.setsockopt(NETLINK_RX_RING, { ...rxReq, blockNr: 1, frameNr: 4 });
    s.mmap(4096);
    // New blocks: zeroed, every frame UNUSED with zero headers.
    expect(s.rx.frameNr).toBe(4);
    expect(s.rx.census()).toEqual([4, 0, 0, 0, 0]);
    expect(s.rx.length(0)).toBe(0);
  });

  it.each([
    {
      name: 'unprivileged',
      options: { privileged: false },
      req: rxReq,
      optlen: 16,
      rule: 'capability/EPERM',
    },
    { name: 'short optlen', options: {}, req: rxReq, optlen: 12, rule: 'optlen/EINVAL' },
    { name: 'longer optlen', options: {}, req: rxReq, optlen: 32, rule: 'ok' },
    {
      name: 'bad block size',
      options: {},
      req: { ...rxReq, blockSize: 5000 },
      optlen: 16,
      rule: 'blockSizePageMultiple/EINVAL',
    },
    {
      name: 'bad frame count',
      options: {},
      req: { ...rxReq, frameNr: 9 },
      optlen: 16,
      rule: 'frameNr/EINVAL',
    },
    {
      name: 'memory limit',
      options: { memoryLimit: 4096 },
      req: rxReq,
      optlen: 16,
      rule: 'memory/ENOMEM',
    },
    {
      name: 'teardown with frames',
      options: {},
      req: { ...teardown, frameNr: 8 },
      optlen: 16,
      rule: 'teardownFrameNr/EINVAL',
    },
    { name: 'teardown of no ring', options: {}, req: teardown, optlen: 16, rule: 'ok' },
    {
      name: '16 KiB pages',
      options: { pageSize: 16384 },
      req: rxReq,
      optlen: 16,
      rule: 'blockSizePageMultiple/EINVAL',
    },
  ])('applies the §2.1 rules: $name', ({ options, req, optlen, rule }) => {
    const s = new SimulatedKernel().socket(options);
    expect(ruleOf(() => s.setsockopt(NETLINK_RX_RING, req, optlen))).toBe(rule);
  });

  it('counts the other ring against the memory limit', () => {
    const s = new SimulatedKernel().socket({ memoryLimit: 12288 });
    s.setsockopt(NETLINK_RX_RING, rxReq);
    expect(ruleOf(() => s.setsockopt(NETLINK_TX_RING, txReq))).toBe('memory/ENOMEM');
    expect(
      ruleOf(() => s.setsockopt(NETLINK_TX_RING, { ...txReq, blockSize: 4096, frameNr: 2 })),
    ).toBe('ok');
  });

  it('purges the receive queue on an RX ring change (§2.1.9), not on a TX one', () => {
    const s = new SimulatedKernel().socket();
    // No ring yet: an ordinary socket queue.
    s.deliver(message(32, 1));
    expect(s.queued).toBe(1);
    s.setsockopt(NETLINK_RX_RING, rxReq);
    expect(s.queued).toBe(0);
    expect(s.deliver(message(2000, 2))).toBe('copy');
    expect(s.queued).toBe(1);
    s.setsockopt(NETLINK_TX_RING, txReq);
    expect(s.queued).toBe(1);
    // Tearing down purges too; so does tearing down a ring that does not exist.
    s.setsockopt(NETLINK_RX_RING, teardown);
    expect(s.queued).toBe(0);
    s.deliver(message(32, 3));
    s.setsockopt(NETLINK_RX_RING, teardown);
    expect(s.queued).toBe(0);
    expect(errnoOf(() => s.recv())).toBe('recv/EAGAIN');
  });

  it('handles the integer options it simulates and refuses the others', () => {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_ADD_MEMBERSHIP, 3);
    s.setsockopt(NETLINK_ADD_MEMBERSHIP, 1);
    expect(s.groups).toEqual([1, 3]);
    s.setsockopt(NETLINK_DROP_MEMBERSHIP, 3);
    expect(s.groups).toEqual([1]);
    s.setsockopt(NETLINK_EXT_ACK, 0);
    s.setsockopt(NETLINK_CAP_ACK, 1);
    expect([s.extAck, s.capAck]).toEqual([false, true]);
    expect(errnoOf(() => s.setsockopt(NETLINK_ADD_MEMBERSHIP, 0))).toBe('setsockopt/EINVAL');
    expect(errnoOf(() => s.setsockopt(NETLINK_NO_ENOBUFS, 1, 2))).toBe('setsockopt/EINVAL');
    expect(errnoOf(() => s.setsockopt(NETLINK_PKTINFO, 1))).toBe('setsockopt/ENOPROTOOPT');
    expect(() => s.setsockopt(NETLINK_RX_RING, 1)).toThrow(TypeError);
  });
});

describe('SimSocket mmap (RING-SPEC §2.2)', () => {
  function configured(tx = true): SimSocket {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_RX_RING, rxReq);
    if (tx) s.setsockopt(NETLINK_TX_RING, txReq);
    return s;
  }

  it.each([
    { name: 'the exact size', length: 16384, offset: 0, result: 'ok' },
    { name: 'one byte more than a page short', length: 16384 - 4095, offset: 0, result: 'ok' },
    { name: 'a whole page short', length: 16384 - 4096, offset: 0, result: 'mmap/EINVAL' },
    { name: 'one byte too many', length: 16385, offset: 0, result: 'mmap/EINVAL' },
    { name: 'only the RX ring', length: 8192, offset: 0, result: 'mmap/EINVAL' },
    { name: 'the TX ring at its offset', length: 8192, offset: 8192, result: 'mmap/EINVAL' },
    { name: 'length 0', length: 0, offset: 0, result: 'mmap/EINVAL' },
  ])('$name → $result', ({ length, offset, result }) => {
    const s = configured();
    expect(errnoOf(() => s.mmap(length, offset))).toBe(result);
    expect(s.mapped).toBe(result === 'ok' ? 1 : 0);
  });

  it('is EINVAL without rings', () => {
    expect(errnoOf(() => new SimulatedKernel().socket().mmap(4096))).toBe('mmap/EINVAL');
  });

  it('lays out RX blocks then TX blocks; every mapping shows the same memory', () => {
    const s = configured();
    const a = s.mmap(16384);
    const b = s.mmap(16384);
    expect(b).toBe(a);
    expect(s.mapped).toBe(2);
    const rx = s.rx;
    const tx = s.tx;
    expect(tx).not.toBeNull();
    expect(rx.bytes.buffer).toBe(a);
    expect(rx.bytes.byteOffset).toBe(0);
    expect(tx?.bytes.byteOffset).toBe(8192);
    s.deliver(message(40, 9));
    const words = new Uint32Array(a);
    expect(words[0]).toBe(NL_MMAP_STATUS_VALID);
    expect(words[1]).toBe(40);
    tx?.setStatus(1, NL_MMAP_STATUS_COPY);
    expect(words[(8192 + 2048) / 4]).toBe(NL_MMAP_STATUS_COPY);
  });

  it('maps a TX-less socket with the RX ring at offset 0 and tx null', () => {
    const s = configured(false);
    s.mmap(8192);
    expect(s.tx).toBeNull();
    expect(s.rx.bytes.byteOffset).toBe(0);
  });

  it('keeps the tail gap of a frame size that does not divide the block', () => {
    const s = new SimulatedKernel().socket();
    s.setsockopt(NETLINK_RX_RING, { blockSize: 8192, blockNr: 2, frameSize: 3000, frameNr: 4 });
    const memory = s.mmap(16384);
    s.deliver(message(32, 1));
    s.deliver(message(32, 2));
    s.deliver(message(32, 3));
    const words = new Uint32Array(memory);
    expect(words[8192 / 4]).toBe(NL_MMAP_STATUS_VALID); // frame 2 starts the second block
    expect(words[6000 / 4]).toBe(0); // the tail of block 0 is never used
    expect(s.rx.offsets[2]).toBe(8192);
  });

  it('munmap below zero is EINVAL', () => {
    const s = configured();
    s.mmap(16384);
    s.munmap();
    expect(errnoOf(() => s.munmap())).toBe('mmap/EINVAL');
  });

  it('re-lays out the rings after they changed while unmapped, keeping RX contents', () => {
    const s = configured();
    s.mmap(16384);
    s.deliver(message(48, 5));
    s.munmap();
    s.setsockopt(NETLINK_TX_RING, teardown);
    const memory = s.mmap(8192);
    expect(memory.byteLength).toBe(8192);
    expect(s.tx).toBeNull();
    expect(s.rx.status(0)).toBe(NL_MMAP_STATUS_VALID);
    expect(s.rx.length(0)).toBe(48);
  });
});

describe('SimulatedKernel sockets', () => {
  it('opens a socket with rings configured and mapped', () => {
    const kernel = new SimulatedKernel();
    const s = kernel.open({ rx: rxReq, tx: txReq });
    expect(s.mode).toBe('simulated');
    expect(s.mapped).toBe(1);
    expect(s.rx.frameNr).toBe(8);
    expect(s.tx?.frameNr).toBe(4);
    expect(kernel.lookup(s.portid)).toBe(s);
    const d = kernel.open();
    expect(d.rx.geometry).toEqual({ blockSize: 4096, blockNr: 4, frameSize: 2048, frameNr: 8 });
    expect(d.portid).not.toBe(s.portid);
  });

  it('leaves no socket behind when open() fails', () => {
    const kernel = new SimulatedKernel();
    expect(() => kernel.open({ rx: { ...rxReq, frameNr: 3 } })).toThrow(RingGeometryError);
    expect(kernel.sockets).toEqual([]);
  });

  it('binds port ids uniquely', () => {
    const kernel = new SimulatedKernel();
    const a = kernel.socket({ portid: 4242 });
    expect(errnoOf(() => kernel.socket({ portid: 4242 }))).toBe('bind/EADDRINUSE');
    a.close();
    expect(kernel.socket({ portid: 4242 }).portid).toBe(4242);
    expect(() => kernel.socket({ portid: 0 })).toThrow(TypeError);
  });

  it('rejects a page size that is not a power of two', () => {
    expect(() => new SimulatedKernel({ pageSize: 5000 })).toThrow(TypeError);
  });

  it('closes idempotently; afterwards every method is EBADF', () => {
    const kernel = new SimulatedKernel();
    const s = kernel.open({ rx: rxReq, tx: txReq });
    s.close();
    s.close();
    expect(s.closed).toBe(true);
    expect(kernel.lookup(s.portid)).toBeUndefined();
    const calls: [string, () => unknown][] = [
      ['poll', () => s.poll()],
      ['recv', () => s.recv()],
      ['takeError', () => s.takeError()],
      ['flush', () => s.flush()],
      ['send', () => s.send(message(16, 1))],
      [
        'watch',
        () =>
          s.watch(
            () => {},
            () => {},
          ),
      ],
      ['setsockopt', () => s.setsockopt(NETLINK_RX_RING, teardown)],
      ['mmap', () => s.mmap(16384)],
      ['deliver', () => s.deliver(message(16, 1))],
      ['reserve', () => s.reserve()],
      ['abort', () => s.abort()],
      ['dump', () => s.dump([])],
      ['setError', () => s.setError(errnos.EIO)],
    ];
    for (const [name, call] of calls) expect(errnoOf(call), name).toMatch(/\/EBADF$/);
  });
});
