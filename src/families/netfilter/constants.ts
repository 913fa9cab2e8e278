// Constants of the netfilter netlink families, named as the kernel names them. Sources:
// <linux/netfilter/nfnetlink.h>, nfnetlink_log.h, nfnetlink_queue.h, nfnetlink_conntrack.h,
// nf_conntrack_common.h, nf_conntrack_tcp.h, nf_conntrack_sctp.h and <linux/netfilter.h>.
// Byte order on the wire is the kernel's business and is noted beside each attribute: most
// nfnetlink attributes are big-endian (network order), unlike rtnetlink's.

// ---------------------------------------------------------------- <linux/socket.h>
export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_BRIDGE = 7;
export const AF_INET6 = 10;

// ---------------------------------------------------------------- nfnetlink.h
// struct nfgenmsg { __u8 nfgen_family; __u8 version; __be16 res_id; }
export const NFGENMSG_LEN = 4;
export const NFNETLINK_V0 = 0;

// Multicast groups (enum nfnetlink_groups), for NETLINK_ADD_MEMBERSHIP.
export const NFNLGRP_NONE = 0;
export const NFNLGRP_CONNTRACK_NEW = 1;
export const NFNLGRP_CONNTRACK_UPDATE = 2;
export const NFNLGRP_CONNTRACK_DESTROY = 3;
export const NFNLGRP_CONNTRACK_EXP_NEW = 4;
export const NFNLGRP_CONNTRACK_EXP_UPDATE = 5;
export const NFNLGRP_CONNTRACK_EXP_DESTROY = 6;
export const NFNLGRP_NFTABLES = 7;
export const NFNLGRP_ACCT_QUOTA = 8;
export const NFNLGRP_NFTRACE = 9;

// Subsystems: the high byte of nlmsg_type.
export const NFNL_SUBSYS_NONE = 0;
export const NFNL_SUBSYS_CTNETLINK = 1;
export const NFNL_SUBSYS_CTNETLINK_EXP = 2;
export const NFNL_SUBSYS_QUEUE = 3;
export const NFNL_SUBSYS_ULOG = 4;
export const NFNL_SUBSYS_OSF = 5;
export const NFNL_SUBSYS_IPSET = 6;
export const NFNL_SUBSYS_ACCT = 7;
export const NFNL_SUBSYS_CTNETLINK_TIMEOUT = 8;
export const NFNL_SUBSYS_CTHELPER = 9;
export const NFNL_SUBSYS_NFTABLES = 10;
export const NFNL_SUBSYS_NFT_COMPAT = 11;
export const NFNL_SUBSYS_HOOK = 12;

// Reserved control messages (NLMSG_MIN_TYPE and NLMSG_MIN_TYPE + 1); only subsystems with
// batch support (nftables, ipset) accept them, nfnetlink_queue and _log do not.
export const NFNL_MSG_BATCH_BEGIN = 0x10;
export const NFNL_MSG_BATCH_END = 0x11;
export const NFNL_BATCH_GENID = 1;

// ---------------------------------------------------------------- <linux/netfilter.h>
// Verdicts (responses from hook functions).
export const NF_DROP = 0;
export const NF_ACCEPT = 1;
export const NF_STOLEN = 2;
export const NF_QUEUE = 3;
export const NF_REPEAT = 4;
/** Deprecated, kept for userspace nf_queue compatibility. */
export const NF_STOP = 5;
export const NF_MAX_VERDICT = NF_STOP;
export const NF_VERDICT_MASK = 0x000000ff;
export const NF_VERDICT_FLAG_QUEUE_BYPASS = 0x00008000;
export const NF_VERDICT_QMASK = 0xffff0000;
export const NF_VERDICT_QBITS = 16;

// enum nf_inet_hooks.
export const NF_INET_PRE_ROUTING = 0;
export const NF_INET_LOCAL_IN = 1;
export const NF_INET_FORWARD = 2;
export const NF_INET_LOCAL_OUT = 3;
export const NF_INET_POST_ROUTING = 4;
export const NF_INET_NUMHOOKS = 5;
export const NF_INET_INGRESS = NF_INET_NUMHOOKS;

// enum nf_dev_hooks.
export const NF_NETDEV_INGRESS = 0;
export const NF_NETDEV_EGRESS = 1;

