// The kind-specific part of a link (IFLA_LINKINFO → IFLA_INFO_DATA and IFLA_INFO_SLAVE_DATA)
// and its statistics (IFLA_STATS64), decoded into the shapes `ip -d -j link` and
// `ip -s -s -j link` print: per kind a table of attribute type, ip's JSON name and the format
// ip prints it in. Kinds without a table (and attributes a table does not name) are skipped;
// the whole IFLA_LINKINFO stays in the link's `attrs`.
//
// Attribute numbers are those of <linux/if_link.h> (enums IFLA_BR_*, IFLA_BRPORT_*,
// IFLA_MACVLAN_*, IFLA_VXLAN_*, IFLA_TUN_*), one table row each; the kernel-bytes test
// decodes a link of every kind and compares the result with `ip -s -s -d -j link`.

import { Attributes } from '../../netlink/Attributes.js';
import { attributeTooShort } from '../../netlink/attributeReader.js';
import { formatIPv4, formatIPv6, formatLinkAddress } from '../../netlink/inet.js';
import { YnlView } from '../ynl/view.js';
import { interfaceName, type RtnetlinkDecodeOptions } from './decoding.js';

/**
 * A value in `info_data` / `info_slave_data`: a number, a string, a boolean, or a small
 * object (vxlan's `port_range`).
 *
 * @example
 * const mode: LinkInfoValue = 'bridge';
 */
export type LinkInfoValue = number | string | boolean | { readonly [key: string]: number };

/**
 * `info_data` or `info_slave_data` of a link: ip's JSON names to values, in ip's order.
 *
 * @example
 * const data: LinkInfoData = { id: 42, remote: '10.1.0.2', port: 4789 };
 */
export type LinkInfoData = Record<string, LinkInfoValue>;

/**
 * IFLA_STATS64 (`struct rtnl_link_stats64`) as `ip -s -s -j link` prints it under
 * `stats64`: the `rx` and `tx` counters (`compressed` and `nohandler` only when not 0, and
 * `carrier_changes` from IFLA_CARRIER_CHANGES when the kernel sends it). Counters are
 * numbers: exact up to 2^53.
 *
 * @example
 * declare const link: Link;
 * const rxBytes = link.stats64?.rx.bytes;
 */
export interface LinkStats64 {
  rx: Record<string, number>;
  tx: Record<string, number>;
}

/** How ip prints one attribute. */
type Format =
  | 'u8'
  | 'u16'
  | 'u32'
  | 'u64'
  | 'bool'
  | 'hex16'
  | 'timer'
  | 'bridgeId'
  | 'mac'
  | 'ifindex'
  | 'ipv4'
  | 'ipv6'
  | 'be16'
  | ((a: Attributes, out: LinkInfoData) => void);

type Table = ReadonlyArray<readonly [type: number, name: string, format: Format]>;

/** `%#x` as C prints it: no `0x` for zero. */
function hex(value: number): string {
  return value === 0 ? '0' : `0x${value.toString(16)}`;
}

/**
 * `struct ifla_bridge_id { __u8 prio[2]; __u8 addr[6]; }` as ip prints it: the priority in
 * four hex digits, then the address as ether_ntoa writes it (no leading zeros):
 * `8000.b2:f4:5:68:d4:5f`.
 */
function bridgeId(view: DataView, at: number, length: number): string {
  const hex2 = (i: number) =>
    i < length
      ? view
          .getUint8(at + i)
          .toString(16)
          .padStart(2, '0')
      : '00';
  let addr = '';
  for (let i = 2; i < length; i++)
    addr += (i === 2 ? '' : ':') + view.getUint8(at + i).toString(16);
  return `${hex2(0)}${hex2(1)}.${addr}`;
}

