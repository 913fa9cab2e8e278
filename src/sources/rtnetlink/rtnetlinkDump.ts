import { concat, defer, EMPTY, ignoreElements, map, Observable, tap } from 'rxjs';
import { RTEXT_FILTER_SKIP_STATS } from '../../families/rtnetlink/constants.js';
import { linkDumpRequest } from '../../families/rtnetlink/linkDumpRequest.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { dumpMessages } from '../dumpMessages.js';
import type { CheckedRtnetlinkOptions } from './checkRtnetlinkOptions.js';
import { InterfaceNames } from './InterfaceNames.js';

/** Sequence numbers of the two dumps on a subscription's socket. */
const NAMES_SEQ = 1;
const DUMP_SEQ = 2;

/**
 * The shape of every rtnetlink dump source: open one endpoint, learn interface names with a
 * link dump on it (unless the caller gave them), then send `request(seq)` on the same
 * endpoint and emit `decode(message, names)` for each reply that decodes to a value
 * (undefined skips it), completing at NLMSG_DONE. Messages are borrowed and decoded in place;
 * the values own their memory. The endpoint is closed exactly once at teardown.
 *
 * Errors as `dumpMessages`: a NetlinkError for an error reply or a failed DONE, a
 * DumpInterruptedError at DONE when either dump was flagged NLM_F_DUMP_INTR, a NetlinkError
 * (ENOBUFS) when a reply was lost, and whatever `open()` throws.
 *
 * @example
 * rtnetlinkDump(checked, (seq) => routeDumpRequest({ seq }), (m, names) => decodeRoute(m, names.decodeOptions));
 */
export function rtnetlinkDump<T>(
  options: CheckedRtnetlinkOptions,
  request: (seq: number) => Uint8Array,
  decode: (message: NetlinkMessage, names: InterfaceNames) => T | undefined,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let endpoint: RingEndpoint;
    try {
      endpoint = options.open([]);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const names = new InterfaceNames(options.ifnames);
    const stats = { stats: options.stats };
    const learn =
      options.ifnames === undefined
        ? dumpMessages(
            endpoint,
            linkDumpRequest({ seq: NAMES_SEQ, extMask: RTEXT_FILTER_SKIP_STATS }),
            stats,
          ).pipe(
            tap((message) => names.learn(message)),
            ignoreElements(),
          )
        : EMPTY;
    const values = defer(() => dumpMessages(endpoint, request(DUMP_SEQ), stats)).pipe(
      map((message) => decode(message, names)),
    );
    const subscription = concat(learn, values).subscribe({
      next: (value) => {
        if (value !== undefined) subscriber.next(value);
      },
      error: (error) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
    return () => {
      subscription.unsubscribe();
      endpoint.close();
    };
  });
}
