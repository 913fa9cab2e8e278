// Links (RTM_NEWLINK/DELLINK/GETLINK): the Link object, its decoder, the dump request, and the create/set/delete requests.

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
import { formatLinkAddress, inetChecker, parseAddress } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  AfSpecAttrsView,
  LinkAttrsView,
  LinkinfoAttrsView,
  PropListLinkAttrsView,
} from '../ynl/rt-link.js';
import {
  IFLA_BR_STP_STATE,
  IFLA_BR_VLAN_FILTERING,
  IFLA_MACVLAN_MODE,
  IFLA_VXLAN_GROUP,
  IFLA_VXLAN_GROUP6,
  IFLA_VXLAN_ID,
  IFLA_VXLAN_LEARNING,
  IFLA_VXLAN_LINK,
  IFLA_VXLAN_LOCAL,
  IFLA_VXLAN_LOCAL6,
  IFLA_VXLAN_PORT,
  MACVLAN_MODE_BRIDGE,
  MACVLAN_MODE_PASSTHRU,
  MACVLAN_MODE_PRIVATE,
  MACVLAN_MODE_SOURCE,
  MACVLAN_MODE_VEPA,
  VETH_INFO_PEER,
} from './configureConstants.js';
import {
  AF_INET,
  AF_UNSPEC,
  IFF_POINTOPOINT,
  IFF_UP,
  IFINFOMSG_SIZE,
  IFLA_ADDRESS,
  IFLA_AF_SPEC,
  IFLA_ALLMULTI,
  IFLA_BROADCAST,
  IFLA_EXT_MASK,
  IFLA_GRO_MAX_SIZE,
  IFLA_GROUP,
  IFLA_GSO_MAX_SEGS,
  IFLA_GSO_MAX_SIZE,
  IFLA_IFALIAS,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_INFO_SLAVE_DATA,
  IFLA_LINK,
  IFLA_LINK_NETNSID,
  IFLA_LINKINFO,
  IFLA_LINKMODE,
  IFLA_MASTER,
  IFLA_MAX_MTU,
  IFLA_MIN_MTU,
  IFLA_MTU,
  IFLA_NET_NS_FD,
  IFLA_NET_NS_PID,
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
  IFLA_STATS64,
  IFLA_TSO_MAX_SEGS,
  IFLA_TSO_MAX_SIZE,
  IFLA_TXQLEN,
  RTEXT_FILTER_SKIP_STATS,
  RTM_DELLINK,
  RTM_GETLINK,
  RTM_NEWLINK,
} from './constants.js';
import {
  checkDecodeArguments,
  firstFault,
  fixedHeader,
  interfaceName,
  RawAttributes,
  type RtnetlinkDecodeOptions,
  sameBytes,
} from './decoding.js';
import { decodeInfoData, decodeStats64, type LinkInfoData, type LinkStats64 } from './linkinfo.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

/**
 * A network interface (RTM_NEWLINK / RTM_DELLINK) with the field names and value formats of
 * `ip -j -d link show`. `flags` lists IFF_* names in ip's order (with ip's `NO-CARRIER` and
 * `M-DOWN`); `link` names the interface's link (a veth peer, a VLAN's parent), or
 * `link_index` + `link_netnsid` give it when it lives in another namespace; `txqlen` is left
 * out when 0, as ip does. `linkinfo` carries `info_kind` / `info_slave_kind` and, for the
 * kinds nlring knows (bridge, macvlan, macvtap, vxlan, tun; a bridge port's
 * `info_slave_data`), the kind-specific `info_data` / `info_slave_data` as `ip -d -j link`
 * prints them; IFLA_LINKINFO is also kept whole in `attrs`, as are IFLA_AF_SPEC (of which
 * only `inet6_addr_gen_mode` is mapped), IFLA_XDP and everything else not named here.
 * `stats64` is IFLA_STATS64 as `ip -s -s -j link` prints it (present when the kernel sends
 * it: dumps ask for it unless told to skip statistics).
 *
 * Plain data that owns its memory: valid after the ring frame it came from is released.
 *
 * @example
 * const link = decodeLink(message);
 * const up = link.flags.includes('UP') && link.operstate === 'UP';
 */
