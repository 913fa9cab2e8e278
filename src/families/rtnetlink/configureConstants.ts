// Constants for configuring the host (FIB rules, nexthop objects, link kinds, netconf and
// nsid events, route encapsulations), named as the kernel names them. Values were read from
// <linux/fib_rules.h>, <linux/nexthop.h>, <linux/veth.h>, <linux/if_link.h>,
// <linux/netconf.h>, <linux/net_namespace.h>, <linux/lwtunnel.h>, <linux/seg6_iptunnel.h>
// and <linux/ipv6.h>; the configureConstants test checks them against the installed headers
// again. `*_MAX` values are left out: they grow with every kernel.

// <fib_rules.h>: rule attributes.
export const FRA_UNSPEC = 0;
export const FRA_DST = 1;
export const FRA_SRC = 2;
export const FRA_IIFNAME = 3;
export const FRA_GOTO = 4;
export const FRA_PRIORITY = 6;
export const FRA_FWMARK = 10;
export const FRA_FLOW = 11;
export const FRA_TUN_ID = 12;
export const FRA_SUPPRESS_IFGROUP = 13;
export const FRA_SUPPRESS_PREFIXLEN = 14;
export const FRA_TABLE = 15;
export const FRA_FWMASK = 16;
export const FRA_OIFNAME = 17;
export const FRA_PAD = 18;
export const FRA_L3MDEV = 19;
export const FRA_UID_RANGE = 20;
export const FRA_PROTOCOL = 21;
export const FRA_IP_PROTO = 22;
export const FRA_SPORT_RANGE = 23;
export const FRA_DPORT_RANGE = 24;

// <fib_rules.h>: rule actions (fib_rule_hdr.action).
export const FR_ACT_UNSPEC = 0;
export const FR_ACT_TO_TBL = 1;
export const FR_ACT_GOTO = 2;
export const FR_ACT_NOP = 3;
export const FR_ACT_BLACKHOLE = 6;
export const FR_ACT_UNREACHABLE = 7;
export const FR_ACT_PROHIBIT = 8;

// <fib_rules.h>: rule flags (fib_rule_hdr.flags).
export const FIB_RULE_PERMANENT = 0x1;
export const FIB_RULE_INVERT = 0x2;
export const FIB_RULE_UNRESOLVED = 0x4;
export const FIB_RULE_IIF_DETACHED = 0x8;
export const FIB_RULE_OIF_DETACHED = 0x10;
export const FIB_RULE_FIND_SADDR = 0x10000;

// <nexthop.h>: nexthop attributes.
export const NHA_UNSPEC = 0;
export const NHA_ID = 1;
export const NHA_GROUP = 2;
export const NHA_GROUP_TYPE = 3;
export const NHA_BLACKHOLE = 4;
export const NHA_OIF = 5;
export const NHA_GATEWAY = 6;
export const NHA_ENCAP_TYPE = 7;
export const NHA_ENCAP = 8;
export const NHA_GROUPS = 9;
export const NHA_MASTER = 10;
export const NHA_FDB = 11;
export const NHA_RES_GROUP = 12;
export const NHA_RES_BUCKET = 13;

// <nexthop.h>: nexthop group types (NHA_GROUP_TYPE).
export const NEXTHOP_GRP_TYPE_MPATH = 0;
export const NEXTHOP_GRP_TYPE_RES = 1;

// <veth.h>: veth link data.
export const VETH_INFO_PEER = 1;

// <if_link.h>: bridge link data (IFLA_INFO_DATA of kind "bridge"), the ones nlring writes.
export const IFLA_BR_FORWARD_DELAY = 1;
export const IFLA_BR_HELLO_TIME = 2;
export const IFLA_BR_MAX_AGE = 3;
export const IFLA_BR_AGEING_TIME = 4;
export const IFLA_BR_STP_STATE = 5;
export const IFLA_BR_PRIORITY = 6;
export const IFLA_BR_VLAN_FILTERING = 7;
export const IFLA_BR_VLAN_DEFAULT_PVID = 39;