// Protocol families of netfilter (the nfgen_family of packets).
export const NFPROTO_UNSPEC = 0;
export const NFPROTO_INET = 1;
export const NFPROTO_IPV4 = 2;
export const NFPROTO_ARP = 3;
export const NFPROTO_NETDEV = 5;
export const NFPROTO_BRIDGE = 7;
export const NFPROTO_IPV6 = 10;

// ---------------------------------------------------------------- nfnetlink_log.h
export const NFULNL_MSG_PACKET = 0;
export const NFULNL_MSG_CONFIG = 1;

// struct nfulnl_msg_packet_hdr { __be16 hw_protocol; __u8 hook; __u8 _pad; }
export const NFULNL_MSG_PACKET_HDR_LEN = 4;
// struct nfulnl_msg_packet_hw { __be16 hw_addrlen; __u16 _pad; __u8 hw_addr[8]; }
export const NFULNL_MSG_PACKET_HW_LEN = 12;
// struct nfulnl_msg_packet_timestamp { __aligned_be64 sec; __aligned_be64 usec; }
export const NFULNL_MSG_PACKET_TIMESTAMP_LEN = 16;

// enum nfulnl_attr_type.
export const NFULA_UNSPEC = 0;
export const NFULA_PACKET_HDR = 1;
/** __be32 nfmark. */
export const NFULA_MARK = 2;
export const NFULA_TIMESTAMP = 3;
/** __be32 ifindex. */
export const NFULA_IFINDEX_INDEV = 4;
export const NFULA_IFINDEX_OUTDEV = 5;
export const NFULA_IFINDEX_PHYSINDEV = 6;
export const NFULA_IFINDEX_PHYSOUTDEV = 7;
export const NFULA_HWADDR = 8;
export const NFULA_PAYLOAD = 9;
/** NUL-terminated string. */
export const NFULA_PREFIX = 10;
/** __be32. */
export const NFULA_UID = 11;
/** __be32 instance-local sequence number. */
export const NFULA_SEQ = 12;
/** __be32 global sequence number. */
export const NFULA_SEQ_GLOBAL = 13;
/** __be32. */
export const NFULA_GID = 14;
/** __be16 ARPHRD_*. */
export const NFULA_HWTYPE = 15;
export const NFULA_HWHEADER = 16;
/** __be16. */
export const NFULA_HWLEN = 17;
/** Nested CTA_* (nfnetlink_conntrack.h). */
export const NFULA_CT = 18;
/** __be32 enum ip_conntrack_info. */
export const NFULA_CT_INFO = 19;
/** Nested NFULA_VLAN_*. */
export const NFULA_VLAN = 20;
export const NFULA_L2HDR = 21;

// enum nfulnl_vlan_attr (both __be16).
export const NFULA_VLAN_PROTO = 1;
export const NFULA_VLAN_TCI = 2;

// enum nfulnl_msg_config_cmds.
export const NFULNL_CFG_CMD_NONE = 0;
export const NFULNL_CFG_CMD_BIND = 1;
export const NFULNL_CFG_CMD_UNBIND = 2;
export const NFULNL_CFG_CMD_PF_BIND = 3;
export const NFULNL_CFG_CMD_PF_UNBIND = 4;

// enum nfulnl_attr_config.
/** struct nfulnl_msg_config_cmd { __u8 command; } */
export const NFULA_CFG_CMD = 1;
/** struct nfulnl_msg_config_mode { __be32 copy_range; __u8 copy_mode; __u8 _pad; } (packed) */
export const NFULA_CFG_MODE = 2;
/** __be32 buffer size. */
export const NFULA_CFG_NLBUFSIZ = 3;
/** __be32, in 1/100 s. */
export const NFULA_CFG_TIMEOUT = 4;
/** __be32. */
export const NFULA_CFG_QTHRESH = 5;
/** __be16. */
export const NFULA_CFG_FLAGS = 6;

export const NFULNL_COPY_NONE = 0x00;
export const NFULNL_COPY_META = 0x01;
export const NFULNL_COPY_PACKET = 0x02;

export const NFULNL_CFG_F_SEQ = 0x0001;
export const NFULNL_CFG_F_SEQ_GLOBAL = 0x0002;
export const NFULNL_CFG_F_CONNTRACK = 0x0004;

