import { StringCache } from './StringCache.js';

const utf8 = new TextDecoder();
/** Prefixes and security contexts repeat from packet to packet: decode each one once. */
const strings = new StringCache((view, at, length) =>
  utf8.decode(new Uint8Array(view.buffer, view.byteOffset + at, length)),
);

/**
 * The string payload of the attribute whose header starts at `at` (payload `length` bytes),
 * as `Attributes.string()` reads it — UTF-8 up to the first NUL or the end — but made once
 * per distinct value: a repeat costs a byte comparison in place.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (type === NFULA_PREFIX) packet.prefix = attrString(view, at, len - 4);
 */
export function attrString(view: DataView, at: number, length: number): string {
  const start = at + 4;
  const end = start + length;
  let nul = start;
  while (nul < end && view.getUint8(nul) !== 0) nul++;
  return strings.get(view, start, nul - start);
}
