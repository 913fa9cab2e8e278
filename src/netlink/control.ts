import type { ArgumentChecker } from '../errors/check.js';
import { DecodeError, DumpInterruptedError, NetlinkError } from '../errors/NetlinkError.js';
import { Attributes, nlaAlign } from './Attributes.js';
import {
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP_INTR,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_HDRLEN,
  NLMSG_MIN_TYPE,
  NLMSGERR_ATTR_COOKIE,
  NLMSGERR_ATTR_MISS_NEST,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from './constants.js';

// Control messages: the types below NLMSG_MIN_TYPE, and the one router that every reader
// of replies uses for them, as libmnl's `mnl_cb_run` is used by every libmnl program.
//
//   NLMSG_ERROR:  nlmsghdr | s32 error | echoed nlmsghdr [+ its payload unless NLM_F_CAPPED]
//                 [ NLMSGERR_ATTR_* TLVs if NLM_F_ACK_TLVS ]           error 0 = an ACK
//   NLMSG_DONE:   nlmsghdr | s32 dump_done_errno [ NLMSGERR_ATTR_* TLVs if NLM_F_ACK_TLVS ]
//   NLMSG_NOOP, NLMSG_OVERRUN: dropped

/** A decoded NLMSG_ERROR: an acknowledgement (`errno` 0) or an error. */
export interface Ack {
  /** Positive errno; 0 for a plain acknowledgement. */
  errno: number;
  /** `nlmsg_seq` of the NLMSG_ERROR message (the request's). */
  seq: number;
  /** `nlmsg_type` of the request, from the echoed header. */
  requestType: number;
  /** NLMSGERR_ATTR_MSG: the kernel's text. */
  extack?: string | undefined;
  /** NLMSGERR_ATTR_OFFS: byte offset of the bad attribute in the request. */
  offset?: number | undefined;
  /** NLMSGERR_ATTR_COOKIE. */
  cookie?: Uint8Array | undefined;
  /** NLMSGERR_ATTR_MISS_TYPE: type of a missing required attribute. */
  missingType?: number | undefined;
  /** NLMSGERR_ATTR_MISS_NEST: offset of the nest where it was missing. */
  missingNest?: number | undefined;
}

/** The bounds of the message at `offset`, checked against the view; its end offset. */
function messageEnd(view: DataView, offset: number, what: string): number {
  const room = view.byteLength - offset;
  if (!(offset >= 0 && room >= NLMSG_HDRLEN)) {
    throw new DecodeError(`${what}: ${Math.max(0, room)} bytes are too short for an nlmsghdr`, 0);
  }
  const len = view.getUint32(offset, true);
  if (len < NLMSG_HDRLEN || len > room) {
    throw new DecodeError(`${what}: nlmsg_len ${len} is outside [16, ${room}]`, offset);
  }
  return offset + len;
}

/** Reads the NLMSGERR_ATTR_* TLVs in `[start, end)` into `ack`; unknown ones are skipped. */
function readAckTlvs(view: DataView, start: number, end: number, ack: Ack): void {
  const a = new Attributes(view, start, end);
  while (a.next()) {
    switch (a.type) {
      case NLMSGERR_ATTR_MSG:
        ack.extack = a.string();
        break;
      case NLMSGERR_ATTR_OFFS:
        ack.offset = a.u32();
        break;
      case NLMSGERR_ATTR_COOKIE:
        ack.cookie = a.copyBytes();
        break;
      case NLMSGERR_ATTR_MISS_TYPE:
        ack.missingType = a.u32();
        break;
      case NLMSGERR_ATTR_MISS_NEST:
        ack.missingNest = a.u32();
        break;
    }
  }
}

/**
 * Decodes the NLMSG_ERROR message whose nlmsghdr is at `offset` in `view`:
 *
 * ```
 * struct nlmsgerr { int error; struct nlmsghdr msg; }
 * then the request's payload unless NLM_F_CAPPED, then NLMSGERR_ATTR_* TLVs if NLM_F_ACK_TLVS
 * ```
 *
 * Throws a {@link DecodeError} with the byte offset (never a RangeError) for a message that
 * does not lie inside the view, is shorter than `struct nlmsgerr`, echoes a request length
 * that does not fit it (with NLM_F_ACK_TLVS), or carries malformed TLVs.
 *
 * @example
 * const ack = readAck(msg.view, msg.offset); if (ack.errno) throw ackError(ack);
 */
export function readAck(view: DataView, offset: number): Ack {
  const end = messageEnd(view, offset, 'NLMSG_ERROR');
  const len = end - offset;
  const flags = view.getUint16(offset + 6, true);
  const seq = view.getUint32(offset + 8, true);
  const body = offset + NLMSG_HDRLEN;
  if (len < NLMSG_HDRLEN + 4 + NLMSG_HDRLEN) {
    throw new DecodeError(`NLMSG_ERROR of ${len} bytes is shorter than struct nlmsgerr`, offset);
  }
  const error = view.getInt32(body, true);
  const inner = body + 4;
  const innerLen = view.getUint32(inner, true);
  const requestType = view.getUint16(inner + 4, true);
  // `error || 0`: a plain ack carries 0, which negated would be -0.
  const ack: Ack = { errno: -error || 0, seq, requestType };
  if (!(flags & NLM_F_ACK_TLVS)) return ack;
  let tlvs = inner + NLMSG_HDRLEN;
  if (!(flags & NLM_F_CAPPED)) {
    // nlaAlign rounds in doubles: an echoed length near 2^32 cannot wrap to a small offset.
    if (innerLen < NLMSG_HDRLEN || innerLen > end - inner) {
      throw new DecodeError(
        `NLMSG_ERROR echoes a ${innerLen}-byte request in ${end - inner} bytes`,
        inner,
      );
    }
    tlvs = Math.min(inner + nlaAlign(innerLen), end);
  }
  readAckTlvs(view, tlvs, end, ack);
  return ack;
}

/**
 * The {@link NetlinkError} for a failed acknowledgement: errno, its name, the request's
 * sequence number, the kernel's extended ack (message, offset, missing attribute and nest,
 * cookie), and what was asked when `request` says.
 *
 * @example
 * declare const subscriber: { error(e: unknown): void };
 * const ack = readAck(view, offset);
 * if (ack.errno) subscriber.error(ackError(ack, 'request', 'addRoute 10.70.0.0/16'));
 */
export function ackError(
  ack: Ack,
  op: 'request' | 'dump' = 'request',
  request?: string,
): NetlinkError {
  return new NetlinkError({
    op,
    errno: ack.errno,
    request,
    seq: ack.seq,
    extack: ack.extack,
    offset: ack.offset,
    missingType: ack.missingType,
    missingNest: ack.missingNest,
    cookie: ack.cookie,
  });
}

/**
 * Decodes the NLMSG_DONE at `offset`: the kernel's `netlink_dump_done()` writes
 * `int dump_done_errno`, then NLMSGERR_ATTR_* TLVs when NLM_F_ACK_TLVS is set. `errno` is
 * positive, 0 for a dump that ended well. A DONE too short for its int is a
 * {@link DecodeError}, as iproute2 treats it.
 */
function readDone(view: DataView, offset: number): Ack {
  const end = messageEnd(view, offset, 'NLMSG_DONE');
  if (end - offset < NLMSG_HDRLEN + 4) {
    throw new DecodeError(
      `NLMSG_DONE of ${end - offset} bytes is too short for its int error`,
      offset,
    );
  }
  const error = view.getInt32(offset + NLMSG_HDRLEN, true);
  const ack: Ack = { errno: -error || 0, seq: view.getUint32(offset + 8, true), requestType: 0 };
  if (error < 0 && view.getUint16(offset + 6, true) & NLM_F_ACK_TLVS) {
    readAckTlvs(view, offset + NLMSG_HDRLEN + 4, end, ack);
  }
  return ack;
}

/**
 * What one conversation with the kernel (a request, a dump, a monitor) has seen so far:
 * messages the router dropped, by reason. Counters only grow.
 */
export interface ControlCounters {
  /** Replies that carried NLM_F_DUMP_INTR (DONE included). */
  interrupted: number;
  /** Messages dropped because their `nlmsg_seq` was not the request's. */
  outOfSequence: number;
  /** Messages dropped because their `nlmsg_pid` was neither 0 nor our port id. */
  foreign: number;
  /** NLMSG_NOOP, NLMSG_OVERRUN and reserved control types, dropped. */
  dropped: number;
}

/** Fresh {@link ControlCounters}, all 0. */
export function controlCounters(): ControlCounters {
  return { interrupted: 0, outOfSequence: 0, foreign: 0, dropped: 0 };
}

/**
 * Checks a public function's `options.counters`: {@link ControlCounters}, or undefined.
 *
 * @internal
 */
export function checkControlCounters(
  check: ArgumentChecker,
  counters: unknown,
): ControlCounters | undefined {
  if (counters === undefined) return undefined;
  const c = counters as Partial<ControlCounters> | null;
  if (
    c === null ||
    typeof c !== 'object' ||
    typeof c.interrupted !== 'number' ||
    typeof c.outOfSequence !== 'number' ||
    typeof c.foreign !== 'number' ||
    typeof c.dropped !== 'number'
  ) {
    return check.fail('options.counters', 'control counters (see controlCounters())', counters);
  }
  return c as ControlCounters;
}

/** What {@link routeMessage} checks messages against, and counts into. */
export interface ControlState {
  /** The request's `nlmsg_seq`; undefined accepts every sequence number (a monitor). */
  readonly seq: number | undefined;
  /**
   * Our port id (`nl_pid`): replies must carry `nlmsg_pid` 0 or this. 0 skips the check, as
   * `mnl_cb_run` does: notifications carry the port id of whoever caused the change, so a
   * monitor passes 0 and checks the datagram's sender (`nm_pid`) instead.
   */
  readonly portId: number;
  /** The `op` of the errors it throws. */
  readonly op: 'request' | 'dump';
  /** What was asked (`getRoutes table main`), leading the errors it throws. */
  readonly request: string | undefined;
  /** Where it counts what it dropped; shared with the caller. */
  readonly counters: ControlCounters;
}

/**
 * A {@link ControlState} for one conversation: one per subscription, never shared by two.
 *
 * @example
 * const control = controlState({ seq: 7, portId: socket.portid, op: 'dump' });
 */
export function controlState(init: {
  seq?: number | undefined;
  portId?: number | undefined;
  op?: 'request' | 'dump' | undefined;
  request?: string | undefined;
  counters?: ControlCounters | undefined;
}): ControlState {
  return {
    seq: init.seq,
    portId: init.portId ?? 0,
    op: init.op ?? 'request',
    request: init.request,
    counters: init.counters ?? controlCounters(),
  };
}

/** {@link routeMessage}: a data message of this conversation; deliver it. */
export const MESSAGE_DATA = 0;
/** {@link routeMessage}: dropped and counted (other seq, foreign port, NOOP, OVERRUN). */
export const MESSAGE_DROPPED = 1;
/** {@link routeMessage}: an NLMSG_ERROR with errno 0, an acknowledgement. */
export const MESSAGE_ACK = 2;
/** {@link routeMessage}: a clean NLMSG_DONE; the dump is complete. */
export const MESSAGE_DONE = 3;

/** What {@link routeMessage} decided. */
export type Routed =
  | typeof MESSAGE_DATA
  | typeof MESSAGE_DROPPED
  | typeof MESSAGE_ACK
  | typeof MESSAGE_DONE;

/**
 * The one control-message router (libmnl's `mnl_cb_run`): every reader of replies — dumps
 * (`takeDump`, fused into `parseMessages`), `request`, `dumpMessages`, monitors, the
 * netfilter acks — routes each message through it, so every check runs the same way
 * everywhere and the kernel's extended ack is never dropped.
 *
 * Precondition: a whole nlmsghdr lies at `offset` in `view` (as `parseMessages` and
 * `walkMessages` guarantee); the router decodes ERROR and DONE bodies with bounds checks of
 * their own.
 *
 * In order:
 * 1. **Sequence**: with `state.seq` set, a message of another `nlmsg_seq` is
 *    {@link MESSAGE_DROPPED} (`counters.outOfSequence`): a late reply of an earlier request.
 * 2. **Port id**: with `state.portId` ≠ 0, a message whose `nlmsg_pid` is neither 0 nor
 *    `portId` is not an answer to us: {@link MESSAGE_DROPPED} (`counters.foreign`).
 * 3. **NLM_F_DUMP_INTR** on the message is counted (`counters.interrupted`).
 * 4. Types ≥ NLMSG_MIN_TYPE: {@link MESSAGE_DATA}. This path reads four header fields and
 *    allocates nothing.
 * 5. NLMSG_ERROR: errno 0 is {@link MESSAGE_ACK}; errno ≠ 0 throws a {@link NetlinkError}
 *    (`state.op`, `state.request`, errno, seq, extack message, offset, missing type and
 *    nest, cookie).
 * 6. NLMSG_DONE: a negative `dump_done_errno` throws a NetlinkError with the extended ack;
 *    otherwise, if any reply carried NLM_F_DUMP_INTR, throws a {@link DumpInterruptedError};
 *    otherwise {@link MESSAGE_DONE}.
 * 7. NLMSG_NOOP, NLMSG_OVERRUN and the reserved types below 0x10: {@link MESSAGE_DROPPED}
 *    (`counters.dropped`).
 *
 * Malformed ERROR or DONE bodies throw a {@link DecodeError} with the byte offset. Callers
 * catch what it throws and error their stream with it; they never let it escape a
 * subscriber.
 *
 * @example
 * declare function decode(view: DataView, offset: number): string;
 * const seq = 1;
 * const rows: string[] = [];
 * const control = controlState({ seq, portId: socket.portid, op: 'dump' });
 * walkMessages(view, frame.start, length, (offset) => {
 *   const routed = routeMessage(control, view, offset);
 *   if (routed === MESSAGE_DATA) rows.push(decode(view, offset));
 *   return routed !== MESSAGE_DONE;
 * });
 */
export function routeMessage(state: ControlState, view: DataView, offset: number): Routed {
  if (state.seq !== undefined && view.getUint32(offset + 8, true) !== state.seq) {
    state.counters.outOfSequence++;
    return MESSAGE_DROPPED;
  }
  if (state.portId !== 0) {
    const pid = view.getUint32(offset + 12, true);
    if (pid !== 0 && pid !== state.portId) {
      state.counters.foreign++;
      return MESSAGE_DROPPED;
    }
  }
  // nlmsg_type and nlmsg_flags in one read.
  const typeAndFlags = view.getUint32(offset + 4, true);
  if ((typeAndFlags >>> 16) & NLM_F_DUMP_INTR) state.counters.interrupted++;
  const type = typeAndFlags & 0xffff;
  if (type >= NLMSG_MIN_TYPE) return MESSAGE_DATA;
  return routeControl(state, view, offset, type);
}

/** The cold half of {@link routeMessage}: control messages. */
function routeControl(state: ControlState, view: DataView, offset: number, type: number): Routed {
  if (type === NLMSG_ERROR) {
    const ack = readAck(view, offset);
    if (ack.errno === 0) return MESSAGE_ACK;
    throw ackError(ack, state.op, state.request);
  }
  if (type === NLMSG_DONE) {
    const done = readDone(view, offset);
    if (done.errno !== 0) throw ackError(done, state.op, state.request);
    const interrupted = state.counters.interrupted;
    if (interrupted > 0) throw new DumpInterruptedError(done.seq, interrupted, state.request);
    return MESSAGE_DONE;
  }
  state.counters.dropped++;
  return MESSAGE_DROPPED;
}
