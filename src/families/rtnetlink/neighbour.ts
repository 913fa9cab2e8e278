// Neighbours (RTM_NEWNEIGH/DELNEIGH): the Neighbour object, its decoder, the dump request, and the add/delete requests.

import { argumentChecker } from '../../errors/check.js';
import { DecodeError } from '../../errors/NetlinkError.js';
import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { formatAddress, formatLinkAddress, inetChecker, parseAddress } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AF_UNSPEC,
  NDA_CACHEINFO,
  NDA_CACHEINFO_SIZE,
  NDA_DST,
  NDA_FLAGS_EXT,
  NDA_IFINDEX,
  NDA_LLADDR,
  NDA_MASTER,
  NDA_PROBES,
  NDA_PROTOCOL,
  NDMSG_SIZE,
  NTF_EXT_LEARNED,
  NTF_EXT_MANAGED,
  NTF_OFFLOADED,
  NTF_PROXY,
  NTF_ROUTER,
  NUD_DELAY,
  NUD_FAILED,
  NUD_INCOMPLETE,
  NUD_NOARP,
  NUD_NONE,
  NUD_PERMANENT,
  NUD_PROBE,
  NUD_REACHABLE,
  NUD_STALE,
  RTM_DELNEIGH,
  RTM_GETNEIGH,
  RTM_NEWNEIGH,
} from './constants.js';
import {
  checkDecodeArguments,
  fixedHeader,
  interfaceName,
  RawAttributes,
  type RtnetlinkDecodeOptions,
} from './decoding.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

/**
 * A neighbour table entry (RTM_NEWNEIGH / RTM_DELNEIGH) with the field names and value
 * formats of `ip -j -s neigh show`: `state` is an array of NUD_* names (left out when the
 * state is NUD_NONE, as ip does), the `router`/`proxy`/`extern_learn`/`offload`/`managed`
 * flags are present with the value `null` when set (ip's JSON), and `used`, `confirmed`,
 * `updated` (seconds) and `probes` are what `-s` adds.
 *
 * Fields beyond ip's: `family`, `ifindex` (`ndm_ifindex`), `deleted` and `attrs`. Plain
 * data that owns its memory: valid after the ring frame it came from is released.
 *
 * @example
 * const n = decodeNeighbour(message, { ifname });
 * if (n.state?.includes('FAILED')) console.log(`${n.dst} on ${n.dev} is unreachable`);
 */
export interface Neighbour {
  /** Present (true) when the message was RTM_DELNEIGH. */
  deleted?: true | undefined;
  /** NDA_DST. */
  dst?: string | undefined;
  /** `ndm_ifindex` by name, when not 0. */
  dev?: string | undefined;
  /** NDA_LLADDR, when not empty. */
  lladdr?: string | undefined;
  /** NTF_ROUTER. */
  router?: null | undefined;
  /** NTF_PROXY. */
  proxy?: null | undefined;
  /** NTF_EXT_LEARNED. */
  extern_learn?: null | undefined;
  /** NTF_OFFLOADED. */
  offload?: null | undefined;
  /** NTF_EXT_MANAGED (in NDA_FLAGS_EXT). */
  managed?: null | undefined;
  /** NDA_CACHEINFO `ndm_used`, seconds. */
  used?: number | undefined;
  /** NDA_CACHEINFO `ndm_confirmed`, seconds. */
  confirmed?: number | undefined;
  /** NDA_CACHEINFO `ndm_updated`, seconds. */
  updated?: number | undefined;
  /** NDA_PROBES. */
  probes?: number | undefined;
  /** `ndm_state`: ['REACHABLE'], ['STALE'], ['PERMANENT'], ['NOARP'], … */
  state?: readonly string[] | undefined;
  /** NDA_PROTOCOL by name. */
  protocol?: string | undefined;
  /** `ndm_family`: inet, inet6, bridge. */
  family: string;
  /** `ndm_ifindex`. */
  ifindex: number;
  /** Attributes not mapped above. */
  attrs: RawAttributes;
}

