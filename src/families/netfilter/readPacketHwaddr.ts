import { DecodeError } from '../../errors/DecodeError.js';
import type { Attributes } from '../../netlink/Attributes.js';
import { StringCache } from './StringCache.js';

/** Addresses repeat from packet to packet (a flow's peer): format each one once. */
const formatted = new StringCache((view, at, length) => {
  const parts: string[] = [];
  for (let i = 0; i < length; i++)
    parts.push(
      view
        .getUint8(at + i)
        .toString(16)
        .padStart(2, '0'),
    );
  return parts.join(':');
});

/**
 * Reads the NFULA_HWADDR / NFQA_HWADDR payload at the cursor —
 * `struct { __be16 hw_addrlen; __u16 _pad; __u8 hw_addr[8]; }` — as lowercase hex bytes
 * joined by `:` (`52:54:00:12:34:56`), only the first `hw_addrlen` bytes. Throws a
 * {@link DecodeError} when the payload is shorter than its header or its stated length.
 *
 * @example
 * if (a.type === NFQA_HWADDR) packet.hwaddr = readPacketHwaddr(view, a);
 */
export function readPacketHwaddr(view: DataView, a: Attributes): string {
  if (a.length < 4) {
    throw new DecodeError(`hwaddr attribute type ${a.type}: ${a.length} bytes`, a.headerOffset);
  }
  const length = view.getUint16(a.offset, false);
  if (length > 8 || 4 + length > a.length) {
    throw new DecodeError(
      `hwaddr attribute type ${a.type}: hw_addrlen ${length} exceeds its ${a.length - 4}-byte field`,
      a.headerOffset,
    );
  }
  return formatted.get(view, a.offset + 4, length);
}
