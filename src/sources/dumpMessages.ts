import type { Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import { type ControlCounters, checkControlCounters } from '../netlink/control.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import {
  type DumpSelection,
  type FrameConnector,
  type MessageDecoderAt,
  MessageStream,
} from '../operators/MessageStream.js';
import type { Frame } from '../ring/Frame.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import type { RingStats } from '../ring/RingStats.js';
import { fromRing } from './fromRing.js';
import { checkOpen } from './request.js';

/** Options of {@link dumpMessages}. */
export interface DumpMessagesOptions {
  /** Counters of the RX ring to update in place. */
  stats?: RingStats | undefined;
  /** What is asked (`getRoutes table main`): leads the message of every error of the dump. */
  description?: string | undefined;
  /** Counters the dump updates in place (DUMP_INTR replies, dropped messages by reason). */
  counters?: ControlCounters | undefined;
}

/**
 * Sends a dump request (NLM_F_DUMP) and emits the reply messages, borrowed in place from
 * the RX ring (copy one to keep it), completing at NLMSG_DONE.
 *
 * Cold: each subscription opens its endpoint (or borrows the one given), subscribes to the
 * RX ring first, then sends `request` with the ordinary send path; replies go through the
 * control-message router (`takeDump`): matched by the request's `nlmsg_seq` and by port id
 * (the kernel's 0 or the endpoint's `portid`), the rest dropped and counted. Errors with a NetlinkError for an NLMSG_ERROR reply, a failed
 * DONE, a lost reply (overrun), or a `DumpInterruptedError` when the kernel flagged the dump
 * NLM_F_DUMP_INTR (see `takeDump` for that policy). The endpoint is closed at teardown when
 * this source opened it.
 *
 * Throws a TypeError at once for a `request` that is not a Uint8Array holding an nlmsghdr,
 * an `open` that is neither an endpoint nor a function, or a bad option.
 *
 * @example
 * dumpMessages(() => openNetlinkSocket({ protocol: 'route' }), rtnetlink.linkDumpRequest({ seq: 1 }))
 *   .subscribe((m) => console.log(m.type));
 */
export function dumpMessages(
  open: RingEndpoint | (() => RingEndpoint),
  request: Uint8Array,
  options?: DumpMessagesOptions,
): Observable<NetlinkMessage> {
  return dump('dumpMessages', open, request, options) as unknown as Observable<NetlinkMessage>;
}

/**
 * {@link dumpMessages} with a decoder fused into the frame walk: emits `decode(message, arg)` for
 * each reply (undefined skips it), with no stage between the ring and the subscriber (no
 * `map`, no message stream of its own). What rtnetlink's decoded dumps are built on. Same
 * errors, completion and argument checks as `dumpMessages`, named `dumpDecoded`; a throwing
 * `decode` errors the stream.
 *
 * @internal
 * @example
 * dumpDecoded(socket, rtnetlink.routeDumpRequest({ seq: 2 }), rtnetlink.decodeRoute, {});
 */
export function dumpDecoded<R, A>(
  open: RingEndpoint | (() => RingEndpoint),
  request: Uint8Array,
  decode: (message: NetlinkMessage, arg: A) => R | undefined,
  arg: A,
  options?: DumpMessagesOptions,
): Observable<R> {
  return dump('dumpDecoded', open, request, options).decoded(decode, arg) as Observable<R>;
}

/**
 * {@link dumpDecoded} with a decoder of each reply in place (`MessageStream.decodedAt`): no
 * message handle is made per reply. Same errors, completion and checks, named `dumpDecodedAt`.
 *
 * @internal
 * @example
 * dumpDecodedAt(socket, rtnetlink.routeDumpRequest({ seq: 2 }), (bytes, view, offset) => offset, null);
 */
export function dumpDecodedAt<R, A>(
  open: RingEndpoint | (() => RingEndpoint),
  request: Uint8Array,
  decodeAt: MessageDecoderAt<R, A>,
  arg: A,
  options?: DumpMessagesOptions,
): Observable<R> {
  return dump('dumpDecodedAt', open, request, options).decodedAt(decodeAt, arg) as Observable<R>;
}

/** The checked dump as a message stream, which each form above decodes its own way. */
function dump(
  fn: string,
  open: RingEndpoint | (() => RingEndpoint),
  request: Uint8Array,
  options: DumpMessagesOptions | undefined,
): MessageStream<Frame> {
  const check = argumentChecker(fn);
  checkOpen(check, open);
  if (!(request instanceof Uint8Array) || request.byteLength < NLMSG_HDRLEN) {
    check.fail('request', 'a Uint8Array holding an nlmsghdr', request);
  }
  const o = check.options(options);
  const stats = o.stats;
  if (stats !== undefined && (stats === null || typeof stats !== 'object')) {
    check.fail('options.stats', 'a RingStats', stats);
  }
  const description = check.string('options.description', o.description, 4096);
  const counters = checkControlCounters(check, o.counters);
  const seq = new DataView(request.buffer, request.byteOffset, request.byteLength).getUint32(
    8,
    true,
  );
  const control: DumpSelection = { seq, portId: undefined, request: description, counters };
  // Per subscription: open, subscribe the parser to the RX ring first, then send. The
  // parser routes the replies (takeDump's checks, with this endpoint's port id); filters
  // after `dumpMessages` (ofType, …) and a decoder fuse into its walk.
  const connect: FrameConnector<Frame> = (parse, selection) => {
    const owned = typeof open === 'function';
    const endpoint = owned ? open() : open;
    const frames = fromRing(endpoint, { overruns: 'error', stats });
    const dump = { ...control, portId: endpoint.portid };
    const parser = parse(frames, { ...selection, dump });
    if (!parser.closed) {
      try {
        endpoint.send(request);
      } catch (error) {
        parser.error(error);
      }
    }
    return owned ? () => endpoint.close() : undefined;
  };
  return new MessageStream<Frame>(connect, {
    types: null,
    groups: null,
    predicates: [],
    dump: control,
  });
}