/** <linux/if_bridge.h> BR_STATE_*: the port states, by value. */
const PORT_STATES = ['disabled', 'listening', 'learning', 'forwarding', 'blocking'];
/** <linux/if_link.h> enum macvlan_mode: MACVLAN_MODE_PRIVATE = 1, VEPA = 2, BRIDGE = 4, PASSTHRU = 8, SOURCE = 16. */
const MACVLAN_MODES: Readonly<Record<number, string>> = {
  1: 'private',
  2: 'vepa',
  4: 'bridge',
  8: 'passthru',
  16: 'source',
};
/** <linux/if_link.h> enum ifla_vxlan_df: UNSET, SET, INHERIT. */
const VXLAN_DF = ['unset', 'set', 'inherit'];
/** <linux/if_tun.h> IFF_TUN = 0x0001, IFF_TAP = 0x0002. */
const TUN_TYPES: Readonly<Record<number, string>> = { 1: 'tun', 2: 'tap' };
/** <linux/if_ether.h> ETH_P_8021Q, ETH_P_8021AD: the bridge's VLAN protocol. */
const VLAN_PROTOCOLS: Readonly<Record<number, string>> = { 33024: '802.1Q', 34984: '802.1ad' };
/** <linux/if_bridge.h> enum br_boolopt_id: BR_BOOLOPT_NO_LL_LEARN, BR_BOOLOPT_MCAST_VLAN_SNOOPING. */
const BR_BOOLOPT_NO_LL_LEARN = 0;
const BR_BOOLOPT_MCAST_VLAN_SNOOPING = 1;

function named(names: Readonly<Record<number, string>> | readonly string[], value: number): string {
  return (names as Record<number, string>)[value] ?? String(value);
}

/** IFLA_INFO_DATA of `bridge` (IFLA_BR_*), in ip's order. */
const BRIDGE: Table = [
  [1, 'forward_delay', 'u32'],
  [2, 'hello_time', 'u32'],
  [3, 'max_age', 'u32'],
  [4, 'ageing_time', 'u32'],
  [5, 'stp_state', 'u32'],
  [6, 'priority', 'u16'],
  [7, 'vlan_filtering', 'u8'],
  [
    8,
    'vlan_protocol',
    (a, out) => {
      out.vlan_protocol = named(VLAN_PROTOCOLS, a.be16());
    },
  ],
  [11, 'bridge_id', 'bridgeId'],
  [10, 'root_id', 'bridgeId'],
  [12, 'root_port', 'u16'],
  [13, 'root_path_cost', 'u32'],
  [14, 'topology_change', 'u8'],
  [15, 'topology_change_detected', 'u8'],
  [16, 'hello_timer', 'timer'],
  [17, 'tcn_timer', 'timer'],
  [18, 'topology_change_timer', 'timer'],
  [19, 'gc_timer', 'timer'],
  [39, 'vlan_default_pvid', 'u16'],
  [41, 'vlan_stats_enabled', 'u8'],
  [45, 'vlan_stats_per_port', 'u8'],
  [9, 'group_fwd_mask', 'hex16'],
  [20, 'group_addr', 'mac'],
  [
    46,
    'multi_boolopt',
    (a, out) => {
      // struct br_boolopt_multi { __u32 optval; __u32 optmask; }
      const optval = a.u32();
      out.no_linklocal_learn = (optval >>> BR_BOOLOPT_NO_LL_LEARN) & 1;
      out.mcast_vlan_snooping = (optval >>> BR_BOOLOPT_MCAST_VLAN_SNOOPING) & 1;
    },
  ],
  [23, 'mcast_snooping', 'u8'],
  [22, 'mcast_router', 'u8'],
  [24, 'mcast_query_use_ifaddr', 'u8'],
  [25, 'mcast_querier', 'u8'],
  [26, 'mcast_hash_elasticity', 'u32'],
  [27, 'mcast_hash_max', 'u32'],
  [28, 'mcast_last_member_cnt', 'u32'],
  [29, 'mcast_startup_query_cnt', 'u32'],
  [30, 'mcast_last_member_intvl', 'u64'],
  [31, 'mcast_membership_intvl', 'u64'],
  [32, 'mcast_querier_intvl', 'u64'],
  [33, 'mcast_query_intvl', 'u64'],
  [34, 'mcast_query_response_intvl', 'u64'],
  [35, 'mcast_startup_query_intvl', 'u64'],
  [42, 'mcast_stats_enabled', 'u8'],
  [43, 'mcast_igmp_version', 'u8'],
  [44, 'mcast_mld_version', 'u8'],
  [36, 'nf_call_iptables', 'u8'],
  [37, 'nf_call_ip6tables', 'u8'],
  [38, 'nf_call_arptables', 'u8'],
];