const MAPPED = new Uint8Array(32);
for (const t of [NDA_DST, NDA_LLADDR, NDA_CACHEINFO, NDA_PROBES, NDA_PROTOCOL, NDA_FLAGS_EXT]) {
  MAPPED[t] = 1;
}

/**
 * Decodes an RTM_NEWNEIGH or RTM_DELNEIGH message (`struct ndmsg` then NDA_* attributes)
 * into a {@link Neighbour} shaped like `ip -j -s neigh show` output. Pass `options.ifname`
 * to name `dev`. Link-layer addresses print as colon-separated hex (ip prints an IP
 * address for the rare NBMA tunnel neighbour; this decoder does not know the link type).
 *
 * The result is plain data that owns its memory; it never points into the message's frame.
 * Unknown attributes are skipped into `attrs`; a wrong message type, a payload shorter than
 * `struct ndmsg`, a truncated attribute or an address of the wrong size throw a
 * {@link DecodeError} with the byte offset.
 *
 * @example
 * decodeNeighbour(message, { ifname });
 * // { dst: '10.1.0.9', dev: 'v0', lladdr: '02:00:00:00:00:09', used: 12, confirmed: 12,
 * //   updated: 12, probes: 0, state: ['PERMANENT'], family: 'inet', ifindex: 3, attrs }
 */
export function decodeNeighbour(
  message: NetlinkMessage,
  options?: RtnetlinkDecodeOptions,
): Neighbour {
  checkDecodeArguments('decodeNeighbour', message, options);
  const messageType = message.type;
  const header = fixedHeader(
    message,
    RTM_NEWNEIGH,
    RTM_DELNEIGH,
    'NEIGH',
    'neighbour',
    'ndmsg',
    NDMSG_SIZE,
  );
  const bytes = message.bytes;
  const view = message.view;
  const end = message.end;
  const family = bytes[header];
  const ifindex = view.getInt32(header + 4, true);
  const state = view.getUint16(header + 8, true);
  const flags = bytes[header + 10];

  let dst: string | undefined;
  let lladdr: string | undefined;
  let cacheinfoAt = -1;
  let probes = -1;
  let protocol = -1;
  let flagsExt = 0;
  let unmapped = false;

  const a = message.attributes(NDMSG_SIZE);
  while (a.next()) {
    switch (a.type) {
      case NDA_DST:
        dst = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case NDA_LLADDR:
        if (a.length > 0) lladdr = formatLinkAddress(bytes, a.offset, a.length);
        break;
      case NDA_PROBES:
        probes = a.u32();
        break;
      case NDA_PROTOCOL:
        protocol = a.u8();
        break;
      case NDA_FLAGS_EXT:
        flagsExt = a.u32();
        break;
      case NDA_CACHEINFO:
        if (a.length < NDA_CACHEINFO_SIZE) {
          throw new DecodeError(
            `NDA_CACHEINFO of ${a.length} bytes is shorter than struct nda_cacheinfo`,
            a.headerOffset,
          );
        }
        cacheinfoAt = a.offset;
        break;
      default:
        unmapped = true;
    }
  }

  const neighbour = (messageType === RTM_DELNEIGH ? { deleted: true } : {}) as Neighbour;
  if (dst !== undefined) neighbour.dst = dst;
  if (ifindex !== 0) neighbour.dev = interfaceName(options, ifindex);
  if (lladdr !== undefined) neighbour.lladdr = lladdr;
  if (flags & NTF_ROUTER) neighbour.router = null;
  if (flags & NTF_PROXY) neighbour.proxy = null;
  if (flags & NTF_EXT_LEARNED) neighbour.extern_learn = null;
  if (flags & NTF_OFFLOADED) neighbour.offload = null;
  if (flagsExt & NTF_EXT_MANAGED) neighbour.managed = null;
  if (cacheinfoAt >= 0) {
    // struct nda_cacheinfo { confirmed, used, updated, refcnt } in clock_t (USER_HZ = 100).
    neighbour.used = Math.floor(view.getUint32(cacheinfoAt + 4, true) / 100);
    neighbour.confirmed = Math.floor(view.getUint32(cacheinfoAt, true) / 100);
    neighbour.updated = Math.floor(view.getUint32(cacheinfoAt + 8, true) / 100);
  }
  if (probes >= 0) neighbour.probes = probes;
  if (state !== 0) neighbour.state = names.neighbourState(state);
  if (protocol >= 0) neighbour.protocol = names.protocol(protocol);
  neighbour.family = names.family(family);
  neighbour.ifindex = ifindex;
  neighbour.attrs = unmapped
    ? new RawAttributes(bytes.slice(header + NDMSG_SIZE, end), MAPPED)
    : RawAttributes.empty;
  return neighbour;
}

