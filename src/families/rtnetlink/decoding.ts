// What the four rtnetlink decoders share: their options (interface names and flags from
// outside the message), the argument and bounds checks they make first, and the attributes
// they keep as bytes.
import { argumentChecker } from '../../errors/check.js';
import { DecodeError } from '../../errors/NetlinkError.js';
import { attributeTooShort } from '../../netlink/attributeReader.js';
import { NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';
import { NetlinkMessage } from '../../netlink/NetlinkMessage.js';

/**
 * What the rtnetlink decoders need from outside the message. iproute2 names interfaces
 * from a cache it fills by dumping links first; give the decoders the same knowledge as a
 * Map or a function (for example a Map built from {@link decodeLink} results, or one kept
 * current from RTM_NEWLINK/RTM_DELLINK events). Without it, or for an index it does not
 * know, an interface prints as ip prints an index it cannot name: `if<N>`.
 *
 * @example
 * declare const links: Link[];
 * const ifname = new Map(links.map((l) => [l.ifindex, l.ifname ?? '']));
 * decodeRoute(message, { ifname });
 */
export interface RtnetlinkDecodeOptions {
  /** ifindex → interface name: fills route `dev`/`iif`, address `ifname`, link `master`/`link`, neighbour `dev`. */
  readonly ifname?: ReadonlyMap<number, string> | ((ifindex: number) => string | undefined);
  /**
   * ifindex → IFF_* flags: lets {@link decodeLink} add ip's `M-DOWN` flag when the
   * interface's link (`IFLA_LINK`, e.g. a veth peer) is not UP. Without it, M-DOWN is
   * never shown.
   */
  readonly ifflags?: ReadonlyMap<number, number> | ((ifindex: number) => number | undefined);
}

/**
 * The name of interface `ifindex` from the decode options, or ip's placeholder `if<N>`.
 *
 * @example
 * interfaceName({ ifname: new Map([[1, 'lo']]) }, 1); // 'lo'
 * interfaceName(undefined, 7); // 'if7'
 */
export function interfaceName(
  options: RtnetlinkDecodeOptions | undefined,
  ifindex: number,
): string {
  const lookup = options?.ifname;
  if (lookup !== undefined) {
    const name = typeof lookup === 'function' ? lookup(ifindex) : lookup.get(ifindex);
    if (typeof name === 'string') return name;
  }
  return `if${ifindex}`;
}

function isLookup(value: unknown): boolean {
  return (
    typeof value === 'function' ||
    (typeof value === 'object' &&
      value !== null &&
      typeof (value as { get?: unknown }).get === 'function')
  );
}

/**
 * The argument checks a decoder `fn` makes before reading: `message` is a NetlinkMessage
 * and `options`, when given, holds lookups (else a `TypeError` naming `fn`). Cheap enough
 * for the dump path: one `instanceof` and an identity test for options seen before.
 *
 * @internal
 * @example
 * checkDecodeArguments('decodeRoute', message, { ifname });
 */
export function checkDecodeArguments(fn: string, message: unknown, options: unknown): void {
  if (!(message instanceof NetlinkMessage)) {
    argumentChecker(fn).fail('message', 'a NetlinkMessage', message);
  }
  // A dump or monitor passes the same options object for every message: check it once.
  if (options === undefined || options === lastChecked) return;
  const o = options as { ifname?: unknown; ifflags?: unknown };
  if (typeof o !== 'object' || o === null || Array.isArray(o)) {
    argumentChecker(fn).fail('options', 'an object', options);
  }
  if (o.ifname !== undefined && !isLookup(o.ifname)) {
    argumentChecker(fn).fail('options.ifname', 'a Map of ifindex to name or a function', o.ifname);
  }
  if (o.ifflags !== undefined && !isLookup(o.ifflags)) {
    argumentChecker(fn).fail(
      'options.ifflags',
      'a Map of ifindex to flags or a function',
      o.ifflags,
    );
  }
  lastChecked = options;
}

/** The last options object {@link checkDecodeArguments} accepted (a cache, no state). */
let lastChecked: unknown;

/**
 * Throws the {@link DecodeError} for a message whose `nlmsg_len` (ending at `end`) runs past
 * the `size` bytes of its buffer.
 *
 * @internal
 * @example
 * declare const bytes: Uint8Array;
 * if (end > bytes.byteLength) pastBuffer(message.offset, end, bytes.byteLength);
 */
export function pastBuffer(offset: number, end: number, size: number): never {
  throw new DecodeError(
    `nlmsg_len ${end - offset} runs past the end of its ${size - offset} bytes`,
    offset,
  );
}

/**
 * Where the fixed header of an rtnetlink message starts (its payload offset), after the
 * checks every decoder makes first: the type is RTM_NEW<kind> or RTM_DEL<kind>, its
 * `nlmsg_len` stays inside its bytes, and the payload holds the `size`-byte `struct`.
 * Anything else is a DecodeError at the message's offset.
 *
 * @example
 * const header = fixedHeader(message, RTM_NEWLINK, RTM_DELLINK, 'LINK', 'link', 'ifinfomsg', IFINFOMSG_SIZE);
 */
export function fixedHeader(
  message: NetlinkMessage,
  newType: number,
  delType: number,
  kind: string,
  object: string,
  struct: string,
  size: number,
): number {
  const type = message.type;
  if (type !== newType && type !== delType) {
    throw new DecodeError(
      `message type ${type} is not RTM_NEW${kind} or RTM_DEL${kind}`,
      message.offset,
    );
  }
  const header = message.payloadOffset;
  const end = message.end;
  const available = message.bytes.byteLength;
  if (end > available) pastBuffer(message.offset, end, available);
  if (end - header < size) {
    throw new DecodeError(
      `${object} message: ${end - header}-byte payload is shorter than struct ${struct} (${size} bytes)`,
      message.offset,
    );
  }
  return header;
}

/**
 * One attribute a decoder kept as bytes: its type (flags stripped), and its payload.
 *
 * @example
 * const route = decodeRoute(message);
 * for (const { type, nested, data } of route.attrs ?? []) console.log(type, nested, data.byteLength);
 */
export interface RawAttribute {
  /** The attribute type without NLA_F_NESTED / NLA_F_NET_BYTEORDER. */
  readonly type: number;
  /** Whether NLA_F_NESTED was set. */
  readonly nested: boolean;
  /** The payload, a view into the decoded object's own copy (never into a ring frame). */
  readonly data: Uint8Array;
}

const EMPTY_BYTES = new Uint8Array(0);
const HEX2: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

/**
 * The attributes of a message that a decoder did not map to fields (unknown types, nested
 * data it leaves alone such as `IFLA_STATS64` or `IFLA_LINKINFO`'s `info_data`). It owns a
 * copy of the message's attribute area, taken once when the decoder found at least one
 * such attribute — never a view into a ring frame, so a decoded object outlives its frame —
 * and walks that copy only when asked. Mapped types are skipped by a per-decoder table.
 *
 * @example
 * const route = decodeRoute(message);
 * for (const { type, data } of route.attrs) console.log(type, data.byteLength);
 * route.attrs.get(RTA_MARK); // Uint8Array | undefined
 */
export class RawAttributes implements Iterable<RawAttribute> {
  /** Shared instance for messages whose every attribute was mapped. */
  static readonly empty: RawAttributes = new RawAttributes(EMPTY_BYTES, null);

  private readonly bytes: Uint8Array;
  private readonly mapped: Uint8Array | null;

  /**
   * @param bytes well-formed attributes (already walked by the decoder), owned by this object.
   * @param mapped `mapped[type] === 1` for types the decoder turned into fields.
   */
  constructor(bytes: Uint8Array, mapped: Uint8Array | null) {
    this.bytes = bytes;
    this.mapped = mapped;
  }

  private isMapped(type: number): boolean {
    return this.mapped !== null && type < this.mapped.length && this.mapped[type] === 1;
  }

  /** Calls `visit(type, nested, start, end)` for each kept attribute; stops on `false`. */
  private walk(
    visit: (type: number, nested: boolean, start: number, end: number) => boolean,
  ): void {
    const b = this.bytes;
    let at = 0;
    while (at + 4 <= b.byteLength) {
      const len = b[at] | (b[at + 1] << 8);
      const raw = b[at + 2] | (b[at + 3] << 8);
      if (len < 4 || at + len > b.byteLength) return;
      const type = raw & NLA_TYPE_MASK;
      if (!this.isMapped(type) && !visit(type, (raw & NLA_F_NESTED) !== 0, at + 4, at + len)) {
        return;
      }
      at += (len + 3) & ~3;
    }
  }

  /** Number of kept attributes. */
  get size(): number {
    // Most messages keep none (the shared empty instance): no walk, no closure.
    if (this.bytes.byteLength === 0) return 0;
    let n = 0;
    this.walk(() => {
      n++;
      return true;
    });
    return n;
  }

  /** Whether an attribute of `type` was kept. */
  has(type: number): boolean {
    return this.get(type) !== undefined;
  }

  /** The payload of the first kept attribute of `type`. */
  get(type: number): Uint8Array | undefined {
    let found: Uint8Array | undefined;
    this.walk((t, _n, start, end) => {
      if (t !== type) return true;
      found = this.bytes.subarray(start, end);
      return false;
    });
    return found;
  }

  /** The types kept, in message order (repeats included). */
  types(): number[] {
    const types: number[] = [];
    this.walk((t) => {
      types.push(t);
      return true;
    });
    return types;
  }

  [Symbol.iterator](): Iterator<RawAttribute> {
    const list: RawAttribute[] = [];
    this.walk((type, nested, start, end) => {
      list.push({ type, nested, data: this.bytes.subarray(start, end) });
      return true;
    });
    return list[Symbol.iterator]();
  }

  /** JSON form: `[{ type, nested, hex }]`. */
  toJSON(): Array<{ type: number; nested: boolean; hex: string }> {
    const out: Array<{ type: number; nested: boolean; hex: string }> = [];
    this.walk((type, nested, start, end) => {
      let hex = '';
      for (let i = start; i < end; i++) hex += HEX2[this.bytes[i]];
      out.push({ type, nested, hex });
      return true;
    });
    return out;
  }
}

/**
 * Whether `aLength` bytes at `a` equal `bLength` bytes at `b` in `bytes` (false when `b`
 * is negative, meaning absent).
 *
 * @example
 * sameBytes(new Uint8Array([1, 2, 1, 2]), 0, 2, 2, 2); // true
 */
export function sameBytes(
  bytes: Uint8Array,
  a: number,
  aLength: number,
  b: number,
  bLength: number,
): boolean {
  if (b < 0 || aLength !== bLength) return false;
  for (let i = 0; i < aLength; i++) if (bytes[a + i] !== bytes[b + i]) return false;
  return true;
}

/**
 * The first fault in message order among the attributes `[start, end)` before `error.at`:
 * a payload shorter than `sizes[type]` bytes (the fixed-size types a decoder maps), or else
 * `error` itself. Decoders that index a set's headers before reading it (the generated
 * views) find a broken header further on before a short payload earlier on; this puts the
 * earlier one first, as a decoder walking in order reports it. Only on the error path.
 *
 * @internal
 * @example
 * declare const message: NetlinkMessage;
 * const sizes = new Uint8Array(64).fill(0);
 * sizes[4] = 4; // IFLA_MTU: u32
 * try {
 *   decodeLink(message);
 * } catch (e) {
 *   if (e instanceof DecodeError) throw firstFault(message.view, message.payloadOffset + 16, message.end, sizes, e);
 * }
 */
export function firstFault(
  view: DataView,
  start: number,
  end: number,
  sizes: Uint8Array,
  error: DecodeError,
): DecodeError {
  for (let at = start; at + NLA_HDRLEN <= end && at < error.at; ) {
    const len = view.getUint16(at, true);
    if (len < NLA_HDRLEN || at + len > end) break;
    const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
    const need = type < sizes.length ? (sizes[type] ?? 0) : 0;
    if (len - NLA_HDRLEN < need)
      return attributeTooShort(view, at, len - NLA_HDRLEN, `u${need * 8}`);
    at += (len + 3) & ~3;
  }
  return error;
}
