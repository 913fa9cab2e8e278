// Route encapsulations (RTA_ENCAP_TYPE + RTA_ENCAP, lightweight tunnels): their names as ip
// prints them, and the seg6 encap both ways (the one of this kernel's encaps with options
// worth writing here; the others decode to their name, their bytes staying in `attrs`).
import { DecodeError } from '../../errors/NetlinkError.js';
import { Attributes } from '../../netlink/Attributes.js';
import { formatIPv6 } from '../../netlink/inet.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import {
  IPV6_SRCRT_TYPE_4,
  LWTUNNEL_ENCAP_SEG6,
  SEG6_IPTUN_MODE_ENCAP,
  SEG6_IPTUN_MODE_ENCAP_RED,
  SEG6_IPTUN_MODE_INLINE,
  SEG6_IPTUN_MODE_L2ENCAP,
  SEG6_IPTUN_MODE_L2ENCAP_RED,
  SEG6_IPTUNNEL_SRH,
} from './configureConstants.js';
import { RTA_ENCAP, RTA_ENCAP_TYPE } from './constants.js';

/** ip's names of LWTUNNEL_ENCAP_* (ip/iproute_lwtunnel.c), by value. */
const ENCAP_NAMES: readonly string[] = [
  'none',
  'mpls',
  'ip',
  'ila',
  'ip6',
  'seg6',
  'bpf',
  'seg6local',
  'rpl',
  'ioam6',
  'xfrm',
];

/** ip's names of SEG6_IPTUN_MODE_*, by value. */
const SEG6_MODES: readonly string[] = ['inline', 'encap', 'l2encap', 'encap.red', 'l2encap.red'];

/** The name of an RTA_ENCAP_TYPE as ip prints it (`encap`), else the number as text. */
export function encapName(type: number): string {
  return ENCAP_NAMES[type] ?? String(type);
}

/**
 * A seg6 encapsulation for {@link addRouteRequest}, as `ip route add … encap seg6 mode MODE
 * segs S1,S2` writes it.
 *
 * @example
 * const encap: Seg6Encap = { type: 'seg6', mode: 'encap', segs: ['2001:db8::5', '2001:db8::6'] };
 */
export interface Seg6Encap {
  type: 'seg6';
  /** `inline` (a routing header added), `encap` (an outer IPv6 header), l2encap, … */
  mode: 'inline' | 'encap' | 'l2encap' | 'encap.red' | 'l2encap.red';
  /** The segments, first to last (IPv6 addresses). */
  segs: readonly string[];
}

/** A checked seg6 encap: the mode's number and each segment's 16 bytes, first to last. */
export interface CheckedSeg6 {
  readonly mode: number;
  readonly segments: readonly Uint8Array[];
}

const MODE_IDS: Readonly<Record<string, number>> = Object.assign(Object.create(null), {
  inline: SEG6_IPTUN_MODE_INLINE,
  encap: SEG6_IPTUN_MODE_ENCAP,
  l2encap: SEG6_IPTUN_MODE_L2ENCAP,
  'encap.red': SEG6_IPTUN_MODE_ENCAP_RED,
  'l2encap.red': SEG6_IPTUN_MODE_L2ENCAP_RED,
});

/** The checks {@link checkEncap} needs from the caller's checker. */
interface EncapChecker {
  fail(name: string, expected: string, value: unknown): never;
  address(name: string, value: unknown, family?: number): { bytes: Uint8Array } | undefined;
}

/**
 * Checks `options.encap` (@internal): a {@link Seg6Encap} with 1 to 127 IPv6 segments, or
 * undefined.
 *
 * @example
 * declare const check: Parameters<typeof checkEncap>[0]; // inetChecker('addRoute')
 * declare const options: { encap?: unknown };
 * const encap = checkEncap(check, options.encap, AF_INET6);
 */
