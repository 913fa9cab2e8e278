import { NLA_HDRLEN } from '../../netlink/constants.js';

/**
 * The payload of the attribute whose header starts at `at` and whose payload is `length`
 * bytes (already checked to lie inside `view`): a zero-copy view into `view`'s memory, or a
 * copy of it when `copy` is true — for decoders that walk attributes without a cursor object.
 *
 * A view is valid only while the memory under `view` is (a ring frame: until it is
 * released); a copy owns its bytes.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (type === NFQA_PAYLOAD) packet.payload = attrBytes(view, at, len - 4, copy);
 */
export function attrBytes(view: DataView, at: number, length: number, copy: boolean): Uint8Array {
  const data = new Uint8Array(view.buffer, view.byteOffset + at + NLA_HDRLEN, length);
  return copy ? data.slice() : data;
}
