import {
  DEFAULT_PAGE_SIZE,
  FRAME_STATUS_NAMES,
  type FrameStatus,
  NL_MMAP_HDRLEN,
  type NL_MMAP_STATUS_COPY,
  type NL_MMAP_STATUS_RESERVED,
  NL_MMAP_STATUS_SKIP,
  NL_MMAP_STATUS_UNUSED,
  type NL_MMAP_STATUS_VALID,
} from './constants.js';
import type { RingGeometry } from './geometry.js';
import { frameOffset, ringSize } from './geometry.js';
import type { RingReader } from './RingReader.js';
import { validateRingRequest } from './validateRingRequest.js';

/** Options of a {@link Ring} view. */
export interface RingOptions {
  /** Where the ring starts in `memory` (the TX ring follows the RX ring, RING-SPEC §2.2). */
  byteOffset?: number | undefined;
  /** PAGE_SIZE used to check the geometry; default 4096. */
  pageSize?: number | undefined;
  /**
   * Whether another agent writes the memory while this thread reads it: the kernel's own
   * rings (an `mmap` shared with the kernel) or a `SharedArrayBuffer`. Then the status word
   * is read and written with `Atomics` (acquire and release, RING-SPEC §3). Without one,
   * the producer runs on this thread (the ring engine, the simulated kernel), where plain
   * reads and writes already come in program order, and `Atomics`, which V8 calls as
   * builtins rather than compiling inline, would cost ~900 instructions a packet on the
   * NFQUEUE path (callgrind). Default: true for a `SharedArrayBuffer`, false otherwise.
   */
  concurrent?: boolean | undefined;
  /**
   * Keep claim numbers ({@link Ring.claims}): set by producers that run in this process and
   * so know the order in which they claim frames (the ring engine, the simulated kernel).
   * Default false: no claim order, as with the kernel's own rings.
   */
  claims?: boolean | undefined;
}

/**
 * A view of one ring (RX or TX) over memory: an `ArrayBuffer`, a `SharedArrayBuffer`, or an
 * external mapping (`koffi.view` of an `mmap`). Both sides use it: a producer (the kernel,
 * the ring engine, the simulated kernel) and the consumer (sources and sinks). It keeps no
 * head index: each side keeps its own (RING-SPEC §3).
 *
 * Memory ordering follows RING-SPEC §3: {@link status} is an acquire load and must come
 * before reading a frame's header or data; {@link setStatus} is a release store and must
 * come after writing them. With a producer on another agent (`concurrent`: the kernel's
 * rings) they are `Atomics.load` and `Atomics.store`; with one on this thread, plain reads
 * and writes, which this thread sees in program order.
 *
 * The view also keeps one generation counter per frame for the process side: releasing a
 * frame bumps it, so a {@link Frame} handle taken before the release knows it is stale.
 *
 * Beside the view, outside the kernel's memory layout: optional claim numbers
 * ({@link claims}), which a producer in this process keeps so that the consumer can read
 * frames in exactly the order they were claimed. The consumer's own state — read position,
 * deferred frames, the TX index — is not here: it has one owner per ring, `RingReader` (RX;
 * the ring only points to it, {@link reader}) and `RingWriter` (TX).
 *
 * @example
 * const ring = new Ring(new ArrayBuffer(16384), { blockSize: 4096, blockNr: 4, frameSize: 2048, frameNr: 8 });
 * if (ring.status(0) === NL_MMAP_STATUS_VALID) console.log(ring.bytes.subarray(ring.dataOffset(0), ring.dataOffset(0) + ring.length(0)));
 */
