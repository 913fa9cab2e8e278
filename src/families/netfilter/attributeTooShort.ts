import { DecodeError } from '../../errors/DecodeError.js';
import { NLA_TYPE_MASK } from '../../netlink/constants.js';

/**
 * The DecodeError `Attributes` gives for an attribute (header at `at`, payload `length`
 * bytes) too short for `what`: the same text, at the header's offset.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (length < 4) throw attributeTooShort(view, at, length, 'be32');
 */
export function attributeTooShort(
  view: DataView,
  at: number,
  length: number,
  what: string,
): DecodeError {
  const type = view.getUint16(at + 2, true) & NLA_TYPE_MASK;
  return new DecodeError(
    `attribute type ${type}: ${length}-byte payload is too short for ${what}`,
    at,
  );
}