export interface Link {
  /** Present (true) when the message was RTM_DELLINK. */
  deleted?: true | undefined;
  /** `ifi_index`. */
  ifindex: number;
  /** IFLA_LINK by name (`null` when IFLA_LINK is 0), when it is in this namespace. */
  link?: string | null | undefined;
  /** IFLA_LINK when IFLA_LINK_NETNSID says it is in another namespace. */
  link_index?: number | undefined;
  /** IFLA_IFNAME. */
  ifname?: string | undefined;
  /** `ifi_flags`: LOOPBACK, BROADCAST, POINTOPOINT, MULTICAST, NOARP, UP, LOWER_UP, … */
  flags: readonly string[];
  mtu?: number | undefined;
  /** IFLA_QDISC. */
  qdisc?: string | undefined;
  /** IFLA_MASTER by name (bridge, bond, VRF). */
  master?: string | undefined;
  /** IFLA_OPERSTATE: UP, DOWN, LOWERLAYERDOWN, UNKNOWN, DORMANT, … */
  operstate?: string | undefined;
  /** IFLA_LINKMODE: DEFAULT, DORMANT, TESTING. */
  linkmode?: string | undefined;
  /** IFLA_GROUP: "default" or decimal. */
  group?: string | undefined;
  /** IFLA_TXQLEN when not 0. */
  txqlen?: number | undefined;
  /** `ifi_type` (ARPHRD_*): ether, loopback, none, ipip, … */
  link_type: string;
  /** IFLA_ADDRESS: "aa:bb:cc:dd:ee:ff" (IP tunnels print an IP address). */
  address?: string | undefined;
  /** IFLA_PERM_ADDRESS when it differs from `address`. */
  permaddr?: string | undefined;
  /** Present (true) on POINTOPOINT links, whose `broadcast` is the peer. */
  link_pointtopoint?: true | undefined;
  /** IFLA_BROADCAST. */
  broadcast?: string | undefined;
  /** IFLA_LINK_NETNSID. */
  link_netnsid?: number | undefined;
  /** IFLA_PROTO_DOWN, when set. */
  proto_down?: true | undefined;
  promiscuity?: number | undefined;
  allmulti?: number | undefined;
  min_mtu?: number | undefined;
  max_mtu?: number | undefined;
  /**
   * IFLA_LINKINFO: the kind ("veth", "bridge", …) and its IFLA_INFO_DATA; for a port, the
   * master's kind and the port's IFLA_INFO_SLAVE_DATA.
   */
  linkinfo?:
    | {
        info_kind?: string | undefined;
        info_data?: LinkInfoData | undefined;
        info_slave_kind?: string | undefined;
        info_slave_data?: LinkInfoData | undefined;
      }
    | undefined;
  /** IFLA_AF_SPEC → AF_INET6 → IFLA_INET6_ADDR_GEN_MODE: eui64, none, stable_secret, random. */
  inet6_addr_gen_mode?: string | undefined;
  num_tx_queues?: number | undefined;
  num_rx_queues?: number | undefined;
  gso_max_size?: number | undefined;
  gso_max_segs?: number | undefined;
  tso_max_size?: number | undefined;
  tso_max_segs?: number | undefined;
  gro_max_size?: number | undefined;
  /** IFLA_PARENT_DEV_BUS_NAME. */
  parentbus?: string | undefined;
  /** IFLA_PARENT_DEV_NAME. */
  parentdev?: string | undefined;
  /** IFLA_IFALIAS. */
  ifalias?: string | undefined;
  /** IFLA_PROP_LIST → IFLA_ALT_IFNAME. */
  altnames?: string[] | undefined;
  /** IFLA_STATS64 (with IFLA_CARRIER_CHANGES), as `ip -s -s -j link` prints it. */
  stats64?: LinkStats64 | undefined;
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
  IFLA_STATS64,
]) {
  MAPPED[t] = 1;
}

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
  try {
    return linkFrom(message, options);
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    const start = message.payloadOffset + IFINFOMSG_SIZE;
    throw firstFault(
      message.view,
      start,
      Math.min(message.end, message.view.byteLength),
      SIZES,
      error,
    );
  }
}

/** The payload bytes of the fixed-size IFLA_* types decodeLink maps, for {@link firstFault}. */
const SIZES = new Uint8Array(64);
for (const t of [
  IFLA_MTU,
  IFLA_LINK,
  IFLA_MASTER,
  IFLA_TXQLEN,
  IFLA_GROUP,
  IFLA_PROMISCUITY,
  IFLA_ALLMULTI,
  IFLA_MIN_MTU,
  IFLA_MAX_MTU,
  IFLA_NUM_TX_QUEUES,
  IFLA_NUM_RX_QUEUES,
  IFLA_GSO_MAX_SIZE,
  IFLA_GSO_MAX_SEGS,
  IFLA_TSO_MAX_SIZE,
  IFLA_TSO_MAX_SEGS,
  IFLA_GRO_MAX_SIZE,
  IFLA_LINK_NETNSID,
]) {
  SIZES[t] = 4;
}
SIZES[IFLA_OPERSTATE] = 1;
SIZES[IFLA_LINKMODE] = 1;
SIZES[IFLA_PROTO_DOWN] = 1;

