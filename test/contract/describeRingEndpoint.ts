// One contract for every ring endpoint (STYLE rule 11): the same tests run against each
// producer — the simulated kernel, the ring engine and the kernel-ring path over the
// scripted libc, and the engine over a real socket — through a small harness that makes
// "the kernel" send something.
import { filter, from, lastValueFrom, take, timeout, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { NLM_F_ACK } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import type { Frame } from '../../src/ring/Frame.js';
import type { RingGeometry } from '../../src/ring/geometry.js';
import { Overrun } from '../../src/ring/Overrun.js';
import type { RingEndpoint } from '../../src/ring/RingEndpoint.js';
import { toTxRing } from '../../src/sinks/toTxRing.js';
import { fromRing } from '../../src/sources/fromRing.js';

/** RX: 8 frames of 1024 bytes (maxlen 1000); TX: 4 frames of 1024. */
export const RX: RingGeometry = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };
export const TX: RingGeometry = { blockSize: 4096, blockNr: 1, frameSize: 1024, frameNr: 4 };

/** What a contract test needs of one producer. */
export interface Harness {
  readonly endpoint: RingEndpoint;
  /**
   * The kernel sends one datagram whose first message has `seq`: a small one (fits a frame)
   * or a large one (more than 1000 bytes: a COPY frame).
   */
  provoke(seq: number, size: 'small' | 'large'): void;
  /** The kernel overruns the socket (ENOBUFS, at least one message dropped). */
  overrun(): void | Promise<void>;
  /** Frees what the harness made (the endpoint is closed by the tests). */
  dispose(): void;
}

/**
 * A message the kernel acknowledges (NLM_F_ACK without NLM_F_REQUEST: netlink_rcv_skb
 * answers it with an ACK of the same seq, error 0). Every harness answers TX datagrams so.
 */
export function ackRequest(seq: number): Uint8Array {
  return new MessageWriter().begin(0x10, NLM_F_ACK, seq).end().finish();
}

/** The seq of a frame's first message. */
function seqOf(frame: Frame): number {
  return frame.view.getUint32(frame.start + 8, true);
}

/**
 * Subscribes a source to `endpoint`, runs `start`, and resolves with the first `n` frames
 * as text (`seq`, `c` for COPY) within 5 s.
 */
function collect(endpoint: RingEndpoint, n: number, start: () => unknown): Promise<string[]> {
  return new Promise<string[]>((resolve, reject) => {
    const out: string[] = [];
    const timer = setTimeout(() => {
      subscription.unsubscribe();
      reject(new Error(`only ${out.join(',')} within 5 s`));
    }, 5000);
    const subscription = fromRing(endpoint)
      .pipe(
        filter((x): x is Frame => !(x instanceof Overrun)),
        take(n),
      )
      .subscribe({
        // Read inside next(): the frame is borrowed.
        next: (f) => out.push(`${seqOf(f)}${f.copied ? 'c' : ''}`),
        error: (e) => {
          clearTimeout(timer);
          reject(e);
        },
        complete: () => {
          clearTimeout(timer);
          resolve(out);
        },
      });
    Promise.resolve()
      .then(start)
      .catch((e: unknown) => {
        clearTimeout(timer);
        subscription.unsubscribe();
        reject(e);
      });
  });
}

/** Resolves once `ready()` holds, polling every 5 ms, or rejects after 5 s. */
async function until(ready: () => boolean): Promise<void> {
  for (let waited = 0; !ready(); waited += 5) {
    if (waited > 5000) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The contract of {@link RingEndpoint}, run against the endpoints `make` returns (a fresh
 * one per test, with the {@link RX} and {@link TX} rings).
 */
export function describeRingEndpoint(name: string, make: () => Harness): void {
  describe(`RingEndpoint contract: ${name}`, () => {
    let harness: Harness | null = null;
    const open = (): Harness => {
      harness = make();
      return harness;
    };
    afterEach(() => {
      harness?.endpoint.close();
      harness?.dispose();
      harness = null;
    });

    it('delivers what the kernel sends, in order', async () => {
      const h = open();
      const seen = await collect(h.endpoint, 3, () => {
        for (const seq of [1, 2, 3]) h.provoke(seq, 'small');
      });
      expect(seen).toEqual(['1', '2', '3']);
    });

    it('merges a message too large for its frame (COPY) in its place', async () => {
      const h = open();
      const seen = await collect(h.endpoint, 3, () => {
        h.provoke(1, 'small');
        h.provoke(2, 'large');
        h.provoke(3, 'small');
      });
      expect(seen).toEqual(['1', '2c', '3']);
    });

    it('a second source resumes where the first stopped', async () => {
      const h = open();
      expect(await collect(h.endpoint, 2, () => [1, 2].map((s) => h.provoke(s, 'small')))).toEqual([
        '1',
        '2',
      ]);
      for (let lap = 0; lap < 3; lap++) {
        const base = 10 + lap * 10;
        const seen = await collect(h.endpoint, 5, () => {
          for (let i = 0; i < 5; i++) h.provoke(base + i, 'small');
        });
        expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => String(base + i)));
      }
    });

    it('a second sink resumes at the producer TX head', async () => {
      const h = open();
      const receipts: number[][] = [];
      let sinks: Promise<void> = Promise.resolve();
      const seen = await collect(h.endpoint, 6, () => {
        sinks = (async () => {
          for (const batch of [[1, 2, 3], [4, 5], [6]]) {
            const out = await lastValueFrom(
              from(batch.map(ackRequest)).pipe(toTxRing(h.endpoint), toArray(), timeout(3000)),
            );
            receipts.push(...out.map((r) => [r.frame, r.seq]));
          }
        })();
      });
      // The last ACK may arrive before the last sink has emitted its receipt.
      await sinks;
      expect(receipts).toEqual([
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
        [0, 5],
        [1, 6],
      ]);
      expect(seen).toEqual(['1', '2', '3', '4', '5', '6']);
    });

    it('reports an overrun as an Overrun with the messages lost, then goes on', async () => {
      const h = open();
      // A consumer that keeps every frame (SKIP): the ring fills, then the socket overruns.
      const overruns: Overrun[] = [];
      const held: Frame[] = [];
      const subscription = fromRing(h.endpoint).subscribe((x) => {
        if (x instanceof Overrun) overruns.push(x);
        else held.push(x.defer());
      });
      await h.overrun();
      await until(() => overruns.length > 0);
      expect(overruns[0].errno).toBe(errnos.ENOBUFS);
      expect(overruns[0].lost).toBeGreaterThanOrEqual(1);
      for (const frame of held) frame.release();
      subscription.unsubscribe();
      expect(await collect(h.endpoint, 1, () => h.provoke(99, 'small'))).toEqual(['99']);
    });

    it('closes once; afterwards every method but close throws NetlinkError EBADF', () => {
      const h = open();
      const e = h.endpoint;
      e.close();
      e.close();
      expect(e.closed).toBe(true);
      const calls: Array<[string, () => unknown]> = [
        ['poll', () => e.poll()],
        ['recv', () => e.recv()],
        ['takeError', () => e.takeError()],
        ['flush', () => e.flush()],
        ['send', () => e.send(ackRequest(1))],
        [
          'watch',
          () =>
            e.watch(
              () => {},
              () => {},
            ),
        ],
      ];
      for (const [, call] of calls) {
        let error: unknown;
        try {
          call();
        } catch (x) {
          error = x;
        }
        expect(error).toBeInstanceOf(NetlinkError);
        expect((error as NetlinkError).errno).toBe(errnos.EBADF);
      }
    });
  });
}
