import { MessageWriter } from '../netlink/MessageWriter.js';

/**
 * The value of one attribute for {@link buildMessage}: raw bytes, a `u32` (number), a `u64`
 * (bigint), a NUL-terminated string, or a list of attributes (a nest, NLA_F_NESTED set).
 */
export type AttributeValue = Uint8Array | number | bigint | string | readonly MessageAttribute[];

/** One attribute for {@link buildMessage}: `[nla_type, value]`. */
export type MessageAttribute = readonly [type: number, value: AttributeValue];

/** What {@link buildMessage} puts in the message. */
export interface BuildMessageOptions {
  /** `nlmsg_type`. */
  type: number;
  /** `nlmsg_flags`; default 0. */
  flags?: number | undefined;
  /** `nlmsg_seq`; default 0. */
  seq?: number | undefined;
  /** `nlmsg_pid`; default 0 (from the kernel). */
  pid?: number | undefined;
  /** Bytes right after the header (a family header such as `struct ifinfomsg`), padded to 4. */
  payload?: Uint8Array | undefined;
  /** Attributes after the payload, in order. */
  attributes?: readonly MessageAttribute[] | undefined;
}

/**
 * One netlink message (`nlmsghdr`, payload, attributes) as bytes, for scripting a simulated
 * kernel or a test table: in the spirit of mdlayher/netlink's nltest, replies are built
 * from plain values. `nlmsg_len` covers everything written; the payload is padded to
 * NLMSG_ALIGNTO before the attributes.
 *
 * @example
 * const link = buildMessage({
 *   type: rtnetlink.RTM_NEWLINK, flags: NLM_F_MULTI, seq: 7,
 *   payload: new Uint8Array(16),                       // struct ifinfomsg
 *   attributes: [[rtnetlink.IFLA_IFNAME, 'lo'], [rtnetlink.IFLA_MTU, 65536]],
 * });
 */
export function buildMessage(options: BuildMessageOptions): Uint8Array {
  const w = new MessageWriter();
  w.begin(options.type, options.flags ?? 0, options.seq ?? 0, options.pid ?? 0);
  if (options.payload !== undefined) {
    w.bytes(options.payload);
    w.zeros(((options.payload.byteLength + 3) & ~3) - options.payload.byteLength);
  }
  if (options.attributes !== undefined) writeAttributes(w, options.attributes);
  return w.end().finish();
}

function writeAttributes(w: MessageWriter, attributes: readonly MessageAttribute[]): void {
  for (const [type, value] of attributes) {
    if (value instanceof Uint8Array) w.attr(type, value);
    else if (typeof value === 'number') w.attrU32(type, value);
    else if (typeof value === 'bigint') w.attrU64(type, value);
    else if (typeof value === 'string') w.attrString(type, value);
    else {
      const token = w.nest(type);
      writeAttributes(w, value);
      w.endNest(token);
    }
  }
}