/** decodeLink after its argument checks. */
function linkFrom(message: NetlinkMessage, options: RtnetlinkDecodeOptions | undefined): Link {
  const messageType = message.type;
  const header = fixedHeader(
    message,
    RTM_NEWLINK,
    RTM_DELLINK,
    'LINK',
    'link',
    'ifinfomsg',
    IFINFOMSG_SIZE,
  );
  const bytes = message.bytes;
  const view = message.view;
  const end = message.end;
  const linkType = view.getUint16(header + 2, true);
  const ifindex = view.getInt32(header + 4, true);
  const ifiFlags = view.getUint32(header + 8, true);

  const ifla = new IflaReader(view, header + IFINFOMSG_SIZE, end);
  // Every top-level field first: a nested view re-indexes the index all views share.
  const ifname = ifla.ifname;
  const mtu = ifla.mtu;
  const iflink = ifla.link;
  const qdisc = ifla.qdisc;
  const master = ifla.master;
  const operstate = ifla.operstate;
  const linkmode = ifla.linkmode;
  const group = ifla.group;
  const txqlen = ifla.txqlen;
  const addressAt = ifla.at(IFLA_ADDRESS);
  const permAt = ifla.at(IFLA_PERM_ADDRESS);
  const broadcastAt = ifla.at(IFLA_BROADCAST);
  const netnsid = ifla.linkNetnsid;
  const protoDown = ifla.protoDown;
  const promiscuity = ifla.promiscuity;
  const allmulti = ifla.allmulti;
  const minMtu = ifla.minMtu;
  const maxMtu = ifla.maxMtu;
  const numTxQueues = ifla.numTxQueues;
  const numRxQueues = ifla.numRxQueues;
  const gsoMaxSize = ifla.gsoMaxSize;
  const gsoMaxSegs = ifla.gsoMaxSegs;
  const tsoMaxSize = ifla.tsoMaxSize;
  const tsoMaxSegs = ifla.tsoMaxSegs;
  const groMaxSize = ifla.groMaxSize;
  const parentbus = ifla.parentDevBusName;
  const parentdev = ifla.parentDevName;
  const ifalias = ifla.ifalias;
  const statsAt = ifla.at(IFLA_STATS64);
  const carrierChanges = statsAt >= 0 ? ifla.carrierChanges : undefined;
  const linkinfoAt = ifla.at(IFLA_LINKINFO);
  const afSpecAt = ifla.at(IFLA_AF_SPEC);
  const propListAt = ifla.at(IFLA_PROP_LIST);
  const unmapped = ifla.unlisted(MAPPED);

  const link = (messageType === RTM_DELLINK ? { deleted: true, ifindex } : { ifindex }) as Link;
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
  if (ifname !== undefined) link.ifname = ifname;
  link.flags = names.linkFlags(ifiFlags, masterDown);
  if (mtu !== undefined) link.mtu = mtu;
  if (qdisc !== undefined) link.qdisc = qdisc;
  if (master !== undefined && master !== 0) link.master = interfaceName(options, master);
  if (operstate !== undefined) link.operstate = names.operstate(operstate);
  if (linkmode !== undefined) link.linkmode = names.linkmode(linkmode);
  if (group !== undefined) link.group = names.group(group);
  if (txqlen !== undefined && txqlen !== 0) link.txqlen = txqlen;
  link.link_type = names.linkType(linkType);
  const addressLength = payloadLength(view, addressAt);
  if (addressLength > 0) {
    link.address = formatLinkAddress(bytes, addressAt + 4, addressLength, linkType);
  }
  const permLength = payloadLength(view, permAt);
  if (
    permLength > 0 &&
    !(addressLength > 0 && sameBytes(bytes, permAt + 4, permLength, addressAt + 4, addressLength))
  ) {
    link.permaddr = formatLinkAddress(bytes, permAt + 4, permLength, linkType);
  }
  const broadcastLength = payloadLength(view, broadcastAt);
  if (broadcastLength > 0) {
    if (ifiFlags & IFF_POINTOPOINT) link.link_pointtopoint = true;
    link.broadcast = formatLinkAddress(bytes, broadcastAt + 4, broadcastLength, linkType);
  }
  if (netnsid !== undefined) link.link_netnsid = netnsid;
  if (protoDown !== undefined && protoDown !== 0) link.proto_down = true;
  if (promiscuity !== undefined) link.promiscuity = promiscuity;
  if (allmulti !== undefined) link.allmulti = allmulti;
  if (minMtu !== undefined) link.min_mtu = minMtu;
  if (maxMtu !== undefined) link.max_mtu = maxMtu;
  if (linkinfoAt >= 0) {
    const linkinfo = linkInfo(view, linkinfoAt, options);
    if (linkinfo !== undefined) link.linkinfo = linkinfo;
  }
  if (afSpecAt >= 0) {
    const mode = new AfSpecAttrsView(view, afSpecAt + 4, nestEnd(view, afSpecAt)).inet6
      ?.addrGenMode;
    if (mode !== undefined) link.inet6_addr_gen_mode = names.addrGenMode(mode);
  }
  if (numTxQueues !== undefined) link.num_tx_queues = numTxQueues;
  if (numRxQueues !== undefined) link.num_rx_queues = numRxQueues;
  if (gsoMaxSize !== undefined) link.gso_max_size = gsoMaxSize;
  if (gsoMaxSegs !== undefined) link.gso_max_segs = gsoMaxSegs;
  if (tsoMaxSize !== undefined) link.tso_max_size = tsoMaxSize;
  if (tsoMaxSegs !== undefined) link.tso_max_segs = tsoMaxSegs;
  if (groMaxSize !== undefined) link.gro_max_size = groMaxSize;
  if (parentbus !== undefined) link.parentbus = parentbus;
  if (parentdev !== undefined) link.parentdev = parentdev;
  if (ifalias !== undefined) link.ifalias = ifalias;
  if (propListAt >= 0) {
    const altnames = new PropListLinkAttrsView(view, propListAt + 4, nestEnd(view, propListAt))
      .altIfname;
    if (altnames !== undefined) link.altnames = altnames;
  }
  if (statsAt >= 0) {
    link.stats64 = decodeStats64(view, statsAt + 4, payloadLength(view, statsAt), carrierChanges);
  }
  const start = header + IFINFOMSG_SIZE;
  link.attrs = unmapped ? new RawAttributes(bytes.slice(start, end), MAPPED) : RawAttributes.empty;
  return link;
}