/**
 * Options of {@link neighbourDumpRequest}.
 *
 * @example
 * neighbourDumpRequest({ proxy: true });
 */
export interface NeighbourDumpOptions {
  /** `ndm_family`: AF_UNSPEC (default), AF_INET, AF_INET6 (AF_BRIDGE: the bridge FDB). */
  family?: number | undefined;
  /** NDA_IFINDEX: only this interface's entries. */
  ifindex?: number | undefined;
  /** NDA_MASTER: only entries on ports of this master. */
  master?: number | undefined;
  /** Dump the proxy entries (`ndm_flags` = NTF_PROXY) instead of the neighbour cache. */
  proxy?: boolean | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * An RTM_GETNEIGH dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full `struct ndmsg`
 * whose index, state and type are 0, as strict checking requires: the interface filter
 * travels as NDA_IFINDEX, which the kernel honours with or without strict checking.
 * Replies decode with {@link decodeNeighbour}. Bad options throw a `TypeError` naming the
 * option.
 *
 * @example
 * socket.send(neighbourDumpRequest({ family: AF_INET, ifindex: 3, seq: 4 }));
 */
export function neighbourDumpRequest(options?: NeighbourDumpOptions): Uint8Array {
  const check = inetChecker('neighbourDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const master = check.integer('options.master', o.master, 1, 0x7fffffff);
  const proxy = check.flag('options.proxy', o.proxy);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const w = new MessageWriter(48)
    .begin(RTM_GETNEIGH, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(9)
    .u8(proxy ? NTF_PROXY : 0)
    .u8(0);
  if (ifindex !== undefined) w.attrU32(NDA_IFINDEX, ifindex);
  if (master !== undefined) w.attrU32(NDA_MASTER, master);
  return w.end().finish();
}

/** Neighbour states by the names `ip neigh … nud STATE` takes. */
const STATES = {
  permanent: NUD_PERMANENT,
  noarp: NUD_NOARP,
  reachable: NUD_REACHABLE,
  stale: NUD_STALE,
  none: NUD_NONE,
  incomplete: NUD_INCOMPLETE,
  delay: NUD_DELAY,
  probe: NUD_PROBE,
  failed: NUD_FAILED,
} as const;

/** A neighbour state name (`nud` of `ip neigh`). */
export type NeighbourStateName = keyof typeof STATES;

/**
 * Options of {@link addNeighbourRequest} and {@link deleteNeighbourRequest}.
 *
 * @example
 * const o: NeighbourRequestOptions = { ifindex: 3, dst: '10.1.0.9', lladdr: '02:00:00:00:00:09' };
 */
export interface NeighbourRequestOptions {
  /** `ndm_ifindex`: the interface. */
  ifindex: number;
  /** NDA_DST: the IPv4 or IPv6 address (its family is the entry's). */
  dst: string;
  /** NDA_LLADDR: "02:00:00:00:00:09" (add only; a proxy entry has none). */
  lladdr?: string | undefined;
  /** `ndm_state` by name or NUD_* bits (default permanent, as ip's). */
  state?: NeighbourStateName | number | undefined;
  /** NTF_PROXY: a proxy ARP / NDP entry (`ip neigh add proxy`). */
  proxy?: boolean | undefined;
  /** NTF_ROUTER: the neighbour is a router (IPv6; add only). */
  router?: boolean | undefined;
  /** Add or change (NLM_F_REPLACE, `ip neigh replace`) instead of failing with EEXIST. */
  replace?: boolean | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * Writes an RTM_NEWNEIGH / RTM_DELNEIGH (@internal: the builders below with the public
 * function's name in their TypeErrors).
 *
 * @example
 * writeNeighbour('addNeighbour', { ifindex: 3, dst: '10.1.0.9', lladdr: '02:00:00:00:00:09' }, true);
 */
export function writeNeighbour(
  fn: string,
  options: NeighbourRequestOptions,
  add: boolean,
): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const ifindex = check.requiredInteger('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const dst = typeof o.dst === 'string' ? parseAddress(o.dst) : undefined;
  if (dst === undefined) return check.fail('options.dst', 'an IPv4 or IPv6 address', o.dst);
  const state =
    check.named(
      'options.state',
      o.state,
      0xffff,
      (s) => STATES[s as NeighbourStateName],
      Object.keys(STATES).join(', '),
    ) ?? NUD_PERMANENT;
  const proxy = check.flag('options.proxy', o.proxy);
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  let lladdr: Uint8Array | undefined;
  let router = false;
  let replace = false;
  if (add) {
    router = check.flag('options.router', o.router);
    replace = check.flag('options.replace', o.replace);
    if (o.lladdr !== undefined) {
      const parts = typeof o.lladdr === 'string' ? o.lladdr.split(':') : [];
      if (
        parts.length < 1 ||
        parts.length > 32 ||
        !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))
      ) {
        check.fail('options.lladdr', 'a link-layer address like "02:00:00:00:00:09"', o.lladdr);
      }
      lladdr = Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
    }
  } else {
    for (const name of ['lladdr', 'router', 'replace'] as const) {
      if (o[name] !== undefined) check.fail(`options.${name}`, 'absent when deleting', o[name]);
    }
  }
  const flags = add
    ? NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL)
    : NLM_F_REQUEST | NLM_F_ACK;
  const w = new MessageWriter(64)
    .begin(add ? RTM_NEWNEIGH : RTM_DELNEIGH, flags, seq)
    .u8(dst.family)
    .u8(0)
    .u16(0)
    .s32(ifindex)
    .u16(state)
    .u8((proxy ? NTF_PROXY : 0) | (router ? NTF_ROUTER : 0))
    .u8(0) // ndm_type
    .attr(NDA_DST, dst.bytes);
  if (lladdr !== undefined) w.attr(NDA_LLADDR, lladdr);
  return w.end().finish();
}

/**
 * An RTM_NEWNEIGH request that adds a neighbour entry, as `ip neigh add DST lladdr LL dev
 * D nud STATE` does: NLM_F_CREATE | NLM_F_EXCL (EEXIST if it is there), NLM_F_REPLACE with
 * `replace` (`ip neigh replace`); state permanent unless given; `proxy` for a proxy entry
 * (`ip neigh add proxy DST dev D`). IPv4 or IPv6 by the address of `dst`. The kernel
 * answers with an acknowledgement. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addNeighbourRequest({ ifindex: 3, dst: '10.1.0.9', lladdr: '02:00:00:00:00:09', seq: 1 }));
 */
export function addNeighbourRequest(options: NeighbourRequestOptions): Uint8Array {
  return writeNeighbour('addNeighbourRequest', options, true);
}

/**
 * An RTM_DELNEIGH request that deletes the entry for `dst` on `ifindex` (`proxy` for a
 * proxy entry), as `ip neigh del DST dev D` does. The kernel answers ENOENT when there is
 * no such entry. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(deleteNeighbourRequest({ ifindex: 3, dst: '2001:db8::9', seq: 2 }));
 */
export function deleteNeighbourRequest(
  options: Omit<NeighbourRequestOptions, 'lladdr' | 'router' | 'replace'>,
): Uint8Array {
  return writeNeighbour('deleteNeighbourRequest', options, false);
}
