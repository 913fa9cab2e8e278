import { DecodeError } from '../../errors/DecodeError.js';
import { NLA_HDRLEN, NLA_TYPE_MASK } from '../../netlink/constants.js';

/**
 * The DecodeError `Attributes.next()` gives for a malformed attribute header at `at`, with
 * attributes ending at `end`: too few bytes left for an nlattr, or an `nla_len` outside
 * `[4, bytes left]` — the same text, at the same offset.
 *
 * Internal to the netfilter decoders, which walk attributes without a cursor object.
 *
 * @example
 * if (len < NLA_HDRLEN || len > end - at) throw attributeHeaderError(view, at, end);
 */
export function attributeHeaderError(view: DataView, at: number, end: number): DecodeError {
  const remaining = end - at;
  if (remaining < NLA_HDRLEN) {
    return new DecodeError(`${remaining} trailing bytes are too short for an nlattr`, at);
  }
  const len = view.getUint16(at, true);
  const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
  return new DecodeError(`attribute type ${type}: nla_len ${len} is outside [4, ${remaining}]`, at);
}
