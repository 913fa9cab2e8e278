// Constants of the memory-mapped netlink ring, from <linux/netlink.h> (RING-SPEC §1).

/** setsockopt level for netlink options. */
export const SOL_NETLINK = 270;
/** setsockopt option: configure the RX ring with a `struct nl_mmap_req`. */
export const NETLINK_RX_RING = 6;
/** setsockopt option: configure the TX ring with a `struct nl_mmap_req`. */
export const NETLINK_TX_RING = 7;

/** `NL_MMAP_MSG_ALIGNMENT` = `NLMSG_ALIGNTO`. */
export const NL_MMAP_MSG_ALIGNMENT = 4;

/**
 * `#define NL_MMAP_HDRLEN NL_MMAP_MSG_ALIGN(sizeof(struct nl_mmap_hdr))`: 24 on every
 * architecture (six u32 fields, no padding). The message starts this far into a frame.
 */
export const NL_MMAP_HDRLEN = 24;

/** `sizeof(struct nl_mmap_req)`: four u32s. */
export const NL_MMAP_REQ_SIZE = 16;

/** `enum nl_mmap_status`: the status word that passes a frame between kernel and process. */
export const NL_MMAP_STATUS_UNUSED = 0;
export const NL_MMAP_STATUS_RESERVED = 1;
export const NL_MMAP_STATUS_VALID = 2;
export const NL_MMAP_STATUS_COPY = 3;
export const NL_MMAP_STATUS_SKIP = 4;

/** A frame status value (RING-SPEC §3). */
export type FrameStatus = 0 | 1 | 2 | 3 | 4;

/** Status names, indexed by value, for messages and debugging. */
export const FRAME_STATUS_NAMES = ['UNUSED', 'RESERVED', 'VALID', 'COPY', 'SKIP'] as const;

// Byte offsets of the `struct nl_mmap_hdr` fields inside a frame (RING-SPEC §1).
export const NM_STATUS = 0;
export const NM_LEN = 4;
export const NM_GROUP = 8;
export const NM_PID = 12;
export const NM_UID = 16;
export const NM_GID = 20;

/**
 * `NLMSG_GOODSIZE` on x86_64 with 4 KiB pages: `PAGE_SIZE - 320`. Kernel dumps allocate at
 * least this much per datagram (RING-SPEC §4.4).
 */
export const NLMSG_GOODSIZE = 3776;

/**
 * The largest dump datagram the kernel builds: it sizes dump skbs to the socket's largest
 * receive so far, capped at `SKB_WITH_OVERHEAD(32768)`; 32 KiB bounds it.
 */
export const MAX_DUMP_DATAGRAM = 32768;

/** The page size nlring assumes when none is given (x86_64, arm64 with 4 KiB pages). */
export const DEFAULT_PAGE_SIZE = 4096;

/**
 * The most bytes of ring memory (RX + TX) nlring maps or allocates for one socket: 1 GiB.
 * A bound checked before any size reaches native code (mmap, `koffi.view`), far above any
 * useful ring (the defaults use 256 KiB).
 */
export const MAX_RING_MEMORY = 2 ** 30;
