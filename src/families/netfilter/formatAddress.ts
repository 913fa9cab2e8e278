/**
 * The text form of an IPv4 (4 bytes) or IPv6 (16 bytes) address read in place at `offset`
 * of `view`: dotted quad, or RFC 5952 (lowercase, the longest run of two or more zero groups
 * as `::`, the first on a tie, IPv4-mapped addresses as `::ffff:a.b.c.d`) — what inet_ntop
 * and conntrack(8) print. Any other length gives the bytes in hex joined by `:`.
 *
 * @example
 * formatAddress(new DataView(new Uint8Array([127, 0, 0, 1]).buffer), 0, 4); // '127.0.0.1'
 */
export function formatAddress(view: DataView, offset: number, length: number): string {
  if (length === 4) return dotted(view, offset);
  if (length !== 16) {
    const parts: string[] = [];
    for (let i = 0; i < length; i++) parts.push(hex2(view.getUint8(offset + i)));
    return parts.join(':');
  }
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(view.getUint16(offset + i * 2, false));
  // ::ffff:a.b.c.d (IPv4-mapped).
  if (groups[5] === 0xffff && groups.slice(0, 5).every((g) => g === 0)) {
    return `::ffff:${dotted(view, offset + 12)}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const text = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':');
  if (bestStart < 0) return text(0, 8);
  return `${text(0, bestStart)}::${text(bestStart + bestLength, 8)}`;
}

function dotted(view: DataView, offset: number): string {
  return `${view.getUint8(offset)}.${view.getUint8(offset + 1)}.${view.getUint8(offset + 2)}.${view.getUint8(offset + 3)}`;
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, '0');
}
