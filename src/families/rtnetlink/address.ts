import { DecodeError } from '../../errors/NetlinkError.js';
import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { formatAddress, inetChecker } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  IFA_ADDRESS,
  IFA_ANYCAST,
  IFA_BROADCAST,
  IFA_CACHEINFO,
  IFA_CACHEINFO_SIZE,
  IFA_F_DADFAILED,
  IFA_F_DEPRECATED,
  IFA_F_HOMEADDRESS,
  IFA_F_MANAGETEMPADDR,
  IFA_F_MCAUTOJOIN,
  IFA_F_NODAD,
  IFA_F_NOPREFIXROUTE,
  IFA_F_OPTIMISTIC,
  IFA_F_PERMANENT,
  IFA_F_SECONDARY,
  IFA_F_STABLE_PRIVACY,
  IFA_F_TENTATIVE,
  IFA_FLAGS,
  IFA_LABEL,
  IFA_LOCAL,
  IFA_PROTO,
  IFA_RT_PRIORITY,
  IFADDRMSG_SIZE,
  RT_SCOPE_HOST,
  RT_SCOPE_UNIVERSE,
  RTM_DELADDR,
  RTM_GETADDR,
  RTM_NEWADDR,
} from './constants.js';
import {
  checkDecodeArguments,
  fixedHeader,
  interfaceName,
  RawAttributes,
  type RtnetlinkDecodeOptions,
  sameBytes,
} from './decoding.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

/**
 * An interface address (RTM_NEWADDR / RTM_DELADDR), one per message. `ip -j addr show`
 * groups addresses under their link in `addr_info`; this object is one `addr_info` entry —
 * same field names and value formats — with the link's `ifindex` and `ifname` in front. So
 * for every link `l` of ip's output and every entry `e` of `l.addr_info`, there is one
 * decoded address equal to `{ ifindex: l.ifindex, ifname: l.ifname, ...e }` (plus the
 * fields ip does not print: `protocol`, `deleted`, `attrs`).
 *
 * Flags are booleans present only when set, as ip prints them: IFA_F_SECONDARY is
 * `secondary` (IPv4) or `temporary` (IPv6), a missing IFA_F_PERMANENT is `dynamic`, the rest
 * keep their ip names (`nodad`, `tentative`, `deprecated`, `noprefixroute`, …). Plain data
 * that owns its memory: valid after the ring frame it came from is released.
 *
 * @example
 * const a = decodeAddress(message, { ifname });
 * console.log(`${a.ifname}: ${a.local}/${a.prefixlen} scope ${a.scope}${a.dynamic ? ' dynamic' : ''}`);
 */
export interface InterfaceAddress {
  /** Present (true) when the message was RTM_DELADDR. */
  deleted?: true | undefined;
  /** `ifa_index`. */
  ifindex: number;
  /** `ifa_index` by name (see RtnetlinkDecodeOptions.ifname). */
  ifname: string;
  /** `ifa_family`: inet, inet6. */
  family: string;
  /** IFA_LOCAL (or IFA_ADDRESS when there is no IFA_LOCAL). */
  local?: string | undefined;
  /** IFA_ADDRESS when it differs from IFA_LOCAL: the peer of a point-to-point address. */
  address?: string | undefined;
  /** `ifa_prefixlen`. */
  prefixlen: number;
  /** IFA_BROADCAST. */
  broadcast?: string | undefined;
  /** IFA_ANYCAST. */
  anycast?: string | undefined;
  /** IFA_RT_PRIORITY: the metric of the prefix route. */
  metric?: number | undefined;
  /** IFA_PROTO: kernel_lo, kernel_ra, kernel_ll, or decimal (newer ip prints it; 6.1 does not). */
  protocol?: string | undefined;
  /** `ifa_scope`: global, link, host, … */
  scope: string;
  secondary?: true | undefined;
  temporary?: true | undefined;
  nodad?: true | undefined;
  optimistic?: true | undefined;
  dadfailed?: true | undefined;
  home?: true | undefined;
  deprecated?: true | undefined;
  tentative?: true | undefined;
  dynamic?: true | undefined;
  mngtmpaddr?: true | undefined;
  noprefixroute?: true | undefined;
  autojoin?: true | undefined;
  'stable-privacy'?: true;
  /** Flag bits ip has no name for, as two or more hex digits. */
  ifa_flags?: string | undefined;
  /** IFA_LABEL (IPv4). */
  label?: string | undefined;
  /** IFA_CACHEINFO `ifa_valid` (4294967295 = forever). */
  valid_life_time?: number | undefined;
  /** IFA_CACHEINFO `ifa_prefered` (4294967295 = forever). */
  preferred_life_time?: number | undefined;
  /** Attributes not mapped above. */
  attrs: RawAttributes;
}

