// A producer on another thread, as the kernel is for its own rings: a worker fills the
// frames of a ring in a SharedArrayBuffer (data and nm_len first, then the status word with
// a release store), the main thread reads them through a Ring with its default for shared
// memory (acquire loads, release stores: RingOptions.concurrent) and gives each back.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  NL_MMAP_HDRLEN,
  NL_MMAP_STATUS_UNUSED,
  NL_MMAP_STATUS_VALID,
} from '../../src/ring/constants.js';
import { frameOffset, type RingGeometry } from '../../src/ring/geometry.js';
import { Ring } from '../../src/ring/Ring.js';

const geometry: RingGeometry = { blockSize: 4096, blockNr: 2, frameSize: 1024, frameNr: 8 };
const MESSAGES = 20_000;

// The worker's producer: for message n, frame n mod frameNr, once that frame is UNUSED
// again; 64 bytes of data whose every u32 is n, nm_len, then VALID.
const producer = `
const { workerData } = require('node:worker_threads');
const { memory, offsets, messages, hdrlen, unused, valid } = workerData;
const words = new Int32Array(memory);
for (let n = 0; n < messages; n++) {
  const at = offsets[n % offsets.length] >>> 2;
  while (Atomics.load(words, at) !== unused) Atomics.wait(words, at, Atomics.load(words, at), 5);
  for (let i = 0; i < 16; i++) words[at + hdrlen / 4 + i] = n;
  words[at + 1] = 64;
  Atomics.store(words, at, valid);
  Atomics.notify(words, at);
}
`;

describe('Ring with a producer on another thread (shared memory)', () => {
  it('sees each frame whole once its status says VALID, in order, and its releases reach the producer', async () => {
    const memory = new SharedArrayBuffer(geometry.blockSize * geometry.blockNr);
    const ring = new Ring(memory, geometry);
    const offsets = Array.from({ length: geometry.frameNr }, (_, i) => frameOffset(geometry, i));
    const worker = new Worker(producer, {
      eval: true,
      workerData: {
        memory,
        offsets,
        messages: MESSAGES,
        hdrlen: NL_MMAP_HDRLEN,
        unused: NL_MMAP_STATUS_UNUSED,
        valid: NL_MMAP_STATUS_VALID,
      },
    });
    const exited = new Promise<number>((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    const words = new Int32Array(memory);
    const torn: string[] = [];
    const deadline = Date.now() + 30_000;
    let seen = 0;
    for (let n = 0; n < MESSAGES && Date.now() < deadline; ) {
      const index = n % geometry.frameNr;
      if (ring.status(index) !== NL_MMAP_STATUS_VALID) {
        // Wait for the producer's store (a bounded wait: the worker notifies after each).
        Atomics.wait(words, offsets[index] >>> 2, ring.status(index), 5);
        continue;
      }
      const data = new Int32Array(memory, offsets[index] + NL_MMAP_HDRLEN, 16);
      if (ring.length(index) !== 64 || data.some((word) => word !== n)) {
        torn.push(`message ${n}: length ${ring.length(index)}, data ${data.join(',')}`);
      }
      ring.release(index);
      Atomics.notify(words, offsets[index] >>> 2);
      seen++;
      n++;
    }
    expect(await exited).toBe(0);
    expect(torn).toEqual([]);
    expect(seen).toBe(MESSAGES);
  }, 60_000);
});
