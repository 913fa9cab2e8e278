import { DecodeError } from '../../errors/NetlinkError.js';
import { NLM_F_DUMP, NLM_F_REQUEST } from '../../netlink/constants.js';
import { formatLinkAddress, inetChecker } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AF_INET6,
  AF_UNSPEC,
  IFF_POINTOPOINT,
  IFF_UP,
  IFINFOMSG_SIZE,
  IFLA_ADDRESS,
  IFLA_AF_SPEC,
  IFLA_ALLMULTI,
  IFLA_ALT_IFNAME,
  IFLA_BROADCAST,
  IFLA_EXT_MASK,
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
  RTM_GETLINK,
  RTM_NEWLINK,
} from './constants.js';
import {
  checkDecodeArguments,
  interfaceName,
  pastBuffer,
  RawAttributes,
  type RtnetlinkDecodeOptions,
  sameBytes,
} from './decoding.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

/**
 * A network interface (RTM_NEWLINK / RTM_DELLINK) with the field names and value formats of
 * `ip -j -d link show`. `flags` lists IFF_* names in ip's order (with ip's `NO-CARRIER` and
 * `M-DOWN`); `link` names the interface's link (a veth peer, a VLAN's parent), or
 * `link_index` + `link_netnsid` give it when it lives in another namespace; `txqlen` is left
 * out when 0, as ip does. `linkinfo` carries only `info_kind` / `info_slave_kind`: the
 * kind-specific `info_data` stays in `attrs` (IFLA_LINKINFO is kept there whole), as do
 * IFLA_STATS64, IFLA_AF_SPEC (of which only `inet6_addr_gen_mode` is mapped), IFLA_XDP and
 * everything else not named here.
 *
 * Plain data that owns its memory: valid after the ring frame it came from is released.
 *
 * @example
 * const link = decodeLink(message);
 * const up = link.flags.includes('UP') && link.operstate === 'UP';
 */
export interface Link {
  /** Present (true) when the message was RTM_DELLINK. */
  deleted?: true;
  /** `ifi_index`. */
  ifindex: number;
  /** IFLA_LINK by name (`null` when IFLA_LINK is 0), when it is in this namespace. */
  link?: string | null;
  /** IFLA_LINK when IFLA_LINK_NETNSID says it is in another namespace. */
  link_index?: number;
  /** IFLA_IFNAME. */
  ifname?: string;
  /** `ifi_flags`: LOOPBACK, BROADCAST, POINTOPOINT, MULTICAST, NOARP, UP, LOWER_UP, … */
  flags: readonly string[];
  mtu?: number;
  /** IFLA_QDISC. */
  qdisc?: string;
  /** IFLA_MASTER by name (bridge, bond, VRF). */
  master?: string;
  /** IFLA_OPERSTATE: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, DORMANT, … */
  operstate?: string;
  /** IFLA_LINKMODE: DEFAULT, DORMANT, TESTING. */
  linkmode?: string;
  /** IFLA_GROUP: "default" or decimal. */
  group?: string;
  /** IFLA_TXQLEN when not 0. */
  txqlen?: number;
  /** `ifi_type` (ARPHRD_*): ether, loopback, none, ipip, … */
  link_type: string;
  /** IFLA_ADDRESS: "aa:bb:cc:dd:ee:ff" (IP tunnels print an IP address). */
  address?: string;
  /** IFLA_PERM_ADDRESS when it differs from `address`. */
  permaddr?: string;
  /** Present (true) on POINTOPOINT links, whose `broadcast` is the peer. */
  link_pointtopoint?: true;
  /** IFLA_BROADCAST. */
  broadcast?: string;
  /** IFLA_LINK_NETNSID. */
  link_netnsid?: number;
  /** IFLA_PROTO_DOWN, when set. */
  proto_down?: true;
  promiscuity?: number;
  allmulti?: number;
  min_mtu?: number;
  max_mtu?: number;
  /** IFLA_LINKINFO kinds: "veth", "bridge", …; and the master's kind for a port. */
  linkinfo?: { info_kind?: string; info_slave_kind?: string };
  /** IFLA_AF_SPEC → AF_INET6 → IFLA_INET6_ADDR_GEN_MODE: eui64, none, stable_secret, random. */
  inet6_addr_gen_mode?: string;
  num_tx_queues?: number;
  num_rx_queues?: number;
  gso_max_size?: number;
  gso_max_segs?: number;
  tso_max_size?: number;
  tso_max_segs?: number;
  gro_max_size?: number;
  /** IFLA_PARENT_DEV_BUS_NAME. */
  parentbus?: string;
  /** IFLA_PARENT_DEV_NAME. */
  parentdev?: string;
  /** IFLA_IFALIAS. */
  ifalias?: string;
  /** IFLA_PROP_LIST → IFLA_ALT_IFNAME. */
  altnames?: string[];
  /** Attributes not fully mapped above. */
  attrs: RawAttributes;
}

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
  checkDecodeArguments('decodeLink', message, options);
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
  if (end > bytes.byteLength) pastBuffer(message.offset, end, bytes.byteLength);
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
        if (a.length === 0) break;
        addressAt = a.offset;
        addressLength = a.length;
        break;
      case IFLA_BROADCAST:
        if (a.length === 0) break;
        broadcastAt = a.offset;
        broadcastLength = a.length;
        break;
      case IFLA_PERM_ADDRESS:
        if (a.length === 0) break;
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

