// nlring/constants: the protocol-wide netlink constants of <linux/netlink.h> (NETLINK_*,
// NLM_F_*, NLMSG_*, NLA_*, NLMSGERR_ATTR_*, the SOL_NETLINK options) and the address
// families of <sys/socket.h>. Each family's own constants (RTM_*, IFLA_*, NFQA_*, …) are in
// its namespace: `rtnetlink.RTM_NEWROUTE`, `netfilter.NF_ACCEPT`.

export {
  AF_BRIDGE,
  AF_INET,
  AF_INET6,
  AF_MPLS,
  AF_NETLINK,
  AF_PACKET,
  AF_UNIX,
  AF_UNSPEC,
} from './families/rtnetlink/constants.js';
export * from './netlink/constants.js';
