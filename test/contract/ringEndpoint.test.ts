// The RingEndpoint contract against every producer (see describeRingEndpoint.ts).
import { errnos } from '../../src/errors/errno.js';
import { RTM_GETLINK } from '../../src/families/rtnetlink/constants.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import {
  NL_MMAP_STATUS_COPY,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import { ringSize } from '../../src/ring/geometry.js';
import { Ring } from '../../src/ring/Ring.js';
import { buildAck } from '../../src/testing/buildAck.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { useNetns } from '../e2e/netns.js';
import { ScriptedLibc } from '../io/ScriptedLibc.js';
import { ackRequest, describeRingEndpoint, type Harness, RX, TX } from './describeRingEndpoint.js';

/** A kernel datagram of 1500 bytes (more than a frame holds) with `seq`. */
function large(seq: number): Uint8Array {
  return new MessageWriter().begin(0x10, 0, seq, 0).zeros(1484).end().finish();
}

/** The kernel's reply to `seq`: an ACK (small) or a 1500-byte message (large). */
function reply(seq: number, size: 'small' | 'large'): Uint8Array {
  return size === 'small' ? buildAck(ackRequest(seq)) : large(seq);
}

describeRingEndpoint('simulated kernel', (): Harness => {
  const kernel = new SimulatedKernel();
  kernel.onRequest((_request, r) => r.ack());
  const socket = kernel.open({ rx: RX, tx: TX });
  return {
    endpoint: socket,
    provoke: (seq, size) => socket.deliver(reply(seq, size), { path: 'ring' }),
    overrun: () => {
      for (let i = 0; i < RX.frameNr + 2; i++) socket.deliver(reply(500 + i, 'small'));
    },
    dispose: () => {},
  };
});

/** A scripted libc whose kernel acknowledges every datagram sent through sendmmsg. */
class AckingLibc extends ScriptedLibc {
  override sendmmsg(fd: number, vector: Uint8Array, count: number, flags: number): number {
    const socket = this.socketOf(fd);
    const before = socket.sent.length;
    const n = super.sendmmsg(fd, vector, count, flags);
    for (const sent of socket.sent.slice(before)) socket.deliver({ data: buildAck(sent.data) });
    if (socket.sent.length > before) setImmediate(() => this.watcherOf(fd)?.fire());
    return n;
  }
}

describeRingEndpoint('ring engine over the scripted libc', (): Harness => {
  const libc = new AckingLibc();
  const socket = openNetlinkSocket({ protocol: 'route', rx: RX, tx: TX, libc });
  const kernel = libc.socketOf(socket.fd);
  const wake = () => setImmediate(() => libc.watcherOf(socket.fd)?.fire());
  return {
    endpoint: socket,
    provoke: (seq, size) => {
      kernel.deliver({ data: reply(seq, size) });
      wake();
    },
    overrun: () => {
      kernel.skErr = errnos.ENOBUFS;
      kernel.skDrops += 3;
      wake();
    },
    dispose: () => {},
  };
});

/**
 * A scripted libc that plays the kernel's own rings (Linux 3.10-4.5): it accepts the ring
 * setsockopts, and the test's kernel writes RX frames at its private head (COPY for what
 * does not fit) and walks the TX ring on sendto(NULL) (RING-SPEC §4, §5.2), acknowledging
 * each datagram.
 */
class KernelRingLibc extends ScriptedLibc {
  rx: Ring | null = null;
  tx: Ring | null = null;
  private rxHead = 0;
  private txHead = 0;
  fd = -1;

  constructor() {
    super();
    this.ringAnswer = 0;
  }

  attach(fd: number): void {
    const mapping = this.socketOf(fd).mapping;
    if (mapping === null) throw new Error('not mapped');
    this.fd = fd;
    this.rx = new Ring(mapping.memory, RX);
    this.tx = new Ring(mapping.memory, TX, { byteOffset: ringSize(RX) });
  }