const MAPPED = new Uint8Array(16);
for (const t of [
  IFA_ADDRESS,
  IFA_LOCAL,
  IFA_LABEL,
  IFA_BROADCAST,
  IFA_ANYCAST,
  IFA_CACHEINFO,
  IFA_FLAGS,
  IFA_RT_PRIORITY,
  IFA_PROTO,
]) {
  MAPPED[t] = 1;
}

/** ip's order and names for IFA_F_*; IFA_F_PERMANENT is printed as `dynamic` when absent. */
const FLAGS: ReadonlyArray<readonly [number, keyof InterfaceAddress]> = [
  [IFA_F_SECONDARY, 'secondary'],
  [IFA_F_NODAD, 'nodad'],
  [IFA_F_OPTIMISTIC, 'optimistic'],
  [IFA_F_DADFAILED, 'dadfailed'],
  [IFA_F_HOMEADDRESS, 'home'],
  [IFA_F_DEPRECATED, 'deprecated'],
  [IFA_F_TENTATIVE, 'tentative'],
  [IFA_F_PERMANENT, 'dynamic'],
  [IFA_F_MANAGETEMPADDR, 'mngtmpaddr'],
  [IFA_F_NOPREFIXROUTE, 'noprefixroute'],
  [IFA_F_MCAUTOJOIN, 'autojoin'],
  [IFA_F_STABLE_PRIVACY, 'stable-privacy'],
];

/** IFA_PROTO names (IFAPROT_KERNEL_*), as newer iproute2 prints them. */
const PROTOCOLS: readonly string[] = ['unspec', 'kernel_lo', 'kernel_ra', 'kernel_ll'];

/**
 * Decodes an RTM_NEWADDR or RTM_DELADDR message (`struct ifaddrmsg` then IFA_* attributes)
 * into an {@link InterfaceAddress}: one `addr_info` entry of `ip -j addr show` plus its
 * link's `ifindex` and `ifname`. Pass `options.ifname` to name the interface.
 *
 * The result is plain data that owns its memory; it never points into the message's frame.
 * Unknown attributes are skipped into `attrs`; a wrong message type, a payload shorter than
 * `struct ifaddrmsg`, a truncated attribute or an address of the wrong size throw a
 * {@link DecodeError} with the byte offset.
 *
 * @example
 * decodeAddress(message, { ifname });
 * // { ifindex: 3, ifname: 'v0', family: 'inet', local: '10.1.0.1', prefixlen: 24,
 * //   scope: 'global', label: 'v0', valid_life_time: 4294967295, preferred_life_time: 4294967295, attrs }
 */
