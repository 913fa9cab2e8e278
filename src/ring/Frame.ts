import { FrameReleasedError } from '../errors/NetlinkError.js';
import type { Ring } from './Ring.js';
import { RingReader } from './RingReader.js';

/**
 * One received datagram: the netlink data of an RX frame and its header fields. A frame
 * from a ring source is **borrowed**: it is valid during the synchronous `next()` that
 * delivers it and released to the producer when that call returns, after which every
 * accessor throws {@link FrameReleasedError}. To keep it across asynchronous work,
 * {@link defer} it (SKIP, released later by {@link release}) or {@link copy} it.
 *
 * COPY frames (RING-SPEC §4.2) look the same: their data was read with `recv()` and
 * {@link copied} is true.
 *
 * Data is a zero-copy window: `bytes[start .. start + length)`, with `view` a DataView over
 * the same memory, so decoders read in place.
 *
 * @example
 * declare const frames$: Observable<Frame>;
 * frames$.subscribe((f) => console.log(f.length, f.group, f.bytes[f.start + 4]));
 */
export class Frame {
  /** Detached frames (from {@link copy}) are never released. */
  declare private readonly ring: Ring | null;
  /** Frame index in its ring (-1 for a detached frame). */
  declare readonly index: number;
  declare private readonly generation: number;
  declare private readonly _bytes: Uint8Array;
  declare private readonly _view: DataView;
  declare private readonly _start: number;
  declare private readonly _length: number;
  declare private readonly header: Uint32Array | null;
  /** True when the data came through `recv()` for a COPY frame. */
  declare readonly copied: boolean;
  declare private _deferred: boolean;

  /**
   * Built by sources and test helpers; users get frames from a source.
   * `header` holds nm_group, nm_pid, nm_uid, nm_gid for detached frames.
   */
  constructor(
    ring: Ring | null,
    index: number,
    bytes: Uint8Array,
    view: DataView,
    start: number,
    length: number,
    copied: boolean,
    header: Uint32Array | null = null,
  ) {
    this.ring = ring;
    this.index = index;
    this.generation = ring === null ? 0 : ring.generations[index];
    this._bytes = bytes;
    this._view = view;
    this._start = start;
    this._length = length;
    this.copied = copied;
    this.header = header;
    this._deferred = false;
  }

  /**
   * A detached frame over `data` (a copy, or bytes from elsewhere), for tests and replays.
   *
   * @example
   * Frame.of(Uint8Array.of(16, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0), { group: 1 });
   */
  static of(
    data: Uint8Array,
    header: { group?: number; pid?: number; uid?: number; gid?: number } = {},
  ): Frame {
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const h = new Uint32Array([
      header.group ?? 0,
      header.pid ?? 0,
      header.uid ?? 0,
      header.gid ?? 0,
    ]);
    return new Frame(null, -1, bytes, view, 0, data.byteLength, false, h);
  }

  /** Whether the frame is still owned by the process (always true once copied). */
  get live(): boolean {
    return this.ring === null || this.ring.generations[this.index] === this.generation;
  }

  /** Whether {@link defer} was called and {@link release} not yet. */
  get deferred(): boolean {
    return this._deferred && this.live;
  }

  private check(): void {
    if (this.ring !== null && this.ring.generations[this.index] !== this.generation) {
      throw new FrameReleasedError(this.index);
    }
  }

  /** The buffer holding the data; the message starts at {@link start}. */
  get bytes(): Uint8Array {
    this.check();
    return this._bytes;
  }

  /** A DataView over {@link bytes}. */
  get view(): DataView {
    this.check();
    return this._view;
  }

  /** Offset of the first nlmsghdr in {@link bytes}. */
  get start(): number {
    this.check();
    return this._start;
  }

  /** `nm_len`: bytes of netlink data (0 for a frame whose construction was aborted). */
  get length(): number {
    this.check();
    return this._length;
  }

  /** `nm_group`: the multicast group the message was sent to, 0 for unicast. */
  get group(): number {
    return this.field(0);
  }

  /**
   * `nm_pid`: 0 when the kernel sent the datagram; otherwise who did — the sender's process
   * id on the kernel's own rings, its netlink port id on the ring engine.
   */
  get pid(): number {
    return this.field(1);
  }

  /** `nm_uid`: the sender's uid. */
  get uid(): number {
    return this.field(2);
  }

  /** `nm_gid`: the sender's gid. */
  get gid(): number {
    return this.field(3);
  }

  private field(i: number): number {
    this.check();
    if (this.header !== null) return this.header[i];
    const ring = this.ring as Ring;
    switch (i) {
      case 0:
        return ring.group(this.index);
      case 1:
        return ring.pid(this.index);
      case 2:
        return ring.uid(this.index);
      default:
        return ring.gid(this.index);
    }
  }

  /** The data as a Uint8Array view (no copy); valid while the frame is owned. */
  get data(): Uint8Array {
    this.check();
    return this._bytes.subarray(this._start, this._start + this._length);
  }

  /**
   * Keeps the frame past the `next()` that delivered it: marks it SKIP so the producer steps
   * over it (RING-SPEC §4.1). The caller must {@link release} it. Idempotent.
   */
  defer(): this {
    this.check();
    if (this.ring !== null && !this._deferred) {
      if (!RingReader.of(this.ring).defer(this.index)) throw new FrameReleasedError(this.index);
    }
    this._deferred = true;
    return this;
  }

  /**
   * Gives the frame back to the producer (UNUSED): a deferred one through the ring's
   * `RingReader`, which counts it and wakes the ring's source. Safe to call twice; a no-op
   * once copied.
   */
  release(): void {
    const ring = this.ring;
    if (ring === null || !this.live) return;
    const wasDeferred = this._deferred;
    this._deferred = false;
    if (wasDeferred) RingReader.of(ring).releaseDeferred(this.index);
    else ring.release(this.index);
  }

  /**
   * The process side of this frame's ring (`RingReader.of(ring)`), null for a detached
   * frame. For operators that share the ring's deferral accounting (`deferFrames`).
   *
   * @internal
   */
  get reader(): RingReader | null {
    return this.ring === null ? null : RingReader.of(this.ring);
  }

  /** Whether the frame is owned past its `next()` (deferred and not yet released). */
  get held(): boolean {
    return this._deferred;
  }

  /**
   * The deferral bound of this frame's ring (`RingReader.holdLimit`), ring-wide: a source
   * stops taking frames while that many are deferred. Infinity for a detached frame, where
   * setting it does nothing. Readable and settable after release (it touches no frame data).
   * Setting it sets the reader's base limit; parties that share a ring add their own with
   * `RingReader.limit` instead.
   */
  get holdLimit(): number {
    return this.ring === null ? Number.POSITIVE_INFINITY : RingReader.of(this.ring).holdLimit;
  }

  set holdLimit(limit: number) {
    if (this.ring !== null) RingReader.of(this.ring).holdLimit = limit;
  }

  /** A detached copy that owns its bytes and never goes stale. */
  copy(): Frame {
    this.check();
    const data = this._bytes.slice(this._start, this._start + this._length);
    return Frame.of(data, { group: this.group, pid: this.pid, uid: this.uid, gid: this.gid });
  }
}
