import { release } from 'node:os';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import {
  NETLINK_RX_RING,
  NETLINK_TX_RING,
  NL_MMAP_REQ_SIZE,
  SOL_NETLINK,
} from '../ring/constants.js';
import type { RingGeometry } from '../ring/geometry.js';
import { ringSize } from '../ring/geometry.js';
import { Ring } from '../ring/Ring.js';
import { MAP_SHARED, PROT_READ, PROT_WRITE } from './constants.js';
import type { Libc } from './libc.js';
import { KernelRings, type RingProducer } from './RingProducer.js';

/**
 * Asks the kernel for memory-mapped rings on `fd` and maps them, or has `engine` make the
 * ring engine with the reason it must run instead (RING-SPEC §8); either way the answer is
 * the socket's one {@link RingProducer}:
 *
 * - `setsockopt(SOL_NETLINK, NETLINK_RX_RING, req)` answering ENOPROTOOPT: the kernel has no
 *   mmap netlink (Linux >= 4.6, or built without CONFIG_NETLINK_MMAP) → `engine(reason)`.
 * - EPERM: rings need CAP_NET_ADMIN in the initial user namespace → `engine(reason)`.
 * - success: the TX ring too (when `tx` is given), then one `mmap` of rx + tx at offset 0,
 *   RX first, and {@link Ring} views over it at 0 and at the RX size → {@link KernelRings}.
 *
 * Any other answer (EINVAL, EBUSY, ENOMEM), or a failing TX setsockopt or mmap, throws a
 * NetlinkError (op `ring` or `mmap`) after tearing down what was configured. Geometries must
 * have passed `validateRingRequest` already.
 *
 * The kernel path cannot run on Linux >= 4.6 (this project's machines answer ENOPROTOOPT):
 * its tests script the kernel's answers from RING-SPEC through an injected {@link Libc}.
 *
 * @example
 * const rxGeometry = chooseGeometry({ messageSize: 4096, memory: 1 << 16 });
 * const makeEngine = (_reason: string) => new RingEngine(libc(), fd, rxGeometry, null);
 * const producer = probeRingMode(libc(), fd, rxGeometry, null, 4096, (reason) => makeEngine(reason));
 * console.log(producer.mode, producer.reason);
 */
export function probeRingMode(
  libc: Libc,
  fd: number,
  rx: RingGeometry,
  tx: RingGeometry | null,
  pageSize: number,
  engine: (reason: string) => RingProducer,
): RingProducer {
  const answer = libc.setsockopt(fd, SOL_NETLINK, NETLINK_RX_RING, request(rx));
  if (answer === -errnos.ENOPROTOOPT) {
    return engine(
      `setsockopt(NETLINK_RX_RING) answered ENOPROTOOPT: Linux ${release()} has no ` +
        'memory-mapped netlink (removed in 4.6, or built without CONFIG_NETLINK_MMAP), so ' +
        'the ring engine fills the rings with recvmmsg/sendmmsg',
    );
  }
  if (answer === -errnos.EPERM) {
    return engine(
      'setsockopt(NETLINK_RX_RING) answered EPERM: kernel rings need CAP_NET_ADMIN in the ' +
        'initial user namespace, so the ring engine fills the rings with recvmmsg/sendmmsg',
    );
  }
  if (answer < 0) {
    throw new NetlinkError({ op: 'ring', errno: -answer, detail: 'setsockopt(NETLINK_RX_RING)' });
  }
  const rxSize = ringSize(rx);
  const txSize = tx === null ? 0 : ringSize(tx);
  try {
    if (tx !== null) {
      const r = libc.setsockopt(fd, SOL_NETLINK, NETLINK_TX_RING, request(tx));
      if (r < 0) {
        throw new NetlinkError({ op: 'ring', errno: -r, detail: 'setsockopt(NETLINK_TX_RING)' });
      }
    }
    const length = rxSize + txSize;
    const address = libc.mmap(length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (address < 0n) {
      throw new NetlinkError({
        op: 'mmap',
        errno: Number(-address),
        detail: `mapping ${length} bytes of rings`,
      });
    }
    try {
      const memory = libc.view(address, length);
      return new KernelRings(
        libc,
        fd,
        `the kernel's memory-mapped rings (NETLINK_RX_RING accepted by Linux ${release()})`,
        address,
        length,
        // The kernel writes this memory while we read it: status words through Atomics.
        new Ring(memory, rx, { pageSize, concurrent: true }),
        tx === null
          ? null
          : new Ring(memory, tx, { byteOffset: rxSize, pageSize, concurrent: true }),
      );
    } catch (error) {
      libc.munmap(address, length);
      throw error;
    }
  } catch (error) {
    // Tear the rings down (nm_block_nr = 0, nm_frame_nr = 0; RING-SPEC §2.1 step 7).
    const none = new Uint8Array(new ArrayBuffer(NL_MMAP_REQ_SIZE));
    libc.setsockopt(fd, SOL_NETLINK, NETLINK_RX_RING, none);
    if (tx !== null) libc.setsockopt(fd, SOL_NETLINK, NETLINK_TX_RING, none);
    throw error;
  }
}

/** `struct nl_mmap_req`: four u32s in host order (little-endian on the supported targets). */
function request(geometry: RingGeometry): Uint8Array {
  const bytes = new Uint8Array(new ArrayBuffer(NL_MMAP_REQ_SIZE));
  const view = new DataView(bytes.buffer);
  view.setUint32(0, geometry.blockSize, true);
  view.setUint32(4, geometry.blockNr, true);
  view.setUint32(8, geometry.frameSize, true);
  view.setUint32(12, geometry.frameNr, true);
  return bytes;
}
