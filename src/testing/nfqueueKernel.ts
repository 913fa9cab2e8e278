import { errnos } from '../errors/errno.js';
import {
  AF_INET,
  NF_INET_LOCAL_OUT,
  NFGENMSG_LEN,
  NFNL_SUBSYS_QUEUE,
  NFQA_CFG_CMD,
  NFQA_CFG_FLAGS,
  NFQA_CFG_MASK,
  NFQA_CFG_PARAMS,
  NFQA_CFG_QUEUE_MAXLEN,
  NFQA_MARK,
  NFQA_PAYLOAD,
  NFQA_VERDICT_HDR,
  NFQNL_MSG_CONFIG,
  NFQNL_MSG_VERDICT,
  NFQNL_MSG_VERDICT_BATCH,
} from '../families/netfilter/constants.js';
import { NLM_F_ACK } from '../netlink/constants.js';
import { MessageWriter } from '../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import type { RingGeometry } from '../ring/geometry.js';
import { writeNfqueuePacket } from './netfilter.js';
import type { Replier } from './Replier.js';
import type { SimSocket } from './SimSocket.js';
import { SimulatedKernel } from './SimulatedKernel.js';

// A model of the kernel side of one NFQUEUE queue for the simulated kernel: it queues
// packets to a socket, acknowledges configuration, and applies verdicts the way
// nfnetlink_queue does (a single verdict needs its id held, ENOENT otherwise; a batch takes
// every held packet from the oldest while `(int)(id - max) <= 0`, ENOENT if none).

/** One verdict message the kernel handled. */
export interface VerdictLog {
  kind: 'single' | 'batch';
  id: number;
  verdict: number;
  mark?: number | undefined;
  payload?: number[] | undefined;
  /** Which ids it applied to (none: ENOENT). */
  applied: number[];
}

/** One configuration message: its seq and attributes, decoded. */
export interface ConfigLog {
  seq: number;
  ack: boolean;
  queue: number;
  command?: number | undefined;
  copyMode?: number | undefined;
  copyRange?: number | undefined;
  maxLen?: number | undefined;
  flags?: number | undefined;
  mask?: number | undefined;
}

/**
 * A fake NFQUEUE kernel for marble and unit tests of your own `nfqueue()` pipelines, without
 * root: it opens a simulated-kernel socket, queues packets to it (`enqueue`), acknowledges
 * the configuration messages, and applies verdicts as nfnetlink_queue does, logging each one
 * (`log`, `verdicts`, `held`). Pass `open: () => queue.socket` to `nfqueue()`.
 *
 * @example
 * const kernel = new KernelQueue(3);
 * nfqueue({ queue: 3, open: () => kernel.socket }).subscribe((p) => p instanceof Overrun || p.accept());
 */
export class KernelQueue {
  readonly kernel = new SimulatedKernel();
  readonly socket: SimSocket;
  /** Packets queued and not yet verdicted, oldest first. */
  held: number[] = [];
  /** Every packet's final verdict, by id. */
  readonly verdicts = new Map<number, number>();
  readonly log: VerdictLog[] = [];
  readonly config: ConfigLog[] = [];
  /** An errno to refuse the configuration message with this seq. */
  refuse: { seq: number; errno: number; extack?: string } | null = null;
  private nextId = 1;

  constructor(
    readonly queue: number,
    geometry: { rx?: RingGeometry; tx?: RingGeometry } = {},
  ) {
    this.socket = this.kernel.open({
      rx: geometry.rx ?? { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 },
      tx: geometry.tx ?? { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 },
    });
    this.kernel.onRequest((request, reply) => this.handle(request, reply));
  }

  /** Queues a packet to the socket (built in the ring, as nfnetlink_queue did); returns its id. */
  enqueue(payload: Uint8Array = Uint8Array.of(0x45, 0, 0, 20)): number {
    const id = this.nextId++;
    const data = writeNfqueuePacket(new MessageWriter(), {
      queue: this.queue,
      id,
      family: AF_INET,
      hwProtocol: 0x0800,
      hook: NF_INET_LOCAL_OUT,
      payload,
    }).finish();
    if (this.socket.deliver(data, { path: 'ring' }) !== 'dropped') this.held.push(id);
    return id;
  }

  private handle(request: NetlinkMessage, reply: Replier): void {
    const type = request.type & 0xff;
    if (request.type >> 8 !== NFNL_SUBSYS_QUEUE) return;
    const queue = request.view.getUint16(request.payloadOffset + 2, false);
    if (type === NFQNL_MSG_CONFIG) {
      const entry: ConfigLog = { seq: request.seq, ack: (request.flags & NLM_F_ACK) !== 0, queue };
      const a = request.attributes(NFGENMSG_LEN);
      while (a.next()) {
        const v = request.view;
        if (a.type === NFQA_CFG_CMD) entry.command = v.getUint8(a.offset);
        else if (a.type === NFQA_CFG_PARAMS) {
          entry.copyRange = v.getUint32(a.offset, false);
          entry.copyMode = v.getUint8(a.offset + 4);
        } else if (a.type === NFQA_CFG_QUEUE_MAXLEN) entry.maxLen = a.be32();
        else if (a.type === NFQA_CFG_FLAGS) entry.flags = a.be32();
        else if (a.type === NFQA_CFG_MASK) entry.mask = a.be32();
      }
      this.config.push(entry);
      const refuse = this.refuse;
      if (refuse !== null && refuse.seq === request.seq) {
        reply.error(refuse.errno, { extack: refuse.extack });
      } else if (entry.ack) reply.ack();
      return;
    }
    if (type !== NFQNL_MSG_VERDICT && type !== NFQNL_MSG_VERDICT_BATCH) return;
    const entry: VerdictLog = {
      kind: type === NFQNL_MSG_VERDICT ? 'single' : 'batch',
      id: -1,
      verdict: -1,
      applied: [],
    };
    const a = request.attributes(NFGENMSG_LEN);
    while (a.next()) {
      if (a.type === NFQA_VERDICT_HDR) {
        entry.verdict = request.view.getUint32(a.offset, false);
        entry.id = request.view.getUint32(a.offset + 4, false);
      } else if (a.type === NFQA_MARK) entry.mark = a.be32();
      else if (a.type === NFQA_PAYLOAD) entry.payload = [...a.bytes()];
    }
    if (queue !== this.queue) throw new Error(`verdict for queue ${queue}`);
    if (entry.kind === 'single') {
      const at = this.held.indexOf(entry.id);
      if (at >= 0) {
        this.held.splice(at, 1);
        entry.applied.push(entry.id);
      }
    } else {
      while (this.held.length > 0 && ((this.held[0] - entry.id) | 0) <= 0) {
        entry.applied.push(this.held.shift() as number);
      }
    }
    for (const id of entry.applied) {
      if (this.verdicts.has(id)) throw new Error(`packet ${id} got two verdicts`);
      this.verdicts.set(id, entry.verdict);
    }
    this.log.push(entry);
    if (entry.applied.length === 0) reply.error(errnos.ENOENT);
  }
}
