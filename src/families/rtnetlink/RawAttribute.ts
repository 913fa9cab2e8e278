/**
 * One attribute a decoder kept as bytes: its type (flags stripped), and its payload.
 *
 * @example
 * for (const { type, nested, data } of route.attrs) console.log(type, nested, data.byteLength);
 */
export interface RawAttribute {
  /** The attribute type without NLA_F_NESTED / NLA_F_NET_BYTEORDER. */
  readonly type: number;
  /** Whether NLA_F_NESTED was set. */
  readonly nested: boolean;
  /** The payload, a view into the decoded object's own copy (never into a ring frame). */
  readonly data: Uint8Array;
}