/** IFLA_INFO_SLAVE_DATA of a `bridge` port (IFLA_BRPORT_*), in ip's order. */
const BRIDGE_SLAVE: Table = [
  [
    1,
    'state',
    (a, out) => {
      out.state = named(PORT_STATES, a.u8());
    },
  ],
  [2, 'priority', 'u16'],
  [3, 'cost', 'u32'],
  [4, 'hairpin', 'bool'],
  [5, 'guard', 'bool'],
  [6, 'root_block', 'bool'],
  [7, 'fastleave', 'bool'],
  [8, 'learning', 'bool'],
  [9, 'flood', 'bool'],
  [
    17,
    'id',
    (a, out) => {
      out.id = hex(a.u16());
    },
  ],
  [
    18,
    'no',
    (a, out) => {
      out.no = hex(a.u16());
    },
  ],
  [15, 'designated_port', 'u16'],
  [16, 'designated_cost', 'u16'],
  [14, 'bridge_id', 'bridgeId'],
  [13, 'root_id', 'bridgeId'],
  [23, 'hold_timer', 'timer'],
  [21, 'message_age_timer', 'timer'],
  [22, 'forward_delay_timer', 'timer'],
  [19, 'topology_change_ack', 'u8'],
  [20, 'config_pending', 'u8'],
  [10, 'proxy_arp', 'bool'],
  [12, 'proxy_arp_wifi', 'bool'],
  [25, 'multicast_router', 'u8'],
  [27, 'mcast_flood', 'bool'],
  [30, 'bcast_flood', 'bool'],
  [28, 'mcast_to_unicast', 'bool'],
  [32, 'neigh_suppress', 'bool'],
  [
    31,
    'group_fwd_mask',
    (a, out) => {
      const mask = a.u16();
      out.group_fwd_mask = hex(mask);
      out.group_fwd_mask_str = `0x${mask.toString(16)}`;
    },
  ],
  [29, 'vlan_tunnel', 'bool'],
  [33, 'isolated', 'bool'],
  [34, 'backup_port', 'ifindex'],
  [39, 'locked', 'bool'],
];

/** IFLA_INFO_DATA of `macvlan` (IFLA_MACVLAN_*). */
const MACVLAN: Table = [
  [
    1,
    'mode',
    (a, out) => {
      out.mode = named(MACVLAN_MODES, a.u32());
    },
  ],
  [
    2,
    'flags',
    (a, out) => {
      // MACVLAN_FLAG_NOPROMISC = 1, MACVLAN_FLAG_NODST = 2
      const flags = a.u16();
      if (flags & 1) out.nopromisc = true;
      if (flags & 2) out.nodst = true;
    },
  ],
  [7, 'bcqueuelen', 'u32'],
  [8, 'usedbcqueuelen', 'u32'],
];

/** Whether the address at the attribute is multicast (224/4, ff00::/8). */
function multicast(a: Attributes): boolean {
  const first = a.bytes()[0] ?? 0;
  return a.length === 4 ? (first & 0xf0) === 0xe0 : first === 0xff;
}