// ---------------------------------------------------------------- nfnetlink_queue.h
export const NFQNL_MSG_PACKET = 0;
export const NFQNL_MSG_VERDICT = 1;
export const NFQNL_MSG_CONFIG = 2;
export const NFQNL_MSG_VERDICT_BATCH = 3;

// struct nfqnl_msg_packet_hdr { __be32 packet_id; __be16 hw_protocol; __u8 hook; } (packed)
export const NFQNL_MSG_PACKET_HDR_LEN = 7;
// struct nfqnl_msg_verdict_hdr { __be32 verdict; __be32 id; }
export const NFQNL_MSG_VERDICT_HDR_LEN = 8;

// enum nfqnl_attr_type.
export const NFQA_UNSPEC = 0;
export const NFQA_PACKET_HDR = 1;
export const NFQA_VERDICT_HDR = 2;
/** __be32 nfmark. */
export const NFQA_MARK = 3;
export const NFQA_TIMESTAMP = 4;
/** __be32 ifindex. */
export const NFQA_IFINDEX_INDEV = 5;
export const NFQA_IFINDEX_OUTDEV = 6;
export const NFQA_IFINDEX_PHYSINDEV = 7;
export const NFQA_IFINDEX_PHYSOUTDEV = 8;
export const NFQA_HWADDR = 9;
export const NFQA_PAYLOAD = 10;
/** Nested CTA_* (nfnetlink_conntrack.h). */
export const NFQA_CT = 11;
/** __be32 enum ip_conntrack_info. */
export const NFQA_CT_INFO = 12;
/** __be32 length of the packet before it was cut to the copy range. */
export const NFQA_CAP_LEN = 13;
/** __be32 NFQA_SKB_* flags. */
export const NFQA_SKB_INFO = 14;
export const NFQA_EXP = 15;
/** __be32 socket uid. */
export const NFQA_UID = 16;
/** __be32 socket gid. */
export const NFQA_GID = 17;
/** Security context string. */
export const NFQA_SECCTX = 18;
/** Nested NFQA_VLAN_*. */
export const NFQA_VLAN = 19;
export const NFQA_L2HDR = 20;
/** __be32 skb->priority. */
export const NFQA_PRIORITY = 21;

// enum nfqnl_vlan_attr (both __be16).
export const NFQA_VLAN_PROTO = 1;
export const NFQA_VLAN_TCI = 2;

// enum nfqnl_msg_config_cmds.
export const NFQNL_CFG_CMD_NONE = 0;
export const NFQNL_CFG_CMD_BIND = 1;
export const NFQNL_CFG_CMD_UNBIND = 2;
export const NFQNL_CFG_CMD_PF_BIND = 3;
export const NFQNL_CFG_CMD_PF_UNBIND = 4;

// enum nfqnl_config_mode.
export const NFQNL_COPY_NONE = 0;
export const NFQNL_COPY_META = 1;
export const NFQNL_COPY_PACKET = 2;

// enum nfqnl_attr_config.
/** struct nfqnl_msg_config_cmd { __u8 command; __u8 _pad; __be16 pf; } */
export const NFQA_CFG_CMD = 1;
/** struct nfqnl_msg_config_params { __be32 copy_range; __u8 copy_mode; } (packed) */
export const NFQA_CFG_PARAMS = 2;
/** __be32. */
export const NFQA_CFG_QUEUE_MAXLEN = 3;
/** __be32: which flags NFQA_CFG_FLAGS changes. */
export const NFQA_CFG_MASK = 4;
/** __be32. */
export const NFQA_CFG_FLAGS = 5;

export const NFQA_CFG_F_FAIL_OPEN = 1 << 0;
export const NFQA_CFG_F_CONNTRACK = 1 << 1;
export const NFQA_CFG_F_GSO = 1 << 2;
export const NFQA_CFG_F_UID_GID = 1 << 3;
export const NFQA_CFG_F_SECCTX = 1 << 4;
export const NFQA_CFG_F_MAX = 1 << 5;

// Flags of NFQA_SKB_INFO.
/** The packet appears to have wrong checksums, but they are ok. */
export const NFQA_SKB_CSUMNOTREADY = 1 << 0;
/** The packet is GSO (exceeds the device MTU). */
export const NFQA_SKB_GSO = 1 << 1;
/** The checksum was not validated. */
export const NFQA_SKB_CSUM_NOTVERIFIED = 1 << 2;

