import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NLM_F_ACK, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { NL_MMAP_STATUS_SKIP, NL_MMAP_STATUS_UNUSED } from '../../src/ring/constants.js';
import type { Frame } from '../../src/ring/Frame.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { Overrun } from '../../src/ring/Overrun.js';
import type { Ring } from '../../src/ring/Ring.js';
import { RingReader } from '../../src/ring/RingReader.js';
import { fromRing } from '../../src/sources/fromRing.js';
import { buildMessage } from '../../src/testing/buildMessage.js';
import type { Reservation } from '../../src/testing/Reservation.js';
import type { DeliveryPolicy, DeliveryResult } from '../../src/testing/SimSocket.js';
import { SimulatedKernel } from '../../src/testing/SimulatedKernel.js';
import { message, seqOf, writeTx } from './helpers.js';

// Property tests of the ring state machine: the simulated kernel as the producer, fromRing
// as the consumer, over random interleavings of script steps. Twice: with claim numbers on
// the ring (as the ring engine and the simulated kernel provide: exact claim order), and
// without (as the kernel's own rings: order is best-effort around holes, RING-SPEC §4.6).

const geometries: RingGeometry[] = [
  { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 },
  { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 },
  // Two frames with a tail gap in each block.
  { blockSize: 8192, blockNr: 1, frameSize: 3000, frameNr: 2 },
];
const tx: RingGeometry = { blockSize: 4096, blockNr: 1, frameSize: 512, frameNr: 8 };

type Op =
  | { kind: 'deliver'; size: number; group: number }
  | { kind: 'abort' }
  | { kind: 'reserve' }
  | { kind: 'commit'; pick: number; size: number }
  | { kind: 'release'; pick: number }
  | { kind: 'tx'; count: number };

// Sizes that fit every geometry's frame, and one that fits none (COPY).
const size = fc.constantFrom(16, 32, 100, 400, 996, 3200);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      size,
      group: fc.constantFrom(0, 0, 0, 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('reserve' as const) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('commit' as const),
      pick: fc.nat(),
      size: fc.constantFrom(16, 64, 996),
    }),
  },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('release' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('tx' as const),
      count: fc.integer({ min: 1, max: 4 }),
    }),
  },
);

interface Scenario {
  geometry: RingGeometry;
  policy: DeliveryPolicy;
  noEnobufs: boolean;
  holdLimit: number;
  defer: boolean[];
  ops: Op[];
}

const scenario: fc.Arbitrary<Scenario> = fc.record({
  geometry: fc.constantFrom(...geometries),
  policy: fc.constantFrom<DeliveryPolicy>('faithful', 'valid-when-fits'),
  noEnobufs: fc.boolean(),
  holdLimit: fc.constantFrom(Number.POSITIVE_INFINITY, 1, 2),
  defer: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  ops: fc.array(op, { maxLength: 40 }),
});

interface Held {
  frame: Frame;
  index: number;
  length: number;
  data: Uint8Array | null;
}

/** What one run saw, for the coverage checks. */
interface Outcome {
  /** Whether a deferred frame was released after the producer stepped over it. */
  holes: boolean;
}