/**
 * The generated rt-link view of a link's IFLA_* attributes (`link-attrs`), with the header
 * offsets decodeLink needs for what it formats itself (addresses by `ifi_type`, statistics
 * and the kind-specific data in ip's shapes).
 */
class IflaReader extends LinkAttrsView {
  /** The header offset of the (last) attribute of `type`, or -1. */
  at(type: number): number {
    return this._find(type);
  }

  /** Whether an attribute `mapped` does not mark is present. */
  unlisted(mapped: Uint8Array): boolean {
    return this._unlisted(mapped);
  }
}

/** The generated view of IFLA_LINKINFO (`linkinfo-attrs`), with header offsets. */
class LinkinfoReader extends LinkinfoAttrsView {
  at(type: number): number {
    return this._find(type);
  }
}

/** The payload length of the attribute whose header is at `at`, or 0 when `at` is -1. */
function payloadLength(view: DataView, at: number): number {
  return at < 0 ? 0 : view.getUint16(at, true) - 4;
}

/** The payload end of the attribute whose header is at `at` (its length was checked). */
function nestEnd(view: DataView, at: number): number {
  return at + view.getUint16(at, true);
}

/** `linkinfo`: the kinds, and the kind-specific data ip prints, when there is a kind. */
function linkInfo(
  view: DataView,
  at: number,
  options: RtnetlinkDecodeOptions | undefined,
): Link['linkinfo'] {
  const info = new LinkinfoReader(view, at + 4, nestEnd(view, at));
  const infoKind = info.kind;
  const infoSlaveKind = info.slaveKind;
  if (infoKind === undefined && infoSlaveKind === undefined) return undefined;
  const dataAt = info.at(IFLA_INFO_DATA);
  const slaveAt = info.at(IFLA_INFO_SLAVE_DATA);
  const linkinfo: NonNullable<Link['linkinfo']> = {};
  if (infoKind !== undefined) linkinfo.info_kind = infoKind;
  const data =
    dataAt < 0
      ? undefined
      : decodeInfoData(infoKind, view, dataAt + 4, nestEnd(view, dataAt), false, options);
  if (data !== undefined) linkinfo.info_data = data;
  if (infoSlaveKind !== undefined) linkinfo.info_slave_kind = infoSlaveKind;
  const slave =
    slaveAt < 0
      ? undefined
      : decodeInfoData(infoSlaveKind, view, slaveAt + 4, nestEnd(view, slaveAt), true, options);
  if (slave !== undefined) linkinfo.info_slave_data = slave;
  return linkinfo;
}

/**
 * Options of {@link linkDumpRequest}.
 *
 * @example
 * linkDumpRequest({ kind: 'bridge', extMask: RTEXT_FILTER_SKIP_STATS });
 */
