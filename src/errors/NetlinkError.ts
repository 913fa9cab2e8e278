import { errnoDescription, errnoName, errnos } from './errno.js';

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
  /**
   * What was asked, as the caller would say it: the public function, the request's type
   * and key (`addRoute 10.70.0.0/16 table main`). It leads the message when given.
   */
  request?: string | undefined;
  /** The sequence number of the request the kernel answered, if any. */
  seq?: number | undefined;
  /** The extended acknowledgement text (NLMSGERR_ATTR_MSG). */
  extack?: string | undefined;
  /** The extended acknowledgement byte offset into the request (NLMSGERR_ATTR_OFFS). */
  offset?: number | undefined;
  /** NLMSGERR_ATTR_MISS_TYPE: the type of a required attribute the request lacked. */
  missingType?: number | undefined;
  /** NLMSGERR_ATTR_MISS_NEST: the request offset of the nest it was missing from. */
  missingNest?: number | undefined;
  /** NLMSGERR_ATTR_COOKIE: the kernel's opaque cookie. */
  cookie?: Uint8Array | undefined;
  /** Free text that says more than the errno, when nlring (not the kernel) found the fault. */
  detail?: string | undefined;
  /** The underlying error, if one was wrapped. */
  cause?: unknown | undefined;
}

/**
 * The one error type of nlring: every failure that reaches a subscriber is a NetlinkError
 * (or a subclass callers may branch on). It always carries the errno and its kernel name
 * in `code`; when the kernel gave them, the extended-ack message, offset, missing
 * attribute and cookie; and, when the caller said, what was asked (`request`), which
 * leads the message:
 *
 * ```
 * addRoute 10.70.0.0/16 table main: EEXIST (File exists): kernel says: Route exists
 * ```
 *
 * Without `request` the message starts with `op` (`dump: EOPNOTSUPP (...)`).
 *
 * @example
 * addAddress({ dev: 'lo', address: '192.0.2.1/32' }).subscribe({
 *   error: (e: unknown) => console.log(e instanceof NetlinkError && e.code === 'EEXIST'),
 * });
 */
export class NetlinkError extends Error {
  override readonly name: string = 'NetlinkError';
  readonly op: NetlinkOp;
  readonly errno: number;
  /** The errno's kernel name, e.g. `ENOBUFS`. */
  readonly code: string;
  /** What was asked (`addRoute 10.70.0.0/16 table main`), when the caller said. */
  readonly request: string | undefined;
  readonly seq: number | undefined;
  readonly extack: string | undefined;
  readonly offset: number | undefined;
  readonly missingType: number | undefined;
  readonly missingNest: number | undefined;
  readonly cookie: Uint8Array | undefined;
  readonly detail: string | undefined;

  constructor(init: NetlinkErrorInit) {
    const errno = Math.abs(init.errno);
    const code = errnoName(errno);
    const parts = [`${init.request || init.op}: ${code} (${errnoDescription(errno)})`];
    if (init.detail) parts.push(init.detail);
    if (init.extack) parts.push(`kernel says: ${init.extack}`);
    if (init.offset !== undefined) parts.push(`at request offset ${init.offset}`);
    if (init.missingType !== undefined) {
      const nest = init.missingNest === undefined ? '' : ` in the nest at ${init.missingNest}`;
      parts.push(`missing attribute type ${init.missingType}${nest}`);
    }
    super(parts.join(': '), init.cause === undefined ? undefined : { cause: init.cause });
    this.op = init.op;
    this.errno = errno;
    this.code = code;
    this.request = init.request || undefined;
    this.seq = init.seq;
    this.extack = init.extack;
    this.offset = init.offset;
    this.missingType = init.missingType;
    this.missingNest = init.missingNest;
    this.cookie = init.cookie;
    this.detail = init.detail;
  }
}

/**
 * Malformed bytes: a message, attribute or frame that does not parse. `at` is the byte
 * offset of the fault inside the buffer that was being decoded; `errno` is EBADMSG. Every
 * decoder of nlring throws this (never a RangeError) for input it cannot read.
 *
 * @example
 * try { rtnetlink.decodeLink(message) } catch (e) { if (e instanceof DecodeError) console.log(e.at) }
 */
export class DecodeError extends NetlinkError {
  override readonly name = 'DecodeError';
  /** Byte offset of the fault in the decoded buffer. */
  readonly at: number;

  constructor(detail: string, at: number) {
    super({ op: 'decode', errno: errnos.EBADMSG, detail: `${detail} (at byte ${at})` });
    this.at = at;
  }
}

/**
 * A dump finished, but at least one of its replies carried `NLM_F_DUMP_INTR`: the kernel's
 * table changed while it was being dumped, so the result may be inconsistent (entries
 * missing or duplicated). Op `dump`, errno EINTR, `seq` of the dump. Retrying the dump
 * usually succeeds; this mirrors libmnl's EINTR and mdlayher/netlink's ErrDumpInterrupted.
 *
 * @example
 * dumpLinks().pipe(toArray(), retry({ count: 3, delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)) }));
 */
export class DumpInterruptedError extends NetlinkError {
  override readonly name = 'DumpInterruptedError';
  /** Replies of the dump that carried NLM_F_DUMP_INTR. */
  readonly interrupted: number;

  constructor(seq: number, interrupted: number, request?: string) {
    super({
      op: 'dump',
      errno: errnos.EINTR,
      request,
      seq,
      detail: `${interrupted} replies carried NLM_F_DUMP_INTR: the dump may be inconsistent, retry it`,
    });
    this.interrupted = interrupted;
  }
}

/** The advice of a FrameReleasedError, for the handle that was used. */
function releasedDetail(index: number, what: 'frame' | 'message' | 'packet'): string {
  if (what === 'packet') {
    return `the frame of this packet (${index}) went back at its verdict; payload.slice() before the verdict to keep the bytes`;
  }
  const subject = what === 'frame' ? `frame ${index}` : `the frame of this message (${index})`;
  return `${subject} was released; defer() or copy() a ${what} to keep it past next()`;
}

/**
 * A frame handle, a message read in place from one, or an NFQUEUE packet's payload was used
 * after its frame went back to the producer. The memory may already hold another message,
 * so nlring throws instead of reading it. Keep a frame past its `next()` with `defer()`
 * (SKIP) or `copy()`; keep a packet's bytes past its verdict with `payload.slice()`.
 *
 * @example
 * declare const frames: Observable<Frame>;
 * let kept: Frame | undefined;
 * frames.subscribe((f) => (kept = f));
 * kept?.view; // throws FrameReleasedError: the frame went back when next() returned
 */
export class FrameReleasedError extends NetlinkError {
  override readonly name = 'FrameReleasedError';

  /**
   * `index` is the ring frame's; `what` says which handle was used: a frame, a message, or
   * an NFQUEUE packet, whose frame goes back at its verdict rather than after `next()`.
   */
  constructor(index: number, what: 'frame' | 'message' | 'packet' = 'frame') {
    super({ op: 'frame', errno: errnos.ESTALE, detail: releasedDetail(index, what) });
  }
}
