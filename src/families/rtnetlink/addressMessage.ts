import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { argumentChecker } from './argumentChecker.js';
import {
  AF_INET,
  IFA_ADDRESS,
  IFA_BROADCAST,
  IFA_CACHEINFO,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  IFA_RT_PRIORITY,
  RT_SCOPE_HOST,
  RT_SCOPE_UNIVERSE,
} from './constants.js';
import { rtnetlinkNames } from './rtnetlinkNames.js';

/**
 * Options of {@link addAddressRequest} and {@link deleteAddressRequest}.
 *
 * @example
 * addAddressRequest({ ifindex: 3, address: '2001:db8::1/64', flags: IFA_F_NODAD });
 */
export interface AddressRequestOptions {
  /** The interface (`ifa_index`). */
  ifindex: number;
  /** "10.1.0.1/24", "2001:db8::1/64"; without a length the whole address (/32, /128). */
  address: string;
  /** IFA_ADDRESS: the other end of a point-to-point address (same family). */
  peer?: string;
  /** IFA_BROADCAST (IPv4 only; add only). */
  broadcast?: string;
  /** IFA_LABEL (IPv4 only, at most 15 bytes; add only). */
  label?: string;
  /** `ifa_scope` by number or name (default: host for 127.0.0.0/8, else global; add only). */
  scope?: number | string;
  /** IFA_F_* bits such as IFA_F_NODAD or IFA_F_NOPREFIXROUTE (add only). */
  flags?: number;
  /** IFA_RT_PRIORITY: the metric of the prefix route (add only). */
  metric?: number;
  /** Valid lifetime in seconds (default forever; add only). */
  validLifetime?: number;
  /** Preferred lifetime in seconds, at most the valid one (default: the valid one; add only). */
  preferredLifetime?: number;
  /** Replace an existing address (NLM_F_REPLACE) instead of failing with EEXIST (add only). */
  replace?: boolean;
  /** `nlmsg_seq` (default 0). */
  seq?: number;
}

const FOREVER = 0xffffffff;

/**
 * Writes an RTM_NEWADDR / RTM_DELADDR message as `ip address add|del` does: `struct
 * ifaddrmsg`, IFA_LOCAL, the peer's IFA_ADDRESS, IFA_BROADCAST, IFA_LABEL, IFA_RT_PRIORITY,
 * IFA_ADDRESS = the local address when there is no peer, IFA_FLAGS and IFA_CACHEINFO as
 * given, with NLM_F_REQUEST | NLM_F_ACK, plus NLM_F_CREATE and NLM_F_EXCL (or
 * NLM_F_REPLACE with `replace`) when adding. Shared by {@link addAddressRequest} and
 * {@link deleteAddressRequest}.
 *
 * @example
 * addressMessage('addAddressRequest', RTM_NEWADDR, options, true);
 */
export function addressMessage(
  fn: string,
  type: number,
  options: AddressRequestOptions,
  add: boolean,
): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  if (ifindex === undefined) return check.fail('options.ifindex', 'an interface index', undefined);
  const local = check.prefix('options.address', o.address);
  const peer = check.address('options.peer', o.peer, local.family);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  let replace = false;
  let broadcast: { family: number; bytes: Uint8Array } | undefined;
  let label: string | undefined;
  let scope: number | undefined;
  let flags = 0;
  let metric: number | undefined;
  let valid: number | undefined;
  let preferred: number | undefined;
  if (add) {
    replace = check.flag('options.replace', o.replace);
    broadcast = check.address('options.broadcast', o.broadcast, AF_INET);
    if (broadcast !== undefined && local.family !== AF_INET) {
      check.fail('options.broadcast', 'absent for an IPv6 address', o.broadcast);
    }
    label = check.string('options.label', o.label, 15);
    if (label !== undefined && local.family !== AF_INET) {
      check.fail('options.label', 'absent for an IPv6 address', o.label);
    }
    scope = check.named(
      'options.scope',
      o.scope,
      255,
      rtnetlinkNames.scopeId,
      'global, link, host',
    );
    flags = check.integer('options.flags', o.flags, 0, 0xffffffff) ?? 0;
    metric = check.integer('options.metric', o.metric, 0, 0xffffffff);
    valid = check.integer('options.validLifetime', o.validLifetime, 0, FOREVER);
    preferred = check.integer('options.preferredLifetime', o.preferredLifetime, 0, FOREVER);
    if (preferred !== undefined && preferred > (valid ?? FOREVER)) {
      check.fail('options.preferredLifetime', 'at most options.validLifetime', preferred);
    }
  } else {
    for (const name of [
      'broadcast',
      'label',
      'scope',
      'flags',
      'metric',
      'validLifetime',
      'preferredLifetime',
      'replace',
    ] as const) {
      if (o[name] !== undefined) check.fail(`options.${name}`, 'absent when deleting', o[name]);
    }
  }
  const defaultScope =
    local.family === AF_INET && local.bytes[0] === 127 ? RT_SCOPE_HOST : RT_SCOPE_UNIVERSE;
  const w = new MessageWriter(96)
    .begin(type, requestFlags(add, replace), seq)
    .u8(local.family)
    .u8(local.prefixlen)
    .u8(flags <= 0xff ? flags : 0)
    .u8(add ? (scope ?? defaultScope) : 0)
    .u32(ifindex)
    .attr(IFA_LOCAL, local.bytes);
  // ip's order: the peer follows the local address; without one, IFA_ADDRESS repeats the
  // local address after the options.
  if (peer !== undefined) w.attr(IFA_ADDRESS, peer.bytes);
  if (broadcast !== undefined) w.attr(IFA_BROADCAST, broadcast.bytes);
  if (label !== undefined) w.attrString(IFA_LABEL, label);
  if (metric !== undefined) w.attrU32(IFA_RT_PRIORITY, metric);
  if (peer === undefined) w.attr(IFA_ADDRESS, local.bytes);
  if (flags > 0xff) w.attrU32(IFA_FLAGS, flags);
  if (valid !== undefined || preferred !== undefined) {
    // struct ifa_cacheinfo { ifa_prefered, ifa_valid, cstamp, tstamp }
    const cacheinfo = new Uint8Array(16);
    const view = new DataView(cacheinfo.buffer);
    view.setUint32(0, preferred ?? valid ?? FOREVER, true);
    view.setUint32(4, valid ?? FOREVER, true);
    w.attr(IFA_CACHEINFO, cacheinfo);
  }
  return w.end().finish();
}

/** `ip address add` / `replace` / `del` flags. */
function requestFlags(add: boolean, replace: boolean): number {
  if (!add) return NLM_F_REQUEST | NLM_F_ACK;
  return NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL);
}