export interface LinkDumpOptions {
  /** `ifi_family`: AF_UNSPEC (default) for links, AF_BRIDGE for bridge ports. */
  family?: number | undefined;
  /** IFLA_EXT_MASK: RTEXT_FILTER_* bits (e.g. RTEXT_FILTER_SKIP_STATS), left out when absent. */
  extMask?: number | undefined;
  /** IFLA_MASTER: only the ports of this bridge/bond/VRF ifindex. */
  master?: number | undefined;
  /** IFLA_LINKINFO/IFLA_INFO_KIND: only links of this kind ("veth", "bridge", …). */
  kind?: string | undefined;
  /** `nlmsg_seq` (default 0; the socket layer may patch bytes 8–11). */
  seq?: number | undefined;
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

/**
 * A network namespace as the kernel takes it in a link request: an open namespace file
 * (IFLA_NET_NS_FD) or the namespace of a process (IFLA_NET_NS_PID).
 *
 * @example
 * const target: NetnsTarget = { pid: 1 };
 */
export type NetnsTarget = { fd: number } | { pid: number };

/** macvlan modes, as `ip link add … type macvlan mode MODE` names them. */
export type MacvlanMode = 'private' | 'vepa' | 'bridge' | 'passthru' | 'source';

const MACVLAN_MODES: Record<MacvlanMode, number> = {
  private: MACVLAN_MODE_PRIVATE,
  vepa: MACVLAN_MODE_VEPA,
  bridge: MACVLAN_MODE_BRIDGE,
  passthru: MACVLAN_MODE_PASSTHRU,
  source: MACVLAN_MODE_SOURCE,
};

/**
 * What both creating and changing a link may set.
 *
 * @example
 * const fields: LinkFields = { up: true, mtu: 1400, master: 4 };
 */
export interface LinkFields {
  /** Set (true) or clear (false) IFF_UP: `ip link set … up|down`. */
  up?: boolean | undefined;
  /** IFLA_MTU. */
  mtu?: number | undefined;
  /** IFLA_ADDRESS: a MAC address "02:00:00:00:00:aa". */
  address?: string | undefined;
  /** IFLA_TXQLEN: `txqueuelen`. */
  txqueuelen?: number | undefined;
  /** IFLA_MASTER: the bridge (or bond, VRF) ifindex; 0 to leave it (`nomaster`). */
  master?: number | undefined;
  /** IFLA_IFALIAS. */
  alias?: string | undefined;
  /** IFLA_NET_NS_FD / IFLA_NET_NS_PID: the namespace the link is created in or moved to. */
  netns?: NetnsTarget | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * The kinds {@link createLinkRequest} writes, each with its IFLA_INFO_DATA. Another kind
 * string is sent with IFLA_INFO_KIND only (the kernel answers EOPNOTSUPP, "Unknown device
 * type", for a kind it does not have).
 *
 * @example
 * const kind: LinkKindOptions = { kind: 'vxlan', id: 42, remote: '10.1.0.2', link: 3 };
 */
export type LinkKindOptions =
  | {
      kind: 'veth';
      /** The other end: its name (default: the kernel's `vethN`) and namespace. */
      peer?: { ifname?: string | undefined; netns?: NetnsTarget | undefined } | undefined;
    }
  | {
      kind: 'bridge';
      /** IFLA_BR_STP_STATE: spanning tree on or off. */
      stp?: boolean | undefined;
      /** IFLA_BR_VLAN_FILTERING. */
      vlanFiltering?: boolean | undefined;
    }
  | {
      kind: 'macvlan';
      /** IFLA_LINK: the lower device's ifindex. */
      link: number;
      /** IFLA_MACVLAN_MODE (default: the kernel's, vepa). */
      mode?: MacvlanMode | undefined;
    }
  | {
      kind: 'vxlan';
      /** IFLA_VXLAN_ID: the VNI (0–16777215). */
      id: number;
      /** IFLA_VXLAN_PORT: the UDP destination port (ip's `dstport`). */
      port?: number | undefined;
      /** IFLA_VXLAN_LOCAL / LOCAL6: the source address. */
      local?: string | undefined;
      /** IFLA_VXLAN_GROUP / GROUP6: the remote end (or a multicast group). */
      remote?: string | undefined;
      /** IFLA_VXLAN_LINK: the underlay device's ifindex (ip's `dev`). */
      link?: number | undefined;
      /** IFLA_VXLAN_LEARNING (default true, as ip writes it). */
      learning?: boolean | undefined;
    }
  | { kind: 'ifb' }
  | { kind: string };

/**
 * Options of {@link createLinkRequest}.
 *
 * @example
 * const o: CreateLinkRequestOptions = { ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' } };
 */
export type CreateLinkRequestOptions = LinkFields &
  LinkKindOptions & {
    /** IFLA_IFNAME: the new link's name (at most 15 bytes). */
    ifname: string;
    /** Change the link if it exists (NLM_F_REPLACE) instead of failing with EEXIST. */
    replace?: boolean | undefined;
  };

/**
 * Options of {@link setLinkRequest}.
 *
 * @example
 * const o: SetLinkRequestOptions = { ifindex: 3, up: true, mtu: 1400 };
 */
export interface SetLinkRequestOptions extends LinkFields {
  /** `ifi_index`: the link to change. */
  ifindex: number;
  /** IFLA_IFNAME: a new name. */
  ifname?: string | undefined;
}

/**
 * Options of {@link deleteLinkRequest}.
 *
 * @example
 * const o: DeleteLinkRequestOptions = { ifindex: 3 };
 */
export interface DeleteLinkRequestOptions {
  /** `ifi_index`: the link to delete. */
  ifindex: number;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

type Check = ReturnType<typeof argumentChecker>;

const utf8 = new TextEncoder();

/** Parses "aa:bb:cc:dd:ee:ff" (1–32 bytes, one or two hex digits each) into bytes. */
function macAddress(check: Check, name: string, value: unknown): Uint8Array | undefined {
  if (value === undefined) return undefined;
  const parts = typeof value === 'string' ? value.split(':') : [];
  if (parts.length < 1 || parts.length > 32 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p))) {
    return check.fail(name, 'a link-layer address like "02:00:00:00:00:aa"', value);
  }
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}

function netnsTarget(check: Check, name: string, value: unknown): NetnsTarget | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null) {
    const v = value as { fd?: unknown; pid?: unknown };
    if (v.fd !== undefined && v.pid === undefined) {
      return { fd: check.requiredInteger(`${name}.fd`, v.fd, 0, 0x7fffffff) };
    }
    if (v.pid !== undefined && v.fd === undefined) {
      return { pid: check.requiredInteger(`${name}.pid`, v.pid, 1, 0x7fffffff) };
    }
  }
  return check.fail(name, '{ fd } or { pid }', value);
}

