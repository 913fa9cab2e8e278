import { DecodeError } from '../errors/DecodeError.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { Attributes } from './Attributes.js';
import { NLMSG_HDRLEN } from './constants.js';

/** Anything whose memory can go back to a producer: a ring frame. */
export interface MessageOwner {
  /** False once the memory was released. */
  readonly live: boolean;
}

/**
 * One netlink message (`nlmsghdr` and payload) read in place from a frame. The header
 * fields are plain numbers read when the message was parsed; the bytes are a window into
 * the frame, so while the frame is borrowed the message is too: after its frame is released
 * {@link data}, {@link view} and {@link attributes} throw. {@link copy} detaches it.
 *
 * ```
 *  0               4       6       8               12              16
 * +---------------+-------+-------+---------------+---------------+------- - -
 * |  nlmsg_len    | type  | flags |  nlmsg_seq    |  nlmsg_pid    | payload
 * +---------------+-------+-------+---------------+---------------+------- - -
 * ```
 *
 * @example
 * messages$.subscribe((m) => console.log(m.type, m.seq, m.payloadLength));
 */
export class NetlinkMessage {
  /** `nlmsg_len`: header plus payload. */
  readonly length: number;
  /** `nlmsg_type`. */
  readonly type: number;
  /** `nlmsg_flags`. */
  readonly flags: number;
  /** `nlmsg_seq`. */
  readonly seq: number;
  /** `nlmsg_pid`: the sender's port id (0 from the kernel). */
  readonly pid: number;
  /** The multicast group of the frame it came in (`nm_group`), 0 for unicast. */
  readonly group: number;
  /** Offset of the nlmsghdr in {@link bytes}. */
  readonly offset: number;
  private readonly _bytes: Uint8Array;
  private readonly _view: DataView;
  private readonly owner: MessageOwner | null;

  constructor(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    group = 0,
    owner: MessageOwner | null = null,
  ) {
    this._bytes = bytes;
    this._view = view;
    this.offset = offset;
    this.length = view.getUint32(offset, true);
    this.type = view.getUint16(offset + 4, true);
    this.flags = view.getUint16(offset + 6, true);
    this.seq = view.getUint32(offset + 8, true);
    this.pid = view.getUint32(offset + 12, true);
    this.group = group;
    this.owner = owner;
  }

  /**
   * A detached message over its own bytes (one whole nlmsghdr at offset 0).
   *
   * @example
   * NetlinkMessage.from(new Uint8Array([16, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]));
   */
  static from(data: Uint8Array, group = 0): NetlinkMessage {
    if (data.byteLength < NLMSG_HDRLEN) {
      throw new DecodeError(`${data.byteLength} bytes are too short for an nlmsghdr`, 0);
    }
    return new NetlinkMessage(
      data,
      new DataView(data.buffer, data.byteOffset, data.byteLength),
      0,
      group,
    );
  }

  /** Whether the memory behind the message is still owned by the process. */
  get live(): boolean {
    return this.owner === null || this.owner.live;
  }

  private check(): void {
    if (this.owner !== null && !this.owner.live) {
      throw new NetlinkError({
        op: 'frame',
        errno: errnos.ESTALE,
        detail: 'the frame of this message was released; defer() or copy() to keep it past next()',
      });
    }
  }

  /** Offset of the payload (after the 16-byte header) in {@link bytes}. */
  get payloadOffset(): number {
    return this.offset + NLMSG_HDRLEN;
  }

  /** Payload length: `nlmsg_len - 16`. */
  get payloadLength(): number {
    return this.length - NLMSG_HDRLEN;
  }

  /** End offset of the message in {@link bytes}. */
  get end(): number {
    return this.offset + this.length;
  }

  /** The buffer the message lives in (a frame's ring, or its own copy). */
  get bytes(): Uint8Array {
    this.check();
    return this._bytes;
  }

  /** A DataView over {@link bytes}. */
  get view(): DataView {
    this.check();
    return this._view;
  }

  /** The whole message, header included, as a view (no copy). */
  get data(): Uint8Array {
    this.check();
    return this._bytes.subarray(this.offset, this.offset + this.length);
  }

  /** The payload as a view (no copy). */
  get payload(): Uint8Array {
    this.check();
    return this._bytes.subarray(this.offset + NLMSG_HDRLEN, this.offset + this.length);
  }

  /**
   * A cursor over the attributes after a family header of `familyHeaderLength` bytes (for
   * example 16 for `struct ifinfomsg`, 12 for `struct rtmsg`).
   */
  attributes(familyHeaderLength: number): Attributes {
    this.check();
    const start = this.offset + NLMSG_HDRLEN + ((familyHeaderLength + 3) & ~3);
    if (start > this.end) {
      throw new DecodeError(
        `message type ${this.type}: ${this.payloadLength}-byte payload is shorter than its ${familyHeaderLength}-byte family header`,
        this.offset,
      );
    }
    return new Attributes(this._view, start, this.end);
  }

  /** A detached copy that owns its bytes. */
  copy(): NetlinkMessage {
    return NetlinkMessage.from(this.data.slice(), this.group);
  }
}
