import { Observable } from 'rxjs';
import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { NLM_F_ACK, NLM_F_DUMP, NLM_F_MULTI, NLMSG_HDRLEN } from '../netlink/constants.js';
import {
  type ControlCounters,
  checkControlCounters,
  controlState,
  MESSAGE_ACK,
  MESSAGE_DATA,
  MESSAGE_DONE,
  MESSAGE_DROPPED,
  routeMessage,
} from '../netlink/control.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { parseMessages } from '../operators/parseMessages.js';
import { Overrun } from '../ring/Overrun.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import { fromRing } from './fromRing.js';

/** Options of {@link request}. */
export interface RequestOptions {
  /**
   * What is asked, as the caller would say it (`addRoute 10.70.0.0/16 table main`): it
   * leads the message of every error of the request.
   */
  description?: string | undefined;
  /** Counters the request updates in place (replies dropped by reason: see `takeDump`). */
  counters?: ControlCounters | undefined;
}

/**
 * Sends one request and emits its replies — detached copies, safe to keep — completing at
 * the kernel's acknowledgement (NLM_F_ACK), at NLMSG_DONE for a multipart answer, or after
 * the single reply of a request without NLM_F_ACK.
 *
 * Cold: each subscription opens its endpoint (or borrows the one given), sends `request`
 * (one message, its `nlmsg_seq` set by the caller) and routes every reply through the one
 * control-message router (`routeMessage`): replies of another seq, or from a port other
 * than the kernel's or ours, are dropped and counted. An NLMSG_ERROR with errno ≠ 0, or a
 * DONE with one, errors the stream with a NetlinkError carrying the errno name, the seq,
 * the kernel's extended ack (message, offset, missing attribute) and `description` —
 * `EEXIST` for an address that exists; a malformed reply errors it with a DecodeError; a
 * lost reply (overrun) with ENOBUFS. Nothing a reply holds can throw past the stream's
 * error channel. The endpoint is closed at teardown when this source opened it.
 *
 * Throws a TypeError at once for a `message` that is not a Uint8Array holding an nlmsghdr,
 * an `open` that is neither an endpoint nor a function, or a bad option.
 *
 * @example
 * const add = rtnetlink.addAddressRequest({ ifindex: 2, address: '192.0.2.1/24', seq: 7 });
 * request(() => openNetlinkSocket({ protocol: 'route' }), add).subscribe({
 *   complete: () => console.log('added'),
 *   error: (e: NetlinkError) => console.log(e.code, e.extack),
 * });
 */
export function request(
  open: RingEndpoint | (() => RingEndpoint),
  message: Uint8Array,
  options?: RequestOptions,
): Observable<NetlinkMessage> {
  const check = argumentChecker('request');
  checkOpen(check, open);
  if (!(message instanceof Uint8Array) || message.byteLength < NLMSG_HDRLEN) {
    check.fail('message', 'a Uint8Array holding an nlmsghdr', message);
  }
  const o = check.options(options);
  const description = check.string('options.description', o.description, 4096);
  const counters = checkControlCounters(check, o.counters);
  const header = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const flags = header.getUint16(6, true);
  const seq = header.getUint32(8, true);
  const wantsAck = (flags & NLM_F_ACK) !== 0;
  return new Observable<NetlinkMessage>((subscriber) => {
    const owned = typeof open === 'function';
    const endpoint = owned ? open() : open;
    const control = controlState({
      seq,
      portId: endpoint.portid,
      op: 'request',
      request: description,
      counters,
    });
    const subscription = fromRing(endpoint)
      .pipe(parseMessages())
      .subscribe({
        next: (value) => {
          // Everything a reply holds is checked in here: what throws errors the caller's
          // stream, never the library's own subscriber.
          try {
            if (value instanceof Overrun) {
              subscriber.error(
                new NetlinkError({
                  op: 'request',
                  errno: errnos.ENOBUFS,
                  request: description,
                  seq,
                  detail: 'a reply was lost to an overrun',
                }),
              );
              return;
            }
            const routed = routeMessage(control, value.view, value.offset);
            if (routed === MESSAGE_DROPPED) return;
            if (routed === MESSAGE_ACK) {
              subscriber.complete();
              return;
            }
            if (routed === MESSAGE_DONE) {
              // A multipart answer ends here; with NLM_F_ACK the ack follows.
              if (!wantsAck) subscriber.complete();
              return;
            }
            if (routed === MESSAGE_DATA) {
              subscriber.next(value.copy());
              const multipart =
                (value.flags & NLM_F_MULTI) !== 0 || (flags & NLM_F_DUMP) === NLM_F_DUMP;
              if (!wantsAck && !multipart) subscriber.complete();
            }
          } catch (error) {
            subscriber.error(error);
          }
        },
        error: (error) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    if (!subscriber.closed) {
      try {
        endpoint.send(message);
      } catch (error) {
        subscriber.error(error);
      }
    }
    return () => {
      subscription.unsubscribe();
      if (owned) endpoint.close();
    };
  });
}

/**
 * Checks a public function's `open` argument: a ring endpoint or a function that opens one.
 *
 * @internal
 */
export function checkOpen(check: ReturnType<typeof argumentChecker>, open: unknown): void {
  if (typeof open === 'function') return;
  const e = open as Partial<RingEndpoint> | null;
  if (e === null || typeof e !== 'object' || typeof e.send !== 'function' || !e.rx) {
    check.fail('open', 'a RingEndpoint or a function that opens one', open);
  }
}
