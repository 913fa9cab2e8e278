// Requests that add, replace and delete neighbour entries (RTM_NEWNEIGH / RTM_DELNEIGH),
// written as `ip neigh add|replace|del` writes them:
//
//   nlmsghdr | struct ndmsg { family, pad1, pad2, ifindex, state, flags, type }
//            | NDA_DST (the IP address) | NDA_LLADDR (the link-layer address)
import { argumentChecker } from '../../errors/check.js';
import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { parseAddress } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import {
  NDA_DST,
  NDA_LLADDR,
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
  RTM_NEWNEIGH,
} from './constants.js';

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