/** The checked {@link LinkFields}. */
interface Fields {
  up: boolean | undefined;
  mtu: number | undefined;
  address: Uint8Array | undefined;
  txqueuelen: number | undefined;
  master: number | undefined;
  alias: string | undefined;
  netns: NetnsTarget | undefined;
  seq: number;
}

function linkFields(check: Check, o: Partial<LinkFields>): Fields {
  return {
    up: check.boolean('options.up', o.up),
    mtu: check.uint('options.mtu', o.mtu, 32),
    address: macAddress(check, 'options.address', o.address),
    txqueuelen: check.uint('options.txqueuelen', o.txqueuelen, 32),
    master: check.integer('options.master', o.master, 0, 0x7fffffff),
    alias: check.string('options.alias', o.alias, 255),
    netns: netnsTarget(check, 'options.netns', o.netns),
    seq: check.uint('options.seq', o.seq, 32) ?? 0,
  };
}

/** struct ifinfomsg: family AF_UNSPEC, type 0, the index, IFF_UP in flags/change if asked. */
function ifinfomsg(w: MessageWriter, ifindex: number, up: boolean | undefined): void {
  w.u8(0).u8(0).u16(0).s32(ifindex);
  w.u32(up === true ? IFF_UP : 0).u32(up === undefined ? 0 : IFF_UP);
}

/** The attributes that follow ifinfomsg, in ip's order for `ip link set`. */
function writeFields(w: MessageWriter, f: Fields, ifname: string | undefined): void {
  if (f.mtu !== undefined) w.attrU32(IFLA_MTU, f.mtu);
  if (ifname !== undefined) w.attrString(IFLA_IFNAME, ifname);
  if (f.address !== undefined) w.attr(IFLA_ADDRESS, f.address);
  if (f.txqueuelen !== undefined) w.attrU32(IFLA_TXQLEN, f.txqueuelen);
  if (f.master !== undefined) w.attrU32(IFLA_MASTER, f.master);
  if (f.alias !== undefined) w.attr(IFLA_IFALIAS, utf8.encode(f.alias)); // no NUL, as ip
  writeNetns(w, f.netns);
}

function writeNetns(w: MessageWriter, netns: NetnsTarget | undefined): void {
  if (netns === undefined) return;
  if ('fd' in netns) w.attrU32(IFLA_NET_NS_FD, netns.fd);
  else w.attrU32(IFLA_NET_NS_PID, netns.pid);
}

/** Opens an attribute as ip's addattr_nest does (no NLA_F_NESTED); close with endNest. */
function nest(w: MessageWriter, type: number): number {
  const at = (w.length + 3) & ~3;
  w.attr(type, new Uint8Array(0));
  return at;
}

/**
 * Writes an RTM_NEWLINK that creates a link (@internal: {@link createLinkRequest} with the
 * public function's name in its TypeErrors).
 *
 * @example
 * writeCreateLink('createLink', { ifname: 'br0', kind: 'bridge', stp: true });
 */