/** IFLA_INFO_DATA of `vxlan` (IFLA_VXLAN_*), in ip's order. */
const VXLAN: Table = [
  [
    25,
    'external',
    (a, out) => {
      if (a.u8() !== 0) out.external = true;
    },
  ],
  [1, 'id', 'u32'],
  [
    2,
    'group',
    (a, out) => {
      out[multicast(a) ? 'group' : 'remote'] = formatIPv4(a.bytes());
    },
  ],
  [
    16,
    'group6',
    (a, out) => {
      out[multicast(a) ? 'group6' : 'remote6'] = formatIPv6(a.bytes());
    },
  ],
  [4, 'local', 'ipv4'],
  [17, 'local6', 'ipv6'],
  [3, 'link', 'ifindex'],
  [
    10,
    'port_range',
    (a, out) => {
      // struct ifla_vxlan_port_range { __be16 low; __be16 high; }
      const bytes = a.bytes();
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      if (bytes.byteLength >= 4) {
        out.port_range = { low: view.getUint16(0, false), high: view.getUint16(2, false) };
      }
    },
  ],
  [15, 'port', 'be16'],
  [7, 'learning', 'bool'],
  [
    11,
    'proxy',
    (a, out) => {
      if (a.u8() !== 0) out.proxy = true;
    },
  ],
  [
    12,
    'rsc',
    (a, out) => {
      if (a.u8() !== 0) out.rsc = true;
    },
  ],
  [
    13,
    'l2miss',
    (a, out) => {
      if (a.u8() !== 0) out.l2miss = true;
    },
  ],
  [
    14,
    'l3miss',
    (a, out) => {
      if (a.u8() !== 0) out.l3miss = true;
    },
  ],
  [
    6,
    'tos',
    (a, out) => {
      const tos = a.u8();
      if (tos !== 0) out.tos = hex(tos);
    },
  ],
  [5, 'ttl', 'u8'],
  [
    28,
    'ttl_inherit',
    (a, out) => {
      if (a.u8() !== 0) out.ttl = 'inherit';
    },
  ],
  [
    26,
    'label',
    (a, out) => {
      const label = a.be32();
      if (label !== 0) out.label = hex(label);
    },
  ],
  [
    29,
    'df',
    (a, out) => {
      out.df = named(VXLAN_DF, a.u8());
    },
  ],
  [8, 'ageing', 'u32'],
  [
    9,
    'limit',
    (a, out) => {
      const limit = a.u32();
      if (limit !== 0) out.limit = limit;
    },
  ],
  [18, 'udp_csum', 'bool'],
  [19, 'udp_zero_csum6_tx', 'bool'],
  [20, 'udp_zero_csum6_rx', 'bool'],
  [
    21,
    'remcsum_tx',
    (a, out) => {
      if (a.u8() !== 0) out.remcsum_tx = true;
    },
  ],
  [
    22,
    'remcsum_rx',
    (a, out) => {
      if (a.u8() !== 0) out.remcsum_rx = true;
    },
  ],
];

/** IFLA_INFO_DATA of `tun` (IFLA_TUN_*), in ip's order. */
const TUN: Table = [
  [
    3,
    'type',
    (a, out) => {
      out.type = named(TUN_TYPES, a.u8());
    },
  ],
  [4, 'pi', 'bool'],
  [5, 'vnet_hdr', 'bool'],
  [7, 'multi_queue', 'bool'],
  [6, 'persist', 'bool'],
  [1, 'user', 'u32'],
  [2, 'group', 'u32'],
  [8, 'numqueues', 'u32'],
  [9, 'numdisabled', 'u32'],
];

/** The info_data tables by IFLA_INFO_KIND; veth and ifb send no IFLA_INFO_DATA. */
const INFO_DATA: Readonly<Record<string, Table>> = {
  bridge: BRIDGE,
  macvlan: MACVLAN,
  macvtap: MACVLAN,
  vxlan: VXLAN,
  tun: TUN,
};

/** The info_slave_data tables by IFLA_INFO_SLAVE_KIND. */
const INFO_SLAVE_DATA: Readonly<Record<string, Table>> = { bridge: BRIDGE_SLAVE };

/**
 * An index of the attributes nested in one IFLA_INFO_DATA / IFLA_INFO_SLAVE_DATA: the
 * generated views' one walk into their shared index, then one lookup per table row.
 */
class NestedIndex extends YnlView<null> {
  override toJSON(): null {
    return null;
  }

  /** The header offset of the (last) attribute of `type`, or -1. */
  at(type: number): number {
    return this._find(type);
  }
}

/**
 * Decodes the IFLA_INFO_DATA (or, with `slave`, IFLA_INFO_SLAVE_DATA) whose nested
 * attributes are `[start, end)` of `view`, for the link kind `kind`, into ip's JSON fields,
 * in ip's order; undefined for a kind without a table. Attributes the table does not name
 * are skipped; a payload too short for its type throws a `DecodeError` with the
 * attribute's offset (@internal: used by `decodeLink`).
 *
 * @example
 * declare const view: DataView; // IFLA_INFO_DATA's payload at [40, 96)
 * const data = decodeInfoData('vxlan', view, 40, 96, false, undefined); // { id: 42, port: 4789, … }
 */
