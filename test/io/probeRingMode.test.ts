// The kernel-ring path cannot run on Linux >= 4.6 (NETLINK_RX_RING answers ENOPROTOOPT
// there), so these tests give the kernel's answers from RING-SPEC §2 and §8 through the
// scripted libc: setsockopt success, an mmap of memory the script owns, and a "kernel" that
// writes frames into it.

import { release } from 'node:os';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { SO_PASSCRED, SOL_SOCKET } from '../../src/io/constants.js';
import { probeRingMode } from '../../src/io/probeRingMode.js';
import { NETLINK_PKTINFO } from '../../src/netlink/constants.js';
import {
  NETLINK_TX_RING,
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
  SOL_NETLINK,
} from '../../src/ring/constants.js';
import type { Frame } from '../../src/ring/Frame.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { Ring } from '../../src/ring/Ring.js';
import { POLLERR, POLLIN, POLLOUT } from '../../src/ring/RingEndpoint.js';
import { RingReader } from '../../src/ring/RingReader.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { datagram, openScripted, small } from './openScripted.js';
import { ScriptedLibc } from './ScriptedLibc.js';

const txGeometry: RingGeometry = { blockSize: 4096, blockNr: 1, frameSize: 512, frameNr: 8 };

function kernelRings() {
  const opened = openScripted({ tx: txGeometry }, (libc) => {
    libc.ringAnswer = 0;
  });
  const mapping = opened.kernel.mapping;
  if (mapping === null) throw new Error('not mapped');
  // The kernel's own view of the same memory.
  const kernelRx = new Ring(mapping.memory, small);
  return { ...opened, mapping, kernelRx };
}

