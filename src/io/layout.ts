// Byte layout of the C structures the I/O layer builds in Uint8Arrays, for LP64 Linux
// (x86_64, arm64): pointers and size_t are 8 bytes, int and socklen_t 4.
//
// struct sockaddr_nl { sa_family_t nl_family; u16 nl_pad; u32 nl_pid; u32 nl_groups; }
// struct iovec       { void *iov_base; size_t iov_len; }
// struct msghdr      { void *msg_name; socklen_t msg_namelen; (pad 4)
//                      struct iovec *msg_iov; size_t msg_iovlen;
//                      void *msg_control; size_t msg_controllen; int msg_flags; (pad 4) }
// struct mmsghdr     { struct msghdr msg_hdr; unsigned int msg_len; (pad 4) }
// struct cmsghdr     { size_t cmsg_len; int cmsg_level; int cmsg_type; data... }
// struct ucred       { pid_t pid; uid_t uid; gid_t gid; }
// struct nl_pktinfo  { u32 group; }
// struct pollfd      { int fd; short events; short revents; }

export const SOCKADDR_NL_SIZE = 12;
export const NL_FAMILY = 0;
export const NL_PID = 4;
export const NL_GROUPS = 8;

export const IOVEC_SIZE = 16;
export const IOV_BASE = 0;
export const IOV_LEN = 8;

export const MSGHDR_SIZE = 56;
export const MSG_NAME = 0;
export const MSG_NAMELEN = 8;
export const MSG_IOV = 16;
export const MSG_IOVLEN = 24;
export const MSG_CONTROL = 32;
export const MSG_CONTROLLEN = 40;
export const MSG_FLAGS = 48;

export const MMSGHDR_SIZE = 64;
export const MMSG_LEN = 56;

/** `sizeof(struct cmsghdr)` = `CMSG_LEN(0)`. */
export const CMSGHDR_SIZE = 16;
export const CMSG_LEVEL = 8;
export const CMSG_TYPE = 12;

/**
 * Rounds a control message length up to the next `size_t` boundary, as glibc's macro does:
 * ```
 * #define CMSG_ALIGN(len) (((len) + sizeof (size_t) - 1) & (size_t) ~(sizeof (size_t) - 1))
 * ```
 *
 * @example
 * cmsgAlign(16 + UCRED_SIZE); // 32: CMSG_SPACE(sizeof(struct ucred))
 */
export function cmsgAlign(length: number): number {
  return (length + 7) & ~7;
}

/** `sizeof(struct ucred)`. */
export const UCRED_SIZE = 12;
/** `sizeof(struct nl_pktinfo)`. */
export const NL_PKTINFO_SIZE = 4;
/**
 * Control buffer per received datagram: `CMSG_SPACE(sizeof(struct ucred))` (32) plus
 * `CMSG_SPACE(sizeof(struct nl_pktinfo))` (24), rounded up to 64.
 */
export const CONTROL_SIZE = 64;

export const POLLFD_SIZE = 8;
