import { attributeTooShort } from './attributeTooShort.js';

/**
 * The big-endian u16 payload of the attribute whose header starts at `at` and whose payload
 * is `length` bytes, as `Attributes.be16()` reads it (same DecodeError when too short).
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (type === NFULA_HWTYPE) packet.hwtype = attrBe16(view, at, len - 4);
 */
export function attrBe16(view: DataView, at: number, length: number): number {
  if (length < 2) throw attributeTooShort(view, at, length, 'be16');
  return view.getUint16(at + 4, false);
}
