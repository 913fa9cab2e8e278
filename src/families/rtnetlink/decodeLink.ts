import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AF_INET6,
  IFF_POINTOPOINT,
  IFF_UP,
  IFINFOMSG_SIZE,
  IFLA_ADDRESS,
  IFLA_AF_SPEC,
  IFLA_ALLMULTI,
  IFLA_ALT_IFNAME,
  IFLA_BROADCAST,
  IFLA_GRO_MAX_SIZE,
  IFLA_GROUP,
  IFLA_GSO_MAX_SEGS,
  IFLA_GSO_MAX_SIZE,
  IFLA_IFALIAS,
  IFLA_IFNAME,
  IFLA_INET6_ADDR_GEN_MODE,
  IFLA_INFO_KIND,
  IFLA_INFO_SLAVE_KIND,
  IFLA_LINK,
  IFLA_LINK_NETNSID,
  IFLA_LINKINFO,
  IFLA_LINKMODE,
  IFLA_MASTER,
  IFLA_MAX_MTU,
  IFLA_MIN_MTU,
  IFLA_MTU,
  IFLA_NUM_RX_QUEUES,
  IFLA_NUM_TX_QUEUES,
  IFLA_OPERSTATE,
  IFLA_PARENT_DEV_BUS_NAME,
  IFLA_PARENT_DEV_NAME,
  IFLA_PERM_ADDRESS,
  IFLA_PROMISCUITY,
  IFLA_PROP_LIST,
  IFLA_PROTO_DOWN,
  IFLA_QDISC,
  IFLA_TSO_MAX_SEGS,
  IFLA_TSO_MAX_SIZE,
  IFLA_TXQLEN,
  RTM_DELLINK,
  RTM_NEWLINK,
} from './constants.js';
import { formatLinkAddress } from './formatLinkAddress.js';
import { interfaceName } from './interfaceName.js';
import type { Link } from './Link.js';
import { RawAttributes } from './RawAttributes.js';
import type { RtnetlinkDecodeOptions } from './RtnetlinkDecodeOptions.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';
import { sameBytes } from './sameBytes.js';

/**
 * IFLA_* types fully turned into fields. IFLA_LINKINFO and IFLA_AF_SPEC are read but kept
 * in `attrs` too, since only a part of them is mapped.
 */
const MAPPED = new Uint8Array(64);
for (const t of [
  IFLA_ADDRESS,
  IFLA_BROADCAST,
  IFLA_IFNAME,
  IFLA_MTU,
  IFLA_LINK,
  IFLA_QDISC,
  IFLA_MASTER,
  IFLA_TXQLEN,
  IFLA_OPERSTATE,
  IFLA_LINKMODE,
  IFLA_IFALIAS,
  IFLA_GROUP,
  IFLA_PROMISCUITY,
  IFLA_NUM_TX_QUEUES,
  IFLA_NUM_RX_QUEUES,
  IFLA_LINK_NETNSID,
  IFLA_PROTO_DOWN,
  IFLA_GSO_MAX_SEGS,
  IFLA_GSO_MAX_SIZE,
  IFLA_MIN_MTU,
  IFLA_MAX_MTU,
  IFLA_PROP_LIST,
  IFLA_PERM_ADDRESS,
  IFLA_PARENT_DEV_NAME,
  IFLA_PARENT_DEV_BUS_NAME,
  IFLA_GRO_MAX_SIZE,
  IFLA_TSO_MAX_SIZE,
  IFLA_TSO_MAX_SEGS,
  IFLA_ALLMULTI,
]) {
  MAPPED[t] = 1;
}

/** u32 attributes that map one to one onto a numeric field. */
const U32_FIELDS: ReadonlyArray<readonly [number, keyof Link]> = [
  [IFLA_PROMISCUITY, 'promiscuity'],
  [IFLA_ALLMULTI, 'allmulti'],
  [IFLA_MIN_MTU, 'min_mtu'],
  [IFLA_MAX_MTU, 'max_mtu'],
];
const U32_FIELDS_AFTER_LINKINFO: ReadonlyArray<readonly [number, keyof Link]> = [
  [IFLA_NUM_TX_QUEUES, 'num_tx_queues'],
  [IFLA_NUM_RX_QUEUES, 'num_rx_queues'],
  [IFLA_GSO_MAX_SIZE, 'gso_max_size'],
  [IFLA_GSO_MAX_SEGS, 'gso_max_segs'],
  [IFLA_TSO_MAX_SIZE, 'tso_max_size'],
  [IFLA_TSO_MAX_SEGS, 'tso_max_segs'],
  [IFLA_GRO_MAX_SIZE, 'gro_max_size'],
];

