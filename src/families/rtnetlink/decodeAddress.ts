import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AF_INET6,
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
  RTM_DELADDR,
  RTM_NEWADDR,
} from './constants.js';
import { formatAddress } from './formatAddress.js';
import type { InterfaceAddress } from './InterfaceAddress.js';
import { interfaceName } from './interfaceName.js';
import { RawAttributes } from './RawAttributes.js';
import type { RtnetlinkDecodeOptions } from './RtnetlinkDecodeOptions.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';
import { sameBytes } from './sameBytes.js';

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
  const messageType = message.type;
  if (messageType !== RTM_NEWADDR && messageType !== RTM_DELADDR) {
    throw new DecodeError(
      `message type ${messageType} is not RTM_NEWADDR or RTM_DELADDR`,
      message.offset,
    );
  }
  const bytes = message.bytes;
  const view = message.view;
  const header = message.payloadOffset;
  const end = message.end;
  if (end - header < IFADDRMSG_SIZE) {
    throw new DecodeError(
      `address message: ${end - header}-byte payload is shorter than struct ifaddrmsg (${IFADDRMSG_SIZE} bytes)`,
      message.offset,
    );
  }
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