  /** The kernel delivers `data`: in the ring when it fits, COPY otherwise; false if full. */
  put(data: Uint8Array, pid = 0): boolean {
    const rx = this.rx;
    if (rx === null) throw new Error('not attached');
    const index = this.rxHead;
    if (rx.status(index) !== NL_MMAP_STATUS_UNUSED) return false;
    this.rxHead = rx.next(index);
    if (data.byteLength <= rx.maxlen) {
      rx.bytes.set(data, rx.dataOffset(index));
      rx.setHeader(index, data.byteLength, 0, pid, 0, 0);
      rx.setStatus(index, NL_MMAP_STATUS_VALID);
    } else {
      this.socketOf(this.fd).deliver({ data });
      rx.setHeader(index, data.byteLength, 0, pid, 0, 0);
      rx.setStatus(index, NL_MMAP_STATUS_COPY);
    }
    setImmediate(() => this.watcherOf(this.fd)?.fire());
    return true;
  }

  override sendto(
    fd: number,
    data: Uint8Array | null,
    flags: number,
    to: Uint8Array | null,
  ): number {
    const tx = this.tx;
    if (data !== null || tx === null) return super.sendto(fd, data, flags, to);
    let total = 0;
    while (tx.status(this.txHead) === NL_MMAP_STATUS_VALID) {
      const index = this.txHead;
      const at = tx.dataOffset(index);
      const message = tx.bytes.slice(at, at + tx.length(index));
      tx.setStatus(index, NL_MMAP_STATUS_UNUSED);
      this.txHead = tx.next(index);
      total += message.byteLength;
      this.put(buildAck(message));
    }
    return total;
  }

  override poll(fd: number, events: number): number {
    const rx = this.rx;
    let mask = super.poll(fd, events);
    if (rx !== null) {
      for (let i = 0; i < rx.frameNr; i++) {
        const s = rx.status(i);
        if (s === NL_MMAP_STATUS_VALID || s === NL_MMAP_STATUS_COPY) mask |= 1;
      }
    }
    return mask;
  }
}

describeRingEndpoint('kernel rings over the scripted libc', (): Harness => {
  const libc = new KernelRingLibc();
  const socket = openNetlinkSocket({ protocol: 'route', rx: RX, tx: TX, libc });
  libc.attach(socket.fd);
  const kernel = libc.socketOf(socket.fd);
  return {
    endpoint: socket,
    provoke: (seq, size) => {
      libc.put(reply(seq, size));
    },
    overrun: () => {
      kernel.skErr = errnos.ENOBUFS;
      kernel.skDrops += 3;
      setImmediate(() => libc.watcherOf(socket.fd)?.fire());
    },
    dispose: () => {},
  };
});

// The real kernel (root, Linux >= 4.6: the engine), in a namespace of its own per test.
const root = process.getuid?.() === 0;
if (!root) console.log('RingEndpoint contract on a real socket: skipped, needs root');
(root ? describeRealSocket : () => {})();

function describeRealSocket(): void {
  const netns = useNetns();
  describeRingEndpoint('ring engine over a real socket', (): Harness => {
    const socket = openNetlinkSocket({
      protocol: 'route',
      netns: netns().name,
      rx: RX,
      tx: TX,
      receiveBufferSize: 4096,
    });
    // RTM_GETLINK for ifindex 1 (lo): one RTM_NEWLINK of more than 1000 bytes answers it.
    const getLo = (seq: number) =>
      new MessageWriter()
        .begin(RTM_GETLINK, NLM_F_REQUEST, seq)
        .u8(0)
        .zeros(3)
        .u32(1)
        .zeros(8)
        .end()
        .finish();
    return {
      endpoint: socket,
      provoke: (seq, size) => {
        socket.send(size === 'small' ? ackRequest(seq) : getLo(seq));
      },
      overrun: () => {
        // Acks the kernel cannot queue on a full 4 KiB receive buffer: dropped, ENOBUFS.
        for (let i = 0; i < 2000; i++) socket.send(ackRequest(1000 + i));
      },
      dispose: () => {},
    };
  });
}