// ---------------------------------------------------------------- nfnetlink_conntrack.h
// enum cntl_msg_types.
export const IPCTNL_MSG_CT_NEW = 0;
export const IPCTNL_MSG_CT_GET = 1;
export const IPCTNL_MSG_CT_DELETE = 2;
export const IPCTNL_MSG_CT_GET_CTRZERO = 3;
export const IPCTNL_MSG_CT_GET_STATS_CPU = 4;
export const IPCTNL_MSG_CT_GET_STATS = 5;
export const IPCTNL_MSG_CT_GET_DYING = 6;
export const IPCTNL_MSG_CT_GET_UNCONFIRMED = 7;

// enum ctattr_type.
export const CTA_UNSPEC = 0;
export const CTA_TUPLE_ORIG = 1;
export const CTA_TUPLE_REPLY = 2;
/** __be32 IPS_* bits. */
export const CTA_STATUS = 3;
export const CTA_PROTOINFO = 4;
export const CTA_HELP = 5;
export const CTA_NAT_SRC = 6;
/** __be32 seconds. */
export const CTA_TIMEOUT = 7;
/** __be32. */
export const CTA_MARK = 8;
export const CTA_COUNTERS_ORIG = 9;
export const CTA_COUNTERS_REPLY = 10;
/** __be32 reference count. */
export const CTA_USE = 11;
/** __be32. */
export const CTA_ID = 12;
export const CTA_NAT_DST = 13;
export const CTA_TUPLE_MASTER = 14;
export const CTA_SEQ_ADJ_ORIG = 15;
export const CTA_SEQ_ADJ_REPLY = 16;
export const CTA_SECMARK = 17;
/** __be16. */
export const CTA_ZONE = 18;
export const CTA_SECCTX = 19;
export const CTA_TIMESTAMP = 20;
/** __be32. */
export const CTA_MARK_MASK = 21;
export const CTA_LABELS = 22;
export const CTA_LABELS_MASK = 23;
export const CTA_SYNPROXY = 24;
export const CTA_FILTER = 25;
export const CTA_STATUS_MASK = 26;

// enum ctattr_tuple.
export const CTA_TUPLE_IP = 1;
export const CTA_TUPLE_PROTO = 2;
/** __be16. */
export const CTA_TUPLE_ZONE = 3;

// enum ctattr_ip (addresses in network order).
export const CTA_IP_V4_SRC = 1;
export const CTA_IP_V4_DST = 2;
export const CTA_IP_V6_SRC = 3;
export const CTA_IP_V6_DST = 4;

// enum ctattr_l4proto.
/** u8 IPPROTO_*. */
export const CTA_PROTO_NUM = 1;
/** __be16. */
export const CTA_PROTO_SRC_PORT = 2;
/** __be16. */
export const CTA_PROTO_DST_PORT = 3;
/** __be16. */
export const CTA_PROTO_ICMP_ID = 4;
/** u8. */
export const CTA_PROTO_ICMP_TYPE = 5;
/** u8. */
export const CTA_PROTO_ICMP_CODE = 6;
export const CTA_PROTO_ICMPV6_ID = 7;
export const CTA_PROTO_ICMPV6_TYPE = 8;
export const CTA_PROTO_ICMPV6_CODE = 9;

// enum ctattr_protoinfo.
export const CTA_PROTOINFO_TCP = 1;
export const CTA_PROTOINFO_DCCP = 2;
export const CTA_PROTOINFO_SCTP = 3;

// enum ctattr_protoinfo_tcp.
/** u8 enum tcp_conntrack. */
export const CTA_PROTOINFO_TCP_STATE = 1;
/** u8. */
export const CTA_PROTOINFO_TCP_WSCALE_ORIGINAL = 2;
/** u8. */
export const CTA_PROTOINFO_TCP_WSCALE_REPLY = 3;
/** struct nf_ct_tcp_flags { __u8 flags; __u8 mask; } */
export const CTA_PROTOINFO_TCP_FLAGS_ORIGINAL = 4;
export const CTA_PROTOINFO_TCP_FLAGS_REPLY = 5;

// enum ctattr_protoinfo_dccp.
/** u8. */
export const CTA_PROTOINFO_DCCP_STATE = 1;