export function decodeInfoData(
  kind: string | undefined,
  view: DataView,
  start: number,
  end: number,
  slave: boolean,
  options: RtnetlinkDecodeOptions | undefined,
): LinkInfoData | undefined {
  const tables = slave ? INFO_SLAVE_DATA : INFO_DATA;
  if (kind === undefined || !Object.hasOwn(tables, kind)) return undefined;
  // ip prints in its own order, not the kernel's: index where each attribute is, then read
  // them row by row.
  const index = new NestedIndex(view, start, end);
  const out: LinkInfoData = {};
  for (const [type, name, format] of tables[kind]) {
    const at = index.at(type);
    if (at < 0) continue;
    write(view, at, name, format, out, options);
  }
  return out;
}

/** Throws unless the payload of the attribute at `header` holds `bytes` bytes for `what`. */
function need(view: DataView, header: number, length: number, bytes: number, what: string): void {
  if (length < bytes) throw attributeTooShort(view, header, length, what);
}

/** Writes the attribute whose header is at `header` as `name` in `format`. */
function write(
  view: DataView,
  header: number,
  name: string,
  format: Format,
  out: LinkInfoData,
  options: RtnetlinkDecodeOptions | undefined,
): void {
  const at = header + 4;
  const length = view.getUint16(header, true) - 4;
  switch (format) {
    case 'u8':
    case 'bool': {
      need(view, header, length, 1, 'u8');
      const value = view.getUint8(at);
      out[name] = format === 'bool' ? value !== 0 : value;
      return;
    }
    case 'u16':
    case 'hex16': {
      need(view, header, length, 2, 'u16');
      const value = view.getUint16(at, true);
      out[name] = format === 'hex16' ? hex(value) : value;
      return;
    }
    case 'u32':
      need(view, header, length, 4, 'u32');
      out[name] = view.getUint32(at, true);
      return;
    case 'u64':
      need(view, header, length, 8, 'u64');
      out[name] = u64(view, at);
      return;
    case 'timer':
      need(view, header, length, 8, 'u64');
      // Centiseconds (clock_t at USER_HZ 100); ip prints seconds with two decimals.
      out[name] = u64(view, at) / 100;
      return;
    case 'bridgeId':
      out[name] = bridgeId(view, at, length);
      return;
    case 'mac':
      out[name] = formatLinkAddress(bytesOf(view, at, length), 0, length);
      return;
    case 'ifindex': {
      need(view, header, length, 4, 'u32');
      const ifindex = view.getUint32(at, true);
      if (ifindex !== 0) out[name] = interfaceName(options, ifindex);
      return;
    }
    case 'ipv4':
      if (length >= 4) out[name] = formatIPv4(bytesOf(view, at, length));
      return;
    case 'ipv6':
      if (length >= 16) out[name] = formatIPv6(bytesOf(view, at, length));
      return;
    case 'be16':
      need(view, header, length, 2, 'be16');
      out[name] = view.getUint16(at, false);
      return;
    default: {
      const a = new Attributes(view, header, header + length + 4);
      a.next();
      format(a, out);
    }
  }
}

/** The payload as a Uint8Array view (no copy). */
function bytesOf(view: DataView, at: number, length: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + at, length);
}

/**
 * A host-order u64 as a number (exact up to 2^53, rounded once above, as `Number(bigint)`),
 * read as two u32 halves: no bigint.
 */
function u64(view: DataView, at: number): number {
  return view.getUint32(at + 4, true) * 4294967296 + view.getUint32(at, true);
}

