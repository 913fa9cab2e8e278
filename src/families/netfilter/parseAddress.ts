/**
 * The bytes of an IPv4 address (`a.b.c.d`, 4 bytes) or an IPv6 address (any RFC 4291 text
 * form, including `::` and a trailing dotted quad, 16 bytes) — the inverse of
 * {@link formatAddress}. Throws a TypeError for text that is neither.
 *
 * @example
 * parseAddress('::1'); // Uint8Array(16) [0, ..., 0, 1]
 */
export function parseAddress(text: string): Uint8Array {
  const v4 = parseDotted(text);
  if (v4 !== undefined) return v4;
  const out = new Uint8Array(16);
  let rest = text;
  // A trailing dotted quad stands for the last two groups.
  let tail: Uint8Array | undefined;
  const lastColon = rest.lastIndexOf(':');
  if (lastColon >= 0 && rest.includes('.', lastColon)) {
    tail = parseDotted(rest.slice(lastColon + 1));
    if (tail === undefined) throw new TypeError(`not an IP address: ${text}`);
    rest = `${rest.slice(0, lastColon + 1)}0:0`;
  }
  const halves = rest.split('::');
  if (halves.length > 2) throw new TypeError(`not an IP address: ${text}`);
  const groups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = groups(halves[0]);
  const back = halves.length === 2 ? groups(halves[1]) : [];
  const total = head.length + back.length;
  if (halves.length === 2 ? total > 7 : total !== 8) {
    throw new TypeError(`not an IP address: ${text}`);
  }
  const all = [...head, ...new Array<string>(8 - total).fill('0'), ...back];
  for (const [i, g] of all.entries()) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) throw new TypeError(`not an IP address: ${text}`);
    const value = Number.parseInt(g, 16);
    out[i * 2] = value >> 8;
    out[i * 2 + 1] = value & 0xff;
  }
  if (tail !== undefined) out.set(tail, 12);
  return out;
}

function parseDotted(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (const [i, p] of parts.entries()) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    out[i] = Number(p);
  }
  return out;
}