// <if_link.h>: macvlan link data and modes.
export const IFLA_MACVLAN_MODE = 1;
export const IFLA_MACVLAN_FLAGS = 2;
export const MACVLAN_MODE_PRIVATE = 1;
export const MACVLAN_MODE_VEPA = 2;
export const MACVLAN_MODE_BRIDGE = 4;
export const MACVLAN_MODE_PASSTHRU = 8;
export const MACVLAN_MODE_SOURCE = 16;

// <if_link.h>: vxlan link data, the ones nlring writes.
export const IFLA_VXLAN_ID = 1;
export const IFLA_VXLAN_GROUP = 2;
export const IFLA_VXLAN_LINK = 3;
export const IFLA_VXLAN_LOCAL = 4;
export const IFLA_VXLAN_TTL = 5;
export const IFLA_VXLAN_TOS = 6;
export const IFLA_VXLAN_LEARNING = 7;
export const IFLA_VXLAN_PORT = 15;
export const IFLA_VXLAN_GROUP6 = 16;
export const IFLA_VXLAN_LOCAL6 = 17;

// Family header sizes: sizeof(struct fib_rule_hdr), (struct nhmsg), (struct nexthop_grp).
// nlring names; the structs are the kernel's.
export const FIB_RULE_HDR_SIZE = 12;
export const NHMSG_SIZE = 8;
export const NEXTHOP_GRP_SIZE = 8;

// <linux/netconf.h>: RTM_NEWNETCONF attributes (after a struct netconfmsg, NLMSG_ALIGNed).
export const NETCONFA_UNSPEC = 0;
export const NETCONFA_IFINDEX = 1;
export const NETCONFA_FORWARDING = 2;
export const NETCONFA_RP_FILTER = 3;
export const NETCONFA_MC_FORWARDING = 4;
export const NETCONFA_PROXY_NEIGH = 5;
export const NETCONFA_IGNORE_ROUTES_WITH_LINKDOWN = 6;
export const NETCONFA_INPUT = 7;
export const NETCONFA_BC_FORWARDING = 8;
export const NETCONFA_IFINDEX_ALL = -1;
export const NETCONFA_IFINDEX_DEFAULT = -2;

// <linux/net_namespace.h>: RTM_NEWNSID / RTM_DELNSID attributes (after a struct rtgenmsg).
export const NETNSA_NONE = 0;
export const NETNSA_NSID = 1;
export const NETNSA_PID = 2;
export const NETNSA_FD = 3;
export const NETNSA_TARGET_NSID = 4;
export const NETNSA_CURRENT_NSID = 5;
export const NETNSA_NSID_NOT_ASSIGNED = -1;

// <linux/lwtunnel.h>: RTA_ENCAP_TYPE values.
export const LWTUNNEL_ENCAP_NONE = 0;
export const LWTUNNEL_ENCAP_MPLS = 1;
export const LWTUNNEL_ENCAP_IP = 2;
export const LWTUNNEL_ENCAP_ILA = 3;
export const LWTUNNEL_ENCAP_IP6 = 4;
export const LWTUNNEL_ENCAP_SEG6 = 5;
export const LWTUNNEL_ENCAP_BPF = 6;
export const LWTUNNEL_ENCAP_SEG6_LOCAL = 7;
export const LWTUNNEL_ENCAP_RPL = 8;
export const LWTUNNEL_ENCAP_IOAM6 = 9;
export const LWTUNNEL_ENCAP_XFRM = 10;

// <linux/seg6_iptunnel.h>: the seg6 encap (RTA_ENCAP of LWTUNNEL_ENCAP_SEG6).
export const SEG6_IPTUNNEL_SRH = 1;
export const SEG6_IPTUN_MODE_INLINE = 0;
export const SEG6_IPTUN_MODE_ENCAP = 1;
export const SEG6_IPTUN_MODE_L2ENCAP = 2;
export const SEG6_IPTUN_MODE_ENCAP_RED = 3;
export const SEG6_IPTUN_MODE_L2ENCAP_RED = 4;
// <linux/ipv6.h>: the routing header type of a segment routing header.
export const IPV6_SRCRT_TYPE_4 = 4;
