import { DecodeError, FrameReleasedError } from '../errors/NetlinkError.js';
import { Attributes } from './Attributes.js';
import { NLMSG_HDRLEN } from './constants.js';

/**
 * `#define NLMSG_ALIGN(len) ( ((len)+NLMSG_ALIGNTO-1) & ~(NLMSG_ALIGNTO-1) )`
 *
 * Exact for every u32 `len` (no 32-bit overflow: the rounding is done in doubles).
 *
 * @example
 * nlmsgAlign(17); // 20
 */
export function nlmsgAlign(length: number): number {
  return length + ((4 - (length & 3)) & 3);
}

/**
 * Visits every `nlmsghdr` in `[start, start + length)` of `view` — a frame holds one message,
 * or many for a dump — without allocating. `visit(offset, messageLength)` gets the offset of
 * each header; returning `false` stops the walk. Returns the number of messages visited.
 *
 * Each message must pass NLMSG_OK:
 * ```
 * #define NLMSG_OK(nlh,len) ((len) >= (int)sizeof(struct nlmsghdr) && \
 *     (nlh)->nlmsg_len >= sizeof(struct nlmsghdr) && (nlh)->nlmsg_len <= (len))
 * ```
 * and messages follow each other at NLMSG_ALIGN(nlmsg_len). Anything else — a range outside
 * the view, a header cut short, a length below 16 or past the end — throws a
 * {@link DecodeError} with the offset.
 *
 * @example
 * const types: number[] = [];
 * walkMessages(frame.view, frame.start, frame.length, (off) => { types.push(frame.view.getUint16(off + 4, true)) });
 */
export function walkMessages(
  view: DataView,
  start: number,
  length: number,
  visit: (offset: number, messageLength: number) => boolean | undefined,
): number {
  if (!(start >= 0 && length >= 0 && start + length <= view.byteLength)) {
    throw new DecodeError(
      `range [${start}, ${start + length}) is outside the ${view.byteLength}-byte buffer`,
      Math.max(0, Math.min(start, view.byteLength)),
    );
  }
  const end = start + length;
  let offset = start;
  let count = 0;
  while (offset < end) {
    const remaining = end - offset;
    if (remaining < NLMSG_HDRLEN) {
      throw new DecodeError(`${remaining} trailing bytes are too short for an nlmsghdr`, offset);
    }
    const len = view.getUint32(offset, true);
    if (len < NLMSG_HDRLEN || len > remaining) {
      throw new DecodeError(`nlmsg_len ${len} is outside [16, ${remaining}]`, offset);
    }
    count++;
    if (visit(offset, len) === false) break;
    offset += nlmsgAlign(len);
  }
  return count;
}

/** Anything whose memory can go back to a producer: a ring frame. */
export interface MessageOwner {
  /** False once the memory was released. */
  readonly live: boolean;
  /** The ring frame's index (named by the {@link FrameReleasedError}); -1 if detached. */
  readonly index?: number | undefined;
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
 * declare const messages$: Observable<NetlinkMessage>;
 * messages$.subscribe((m) => console.log(m.type, m.seq, m.payloadLength));
 */
export class NetlinkMessage {
  /** The datagram this message is part of. */
  declare readonly context: MessageContext;
  /** Offset of the nlmsghdr in {@link bytes}. */
  declare readonly offset: number;
  /** `nlmsg_len`: header plus payload. */
  declare readonly length: number;
  /** `nlmsg_type`. */
  declare readonly type: number;
  /** `nlmsg_flags`. */
  declare readonly flags: number;
  /** `nlmsg_seq`. */
  declare readonly seq: number;

  // The fields are `declare`d: assigned once in the constructor, with no class-field
  // initializer run per message before the JIT has compiled the parser.

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
   * reads; parsers share one {@link MessageContext} per datagram instead. Throws a
   * {@link DecodeError} unless a whole nlmsghdr, and its `nlmsg_len` bytes, lie inside the
   * view. (An `nlmsg_len` below 16 gives a negative {@link payloadLength}: decoders reject it.)
   *
   * @example
   * const datagram = new Uint8Array(16);
   * NetlinkMessage.at(datagram, new DataView(datagram.buffer), 0);
   */
  static at(
    bytes: Uint8Array,
    view: DataView,
    offset: number,
    group = 0,
    owner: MessageOwner | null = null,
  ): NetlinkMessage {
    const room = view.byteLength - offset;
    if (!(offset >= 0 && room >= NLMSG_HDRLEN)) {
      throw new DecodeError(
        `${Math.max(0, room)} bytes are too short for an nlmsghdr`,
        Math.max(0, offset),
      );
    }
    // A length below 16 is left to the decoders (a negative payloadLength, which they reject
    // with their own text); one past the bytes would make every read past them a RangeError.
    const length = view.getUint32(offset, true);
    if (length > room) {
      throw new DecodeError(
        `nlmsg_len ${length} runs past the end of its ${room}-byte buffer`,
        offset,
      );
    }
    return new NetlinkMessage({ bytes, view, group, owner }, offset);
  }

  /**
   * A detached message over its own bytes (one whole nlmsghdr at offset 0). Throws a
   * {@link DecodeError} when `data` is shorter than a header or than its `nlmsg_len`.
   *
   * @example
   * NetlinkMessage.from(new Uint8Array([16, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0]));
   */
  static from(data: Uint8Array, group = 0): NetlinkMessage {
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
      throw new FrameReleasedError(owner.index ?? -1, 'message');
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