export class Ring {
  /** The geometry, as passed to setsockopt. */
  readonly geometry: RingGeometry;
  /** `nm_frame_nr`. */
  readonly frameNr: number;
  /** `frame_max`: the last frame index; indexes wrap from here to 0. */
  readonly frameMax: number;
  /** Largest message a frame holds: `nm_frame_size - NL_MMAP_HDRLEN`. */
  readonly maxlen: number;
  /** Bytes the ring occupies: `nm_block_nr × nm_block_size`. */
  readonly size: number;
  /** The ring's bytes; offsets below are relative to its start. */
  readonly bytes: Uint8Array;
  /** A DataView over the same bytes. */
  readonly view: DataView;
  /** Byte offset of each frame (block-aware, RING-SPEC §2.3). */
  readonly offsets: Int32Array;
  /** Process-side generation of each frame, bumped on every release. */
  readonly generations: Uint32Array;
  /**
   * Claim numbers: **an nlring extension, outside the kernel's memory layout** (it lives in
   * this process's memory beside the view, not in the mapping). For each frame, the number
   * of the claim that last put a message in it — RESERVED, VALID or COPY, aborted (empty)
   * frames included — written by the producer before the status store that publishes the
   * frame (see {@link claim}). Numbers count up from 0 and wrap at 2^32; only equality and
   * distances within one lap are ever compared. (32-bit words rather than doubles, so that they
   * could move to shared memory for a producer on another thread, with `Atomics`; today's
   * producers run on the consumer's thread.)
   *
   * Why: the producer claims frames in ring order from its private head but steps over SKIP
   * frames (RING-SPEC §4.1 step 4). A deferred frame it stepped over and that is released
   * later is a hole it refills only on its next lap, after frames further on; a consumer
   * that sees only status words cannot always tell which of two ready frames was claimed
   * first (§4.6). With claim numbers it reads frames strictly in claim order.
   *
   * Null when the producer cannot provide it: the kernel's own rings (Linux 3.10–4.5) write
   * nothing but the frames, so the consumer falls back to a best-effort order there.
   */
  readonly claims: Uint32Array | null;
  /**
   * The ring's `RingReader`, set by `RingReader.of` on first use, so that the reader is found
   * from its ring without a map lookup (twice a packet on the NFQUEUE path: each frame's
   * `defer()` and `release()`). The reader's state is its own; nothing else writes this.
   *
   * @internal
   */
  reader: RingReader | null = null;
  /**
   * Producer side: claims made so far, mod 2^32 — the number the next claim gets. Bumped by
   * {@link claim} after the status store, so a claim counted here is visible in its frame.
   */
  claimed = 0;
  private readonly words: Int32Array;
  /** Status words through `Atomics` (RingOptions.concurrent). */
  private readonly atomic: boolean;
  private readonly u32: Uint32Array;

  constructor(memory: ArrayBufferLike, geometry: RingGeometry, options: RingOptions = {}) {
    const byteOffset = options.byteOffset ?? 0;
    if (
      validateRingRequest(geometry, { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE }) !==
      'create'
    ) {
      throw new TypeError('geometry: a ring view needs nm_block_nr > 0');
    }
    if (byteOffset % 4 !== 0)
      throw new TypeError(`byteOffset: ${byteOffset} is not a multiple of 4`);
    const size = ringSize(geometry);
    if (memory.byteLength < byteOffset + size) {
      throw new RangeError(
        `memory: ${memory.byteLength} bytes cannot hold a ${size}-byte ring at offset ${byteOffset}`,
      );
    }
    this.geometry = { ...geometry };
    this.frameNr = geometry.frameNr;
    this.frameMax = geometry.frameNr - 1;
    this.maxlen = geometry.frameSize - NL_MMAP_HDRLEN;
    this.size = size;
    this.bytes = new Uint8Array(memory, byteOffset, size);
    this.view = new DataView(memory, byteOffset, size);
    this.words = new Int32Array(memory, byteOffset, size >>> 2);
    this.u32 = new Uint32Array(memory, byteOffset, size >>> 2);
    this.offsets = new Int32Array(geometry.frameNr);
    for (let i = 0; i < geometry.frameNr; i++) this.offsets[i] = frameOffset(geometry, i);
    this.generations = new Uint32Array(geometry.frameNr);
    this.claims = options.claims === true ? new Uint32Array(geometry.frameNr) : null;
    this.atomic =
      options.concurrent ??
      (typeof SharedArrayBuffer !== 'undefined' && memory instanceof SharedArrayBuffer);
  }

  /** Writes frame `index`'s status word: a release store (see the class comment). */
  private store(index: number, status: FrameStatus): void {
    const w = this.offsets[index] >>> 2;
    if (this.atomic) Atomics.store(this.words, w, status);
    else this.words[w] = status;
  }

  /** The index after `index`, wrapping from `frameMax` to 0. */
  next(index: number): number {
    return index === this.frameMax ? 0 : index + 1;
  }

  /** Loads `nm_status` with acquire semantics (RING-SPEC §3). */
  status(index: number): FrameStatus {
    const w = this.offsets[index] >>> 2;
    return (this.atomic ? Atomics.load(this.words, w) : this.words[w]) as FrameStatus;
  }