export function checkEncap(
  check: EncapChecker,
  value: unknown,
  inet6: number,
): CheckedSeg6 | undefined {
  if (value === undefined) return undefined;
  const e = value as Partial<Seg6Encap> | null;
  if (e === null || typeof e !== 'object' || e.type !== 'seg6') {
    return check.fail('options.encap', "{ type: 'seg6', mode, segs }", value);
  }
  const mode = typeof e.mode === 'string' ? MODE_IDS[e.mode] : undefined;
  if (mode === undefined) {
    return check.fail('options.encap.mode', `one of ${SEG6_MODES.join(', ')}`, e.mode);
  }
  // hdrlen (a u8) counts 8-byte units past the first 8: at most 127 segments of 16 bytes.
  if (!Array.isArray(e.segs) || e.segs.length === 0 || e.segs.length > 127) {
    return check.fail('options.encap.segs', 'a non-empty array of IPv6 addresses', e.segs);
  }
  const segments = e.segs.map(
    (seg, i) => check.address(`options.encap.segs[${i}]`, seg, inet6)?.bytes as Uint8Array,
  );
  for (const [i, seg] of segments.entries()) {
    if (seg === undefined) check.fail(`options.encap.segs[${i}]`, 'an IPv6 address', e.segs[i]);
  }
  return { mode, segments };
}

/**
 * Writes RTA_ENCAP (nested: SEG6_IPTUNNEL_SRH, `struct seg6_iptunnel_encap` with its
 * `struct ipv6_sr_hdr`) then RTA_ENCAP_TYPE, as ip does: the segments stored last to
 * first, and in inline mode one more, zero, segment first, which the kernel fills with the
 * packet's destination (iproute2 ip/iproute_lwtunnel.c, parse_srh).
 *
 * @example
 * declare const segments: CheckedSeg6['segments'];
 * writeSeg6(w, { mode: SEG6_IPTUN_MODE_ENCAP, segments });
 */
export function writeSeg6(w: MessageWriter, encap: CheckedSeg6): void {
  const stored = [...encap.segments].reverse();
  if (encap.mode === SEG6_IPTUN_MODE_INLINE) stored.unshift(new Uint8Array(16));
  const n = stored.length;
  const payload = new Uint8Array(4 + 8 + 16 * n);
  const view = new DataView(payload.buffer);
  view.setInt32(0, encap.mode, true);
  payload[4] = 0; // nexthdr: the kernel sets it
  payload[5] = 2 * n; // hdrlen: 8-byte units past the first 8
  payload[6] = IPV6_SRCRT_TYPE_4;
  payload[7] = n - 1; // segments_left
  payload[8] = n - 1; // first_segment
  for (let i = 0; i < n; i++) payload.set(stored[i], 12 + 16 * i);
  const nest = w.nest(RTA_ENCAP);
  w.attr(SEG6_IPTUNNEL_SRH, payload);
  w.endNest(nest);
  w.attrU16(RTA_ENCAP_TYPE, LWTUNNEL_ENCAP_SEG6);
}

/**
 * The seg6 encap of an RTA_ENCAP payload at `[start, end)` as ip prints it: `mode` and
 * `segs` (first to last, as `ip -j route` lists them). Undefined when it holds no
 * SEG6_IPTUNNEL_SRH; a header shorter than it says is a DecodeError.
 *
 * @example
 * declare const bytes: Uint8Array;
 * declare const encapAt: number; // RTA_ENCAP's payload, from
 * declare const encapEnd: number; // … to
 * const seg6 = decodeSeg6(view, bytes, encapAt, encapEnd); // { mode: 'encap', segs: ['2001:db8::5'] }
 */
export function decodeSeg6(
  view: DataView,
  bytes: Uint8Array,
  start: number,
  end: number,
): { mode: string; segs: string[] } | undefined {
  const a = new Attributes(view, start, end);
  while (a.next()) {
    if (a.type !== SEG6_IPTUNNEL_SRH) continue;
    const at = a.offset;
    if (a.length < 12) {
      throw new DecodeError(
        `SEG6_IPTUNNEL_SRH of ${a.length} bytes is shorter than its headers`,
        a.headerOffset,
      );
    }
    const mode = view.getInt32(at, true);
    const hdrlen = bytes[at + 5];
    const firstSegment = bytes[at + 8];
    const count = firstSegment + 1;
    if (12 + 16 * count > a.length || 8 * hdrlen < 16 * count) {
      throw new DecodeError(
        `segment routing header of ${count} segments does not fit its ${a.length} bytes`,
        a.headerOffset,
      );
    }
    const segs: string[] = [];
    for (let i = count - 1; i >= 0; i--) segs.push(formatIPv6(bytes, at + 12 + 16 * i));
    return { mode: SEG6_MODES[mode] ?? String(mode), segs };
  }
  return undefined;
}