export function writeCreateLink(fn: string, options: CreateLinkRequestOptions): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true) as Partial<CreateLinkRequestOptions> &
    Record<string, unknown>;
  const ifname = check.string('options.ifname', o.ifname, 15);
  if (ifname === undefined) return check.fail('options.ifname', 'a link name', undefined);
  const kind = check.string('options.kind', o.kind, 63);
  if (kind === undefined) return check.fail('options.kind', 'a link kind like "veth"', undefined);
  const f = linkFields(check, o);
  const replace = check.flag('options.replace', o.replace);
  const flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL);
  const w = new MessageWriter(128).begin(RTM_NEWLINK, flags, f.seq);
  ifinfomsg(w, 0, f.up);
  if (f.mtu !== undefined) w.attrU32(IFLA_MTU, f.mtu);
  if (f.address !== undefined) w.attr(IFLA_ADDRESS, f.address);
  if (f.txqueuelen !== undefined) w.attrU32(IFLA_TXQLEN, f.txqueuelen);
  if (f.master !== undefined) w.attrU32(IFLA_MASTER, f.master);
  if (f.alias !== undefined) w.attr(IFLA_IFALIAS, utf8.encode(f.alias)); // no NUL, as ip
  writeNetns(w, f.netns);
  const data = kindData(check, kind, o);
  if (data.link !== undefined) w.attrU32(IFLA_LINK, data.link);
  w.attrString(IFLA_IFNAME, ifname);
  const info = nest(w, IFLA_LINKINFO);
  w.attr(IFLA_INFO_KIND, utf8.encode(kind)); // without NUL, as ip writes it
  if (data.write !== undefined) {
    const body = nest(w, IFLA_INFO_DATA);
    data.write(w);
    w.endNest(body);
  }
  w.endNest(info);
  return w.end().finish();
}

/** The checked kind-specific options: IFLA_LINK and a writer of IFLA_INFO_DATA. */
function kindData(
  check: Check,
  kind: string,
  o: Record<string, unknown>,
): { link?: number | undefined; write?: ((w: MessageWriter) => void) | undefined } {
  switch (kind) {
    case 'veth': {
      const peer = o.peer;
      if (peer === undefined) return {};
      if (typeof peer !== 'object' || peer === null) {
        return check.fail('options.peer', 'an object', peer);
      }
      const p = peer as { ifname?: unknown; netns?: unknown };
      const peerName = check.string('options.peer.ifname', p.ifname, 15);
      const peerNetns = netnsTarget(check, 'options.peer.netns', p.netns);
      return {
        write: (w) => {
          const at = nest(w, VETH_INFO_PEER);
          w.zeros(IFINFOMSG_SIZE);
          writeNetns(w, peerNetns);
          if (peerName !== undefined) w.attrString(IFLA_IFNAME, peerName);
          w.endNest(at);
        },
      };
    }
    case 'bridge': {
      const stp = check.boolean('options.stp', o.stp);
      const vlanFiltering = check.boolean('options.vlanFiltering', o.vlanFiltering);
      if (stp === undefined && vlanFiltering === undefined) return {};
      return {
        write: (w) => {
          if (stp !== undefined) w.attrU32(IFLA_BR_STP_STATE, stp ? 1 : 0);
          if (vlanFiltering !== undefined) w.attrU8(IFLA_BR_VLAN_FILTERING, vlanFiltering ? 1 : 0);
        },
      };
    }
    case 'macvlan': {
      const link = check.requiredInteger('options.link', o.link, 1, 0x7fffffff);
      const mode = check.oneOf('options.mode', o.mode, Object.keys(MACVLAN_MODES) as MacvlanMode[]);
      if (mode === undefined) return { link };
      return { link, write: (w) => w.attrU32(IFLA_MACVLAN_MODE, MACVLAN_MODES[mode]) };
    }
    case 'vxlan': {
      const id = check.requiredInteger('options.id', o.id, 0, 0xffffff);
      const port = check.uint('options.port', o.port, 16);
      const link = check.integer('options.link', o.link, 1, 0x7fffffff);
      const local = ipAddress(check, 'options.local', o.local);
      const remote = ipAddress(check, 'options.remote', o.remote);
      if (local !== undefined && remote !== undefined && local.family !== remote.family) {
        check.fail('options.remote', 'of the family of options.local', o.remote);
      }
      const learning = check.boolean('options.learning', o.learning) ?? true;
      return {
        write: (w) => {
          // ip's order for `id N dstport P local A remote B dev D`.
          if (link !== undefined) w.attrU32(IFLA_VXLAN_LINK, link);
          w.attrU32(IFLA_VXLAN_ID, id);
          if (local !== undefined) {
            w.attr(local.family === AF_INET ? IFLA_VXLAN_LOCAL : IFLA_VXLAN_LOCAL6, local.bytes);
          }
          if (remote !== undefined) {
            w.attr(remote.family === AF_INET ? IFLA_VXLAN_GROUP : IFLA_VXLAN_GROUP6, remote.bytes);
          }
          w.attrU8(IFLA_VXLAN_LEARNING, learning ? 1 : 0);
          if (port !== undefined) w.attrBe16(IFLA_VXLAN_PORT, port);
        },
      };
    }
    default:
      return {};
  }
}

