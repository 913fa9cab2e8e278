// Fuzz targets for the sources, over the simulated kernel of nlring/testing: each input is
// what the kernel delivers (a notification, a packet, a dump reply), and the source must
// emit values without garbage or fail with a NetlinkError; nothing may escape a subscriber
// (fuzz/run.ts counts rxjs's unhandled errors as untyped).

import type { Observable } from 'rxjs';
import { spec as rtRuleSpec } from '../src/families/ynl/rt-rule.js';
import type { OpenRequest } from '../src/io/openNetlinkSocket.js';
import { NETLINK_ADD_MEMBERSHIP, NLM_F_ACK, NLM_F_REQUEST } from '../src/netlink/constants.js';
import { MessageWriter } from '../src/netlink/MessageWriter.js';
import { parseMessages } from '../src/operators/parseMessages.js';
import { Overrun } from '../src/ring/Overrun.js';
import { fromRing } from '../src/sources/fromRing.js';
import { dumpGenlFamilies } from '../src/sources/genl.js';
import { conntrackDump } from '../src/sources/netfilter/conntrackDump.js';
import { conntrackEvents } from '../src/sources/netfilter/conntrackEvents.js';
import { nflog } from '../src/sources/netfilter/nflog.js';
import { nfqueue } from '../src/sources/netfilter/nfqueue.js';
import { QueuedPacket } from '../src/sources/netfilter/QueuedPacket.js';
import { request } from '../src/sources/request.js';
import {
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
} from '../src/sources/rtnetlink/dumps.js';
import { monitor } from '../src/sources/rtnetlink/monitor.js';
import { dumpNexthops } from '../src/sources/rtnetlink/nexthops.js';
import { dumpRules } from '../src/sources/rtnetlink/rules.js';
import { ynl } from '../src/sources/ynl.js';
import { KernelQueue } from '../src/testing/nfqueueKernel.js';
import type { SimSocket } from '../src/testing/SimSocket.js';
import { SimulatedKernel } from '../src/testing/SimulatedKernel.js';
import { captured, netfilterSeeds, rtnetlinkSeeds } from './decoderTargets.js';
import type { FuzzTarget } from './targets.js';

/** A frame of 4 KiB (bigger datagrams arrive as COPY), 8 of them. */
const RX = { blockSize: 4096, blockNr: 8, frameSize: 4096, frameNr: 8 };

/**
 * `bytes` with every walkable nlmsg_seq set to `seq` and nlmsg_pid to `portid`: a reply to
 * the request sent (the captures carry the capturing socket's port id).
 */
function reseq(bytes: Uint8Array, seq: number, portid: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  for (let offset = 0; offset + 16 <= out.byteLength; ) {
    view.setUint32(offset + 8, seq, true);
    view.setUint32(offset + 12, portid, true);
    const len = view.getUint32(offset, true);
    if (len < 16) break;
    offset += len + ((4 - (len & 3)) & 3);
  }
  return out;
}

/** Delivers `input` (an empty datagram is no kernel's: nothing is delivered). */
function deliver(socket: SimSocket, input: Uint8Array, group = 0): void {
  if (input.byteLength > 0) socket.deliver(input, { group });
}

/**
 * Subscribes to `source`, runs `feed`, and unsubscribes: what it emitted (Overruns as their
 * counts), or its error thrown.
 */
function collect(source: Observable<unknown>, feed: () => void): unknown[] {
  const values: unknown[] = [];
  let failure: unknown = null;
  const subscription = source.subscribe({
    next: (v) => values.push(v instanceof Overrun ? { lost: v.lost, count: v.count } : v),
    error: (e: unknown) => {
      failure = e;
    },
  });
  try {
    if (failure === null) feed();
  } finally {
    subscription.unsubscribe();
  }
  if (failure !== null) throw failure;
  return values;
}

/** A dump source answered with `input` (seq set to the request's), then a good DONE. */
function dumpTarget(
  name: string,
  seeds: () => Uint8Array[],
  dump: (open: () => SimSocket) => Observable<unknown>,
): FuzzTarget {
  return {
    name,
    seeds,
    run: (input) => {
      const kernel = new SimulatedKernel();
      // Every request answered so: the link dump for the names too, where the source
      // learns them, so that path is fuzzed as well.
      kernel.onRequest((req, reply, socket) => {
        if (input.byteLength > 0) reply.unicast(reseq(input, req.seq, socket.portid));
        reply.dump([]);
      });
      const values: unknown[] = [];
      let failure: unknown = null;
      const subscription = dump(() => kernel.open({ rx: RX })).subscribe({
        next: (v) => values.push(v),
        error: (e: unknown) => {
          failure = e;
        },
      });
      subscription.unsubscribe();
      if (failure !== null) throw failure;
      return values;
    },
  };
}

/** An `open` for a multicast source: a simulated socket of `kernel` joined to the groups asked. */
function joined(kernel: SimulatedKernel) {
  return ({ groups }: OpenRequest): SimSocket => {
    const socket = kernel.open({ rx: RX });
    for (const g of groups) socket.setsockopt(NETLINK_ADD_MEMBERSHIP, g);
    return socket;
  };
}

/** Monitor of every kind; names learned from a link dump answered with the input, or given. */
function monitorRun(input: Uint8Array, learn: boolean): unknown {
  const kernel = new SimulatedKernel();
  kernel.onRequest((req, reply, socket) => {
    if (input.byteLength > 0) reply.unicast(reseq(input, req.seq, socket.portid));
    reply.dump([]);
  });
  const source = monitor({
    kinds: ['link', 'address', 'route', 'neighbour', 'rule', 'nexthop', 'netconf', 'nsid'],
    open: joined(kernel),
    ...(learn ? {} : { ifnames: new Map([[3, 'v0']]) }),
  });
  return collect(source, () => {
    const socket = kernel.lookup(1);
    if (socket !== undefined) deliver(socket, input, 1);
  });
}

