import { attributeTooShort } from './attributeTooShort.js';

/**
 * The big-endian u32 payload of the attribute whose header starts at `at` and whose payload
 * is `length` bytes, as `Attributes.be32()` reads it — with its DecodeError (at the header)
 * when the payload is too short — for decoders that walk attributes without a cursor object.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (type === NFULA_SEQ) packet.seq = attrBe32(view, at, len - 4);
 */
export function attrBe32(view: DataView, at: number, length: number): number {
  if (length < 4) throw attributeTooShort(view, at, length, 'be32');
  return view.getUint32(at + 4, false);
}
