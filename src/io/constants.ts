// Socket, memory and namespace constants the I/O layer passes to libc, named as the kernel
// and glibc headers name them. Values are those of x86_64 and arm64 (asm-generic), the
// LP64 Linux targets nlring supports.

/** `AF_NETLINK` (<bits/socket.h>). */
export const AF_NETLINK = 16;
/** `SOCK_RAW` (<bits/socket_type.h>). */
export const SOCK_RAW = 3;
/** `SOCK_NONBLOCK` = `O_NONBLOCK` (04000). */
export const SOCK_NONBLOCK = 0o4000;
/** `SOCK_CLOEXEC` = `O_CLOEXEC` (02000000): children such as `ip` never inherit the socket. */
export const SOCK_CLOEXEC = 0o2000000;

/** `SOL_SOCKET` (<asm-generic/socket.h>). */
export const SOL_SOCKET = 1;
/** `SO_ERROR`: the pending socket error, read and cleared. */
export const SO_ERROR = 4;
/** `SO_RCVBUF`: the receive buffer size (capped by `net.core.rmem_max`). */
export const SO_RCVBUF = 8;
/** `SO_PASSCRED`: receive `SCM_CREDENTIALS` with every datagram. */
export const SO_PASSCRED = 16;
/** `SO_RCVBUFFORCE`: `SO_RCVBUF` past `rmem_max`, needs CAP_NET_ADMIN. */
export const SO_RCVBUFFORCE = 33;
/** `SO_MEMINFO`: `u32 [SK_MEMINFO_VARS]` of socket memory counters. */
export const SO_MEMINFO = 55;
/** Index of `sk_drops` in the `SO_MEMINFO` array (<linux/sock_diag.h>). */
export const SK_MEMINFO_DROPS = 8;
/** Entries of the `SO_MEMINFO` array. */
export const SK_MEMINFO_VARS = 9;
/** `SCM_CREDENTIALS`: a `struct ucred` control message. */
export const SCM_CREDENTIALS = 2;

/** `MSG_PEEK`: look at the next datagram without taking it. */
export const MSG_PEEK = 0x02;
/** `MSG_TRUNC`: return a datagram's real length even when the buffer was shorter. */
export const MSG_TRUNC = 0x20;
/** `MSG_DONTWAIT`: never block, fail with EAGAIN instead. */
export const MSG_DONTWAIT = 0x40;

/** `PROT_READ | PROT_WRITE` for `mmap`. */
export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
/** `MAP_SHARED`: the kernel ring mapping (RING-SPEC §2.2). */
export const MAP_SHARED = 0x01;
/** `MAP_PRIVATE`. */
export const MAP_PRIVATE = 0x02;
/** `MAP_ANONYMOUS`. */
export const MAP_ANONYMOUS = 0x20;
/** `MAP_NORESERVE`: no swap reservation; pages exist only once touched. */
export const MAP_NORESERVE = 0x4000;

/** `CLONE_NEWNET` (<linux/sched.h>): the `nstype` of `setns` for a network namespace. */
export const CLONE_NEWNET = 0x40000000;

/** `MS_BIND` (<linux/mount.h>): a bind mount. */
export const MS_BIND = 4096;
/** `MS_REC` (<linux/mount.h>): recursively. */
export const MS_REC = 16384;
/** `MS_SHARED` (<linux/mount.h>): make the mount shared (propagation). */
export const MS_SHARED = 1 << 20;
/** `MNT_DETACH` (<sys/mount.h>): lazy unmount. */
export const MNT_DETACH = 2;

/** `_SC_PAGESIZE` (glibc <bits/confname.h>). */
export const _SC_PAGESIZE = 30;