/** nflog over a simulated nfnetlink_log that acknowledges its configuration. */
function nflogRun(input: Uint8Array): unknown {
  const kernel = new SimulatedKernel();
  kernel.onRequest((req, reply) => {
    if (req.flags & NLM_F_ACK) reply.ack();
  });
  const socket = kernel.open({ rx: RX });
  return collect(nflog({ group: 1, open: () => socket }), () => deliver(socket, input));
}

/** nfqueue over the simulated NFQUEUE kernel; every packet accepted, then flushed. */
async function nfqueueRun(input: Uint8Array): Promise<unknown> {
  const k = new KernelQueue(3);
  const values: unknown[] = [];
  let failure: unknown = null;
  const subscription = nfqueue({ queue: 3, open: () => k.socket }).subscribe({
    next: (p) => {
      if (p instanceof QueuedPacket) {
        values.push({
          id: p.id,
          hook: p.hook,
          indev: p.indev,
          mark: p.mark,
          length: p.payload?.byteLength,
        });
        p.accept();
      } else values.push({ lost: p.lost });
    },
    error: (e: unknown) => {
      failure = e;
    },
  });
  try {
    if (failure === null) deliver(k.socket, input);
    // The end-of-burst flush runs on the next turn.
    await new Promise<void>((resolve) => setImmediate(resolve));
  } finally {
    subscription.unsubscribe();
  }
  if (failure !== null) throw failure;
  return values;
}

/** conntrackEvents over a simulated netfilter socket: the input arrives on the NEW group. */
function conntrackEventsRun(input: Uint8Array): unknown {
  const kernel = new SimulatedKernel();
  const source = conntrackEvents({ open: joined(kernel) });
  return collect(source, () => {
    const socket = kernel.lookup(1);
    if (socket !== undefined) deliver(socket, input, 1);
  });
}

/** A request answered with the input and then an acknowledgement. */
async function requestRun(input: Uint8Array): Promise<unknown> {
  const kernel = new SimulatedKernel();
  kernel.onRequest((req, reply, socket) => {
    if (input.byteLength > 0) reply.unicast(reseq(input, req.seq, socket.portid));
    reply.ack();
  });
  const req = new MessageWriter(32)
    .begin(24, NLM_F_REQUEST | NLM_F_ACK, 7)
    .zeros(12)
    .end()
    .finish();
  const values: unknown[] = [];
  await new Promise<void>((resolve, reject) => {
    request(() => kernel.open({ rx: RX }), req).subscribe({
      next: (m) => values.push(m.type, m.payloadLength),
      error: reject,
      complete: resolve,
    });
  });
  return values;
}

export const sourceTargets: FuzzTarget[] = [
  {
    name: 'fromRing + parseMessages (sim)',
    seeds: () => [...rtnetlinkSeeds(), ...netfilterSeeds()],
    run: (input) => {
      const kernel = new SimulatedKernel();
      const socket = kernel.open({ rx: RX });
      const out: number[] = [];
      collect(fromRing(socket).pipe(parseMessages()), () => deliver(socket, input)).forEach((m) => {
        if (typeof m === 'object' && m !== null && 'type' in m) {
          const message = m as { type: number; flags: number; seq: number; payloadLength: number };
          out.push(message.type, message.flags, message.seq, message.payloadLength);
        }
      });
      return out;
    },
  },
  { name: 'monitor (sim, names given)', seeds: rtnetlinkSeeds, run: (i) => monitorRun(i, false) },
  { name: 'monitor (sim, names learned)', seeds: rtnetlinkSeeds, run: (i) => monitorRun(i, true) },
  { name: 'nflog (sim)', seeds: () => [netfilterSeeds()[0]], run: nflogRun },
  { name: 'nfqueue (sim)', seeds: () => [netfilterSeeds()[1]], run: nfqueueRun },
  { name: 'request (sim, reply then ack)', seeds: rtnetlinkSeeds, run: requestRun },
  dumpTarget(
    'dumpLinks (sim)',
    () => captured('link'),
    (open) => dumpLinks({ open }),
  ),
  dumpTarget(
    'dumpAddresses (sim)',
    () => captured('address'),
    (open) => dumpAddresses({ open }),
  ),
  dumpTarget(
    'dumpRoutes (sim)',
    () => captured('route'),
    (open) => dumpRoutes({ open }),
  ),
  dumpTarget(
    'dumpNeighbours (sim)',
    () => captured('neighbour'),
    (open) => dumpNeighbours({ open }),
  ),
  dumpTarget(
    'conntrackDump (sim)',
    () => netfilterSeeds().slice(2),
    (open) => conntrackDump({ open }),
  ),
  {
    name: 'conntrackEvents (sim)',
    seeds: () => netfilterSeeds().slice(2),
    run: conntrackEventsRun,
  },
  dumpTarget(
    'dumpRules (sim)',
    () => captured('rule'),
    (open) => dumpRules({ open }),
  ),
  dumpTarget(
    'dumpNexthops (sim)',
    () => captured('nexthop'),
    (open) => dumpNexthops({ open }),
  ),
  dumpTarget(
    'ynl(rt-rule).dump getrule (sim)',
    () => captured('rule'),
    (open) => ynl(rtRuleSpec).dump('getrule', {}, { open }),
  ),
  dumpTarget(
    'dumpGenlFamilies (sim)',
    () => captured('genlFamily'),
    (open) => dumpGenlFamilies({ open }),
  ),
];