// enum ctattr_protoinfo_sctp.
/** u8 enum sctp_conntrack. */
export const CTA_PROTOINFO_SCTP_STATE = 1;
/** __be32. */
export const CTA_PROTOINFO_SCTP_VTAG_ORIGINAL = 2;
/** __be32. */
export const CTA_PROTOINFO_SCTP_VTAG_REPLY = 3;

// enum ctattr_counters.
/** __be64. */
export const CTA_COUNTERS_PACKETS = 1;
/** __be64. */
export const CTA_COUNTERS_BYTES = 2;
/** __be32, old. */
export const CTA_COUNTERS32_PACKETS = 3;
/** __be32, old. */
export const CTA_COUNTERS32_BYTES = 4;
export const CTA_COUNTERS_PAD = 5;

// enum ctattr_tstamp (__be64 nanoseconds).
export const CTA_TIMESTAMP_START = 1;
export const CTA_TIMESTAMP_STOP = 2;

// enum ctattr_help.
export const CTA_HELP_NAME = 1;

// enum ctattr_secctx.
export const CTA_SECCTX_NAME = 1;

// ---------------------------------------------------------------- nf_conntrack_common.h
// enum ip_conntrack_info (NFQA_CT_INFO / NFULA_CT_INFO).
export const IP_CT_ESTABLISHED = 0;
export const IP_CT_RELATED = 1;
export const IP_CT_NEW = 2;
export const IP_CT_IS_REPLY = 3;
export const IP_CT_ESTABLISHED_REPLY = IP_CT_ESTABLISHED + IP_CT_IS_REPLY;
export const IP_CT_RELATED_REPLY = IP_CT_RELATED + IP_CT_IS_REPLY;

// enum ip_conntrack_status (CTA_STATUS bits).
export const IPS_EXPECTED = 1 << 0;
export const IPS_SEEN_REPLY = 1 << 1;
export const IPS_ASSURED = 1 << 2;
export const IPS_CONFIRMED = 1 << 3;
export const IPS_SRC_NAT = 1 << 4;
export const IPS_DST_NAT = 1 << 5;
export const IPS_SEQ_ADJUST = 1 << 6;
export const IPS_SRC_NAT_DONE = 1 << 7;
export const IPS_DST_NAT_DONE = 1 << 8;
export const IPS_DYING = 1 << 9;
export const IPS_FIXED_TIMEOUT = 1 << 10;
export const IPS_TEMPLATE = 1 << 11;
export const IPS_UNTRACKED = 1 << 12;
export const IPS_HELPER = 1 << 13;
export const IPS_OFFLOAD = 1 << 14;
export const IPS_HW_OFFLOAD = 1 << 15;

// ---------------------------------------------------------------- nf_conntrack_tcp.h
// enum tcp_conntrack.
export const TCP_CONNTRACK_NONE = 0;
export const TCP_CONNTRACK_SYN_SENT = 1;
export const TCP_CONNTRACK_SYN_RECV = 2;
export const TCP_CONNTRACK_ESTABLISHED = 3;
export const TCP_CONNTRACK_FIN_WAIT = 4;
export const TCP_CONNTRACK_CLOSE_WAIT = 5;
export const TCP_CONNTRACK_LAST_ACK = 6;
export const TCP_CONNTRACK_TIME_WAIT = 7;
export const TCP_CONNTRACK_CLOSE = 8;
/** Obsolete LISTEN, reused: `#define TCP_CONNTRACK_SYN_SENT2 TCP_CONNTRACK_LISTEN`. */
export const TCP_CONNTRACK_SYN_SENT2 = 9;

// IP_CT_TCP_FLAG_* (the flags of struct nf_ct_tcp_flags).
export const IP_CT_TCP_FLAG_WINDOW_SCALE = 0x01;
export const IP_CT_TCP_FLAG_SACK_PERM = 0x02;
export const IP_CT_TCP_FLAG_CLOSE_INIT = 0x04;
export const IP_CT_TCP_FLAG_BE_LIBERAL = 0x08;
export const IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED = 0x10;
export const IP_CT_TCP_FLAG_MAXACK_SET = 0x20;

// ---------------------------------------------------------------- <netinet/in.h>
export const IPPROTO_ICMP = 1;
export const IPPROTO_IGMP = 2;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_DCCP = 33;
export const IPPROTO_GRE = 47;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_SCTP = 132;
export const IPPROTO_UDPLITE = 136;