function ipAddress(
  check: Check,
  name: string,
  value: unknown,
): { family: number; bytes: Uint8Array } | undefined {
  if (value === undefined) return undefined;
  const parsed = typeof value === 'string' ? parseAddress(value) : undefined;
  return parsed ?? check.fail(name, 'an IPv4 or IPv6 address', value);
}

/**
 * An RTM_NEWLINK request that creates a link, as `ip link add NAME [fields] type KIND
 * [data]` does: NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL (EEXIST when the
 * name is taken), NLM_F_REPLACE instead of NLM_F_EXCL with `replace`. Writes veth (peer
 * name and namespace), bridge (stp, vlan filtering), macvlan (lower link, mode), vxlan (VNI,
 * port, local, remote, underlay) and ifb byte for byte as ip 6.1 does; `up` sets IFF_UP in
 * `ifi_flags` and `ifi_change`. The kernel answers with an acknowledgement. Bad options
 * throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(createLinkRequest({ ifname: 'v0', kind: 'veth', peer: { ifname: 'v1' }, seq: 1 }));
 */
export function createLinkRequest(options: CreateLinkRequestOptions): Uint8Array {
  return writeCreateLink('createLinkRequest', options);
}

/**
 * Writes an RTM_NEWLINK that changes a link (@internal: {@link setLinkRequest} with the
 * public function's name in its TypeErrors).
 *
 * @example
 * writeSetLink('setLink', { ifindex: 3, up: true });
 */
export function writeSetLink(fn: string, options: SetLinkRequestOptions): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const ifindex = check.requiredInteger('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const ifname = check.string('options.ifname', o.ifname, 15);
  const f = linkFields(check, o);
  const w = new MessageWriter(96).begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, f.seq);
  ifinfomsg(w, ifindex, f.up);
  writeFields(w, f, ifname);
  return w.end().finish();
}

/**
 * An RTM_NEWLINK request that changes link `ifindex`, as `ip link set dev D …` does
 * (NLM_F_REQUEST | NLM_F_ACK, the link in `ifi_index`): up/down through `ifi_flags` and
 * `ifi_change`, then IFLA_MTU, IFLA_IFNAME (a new name), IFLA_ADDRESS, IFLA_TXQLEN,
 * IFLA_MASTER (0: `nomaster`), IFLA_IFALIAS and IFLA_NET_NS_FD / IFLA_NET_NS_PID (move it
 * to another namespace) as given. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(setLinkRequest({ ifindex: 3, up: true, mtu: 1400, seq: 2 }));
 */
export function setLinkRequest(options: SetLinkRequestOptions): Uint8Array {
  return writeSetLink('setLinkRequest', options);
}

/**
 * Writes an RTM_DELLINK (@internal: {@link deleteLinkRequest} with the public function's
 * name in its TypeErrors).
 *
 * @example
 * writeDeleteLink('deleteLink', { ifindex: 3 });
 */
export function writeDeleteLink(fn: string, options: DeleteLinkRequestOptions): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const ifindex = check.requiredInteger('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  const w = new MessageWriter(32).begin(RTM_DELLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
  ifinfomsg(w, ifindex, undefined);
  return w.end().finish();
}

/**
 * An RTM_DELLINK request that deletes link `ifindex`, as `ip link del dev D` does (a veth
 * takes its peer with it). The kernel answers ENODEV for an unknown ifindex. Bad options
 * throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(deleteLinkRequest({ ifindex: 3, seq: 3 }));
 */
export function deleteLinkRequest(options: DeleteLinkRequestOptions): Uint8Array {
  return writeDeleteLink('deleteLinkRequest', options);
}

/**
 * An RTM_GETLINK request for one link, by name (IFLA_IFNAME) or by `ifindex`, as ip sends
 * it to resolve `dev NAME`: NLM_F_REQUEST only, statistics skipped (IFLA_EXT_MASK). The
 * kernel answers with one RTM_NEWLINK (decode with `decodeLink`), or an NLMSG_ERROR with
 * ENODEV when there is no such link. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(getLinkRequest({ ifname: 'v0', seq: 1 }));
 */
export function getLinkRequest(options: {
  ifname?: string | undefined;
  ifindex?: number | undefined;
  seq?: number | undefined;
}): Uint8Array {
  const check = argumentChecker('getLinkRequest');
  const o = check.options(options, true);
  const ifname = check.string('options.ifname', o.ifname, 15);
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  if ((ifname === undefined) === (ifindex === undefined)) {
    check.fail('options', 'an object with ifname or ifindex', options);
  }
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  const w = new MessageWriter(48).begin(RTM_GETLINK, NLM_F_REQUEST, seq);
  ifinfomsg(w, ifindex ?? 0, undefined);
  w.attrU32(IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
  if (ifname !== undefined) w.attrString(IFLA_IFNAME, ifname);
  return w.end().finish();
}
