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
 * What the messages of one datagram share: where their bytes are, the group the datagram
 * came in, and who owns the memory. A parser makes one per frame, so a message handle
 * carries only its own header and offset.
 */
export interface MessageContext {
  /** The buffer holding the datagram (a ring, or a copy). */
  readonly bytes: Uint8Array;
  /** A DataView over the same memory as `bytes`. */
  readonly view: DataView;
  /** `nm_group` of the datagram, 0 for unicast. */
  readonly group: number;
  /** The owner of the memory (a frame), or null for memory that never goes stale. */
  readonly owner: MessageOwner | null;
}

/**
 * One netlink message (`nlmsghdr` and payload) read in place from a frame. The header
 * fields are plain numbers read when the message was parsed; the bytes are a window into
 * the frame, so while the frame is borrowed the message is too: after its frame is released
 * {@link data}, {@link view}, {@link pid} and {@link attributes} throw. {@link copy} detaches it.
 *
 * ```
 *  0               4       6       8               12              16
 * +---------------+-------+-------+---------------+---------------+------- - -
 * |  nlmsg_len    | type  | flags |  nlmsg_seq    |  nlmsg_pid    | payload
 * +---------------+-------+-------+---------------+---------------+------- - -
 * ```
 *
 * A handle is six fields (the context, its offset, four header fields): parsing allocates
 * nothing else per message.
 *
 * @example
 * messages$.subscribe((m) => console.log(m.type, m.seq, m.payloadLength));
 */
export class NetlinkMessage {
  /** The datagram this message is part of. */
  readonly context: MessageContext;
  /** Offset of the nlmsghdr in {@link bytes}. */
  readonly offset: number;
  /** `nlmsg_len`: header plus payload. */
  readonly length: number;
  /** `nlmsg_type`. */
  readonly type: number;
  /** `nlmsg_flags`. */
  readonly flags: number;
  /** `nlmsg_seq`. */
  readonly seq: number;

  /** The message whose nlmsghdr is at `offset` in `context`'s memory (a parser's hot path). */
  constructor(context: MessageContext, offset: number) {
    const view = context.view;
    this.context = context;
    this.offset = offset;
    this.length = view.getUint32(offset, true);
    this.type = view.getUint16(offset + 4, true);
    this.flags = view.getUint16(offset + 6, true);
    this.seq = view.getUint32(offset + 8, true);
  }

  /**
   * The message at `offset` in `bytes` (with `view` over the same memory), for one-off
   * reads; parsers share one {@link MessageContext} per datagram instead.
   *
   * @example
   * NetlinkMessage.at(datagram, new DataView(datagram.buffer), 0);
   */
  static at(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    group = 0,
    owner: MessageOwner | null = null,
  ): NetlinkMessage {
    return new NetlinkMessage({ bytes, view, group, owner }, offset);
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
    return NetlinkMessage.at(
      data,
      new DataView(data.buffer, data.byteOffset, data.byteLength),
      0,
      group,
    );
  }

  /** The multicast group of the frame it came in (`nm_group`), 0 for unicast. */
  get group(): number {
    return this.context.group;
  }

  /** `nlmsg_pid`: the sender's port id (0 from the kernel). */
  get pid(): number {
    this.check();
    return this.context.view.getUint32(this.offset + 12, true);
  }

  /** Whether the memory behind the message is still owned by the process. */
  get live(): boolean {
    const owner = this.context.owner;
    return owner === null || owner.live;
  }

  private check(): void {
    const owner = this.context.owner;
    if (owner !== null && !owner.live) {
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
    return this.context.bytes;
  }

  /** A DataView over {@link bytes}. */
  get view(): DataView {
    this.check();
    return this.context.view;
  }

  /** The whole message, header included, as a view (no copy). */
  get data(): Uint8Array {
    this.check();
    return this.context.bytes.subarray(this.offset, this.offset + this.length);
  }

  /** The payload as a view (no copy). */
  get payload(): Uint8Array {
    this.check();
    return this.context.bytes.subarray(this.offset + NLMSG_HDRLEN, this.offset + this.length);
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
    return new Attributes(this.context.view, start, this.end);
  }

  /** A detached copy that owns its bytes. */
  copy(): NetlinkMessage {
    return NetlinkMessage.from(this.data.slice(), this.group);
  }
}