/**
 * Decodes an RTM_NEWLINK or RTM_DELLINK message (`struct ifinfomsg` then IFLA_*
 * attributes) into a {@link Link} shaped like `ip -j -d link show` output. Pass
 * `options.ifname` to name `master` and `link`, and `options.ifflags` for ip's `M-DOWN`.
 *
 * The result is plain data that owns its memory (`attrs` holds a copy of the attributes
 * not mapped); it never points into the message's frame. Unknown attributes are skipped
 * into `attrs`; a wrong message type, a payload shorter than `struct ifinfomsg` or a
 * truncated attribute throw a {@link DecodeError} with the byte offset.
 *
 * @example
 * const link = decodeLink(message);
 * // { ifindex: 1, ifname: 'lo', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536,
 * //   qdisc: 'noqueue', operstate: 'UNKNOWN', …, link_type: 'loopback', attrs }
 */
export function decodeLink(message: NetlinkMessage, options?: RtnetlinkDecodeOptions): Link {
  const messageType = message.type;
  if (messageType !== RTM_NEWLINK && messageType !== RTM_DELLINK) {
    throw new DecodeError(
      `message type ${messageType} is not RTM_NEWLINK or RTM_DELLINK`,
      message.offset,
    );
  }
  const bytes = message.bytes;
  const view = message.view;
  const header = message.payloadOffset;
  const end = message.end;
  if (end - header < IFINFOMSG_SIZE) {
    throw new DecodeError(
      `link message: ${end - header}-byte payload is shorter than struct ifinfomsg (${IFINFOMSG_SIZE} bytes)`,
      message.offset,
    );
  }
  const linkType = view.getUint16(header + 2, true);
  const ifindex = view.getInt32(header + 4, true);
  const ifiFlags = view.getUint32(header + 8, true);

  const u32 = new Map<number, number>();
  const strings = new Map<number, string>();
  let addressAt = -1;
  let addressLength = 0;
  let broadcastAt = -1;
  let broadcastLength = 0;
  let permAt = -1;
  let permLength = 0;
  let operstate = -1;
  let linkmode = -1;
  let protoDown = 0;
  let netnsid: number | undefined;
  let infoKind: string | undefined;
  let infoSlaveKind: string | undefined;
  let addrGenMode = -1;
  let altnames: string[] | undefined;
  let unmapped = false;

  const a = message.attributes(IFINFOMSG_SIZE);
  while (a.next()) {
    switch (a.type) {
      case IFLA_ADDRESS:
        addressAt = a.offset;
        addressLength = a.length;
        break;
      case IFLA_BROADCAST:
        broadcastAt = a.offset;
        broadcastLength = a.length;
        break;
      case IFLA_PERM_ADDRESS:
        permAt = a.offset;
        permLength = a.length;
        break;
      case IFLA_IFNAME:
      case IFLA_QDISC:
      case IFLA_IFALIAS:
      case IFLA_PARENT_DEV_NAME:
      case IFLA_PARENT_DEV_BUS_NAME:
        strings.set(a.type, a.string());
        break;
      case IFLA_MTU:
      case IFLA_LINK:
      case IFLA_MASTER:
      case IFLA_TXQLEN:
      case IFLA_GROUP:
      case IFLA_PROMISCUITY:
      case IFLA_ALLMULTI:
      case IFLA_MIN_MTU:
      case IFLA_MAX_MTU:
      case IFLA_NUM_TX_QUEUES:
      case IFLA_NUM_RX_QUEUES:
      case IFLA_GSO_MAX_SIZE:
      case IFLA_GSO_MAX_SEGS:
      case IFLA_TSO_MAX_SIZE:
      case IFLA_TSO_MAX_SEGS:
      case IFLA_GRO_MAX_SIZE:
        u32.set(a.type, a.u32());
        break;
      case IFLA_OPERSTATE:
        operstate = a.u8();
        break;
      case IFLA_LINKMODE:
        linkmode = a.u8();
        break;
      case IFLA_PROTO_DOWN:
        protoDown = a.u8();
        break;
      case IFLA_LINK_NETNSID:
        netnsid = a.s32();
        break;
      case IFLA_PROP_LIST: {
        const p = a.nested();
        while (p.next()) {
          if (p.type === IFLA_ALT_IFNAME) {
            altnames ??= [];
            altnames.push(p.string());
          }
        }
        break;
      }
      case IFLA_LINKINFO: {
        unmapped = true;
        const info = a.nested();
        while (info.next()) {
          if (info.type === IFLA_INFO_KIND) infoKind = info.string();
          else if (info.type === IFLA_INFO_SLAVE_KIND) infoSlaveKind = info.string();
        }
        break;
      }
      case IFLA_AF_SPEC: {
        unmapped = true;
        const spec = a.nested();
        while (spec.next()) {
          if (spec.type !== AF_INET6) continue;
          const inet6 = spec.nested();
          while (inet6.next()) {
            if (inet6.type === IFLA_INET6_ADDR_GEN_MODE) addrGenMode = inet6.u8();
          }
        }
        break;
      }
      default:
        unmapped = true;
    }
  }

  const link = (messageType === RTM_DELLINK ? { deleted: true, ifindex } : { ifindex }) as Link;
  const iflink = u32.get(IFLA_LINK);
  let masterDown = false;
  if (iflink !== undefined) {
    if (iflink === 0) {
      link.link = null;
    } else if (netnsid !== undefined) {
      link.link_index = iflink;
    } else {
      link.link = interfaceName(options, iflink);
      const lookup = options?.ifflags;
      if (lookup !== undefined) {
        const peerFlags = typeof lookup === 'function' ? lookup(iflink) : lookup.get(iflink);
        masterDown = ((peerFlags ?? 0) & IFF_UP) === 0;
      }
    }
  }
  const ifname = strings.get(IFLA_IFNAME);
  if (ifname !== undefined) link.ifname = ifname;
  link.flags = names.linkFlags(ifiFlags, masterDown);
  setNumber(link, 'mtu', u32.get(IFLA_MTU));
  const qdisc = strings.get(IFLA_QDISC);
  if (qdisc !== undefined) link.qdisc = qdisc;
  const master = u32.get(IFLA_MASTER);
  if (master !== undefined && master !== 0) link.master = interfaceName(options, master);
  if (operstate >= 0) link.operstate = names.operstate(operstate);
  if (linkmode >= 0) link.linkmode = names.linkmode(linkmode);
  const group = u32.get(IFLA_GROUP);
  if (group !== undefined) link.group = names.group(group);
  const txqlen = u32.get(IFLA_TXQLEN);
  if (txqlen !== undefined && txqlen !== 0) link.txqlen = txqlen;
  link.link_type = names.linkType(linkType);
  if (addressAt >= 0) link.address = formatLinkAddress(bytes, addressAt, addressLength, linkType);
  if (permAt >= 0 && !sameBytes(bytes, permAt, permLength, addressAt, addressLength)) {
    link.permaddr = formatLinkAddress(bytes, permAt, permLength, linkType);
  }
  if (broadcastAt >= 0) {
    if (ifiFlags & IFF_POINTOPOINT) link.link_pointtopoint = true;
    link.broadcast = formatLinkAddress(bytes, broadcastAt, broadcastLength, linkType);
  }
  if (netnsid !== undefined) link.link_netnsid = netnsid;
  if (protoDown !== 0) link.proto_down = true;
  for (const [type, field] of U32_FIELDS) setNumber(link, field, u32.get(type));
  if (infoKind !== undefined || infoSlaveKind !== undefined) {
    link.linkinfo = {};
    if (infoKind !== undefined) link.linkinfo.info_kind = infoKind;
    if (infoSlaveKind !== undefined) link.linkinfo.info_slave_kind = infoSlaveKind;
  }
  if (addrGenMode >= 0) link.inet6_addr_gen_mode = names.addrGenMode(addrGenMode);
  for (const [type, field] of U32_FIELDS_AFTER_LINKINFO) setNumber(link, field, u32.get(type));
  const parentbus = strings.get(IFLA_PARENT_DEV_BUS_NAME);
  if (parentbus !== undefined) link.parentbus = parentbus;
  const parentdev = strings.get(IFLA_PARENT_DEV_NAME);
  if (parentdev !== undefined) link.parentdev = parentdev;
  const ifalias = strings.get(IFLA_IFALIAS);
  if (ifalias !== undefined) link.ifalias = ifalias;
  if (altnames !== undefined) link.altnames = altnames;
  const start = header + IFINFOMSG_SIZE;
  link.attrs = unmapped ? new RawAttributes(bytes.slice(start, end), MAPPED) : RawAttributes.empty;
  return link;
}

function setNumber(link: Link, field: keyof Link, value: number | undefined): void {
  if (value !== undefined) (link as unknown as Record<string, number>)[field] = value;
}
