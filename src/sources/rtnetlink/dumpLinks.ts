import type { Observable } from 'rxjs';
import { decodeLink } from '../../families/rtnetlink/decodeLink.js';
import type { Link } from '../../families/rtnetlink/Link.js';
import { linkDumpRequest } from '../../families/rtnetlink/linkDumpRequest.js';
import { checkRtnetlinkOptions } from './checkRtnetlinkOptions.js';
import type { RtnetlinkOptions } from './RtnetlinkOptions.js';
import { rtnetlinkDump } from './rtnetlinkDump.js';

/**
 * The network interfaces of a namespace, as `ip -j -d link show` lists them: one decoded
 * {@link Link} per interface, in the kernel's order, then completes at NLMSG_DONE.
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, when the dump completes or errors or the subscriber unsubscribes.
 * To name a veth peer (`link`), a `master` and to add ip's `M-DOWN` flag, it first dumps the
 * links once on that socket to learn every name and flag, then dumps them again to emit them
 * (a link may refer to one listed after it); with `options.ifnames` it dumps once and names
 * from that (no `M-DOWN`). `options.family` does not apply to links. Values are emitted as
 * they are decoded, never buffered.
 *
 * Errors with a NetlinkError: from opening the socket (EPERM, ENOENT for an unknown
 * `netns`), from the kernel (errno name in `code`, its extended-ack text in `extack`), ENOBUFS
 * when a reply was lost. If the kernel flagged a reply NLM_F_DUMP_INTR (the link table changed
 * during the dump) the links are still emitted and the stream then errors at NLMSG_DONE with
 * a `DumpInterruptedError`; the result may be inconsistent, so a caller that collects retries
 * the whole dump (see the example). Bad options throw a TypeError at once.
 *
 * @example
 * const links = await lastValueFrom(
 *   dumpLinks({ netns: 'blue' }).pipe(
 *     toArray(),
 *     retry({ count: 3, delay: (e) => (e instanceof DumpInterruptedError ? of(0) : throwError(() => e)) }),
 *   ),
 * );
 * console.log(links.map((l) => `${l.ifindex}: ${l.ifname} ${l.operstate}`));
 */
export function dumpLinks(options?: RtnetlinkOptions): Observable<Link> {
  const checked = checkRtnetlinkOptions('dumpLinks', options, {});
  return rtnetlinkDump(
    checked,
    (seq) => linkDumpRequest({ seq }),
    (message, names) => decodeLink(message, names.decodeOptions),
  );
}