describe('probeRingMode', () => {
  it('answers engine with the kernel release when NETLINK_RX_RING gives ENOPROTOOPT', () => {
    const { socket, kernel } = openScripted();
    expect(socket.ringMode).toBe('engine');
    expect(socket.modeReason).toContain('ENOPROTOOPT');
    expect(socket.modeReason).toContain(release());
    expect(kernel.rxRing).toBeNull();
    expect(kernel.mapping).toBeNull();
  });

  it('answers engine naming CAP_NET_ADMIN when NETLINK_RX_RING gives EPERM', () => {
    const { socket } = openScripted({}, (libc) => {
      libc.ringAnswer = errnos.EPERM;
    });
    expect(socket.ringMode).toBe('engine');
    expect(socket.modeReason).toContain('EPERM');
    expect(socket.modeReason).toContain('CAP_NET_ADMIN');
  });

  it('configures RX and TX, maps rx + tx once at offset 0, and views RX at 0 and TX after it', () => {
    const { socket, kernel, mapping } = kernelRings();
    expect(socket.ringMode).toBe('kernel');
    expect(socket.modeReason).toContain('accepted');
    expect(kernel.rxRing).toEqual(small);
    expect(kernel.txRing).toEqual(txGeometry);
    expect(mapping.memory.byteLength).toBe(8192 + 4096);
    expect(socket.rx.bytes.buffer).toBe(mapping.memory);
    expect(socket.rx.bytes.byteOffset).toBe(0);
    expect(socket.tx?.bytes.buffer).toBe(mapping.memory);
    expect(socket.tx?.bytes.byteOffset).toBe(8192);
    // The engine's options are not needed: the kernel fills the frame headers itself.
    expect(kernel.option(SOL_SOCKET, SO_PASSCRED)).toBeNull();
    expect(kernel.option(SOL_NETLINK, NETLINK_PKTINFO)).toBeNull();
  });

  it('delivers frames the kernel writes (VALID in place, COPY through recv) and releases them', () => {
    const { socket, kernel, kernelRx } = kernelRings();
    const first = datagram(1, 64);
    kernelRx.bytes.set(first, kernelRx.dataOffset(0));
    kernelRx.setHeader(0, 64, 1, 0, 0, 0);
    kernelRx.setStatus(0, NL_MMAP_STATUS_VALID);
    const second = datagram(2, 3000);
    kernel.deliver({ data: second });
    kernelRx.setHeader(1, 3000, 1, 0, 0, 0);
    kernelRx.setStatus(1, NL_MMAP_STATUS_COPY);
    const seen: Array<[boolean, Uint8Array, number]> = [];
    const subscription = fromRing(socket).subscribe((x: Frame | Overrun) => {
      if (!(x instanceof Overrun))
        seen.push([x.copied, x.bytes.slice(x.start, x.start + x.length), x.group]);
    });
    subscription.unsubscribe();
    expect(seen).toEqual([
      [false, first, 1],
      [true, second, 1],
    ]);
    expect([kernelRx.status(0), kernelRx.status(1)]).toEqual([
      NL_MMAP_STATUS_UNUSED,
      NL_MMAP_STATUS_UNUSED,
    ]);
    expect(kernel.queue).toHaveLength(0);
  });

  it('polls the kernel with poll(2) and reads a pending error with SO_ERROR', () => {
    const { socket, kernel } = kernelRings();
    expect(socket.poll()).toBe(POLLOUT);
    kernel.deliver({ data: datagram(1, 32) });
    kernel.skErr = errnos.ENOBUFS;
    expect(socket.poll()).toBe(POLLOUT | POLLIN | POLLERR);
    expect(socket.takeError()).toBe(errnos.ENOBUFS);
    expect(socket.takeError()).toBe(0);
  });

  it('flushes the TX ring with sendto(NULL, 0) and reports its errors', () => {
    const { socket, kernel } = kernelRings();
    kernel.flushAnswer = 123;
    expect(socket.flush()).toBe(123);
    expect(kernel.flushes).toBe(1);
    kernel.sendErrors.push(errnos.EAGAIN);
    expect(socket.flush()).toBe(0);
    kernel.sendErrors.push(errnos.EINVAL);
    expect(() => socket.flush()).toThrow(
      expect.objectContaining({ op: 'tx', errno: errnos.EINVAL }),
    );
  });

  it('stops the poll handle while the consumer holds all the frames it may defer', () => {
    const { socket, libc } = kernelRings();
    socket.watch(
      () => {},
      () => {},
    );
    const watcher = libc.watcherOf(socket.fd);
    RingReader.of(socket.rx).holdLimit = 1;
    RingReader.of(socket.rx).held = 1;
    socket.poll();
    expect(watcher?.active).toBe(false);
    RingReader.of(socket.rx).held = 0;
    socket.poll();
    expect(watcher?.active).toBe(true);
  });

  it('unmaps the rings, then closes the fd, exactly once', () => {
    const { socket, kernel, libc, mapping } = kernelRings();
    socket.close();
    socket.close();
    expect(libc.munmaps).toEqual([{ address: mapping.address, length: 12288 }]);
    expect(libc.mapped(mapping.address)).toBe(false);
    expect(kernel.closes).toBe(1);
  });

  const failures = [
    { name: 'RX setsockopt EINVAL', where: 'rx', errno: errnos.EINVAL, op: 'ring' },
    { name: 'RX setsockopt EBUSY', where: 'rx', errno: errnos.EBUSY, op: 'ring' },
    { name: 'TX setsockopt ENOMEM', where: 'tx', errno: errnos.ENOMEM, op: 'ring' },
    { name: 'mmap ENOMEM', where: 'mmap', errno: errnos.ENOMEM, op: 'mmap' },
  ] as const;

  function script(libc: ScriptedLibc, where: 'rx' | 'tx' | 'mmap', errno: number): void {
    libc.ringAnswer = where === 'rx' ? errno : 0;
    if (where === 'tx') libc.answers.set(`${SOL_NETLINK}:${NETLINK_TX_RING}`, errno);
    if (where === 'mmap') libc.mmapError = errno;
  }

  it.each(failures)('fails on $name and tears the rings down', ({ where, errno, op }) => {
    const libc = new ScriptedLibc();
    script(libc, where, errno);
    const fd = libc.socket(16, 3, 0);
    let error: unknown;
    try {
      probeRingMode(libc, fd, small, txGeometry, 4096, () => {
        throw new Error('the engine is not asked for');
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op, errno });
    expect(libc.socketOf(fd).rxRing).toBeNull();
    expect(libc.socketOf(fd).txRing).toBeNull();
  });

  it.each(failures)('closes the fd when opening fails on $name', ({ where, errno, op }) => {
    const created: ScriptedLibc[] = [];
    expect(() =>
      openScripted({ tx: txGeometry }, (libc) => {
        created.push(libc);
        script(libc, where, errno);
      }),
    ).toThrow(expect.objectContaining({ op, errno }));
    expect([...created[0].sockets.values()].map((s) => s.closes)).toEqual([1]);
  });
});