export function decodeAddress(
  message: NetlinkMessage,
  options?: RtnetlinkDecodeOptions,
): InterfaceAddress {
  checkDecodeArguments('decodeAddress', message, options);
  const messageType = message.type;
  const header = fixedHeader(
    message,
    RTM_NEWADDR,
    RTM_DELADDR,
    'ADDR',
    'address',
    'ifaddrmsg',
    IFADDRMSG_SIZE,
  );
  const bytes = message.bytes;
  const view = message.view;
  const end = message.end;
  const family = bytes[header];
  const prefixlen = bytes[header + 1];
  let flags = bytes[header + 2];
  const scope = bytes[header + 3];
  const ifindex = view.getUint32(header + 4, true);

  let addressAt = -1;
  let addressLength = 0;
  let addressHeader = 0;
  let localAt = -1;
  let localLength = 0;
  let localHeader = 0;
  let broadcast: string | undefined;
  let anycast: string | undefined;
  let label: string | undefined;
  let metric = -1;
  let protocol = -1;
  let cacheinfoAt = -1;
  let unmapped = false;

  const a = message.attributes(IFADDRMSG_SIZE);
  while (a.next()) {
    switch (a.type) {
      case IFA_ADDRESS:
        addressAt = a.offset;
        addressLength = a.length;
        addressHeader = a.headerOffset;
        break;
      case IFA_LOCAL:
        localAt = a.offset;
        localLength = a.length;
        localHeader = a.headerOffset;
        break;
      case IFA_BROADCAST:
        broadcast = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case IFA_ANYCAST:
        anycast = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case IFA_LABEL:
        label = a.string();
        break;
      case IFA_FLAGS:
        flags = a.u32();
        break;
      case IFA_RT_PRIORITY:
        metric = a.u32();
        break;
      case IFA_PROTO:
        protocol = a.u8();
        break;
      case IFA_CACHEINFO:
        if (a.length < IFA_CACHEINFO_SIZE) {
          throw new DecodeError(
            `IFA_CACHEINFO of ${a.length} bytes is shorter than struct ifa_cacheinfo`,
            a.headerOffset,
          );
        }
        cacheinfoAt = a.offset;
        break;
      default:
        unmapped = true;
    }
  }

  const ifname = interfaceName(options, ifindex);
  const address = (
    messageType === RTM_DELADDR
      ? { deleted: true, ifindex, ifname, family: names.family(family) }
      : { ifindex, ifname, family: names.family(family) }
  ) as InterfaceAddress;
  if (localAt >= 0) {
    address.local = formatAddress(bytes, localAt, localLength, family, localHeader);
    if (addressAt >= 0 && !sameBytes(bytes, localAt, localLength, addressAt, addressLength)) {
      address.address = formatAddress(bytes, addressAt, addressLength, family, addressHeader);
    }
  } else if (addressAt >= 0) {
    address.local = formatAddress(bytes, addressAt, addressLength, family, addressHeader);
  }
  address.prefixlen = prefixlen;
  if (broadcast !== undefined) address.broadcast = broadcast;
  if (anycast !== undefined) address.anycast = anycast;
  if (metric >= 0) address.metric = metric;
  if (protocol >= 0) address.protocol = PROTOCOLS[protocol] ?? String(protocol);
  address.scope = names.scope(scope);
  const fields = address as unknown as Record<string, unknown>;
  let rest = flags;
  for (const [bit, name] of FLAGS) {
    if (bit === IFA_F_PERMANENT) {
      if (!(flags & bit)) fields[name] = true;
    } else if (flags & bit) {
      fields[bit === IFA_F_SECONDARY && family === AF_INET6 ? 'temporary' : name] = true;
    }
    rest &= ~bit;
  }
  if (rest !== 0) address.ifa_flags = (rest >>> 0).toString(16).padStart(2, '0');
  if (label !== undefined) address.label = label;
  if (cacheinfoAt >= 0) {
    address.valid_life_time = view.getUint32(cacheinfoAt + 4, true);
    address.preferred_life_time = view.getUint32(cacheinfoAt, true);
  }
  address.attrs = unmapped
    ? new RawAttributes(bytes.slice(header + IFADDRMSG_SIZE, end), MAPPED)
    : RawAttributes.empty;
  return address;
}

/**
 * Options of {@link addressDumpRequest}.
 *
 * @example
 * addressDumpRequest({ family: AF_INET, ifindex: 3 });
 */
