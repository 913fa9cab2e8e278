import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { DEFAULT_PAGE_SIZE, NETLINK_RX_RING, NETLINK_TX_RING } from '../ring/constants.js';
import type { RingGeometry } from '../ring/geometry.js';
import { ringSize } from '../ring/geometry.js';
import { Replier } from './Replier.js';
import {
  type DeliverOptions,
  type DeliveryResult,
  type SentDatagram,
  SimSocket,
  type SimSocketOptions,
} from './SimSocket.js';

/**
 * A request handler: called once per message a socket sends (through the TX ring or
 * `send()`), in order, with a {@link Replier} to answer it. Every message is passed, with or
 * without NLM_F_REQUEST; nothing is acknowledged unless the handler says so.
 */
export type RequestHandler = (request: NetlinkMessage, reply: Replier, socket: SimSocket) => void;

/** Options of a {@link SimulatedKernel}. */
export interface SimulatedKernelOptions {
  /** PAGE_SIZE, a power of two; default 4096. Sockets may override it. */
  pageSize?: number | undefined;
}

/** Options of {@link SimulatedKernel.open}: a socket's options plus its rings. */
export interface SimOpenOptions extends SimSocketOptions {
  /** The RX ring; default 4 one-page blocks of two half-page frames (8 frames). */
  rx?: RingGeometry | undefined;
  /** The TX ring, if any. */
  tx?: RingGeometry | undefined;
}

/**
 * A simulated kernel: a deterministic producer for the netlink ring protocol that plays the
 * kernel's side of RING-SPEC.md by its rules, scripted by tests and needing no privileges.
 * It holds sockets ({@link SimSocket}, each a `RingEndpoint` with `mode: 'simulated'`), an
 * optional request handler that answers what the sockets send, and multicast groups.
 *
 * Use it to marble-test a pipeline: open a socket, subscribe a source to it, and script
 * deliveries (directly or with `scriptDeliveries`); every delivery wakes the source
 * synchronously, so output lands on the virtual frame of its delivery.
 *
 * @example
 * const kernel = new SimulatedKernel();
 * kernel.onRequest((req, reply) => reply.ack());
 * const socket = kernel.open({ rx: chooseGeometry({ messageSize: 2000, memory: 16384 }) });
 * fromRing(socket).subscribe((frame) => console.log(frame instanceof Frame ? frame.length : 'lost'));
 * socket.send(buildMessage({ type: 16, flags: NLM_F_REQUEST | NLM_F_ACK, seq: 1 })); // logs 36
 */
export class SimulatedKernel {
  /** The default PAGE_SIZE of its sockets. */
  readonly pageSize: number;
  private readonly table = new Map<number, SimSocket>();
  private nextPortid = 1;
  private handler: RequestHandler | null = null;

  constructor(options: SimulatedKernelOptions = {}) {
    this.pageSize = checkPageSize(options.pageSize ?? DEFAULT_PAGE_SIZE);
  }

  /** The open sockets, by port id order of creation. */
  get sockets(): readonly SimSocket[] {
    return [...this.table.values()];
  }

  /** The open socket bound to `portid`, if any. */
  lookup(portid: number): SimSocket | undefined {
    return this.table.get(portid);
  }

  /**
   * A new socket with no ring: configure it with `setsockopt` and `mmap` as a process would
   * (RING-SPEC §2). Throws NetlinkError EADDRINUSE for a port id already taken.
   */
  socket(options: SimSocketOptions = {}): SimSocket {
    const pageSize = checkPageSize(options.pageSize ?? this.pageSize);
    let portid = options.portid;
    if (portid === undefined) {
      while (this.table.has(this.nextPortid)) this.nextPortid++;
      portid = this.nextPortid++;
    } else if (!Number.isInteger(portid) || portid <= 0 || portid > 0xffffffff) {
      throw new TypeError(`portid: expected a u32 above 0, got ${portid}`);
    } else if (this.table.has(portid)) {
      throw new NetlinkError({ op: 'bind', errno: errnos.EADDRINUSE, detail: `port id ${portid}` });
    }
    const socket = new SimSocket(portid, pageSize, options, {
      transmit: (s, datagram) => this.receive(s, datagram),
      closed: (s) => {
        if (this.table.get(s.portid) === s) this.table.delete(s.portid);
      },
    });
    this.table.set(portid, socket);
    return socket;
  }

  /**
   * A socket with its rings configured and mapped, ready for a source or a sink:
   * setsockopt(NETLINK_RX_RING), setsockopt(NETLINK_TX_RING) if `tx` is given, then one
   * mmap of both. Geometry errors are thrown as RingGeometryError and leave no socket open.
   */
  open(options: SimOpenOptions = {}): SimSocket {
    const socket = this.socket(options);
    try {
      const page = socket.pageSize;
      const rx = options.rx ?? { blockSize: page, blockNr: 4, frameSize: page / 2, frameNr: 8 };
      socket.setsockopt(NETLINK_RX_RING, rx);
      if (options.tx !== undefined) socket.setsockopt(NETLINK_TX_RING, options.tx);
      socket.mmap(ringSize(rx) + (options.tx === undefined ? 0 : ringSize(options.tx)));
    } catch (error) {
      socket.close();
      throw error;
    }
    return socket;
  }

  /**
   * Installs the request handler (replacing any other); null removes it. Returns a function
   * that removes it.
   */
  onRequest(handler: RequestHandler | null): () => void {
    if (handler !== null && typeof handler !== 'function') {
      throw new TypeError('handler: expected a function or null');
    }
    this.handler = handler;
    return () => {
      if (this.handler === handler) this.handler = null;
    };
  }

  /**
   * The kernel multicasts `datagram` to `group` (a group number, 1 and up): every open
   * socket that joined it gets it with `nm_group` = group, by its own policy (COPY under the
   * faithful one). Returns one result per member, in socket order.
   */
  multicast(
    group: number,
    datagram: Uint8Array,
    credentials: Omit<DeliverOptions, 'group'> = {},
  ): DeliveryResult[] {
    if (!Number.isInteger(group) || group <= 0) {
      throw new TypeError(`group: expected a group number above 0, got ${group}`);
    }
    const results: DeliveryResult[] = [];
    for (const socket of [...this.table.values()]) {
      if (!socket.closed && socket.isMember(group)) {
        results.push(socket.deliver(datagram, { ...credentials, group }));
      }
    }
    return results;
  }

  private receive(socket: SimSocket, datagram: SentDatagram): void {
    for (const request of datagram.messages) {
      const handler = this.handler;
      if (handler === null || socket.closed) return;
      handler(request, new Replier(request, socket, (g, d) => this.multicast(g, d)), socket);
    }
  }
}

function checkPageSize(pageSize: number): number {
  if (!Number.isSafeInteger(pageSize) || pageSize < 64 || (pageSize & (pageSize - 1)) !== 0) {
    throw new TypeError(`pageSize: expected a power of two of at least 64, got ${pageSize}`);
  }
  return pageSize;
}
