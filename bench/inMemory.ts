// The in-memory case: messages/s through the RX source + parse + filter (fromRing +
// parseMessages + ofType) over a simulated-kernel ring, side by side with a hand-written loop
// over the same ring, same data, same run, JIT-warm. Imports only the public entries, by
// the package's name, as a program that depends on nlring does (the bundle in dist/lib).

import type * as Index from '../src/index.js';
import type * as Netlink from '../src/netlink.js';
import type * as Ring from '../src/ring.js';
import type * as Testing from '../src/testing/index.js';
import { bytesPerUnit, compare, measure, timed } from './measure.js';
import type { Benchmark, BenchResult } from './types.js';

// Names in variables: tsc types them from src (the package's own .d.ts exist only after a build).
const entry = (path: string): Promise<unknown> => import(`nlring${path}`);
const [{ fromRing, ofType, parseMessages }, { MessageWriter, walkMessages }, ring, testing] =
  (await Promise.all([entry(''), entry('/netlink'), entry('/ring'), entry('/testing')])) as [
    typeof Index,
    typeof Netlink,
    typeof Ring,
    typeof Testing,
  ];
const { chooseGeometry, NL_MMAP_STATUS_VALID } = ring;
const { packDatagram, SimulatedKernel } = testing;

const RTM_NEWROUTE = 24;
const RTM_DELROUTE = 25;

/** A route-sized message (rtmsg + 5 attributes, 60 bytes); every fourth is a DELROUTE. */
function routeMessage(i: number): Uint8Array {
  const w = new MessageWriter(128);
  w.begin(i % 4 === 3 ? RTM_DELROUTE : RTM_NEWROUTE, 2, i, 0);
  w.u8(2).u8(24).u8(0).u8(0).u8(254).u8(4).u8(0).u8(1).u32(0); // struct rtmsg
  w.attrU32(15, 254); // RTA_TABLE
  w.attrBe32(1, 0x0a000000 + (i << 8)); // RTA_DST
  w.attrU32(4, 2); // RTA_OIF
  w.attrBe32(5, 0x0a000001); // RTA_GATEWAY
  w.attrU32(6, 100); // RTA_PRIORITY
  return w.end().finish();
}

/** Dump-like datagrams: as many route messages as fit in `size` bytes. */
function datagrams(
  count: number,
  size: number,
): { data: Uint8Array[]; perDatagram: number; wanted: number } {
  const perDatagram = Math.floor(size / routeMessage(0).byteLength);
  const data: Uint8Array[] = [];
  let wanted = 0;
  for (let d = 0; d < count; d++) {
    const messages = [];
    for (let i = 0; i < perDatagram; i++) {
      const n = d * perDatagram + i;
      if (n % 4 !== 3) wanted++;
      messages.push(routeMessage(n));
    }
    data.push(packDatagram(messages));
  }
  return { data, perDatagram, wanted };
}

const DATAGRAM = 4000;

function setup() {
  const kernel = new SimulatedKernel();
  const rx = chooseGeometry({ messageSize: DATAGRAM, memory: 64 * 1024 });
  return kernel.open({ rx, policy: 'valid-when-fits' });
}

/** The subject: nlring's source + parseMessages + ofType; returns messages kept. */
function runRx(input: Uint8Array[], rounds: number): number {
  const socket = setup();
  let kept = 0;
  let seqs = 0;
  const subscription = fromRing(socket)
    .pipe(parseMessages(), ofType(RTM_NEWROUTE))
    .subscribe((m) => {
      if (typeof m !== 'object' || !('seq' in m)) return;
      kept++;
      seqs += m.seq;
    });
  for (let r = 0; r < rounds; r++) for (const d of input) socket.deliver(d, { path: 'ring' });
  subscription.unsubscribe();
  return kept + (seqs & 0);
}

/** The baseline: a hand-written loop over the same ring, reading status, walking messages. */
function runRaw(input: Uint8Array[], rounds: number): number {
  const socket = setup();
  const ring = socket.rx;
  let cursor = 0;
  let kept = 0;
  let seqs = 0;
  const view = ring.view;
  const visit = (off: number): undefined => {
    if (view.getUint16(off + 4, true) === RTM_NEWROUTE) {
      kept++;
      seqs += view.getUint32(off + 8, true);
    }
    return undefined;
  };
  for (let r = 0; r < rounds; r++) {
    for (const d of input) {
      socket.deliver(d, { path: 'ring' });
      socket.poll();
      while (ring.status(cursor) === NL_MMAP_STATUS_VALID) {
        walkMessages(view, ring.dataOffset(cursor), ring.length(cursor), visit);
        ring.release(cursor);
        cursor = ring.next(cursor);
      }
    }
  }
  socket.close();
  return kept + (seqs & 0);
}

export const inMemory: Benchmark = {
  id: 'rx-in-memory',
  title:
    'RX source + parse + filter over a simulated-kernel ring vs a hand-written loop over the same ring',
  needsRoot: false,
  async run({ trials, progress }) {
    const { data, perDatagram, wanted } = datagrams(64, DATAGRAM);
    const rounds = 400;
    const messages = data.length * perDatagram * rounds;
    // Warm up both paths so the JIT has compiled them before timing.
    runRx(data, 20);
    runRaw(data, 20);
    const rx: number[] = [];
    const raw: number[] = [];
    for (let trial = 0; trial < trials; trial++) {
      progress(`trial ${trial + 1}/${trials}`);
      const r = timed(() => runRaw(data, rounds));
      if (r.value !== wanted * rounds)
        throw new Error(`raw loop kept ${r.value}, expected ${wanted * rounds}`);
      raw.push(messages / r.seconds);
      const x = timed(() => runRx(data, rounds));
      if (x.value !== wanted * rounds)
        throw new Error(`Rx pipeline kept ${x.value}, expected ${wanted * rounds}`);
      rx.push(messages / x.seconds);
    }
    // Allocation on the borrowed path: the Rx pipeline minus the raw loop, per message.
    const allocRx = bytesPerUnit((n) => runRx(data, n), 8) / (data.length * perDatagram);
    const allocRaw = bytesPerUnit((n) => runRaw(data, n), 8) / (data.length * perDatagram);
    const result: BenchResult = compare({
      id: 'rx-in-memory',
      title: `${perDatagram} route messages per frame, 3 of 4 kept by ofType, JIT-warm`,
      subject: measure('fromRing + parseMessages + ofType', 'messages/s', rx),
      baseline: measure('hand-written loop over the same ring', 'messages/s', raw),
      higherIsBetter: true,
      extra: {
        'Rx bytes allocated/message': Math.round(allocRx),
        'raw bytes allocated/message': Math.round(allocRaw),
      },
    });
    return [result];
  },
};