  /** Stores `nm_status` with release semantics, after the header and data (RING-SPEC §3). */
  setStatus(index: number, status: FrameStatus): void {
    this.store(index, status);
  }

  /**
   * Producer side: claims frame `index` for the next message. Records the claim number in
   * {@link claims} (when kept), stores `status` — RESERVED (a message being built), VALID
   * (built at once; `nm_len` 0 for an aborted one) or COPY — with release semantics after
   * the header, then counts the claim in {@link claimed}. A later RESERVED → VALID store is
   * a {@link setStatus}: it is the same claim.
   *
   * @example
   * declare const ring: Ring;
   * const head = 0;
   * const data = new Uint8Array(20);
   * const group = 1;
   * ring.setHeader(head, data.byteLength, group, 0, 0, 0);
   * ring.claim(head, NL_MMAP_STATUS_COPY);
   */
  claim(
    index: number,
    status:
      | typeof NL_MMAP_STATUS_RESERVED
      | typeof NL_MMAP_STATUS_VALID
      | typeof NL_MMAP_STATUS_COPY,
  ): void {
    const claims = this.claims;
    if (claims !== null) claims[index] = this.claimed;
    this.store(index, status);
    this.claimed = (this.claimed + 1) >>> 0;
  }

  /** `nm_len`: bytes of netlink data in the frame (COPY: the size of the queued message). */
  length(index: number): number {
    return this.u32[(this.offsets[index] >>> 2) + 1];
  }

  /** `nm_group`: the destination group number, 0 for unicast. */
  group(index: number): number {
    return this.u32[(this.offsets[index] >>> 2) + 2];
  }

  /**
   * `nm_pid`: 0 for the kernel; else the sender's process id from its credentials (the
   * kernel's rings, RING-SPEC §4.5) or its netlink port id (the ring engine).
   */
  pid(index: number): number {
    return this.u32[(this.offsets[index] >>> 2) + 3];
  }

  /** `nm_uid`: the sender's uid in the receiver's user namespace. */
  uid(index: number): number {
    return this.u32[(this.offsets[index] >>> 2) + 4];
  }

  /** `nm_gid`: the sender's gid in the receiver's user namespace. */
  gid(index: number): number {
    return this.u32[(this.offsets[index] >>> 2) + 5];
  }

  /** Writes `nm_len` (before the status store). */
  setLength(index: number, length: number): void {
    this.u32[(this.offsets[index] >>> 2) + 1] = length;
  }

  /** Writes `nm_len`, `nm_group`, `nm_pid`, `nm_uid`, `nm_gid` (before the status store). */
  setHeader(
    index: number,
    length: number,
    group: number,
    pid: number,
    uid: number,
    gid: number,
  ): void {
    const w = this.offsets[index] >>> 2;
    this.u32[w + 1] = length;
    this.u32[w + 2] = group;
    this.u32[w + 3] = pid;
    this.u32[w + 4] = uid;
    this.u32[w + 5] = gid;
  }

  /** Byte offset of frame `index`'s data (its header start + 24) in {@link bytes}. */
  dataOffset(index: number): number {
    return this.offsets[index] + NL_MMAP_HDRLEN;
  }

  /** Process side: gives frame `index` back to the producer (UNUSED) and stales its handles. */
  release(index: number): void {
    this.generations[index]++;
    this.store(index, NL_MMAP_STATUS_UNUSED);
  }

  /** Process side: keeps frame `index` for later (SKIP); the producer steps over it (§4.1). */
  skip(index: number): void {
    this.store(index, NL_MMAP_STATUS_SKIP);
  }

  /** Counts frames in each status, for diagnostics and tests: `[UNUSED, RESERVED, VALID, COPY, SKIP]`. */
  census(): [number, number, number, number, number] {
    const counts: [number, number, number, number, number] = [0, 0, 0, 0, 0];
    for (let i = 0; i < this.frameNr; i++) {
      const s = this.status(i);
      if (s >= 0 && s <= 4) counts[s]++;
    }
    return counts;
  }

  /** A one-line picture of the ring, one letter per frame (U R V C S), for error messages. */
  describe(): string {
    let out = '';
    for (let i = 0; i < this.frameNr; i++) out += FRAME_STATUS_NAMES[this.status(i)]?.[0] ?? '?';
    return out;
  }
}
