import { errnoDescription, errnoName } from './errno.js';

/** What was being done when a {@link NetlinkError} happened. */
export type NetlinkOp =
  | 'socket'
  | 'bind'
  | 'setsockopt'
  | 'getsockopt'
  | 'mmap'
  | 'netns'
  | 'send'
  | 'recv'
  | 'poll'
  | 'ring'
  | 'frame'
  | 'request'
  | 'dump'
  | 'decode'
  | 'encode'
  | 'tx';

/** Fields of a {@link NetlinkError}; only `op` and `errno` are required. */
export interface NetlinkErrorInit {
  /** The operation that failed. */
  op: NetlinkOp;
  /** The positive errno (the kernel's NLMSG_ERROR carries it negated). */
  errno: number;
  /** The sequence number of the request the kernel answered, if any. */
  seq?: number;
  /** The extended acknowledgement text (NLMSGERR_ATTR_MSG). */
  extack?: string;
  /** The extended acknowledgement byte offset into the request (NLMSGERR_ATTR_OFFS). */
  offset?: number;
  /** Free text that says more than the errno, when nlring (not the kernel) found the fault. */
  detail?: string;
  /** The underlying error, if one was wrapped. */
  cause?: unknown;
}

/**
 * The one error type of nlring: every failure that reaches a subscriber is a NetlinkError
 * (or a subclass callers may branch on). It always carries the errno, its kernel name in
 * `code`, and, when the kernel gave one, the extended-ack message and offset.
 *
 * @example
 * addAddress(...).subscribe({ error: (e) => e instanceof NetlinkError && e.code === 'EEXIST' });
 */
export class NetlinkError extends Error {
  override readonly name: string = 'NetlinkError';
  readonly op: NetlinkOp;
  readonly errno: number;
  /** The errno's kernel name, e.g. `ENOBUFS`. */
  readonly code: string;
  readonly seq: number | undefined;
  readonly extack: string | undefined;
  readonly offset: number | undefined;
  readonly detail: string | undefined;

  constructor(init: NetlinkErrorInit) {
    const errno = Math.abs(init.errno);
    const code = errnoName(errno);
    const parts = [`${init.op}: ${code} (${errnoDescription(errno)})`];
    if (init.detail) parts.push(init.detail);
    if (init.extack) parts.push(`kernel says: ${init.extack}`);
    if (init.offset !== undefined) parts.push(`at request offset ${init.offset}`);
    super(parts.join(': '), init.cause === undefined ? undefined : { cause: init.cause });
    this.op = init.op;
    this.errno = errno;
    this.code = code;
    this.seq = init.seq;
    this.extack = init.extack;
    this.offset = init.offset;
    this.detail = init.detail;
  }
}