/**
 * Options of {@link linkDumpRequest}.
 *
 * @example
 * linkDumpRequest({ kind: 'bridge', extMask: RTEXT_FILTER_SKIP_STATS });
 */
export interface LinkDumpOptions {
  /** `ifi_family`: AF_UNSPEC (default) for links, AF_BRIDGE for bridge ports. */
  family?: number;
  /** IFLA_EXT_MASK: RTEXT_FILTER_* bits (e.g. RTEXT_FILTER_SKIP_STATS), left out when absent. */
  extMask?: number;
  /** IFLA_MASTER: only the ports of this bridge/bond/VRF ifindex. */
  master?: number;
  /** IFLA_LINKINFO/IFLA_INFO_KIND: only links of this kind ("veth", "bridge", …). */
  kind?: string;
  /** `nlmsg_seq` (default 0; the socket layer may patch bytes 8–11). */
  seq?: number;
}

/**
 * An RTM_GETLINK dump request (NLM_F_REQUEST | NLM_F_DUMP) with a full, zeroed
 * `struct ifinfomsg`, which kernels with NETLINK_GET_STRICT_CHK accept; the master and kind
 * filters work with or without strict checking. Replies decode with {@link decodeLink}.
 * Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(linkDumpRequest({ seq: 1 }));
 */
export function linkDumpRequest(options?: LinkDumpOptions): Uint8Array {
  const check = inetChecker('linkDumpRequest');
  const o = check.options(options, false);
  const family = check.integer('options.family', o.family, 0, 255) ?? AF_UNSPEC;
  const extMask = check.integer('options.extMask', o.extMask, 0, 0xffffffff);
  const master = check.integer('options.master', o.master, 1, 0x7fffffff);
  const kind = check.string('options.kind', o.kind, 15);
  const seq = check.integer('options.seq', o.seq, 0, 0xffffffff) ?? 0;
  const w = new MessageWriter(64)
    .begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(IFINFOMSG_SIZE - 1);
  if (extMask !== undefined) w.attrU32(IFLA_EXT_MASK, extMask);
  if (master !== undefined) w.attrU32(IFLA_MASTER, master);
  if (kind !== undefined) {
    const nest = w.nest(IFLA_LINKINFO);
    w.attrString(IFLA_INFO_KIND, kind);
    w.endNest(nest);
  }
  return w.end().finish();
}