export interface AddressDumpOptions {
  /** `ifa_family`: AF_UNSPEC (default, all), AF_INET or AF_INET6. */
  family?: number | undefined;
  /**
   * `ifa_index`: only this interface's addresses. The kernel honours it only on a socket with
   * NETLINK_GET_STRICT_CHK (and then sets NLM_F_DUMP_FILTERED); otherwise it dumps all.
   */
  ifindex?: number | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * An RTM_GETADDR dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full `struct ifaddrmsg`
 * whose prefix length, flags and scope are 0, as strict checking requires. Replies decode
 * with {@link decodeAddress}. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addressDumpRequest({ family: AF_INET6, seq: 2 }));
 */
export function addressDumpRequest(options?: AddressDumpOptions): Uint8Array {
  const check = inetChecker('addressDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff) ?? 0;
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  return new MessageWriter(32)
    .begin(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(3)
    .u32(ifindex)
    .end()
    .finish();
}

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
  peer?: string | undefined;
  /** IFA_BROADCAST (IPv4 only; add only). */
  broadcast?: string | undefined;
  /** IFA_LABEL (IPv4 only, at most 15 bytes; add only). */
  label?: string | undefined;
  /** `ifa_scope` by number or name (default: host for 127.0.0.0/8, else global; add only). */
  scope?: number | string | undefined;
  /** IFA_F_* bits such as IFA_F_NODAD or IFA_F_NOPREFIXROUTE (add only). */
  flags?: number | undefined;
  /** IFA_RT_PRIORITY: the metric of the prefix route (add only). */
  metric?: number | undefined;
  /** Valid lifetime in seconds (default forever; add only). */
  validLifetime?: number | undefined;
  /** Preferred lifetime in seconds, at most the valid one (default: the valid one; add only). */
  preferredLifetime?: number | undefined;
  /** Replace an existing address (NLM_F_REPLACE) instead of failing with EEXIST (add only). */
  replace?: boolean | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
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
 * @internal
 * @example
 * addressMessage('addAddressRequest', RTM_NEWADDR, { ifindex: 2, address: '10.1.0.1/24' }, true);
 */
export function addressMessage(
  fn: string,
  type: number,
  options: AddressRequestOptions,
  add: boolean,
): Uint8Array {
  const check = inetChecker(fn);
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
    scope = check.named('options.scope', o.scope, 255, names.scopeId, 'global, link, host');
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

/**
 * An RTM_NEWADDR request that adds `options.address` to interface `options.ifindex`, as
 * `ip address add` does: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL (EEXIST if
 * the address is there), or NLM_F_REPLACE instead of NLM_F_EXCL with `replace: true`. The
 * kernel answers with an acknowledgement (an NLMSG_ERROR with errno 0, or the error).
 * Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addAddressRequest({ ifindex: 3, address: '10.1.0.1/24', label: 'v0:web', seq: 5 }));
 */
export function addAddressRequest(options: AddressRequestOptions): Uint8Array {
  return addressMessage('addAddressRequest', RTM_NEWADDR, options, true);
}

/**
 * An RTM_DELADDR request (NLM_F_REQUEST | NLM_F_ACK) that removes `options.address` (with
 * its prefix length, and `peer` for a point-to-point address) from interface
 * `options.ifindex`, as `ip address del` does. The kernel answers with an acknowledgement
 * (EADDRNOTAVAIL when there is no such address). Only `ifindex`, `address`, `peer` and
 * `seq` apply; bad or add-only options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(deleteAddressRequest({ ifindex: 3, address: '10.1.0.1/24', seq: 6 }));
 */
export function deleteAddressRequest(
  options: Pick<AddressRequestOptions, 'ifindex' | 'address' | 'peer' | 'seq'>,
): Uint8Array {
  return addressMessage(
    'deleteAddressRequest',
    RTM_DELADDR,
    options as AddressRequestOptions,
    false,
  );
}
