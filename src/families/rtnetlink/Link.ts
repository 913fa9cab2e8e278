import type { RawAttributes } from './RawAttributes.js';

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
