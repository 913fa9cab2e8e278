import { Observable } from 'rxjs';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { parseMessages } from '../operators/parseMessages.js';
import { takeDump } from '../operators/takeDump.js';
import type { RingEndpoint } from '../ring/RingEndpoint.js';
import type { RingStats } from '../ring/RingStats.js';
import { fromRing } from './fromRing.js';

/** Options of {@link dumpMessages}. */
export interface DumpMessagesOptions {
  /** Counters of the RX ring to update in place. */
  stats?: RingStats;
}

/**
 * Sends a dump request (NLM_F_DUMP) and emits the reply messages, borrowed in place from
 * the RX ring (copy one to keep it), completing at NLMSG_DONE.
 *
 * Cold: each subscription opens its endpoint (or borrows the one given), subscribes to the
 * RX ring first, then sends `request` with the ordinary send path; replies are matched by
 * the request's `nlmsg_seq`. Errors with a NetlinkError for an NLMSG_ERROR reply, a failed
 * DONE, a lost reply (overrun), or a `DumpInterruptedError` when the kernel flagged the dump
 * NLM_F_DUMP_INTR (see `takeDump` for that policy). The endpoint is closed at teardown when
 * this source opened it.
 *
 * @example
 * dumpMessages(() => openNetlinkSocket({ protocol: 'route' }), getLinksRequest({ seq: 1 }))
 *   .subscribe((m) => console.log(m.type));
 */
export function dumpMessages(
  open: RingEndpoint | (() => RingEndpoint),
  request: Uint8Array,
  options: DumpMessagesOptions = {},
): Observable<NetlinkMessage> {
  if (!(request instanceof Uint8Array) || request.byteLength < 16) {
    throw new TypeError('request: expected a Uint8Array holding an nlmsghdr');
  }
  const seq = new DataView(request.buffer, request.byteOffset, request.byteLength).getUint32(
    8,
    true,
  );
  return new Observable<NetlinkMessage>((subscriber) => {
    const endpoint = typeof open === 'function' ? open() : open;
    const owned = typeof open === 'function';
    const replies = fromRing(endpoint, { overruns: 'error', stats: options.stats }).pipe(
      parseMessages(),
      takeDump({ seq }),
    );
    const subscription = replies.subscribe(subscriber);
    if (!subscriber.closed) {
      try {
        endpoint.send(request);
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
