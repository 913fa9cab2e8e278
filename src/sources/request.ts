import { Observable } from 'rxjs';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import {
  NLM_F_ACK,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NLMSG_DONE,
  NLMSG_ERROR,
} from '../netlink/constants.js';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { ackError, readAck } from '../netlink/readAck.js';
import { parseMessages } from '../operators/parseMessages.js';
import { Overrun } from '../ring/Overrun.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import { fromRing } from './fromRing.js';

/**
 * Sends one request and emits its replies — detached copies, safe to keep — completing at
 * the kernel's acknowledgement (NLM_F_ACK), at NLMSG_DONE for a multipart answer, or after
 * the single reply of a request without NLM_F_ACK.
 *
 * Cold: each subscription opens its endpoint (or borrows the one given), sends `request`
 * (one message, its `nlmsg_seq` set by the caller) and matches replies by that seq. An
 * NLMSG_ERROR with errno ≠ 0 errors the stream with a NetlinkError carrying the errno
 * name, the seq and the kernel's extended-ack message and offset — `EEXIST` for an address
 * that exists. The endpoint is closed at teardown when this source opened it.
 *
 * @example
 * request(() => openNetlinkSocket({ protocol: 'route' }), addAddressRequest({ ... seq: 7 }))
 *   .subscribe({ complete: () => console.log('added'), error: (e) => console.log(e.code, e.extack) });
 */
export function request(
  open: RingEndpoint | (() => RingEndpoint),
  message: Uint8Array,
): Observable<NetlinkMessage> {
  if (!(message instanceof Uint8Array) || message.byteLength < 16) {
    throw new TypeError('message: expected a Uint8Array holding an nlmsghdr');
  }
  const header = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const flags = header.getUint16(6, true);
  const seq = header.getUint32(8, true);
  const wantsAck = (flags & NLM_F_ACK) !== 0;
  return new Observable<NetlinkMessage>((subscriber) => {
    const owned = typeof open === 'function';
    const endpoint = owned ? open() : open;
    const subscription = fromRing(endpoint)
      .pipe(parseMessages())
      .subscribe({
        next: (value) => {
          if (value instanceof Overrun) {
            subscriber.error(
              new NetlinkError({
                op: 'request',
                errno: errnos.ENOBUFS,
                seq,
                detail: 'a reply was lost to an overrun',
              }),
            );
            return;
          }
          if (value.seq !== seq) return;
          if (value.type === NLMSG_ERROR) {
            const ack = readAck(value.view, value.offset);
            if (ack.errno !== 0) subscriber.error(ackError(ack, 'request'));
            else subscriber.complete();
            return;
          }
          if (value.type === NLMSG_DONE) {
            // A multipart answer ends here (its errors come as NLMSG_ERROR or a DONE errno).
            const errno =
              value.payloadLength >= 4 ? -value.view.getInt32(value.payloadOffset, true) : 0;
            if (errno > 0) subscriber.error(new NetlinkError({ op: 'request', errno, seq }));
            else if (!wantsAck) subscriber.complete();
            return;
          }
          subscriber.next(value.copy());
          const multipart =
            (value.flags & NLM_F_MULTI) !== 0 || (flags & NLM_F_DUMP) === NLM_F_DUMP;
          if (!wantsAck && !multipart) subscriber.complete();
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