/** struct rtnl_link_stats64 member offsets (u64 each), by name, in ip's order per direction. */
const RX: ReadonlyArray<readonly [string, number]> = [
  ['bytes', 2],
  ['packets', 0],
  ['errors', 4],
  ['dropped', 6],
  ['over_errors', 11],
  ['multicast', 8],
  ['compressed', 21],
  ['length_errors', 10],
  ['crc_errors', 12],
  ['frame_errors', 13],
  ['fifo_errors', 14],
  ['missed_errors', 15],
  ['nohandler', 23],
];
const TX: ReadonlyArray<readonly [string, number]> = [
  ['bytes', 3],
  ['packets', 1],
  ['errors', 5],
  ['dropped', 7],
  ['carrier_errors', 17],
  ['collisions', 9],
  ['compressed', 22],
  ['aborted_errors', 16],
  ['fifo_errors', 18],
  ['window_errors', 20],
  ['heartbeat_errors', 19],
];
/** Counters ip prints only when not 0. */
const WHEN_SET = new Set(['compressed', 'nohandler']);

/**
 * Decodes IFLA_STATS64 (`struct rtnl_link_stats64`, u64 counters in host order) at
 * `offset`/`length` of `view` into {@link LinkStats64}; members past `length` (an older
 * kernel's shorter struct) are left out (@internal: used by `decodeLink`).
 *
 * @example
 * declare const a: Attributes; // at IFLA_STATS64
 * const stats = decodeStats64(view, a.offset, a.length, undefined);
 */
export function decodeStats64(
  view: DataView,
  offset: number,
  length: number,
  carrierChanges: number | undefined,
): LinkStats64 {
  const stats =
    length >= FULL_STATS64
      ? { rx: fullRx(view, offset), tx: fullTx(view, offset) }
      : { rx: statsSide(view, offset, length, RX), tx: statsSide(view, offset, length, TX) };
  if (carrierChanges !== undefined) stats.tx.carrier_changes = carrierChanges;
  return stats;
}

/** The bytes of every member {@link RX} and {@link TX} name (up to rx_nohandler, index 23). */
const FULL_STATS64 = 24 * 8;

/**
 * {@link RX} of a whole struct as object literals (one shape each, in ip's order), which
 * the per-name loop of {@link statsSide} builds key by key.
 */
function fullRx(view: DataView, at: number): Record<string, number> {
  const m = (index: number) => u64(view, at + index * 8);
  const compressed = m(21);
  const rx: Record<string, number> =
    compressed === 0
      ? {
          bytes: m(2),
          packets: m(0),
          errors: m(4),
          dropped: m(6),
          over_errors: m(11),
          multicast: m(8),
          length_errors: m(10),
          crc_errors: m(12),
          frame_errors: m(13),
          fifo_errors: m(14),
          missed_errors: m(15),
        }
      : {
          bytes: m(2),
          packets: m(0),
          errors: m(4),
          dropped: m(6),
          over_errors: m(11),
          multicast: m(8),
          compressed,
          length_errors: m(10),
          crc_errors: m(12),
          frame_errors: m(13),
          fifo_errors: m(14),
          missed_errors: m(15),
        };
  const nohandler = m(23);
  if (nohandler !== 0) rx.nohandler = nohandler;
  return rx;
}

/** {@link TX} of a whole struct, as {@link fullRx}. */
function fullTx(view: DataView, at: number): Record<string, number> {
  const m = (index: number) => u64(view, at + index * 8);
  const compressed = m(22);
  return compressed === 0
    ? {
        bytes: m(3),
        packets: m(1),
        errors: m(5),
        dropped: m(7),
        carrier_errors: m(17),
        collisions: m(9),
        aborted_errors: m(16),
        fifo_errors: m(18),
        window_errors: m(20),
        heartbeat_errors: m(19),
      }
    : {
        bytes: m(3),
        packets: m(1),
        errors: m(5),
        dropped: m(7),
        carrier_errors: m(17),
        collisions: m(9),
        compressed,
        aborted_errors: m(16),
        fifo_errors: m(18),
        window_errors: m(20),
        heartbeat_errors: m(19),
      };
}

/** One direction of {@link decodeStats64}: the members that fit `length`, in ip's order. */
function statsSide(
  view: DataView,
  offset: number,
  length: number,
  fields: ReadonlyArray<readonly [string, number]>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, index] of fields) {
    if ((index + 1) * 8 > length) continue;
    const value = u64(view, offset + index * 8);
    if (value === 0 && WHEN_SET.has(name)) continue;
    out[name] = value;
  }
  return out;
}