function run(sc: Scenario, claimOrder: boolean): Outcome {
  const kernel = new SimulatedKernel();
  const s = kernel.open({
    rx: sc.geometry,
    tx,
    policy: sc.policy,
    noEnobufs: sc.noEnobufs,
    claimOrder,
  });
  const ring = s.rx;
  const txRing = s.tx as Ring;

  let nextSeq = 1;
  const expected: number[] = []; // seqs in the order their frames were claimed
  const received: number[] = [];
  let dropped = 0;
  let episodeStarts = 0;
  let awaitingReport = false;
  let overruns = 0;
  let lost = 0;
  const held: Held[] = [];
  const pending: { reservation: Reservation; seq: number }[] = [];
  const txWritten: number[] = [];
  let txCursor = 0;
  let planIndex = 0;
  let finishing = false;
  let failure: unknown;
  // Deferred frames the producer stepped over (§4.1 step 4) while they were held; releasing
  // one makes a hole that the producer refills only on its next lap.
  const passed = new Set<number>();
  let holes = false;

  // One script step that may drop: accounts for the result and the ENOBUFS episodes (§4.3).
  // `placed`: whether a frame that is not dropped carries a message (an aborted one does not).
  const step = <T>(
    seq: number,
    act: () => T,
    result: (value: T) => DeliveryResult,
    placed = true,
  ): T => {
    const congested = s.congested;
    const drops = s.drops;
    const reports = overruns;
    const from = s.head('rx');
    const allSkip = ring.census()[4] === ring.frameNr;
    const value = act();
    const r = result(value);
    // The frames the head moved over: [from, to) in ring order, less the one it claimed.
    const to = s.head('rx');
    let steps = (to - from + ring.frameNr) % ring.frameNr;
    if (r === 'dropped' && allSkip)
      steps = ring.frameNr; // a full lap over SKIP frames
    else if (r !== 'dropped' && steps === 0) steps = ring.frameNr;
    if (r !== 'dropped') steps--;
    for (let k = 0, i = from; k < steps; k++, i = ring.next(i)) {
      if (held.some((h) => h.index === i)) passed.add(i);
    }
    if (r === 'dropped') {
      dropped++;
      expect(s.drops).toBe(drops + 1);
      if (!congested && !sc.noEnobufs) {
        episodeStarts++;
        // The wake inside the step may already have reported it.
        if (overruns === reports) awaitingReport = true;
      }
    } else {
      expect(s.drops).toBe(drops);
      if (placed) expected.push(seq);
    }
    return value;
  };

  kernel.onRequest((request, reply) => {
    step(
      request.seq,
      () => reply.ack(),
      (r) => r,
    );
  });

  RingReader.of(ring).holdLimit = sc.holdLimit;
  const subscription = fromRing(s).subscribe({
    next: (x) => {
      if (x instanceof Overrun) {
        overruns++;
        lost += x.lost;
        // Every loss counted by the producer is reported, in the Overrun that follows it.
        expect(lost).toBe(s.drops);
        awaitingReport = false;
        return;
      }
      received.push(seqOf(x.data));
      if (!finishing && sc.defer[planIndex++ % sc.defer.length]) {
        held.push({
          frame: x.defer(),
          index: x.index,
          length: x.length,
          data: x.copied ? null : x.data.slice(),
        });
      }
    },
    error: (e) => {
      failure = e;
    },
  });

  const checkHeld = () => {
    for (const h of held) {
      // A deferred frame is SKIP and never overwritten while held.
      expect(ring.status(h.index)).toBe(NL_MMAP_STATUS_SKIP);
      expect(ring.length(h.index)).toBe(h.length);
      if (h.data !== null) expect(h.frame.data).toEqual(h.data);
    }
  };

  for (const o of sc.ops) {
    switch (o.kind) {
      case 'deliver': {
        const seq = nextSeq++;
        step(
          seq,
          () => s.deliver(message(o.size, seq), { group: o.group }),
          (r) => r,
        );
        break;
      }
      case 'abort':
        step(
          0,
          () => s.abort(),
          (r) => r,
          false,
        );
        break;
      case 'reserve': {
        const seq = nextSeq++;
        const reservation = step(
          seq,
          () => s.reserve(),
          (r) => (r === null ? 'dropped' : 'valid'),
        );
        if (reservation !== null) pending.push({ reservation, seq });
        break;
      }
      case 'commit': {
        if (pending.length === 0) break;
        const [p] = pending.splice(o.pick % pending.length, 1);
        p.reservation.commit(message(o.size, p.seq));
        break;
      }
      case 'release': {
        if (held.length === 0) break;
        const [h] = held.splice(o.pick % held.length, 1);
        if (passed.delete(h.index)) holes = true;
        h.frame.release();
        break;
      }
      case 'tx': {
        for (let k = 0; k < o.count; k++) {
          if (txRing.status(txCursor) !== NL_MMAP_STATUS_UNUSED) break;
          const seq = nextSeq++;
          writeTx(
            txRing,
            txCursor,
            buildMessage({ type: 0x10, flags: NLM_F_REQUEST | NLM_F_ACK, seq }),
          );
          txWritten.push(seq);
          txCursor = txRing.next(txCursor);
        }
        s.flush();
        expect(txRing.census()[0]).toBe(txRing.frameNr);
        break;
      }
    }
    expect(failure).toBeUndefined();
    checkHeld();
  }

  // Settle: commit what is reserved, release what is deferred, defer nothing more.
  finishing = true;
  for (const p of pending.splice(0)) p.reservation.commit(message(16, p.seq));
  for (const h of held.splice(0)) h.frame.release();

  expect(failure).toBeUndefined();
  // No message lost or duplicated: what arrived is what the producer placed.
  expect([...received].sort((a, b) => a - b)).toEqual([...expected].sort((a, b) => a - b));
  // In claim order, always; without claim numbers, as long as no hole was made.
  if (claimOrder || !holes) expect(received).toEqual(expected);
  // Every drop counted and reported.
  expect(s.drops).toBe(dropped);
  if (sc.noEnobufs) {
    expect(overruns).toBe(0);
  } else {
    expect(awaitingReport).toBe(false);
    // Each episode's ENOBUFS once, plus the drops of its tail (a drop while still congested
    // raises no error) in more Overruns, each of at least one: Σ lost is the drop count.
    expect(overruns).toBeGreaterThanOrEqual(episodeStarts);
    expect(overruns).toBeLessThanOrEqual(episodeStarts + dropped);
    expect(lost).toBe(s.drops);
  }
  // TX: every request went out once, in order.
  expect(s.sent.filter((d) => d.via === 'ring').map((d) => d.messages[0].seq)).toEqual(txWritten);

  subscription.unsubscribe();
  // Every claim was consumed (empty frames included): a later subscription resumes in step.
  expect(RingReader.of(ring).consumed).toBe(ring.claimed);
  // After teardown no frame stays owned by the process.
  expect(ring.census()).toEqual([ring.frameNr, 0, 0, 0, 0]);
  expect(RingReader.of(ring).held).toBe(0);
  expect(s.queued).toBe(0);
  return { holes };
}

describe('ring state machine: simulated kernel → fromRing', () => {
  it('with claim numbers: loses, duplicates and reorders nothing; counts and reports every drop; leaves nothing owned', () => {
    let holes = 0;
    fc.assert(
      fc.property(scenario, (sc) => {
        if (run(sc, true).holes) holes++;
      }),
      { numRuns: 500 },
    );
    // The runs that matter most did happen: holes were made and still nothing was reordered.
    expect(holes).toBeGreaterThan(10);
  });

  it('without claim numbers (kernel rings): loses and duplicates nothing, reorders nothing unless a released deferred frame left a hole', () => {
    let clean = 0;
    fc.assert(
      fc.property(scenario, (sc) => {
        if (!run(sc, false).holes) clean++;
      }),
      { numRuns: 500 },
    );
    // The strict check ran on most runs. (Reorders are rare here — about 1 run in 1000 — as
    // the simulated kernel wakes the source after every claim; the fromRing unit tests show
    // them deterministically.)
    expect(clean).toBeGreaterThan(250);
  });
});
