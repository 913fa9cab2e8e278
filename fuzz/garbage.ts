// What a decoder must never return, whatever bytes it was given: a value that is not what
// its field can hold. The checker walks a decoded value (objects, arrays, Maps) and names
// the first garbage it finds, with the path to it:
// - text made of failed conversions: "undefined", "NaN", "[object ...]", "Infinity";
// - a number that is NaN or infinite, or not an integer (every decoded field is an integer
//   on the wire, but timers in seconds), or outside the range of the wire field its name
//   says (u8, u16, u32, ...);
// - an address field whose text is not an address (IPv4, IPv6, a prefix of either, a
//   link-layer address as hex bytes, or ip's words for none);
// - a bigint outside u64/s64.

const U8 = [0, 0xff] as const;
const U16 = [0, 0xffff] as const;
const U32 = [0, 0xffffffff] as const;
const S32 = [-0x80000000, 0x7fffffff] as const;

/** Wire ranges by field name (the rtnetlink, netfilter and genl objects' names). */
const RANGES: Readonly<Record<string, readonly [number, number]>> = {
  family: U8,
  prefixlen: U8,
  scope: U8,
  protocol: U16,
  tos: U8,
  srclen: U8,
  dstlen: U8,
  hoplimit: U32,
  weight: [1, 256],
  // ifinfomsg's ifi_index is an int, ifaddrmsg's ifa_index a __u32.
  ifindex: [S32[0], U32[1]],
  iif: U32,
  oif: U32,
  table: U32,
  metric: U32,
  priority: U32,
  mtu: U32,
  txqlen: U32,
  id: U32,
  mark: U32,
  seq: U32,
  hdrsize: U32,
  maxattr: U32,
  queue: U16,
  group: U32,
  port: U16,
  sport: U16,
  dport: U16,
  uid: U32,
  gid: U32,
  zone: U16,
  packetId: U32,
  hwProtocol: U16,
  hook: U8,
  indev: U32,
  outdev: U32,
  physindev: U32,
  physoutdev: U32,
  vlanTci: U16,
  vlanProto: U16,
};

/** Fields holding an address as text. */
const ADDRESS_FIELDS = new Set([
  'dst',
  'src',
  'gateway',
  'local',
  'address',
  'broadcast',
  'anycast',
  'multicast',
  'prefsrc',
  'lladdr',
  'via',
  'peer',
  'broadcastAddress',
  'permAddress',
  'hwaddr',
]);

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^[0-9a-f:.]+$/;
const HEX_BYTES = /^[0-9a-f]{2}([:-][0-9a-f]{2})*$/;
// ip's words: no address (`default`, `any`, a rule's `from all`, a prefix length without its
// address attribute: `0`, as in ip's `0/N`).
const WORDS = new Set(['default', 'any', 'all', '0', '']);

function badAddress(text: string): boolean {
  if (WORDS.has(text)) return false;
  const slash = text.indexOf('/');
  const host = slash < 0 ? text : text.slice(0, slash);
  if (slash >= 0) {
    const len = text.slice(slash + 1);
    // No longer than the address: IP, or as many bits as its hex bytes hold (another
    // family); without the address (ip's `0/N`) the family's length is not known.
    const bits = HEX_BYTES.test(host) ? ((host.length + 1) / 3) * 8 : host === '0' ? 255 : 128;
    if (!/^\d{1,3}$/.test(len) || Number(len) > bits) return true;
  }
  // A prefix without its address attribute prints as ip prints it: `0/N`.
  if (IPV4.test(host) || HEX_BYTES.test(host) || (host === '0' && slash >= 0)) return false;
  // IPv6: hex groups of at most 4, at most one "::", possibly an IPv4 tail.
  if (!IPV6.test(host) || !host.includes(':')) return true;
  if ((host.match(/::/g) ?? []).length > 1) return true;
  return host.split(':').some((g) => g.length > 4 && !IPV4.test(g));
}

/** Fields in seconds with a fraction, as ip prints them (the bridge's `*_timer`s). */
const FRACTIONAL = /_timer$/;

const FAILED_TEXT = /undefined|NaN|\[object |Infinity/;

/**
 * The first garbage in `value` (with its path), or null. `ranges` false checks text and
 * numbers but not the wire ranges by name (for the YNL codec, whose names are the specs').
 */
export function garbage(value: unknown, key = '', depth = 0, ranges = true): string | null {
  if (depth > 12) return null;
  const at = key === '' ? '' : `${key}: `;
  switch (typeof value) {
    case 'number': {
      if (!Number.isFinite(value)) return `${at}${value}`;
      if (!Number.isInteger(value) && !FRACTIONAL.test(key))
        return `${at}${value} is not an integer`;
      const range = ranges ? RANGES[key] : undefined;
      if (range !== undefined && (value < range[0] || value > range[1])) {
        return `${at}${value} outside [${range[0]}, ${range[1]}]`;
      }
      return null;
    }
    case 'bigint':
      return value < -(2n ** 63n) || value >= 2n ** 64n ? `${at}${value} outside 64 bits` : null;
    case 'string':
      if (FAILED_TEXT.test(value)) return `${at}text ${JSON.stringify(value.slice(0, 60))}`;
      if (ranges && ADDRESS_FIELDS.has(key) && badAddress(value)) {
        return `${at}not an address: ${JSON.stringify(value.slice(0, 60))}`;
      }
      return null;
    case 'object':
      break;
    default:
      return null;
  }
  if (value === null || ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return null;
  const entries: Iterable<[string, unknown]> = Array.isArray(value)
    ? value.map((v): [string, unknown] => [key, v])
    : value instanceof Map
      ? [...value].map(([k, v]): [string, unknown] => [String(k), v])
      : Object.entries(value);
  for (const [k, v] of entries) {
    const found = garbage(v, k, depth + 1, ranges);
    if (found !== null) return key === '' || Array.isArray(value) ? found : `${key}.${found}`;
  }
  return null;
}
