import type { Observable } from 'rxjs';
import { AF_UNSPEC } from '../../families/rtnetlink/constants.js';
import { decodeNeighbour } from '../../families/rtnetlink/decodeNeighbour.js';
import type { Neighbour } from '../../families/rtnetlink/Neighbour.js';
import { neighbourDumpRequest } from '../../families/rtnetlink/neighbourDumpRequest.js';
import { checkRtnetlinkOptions } from './checkRtnetlinkOptions.js';
import type { RtnetlinkOptions } from './RtnetlinkOptions.js';
import { rtnetlinkDump } from './rtnetlinkDump.js';

/**
 * The neighbour tables (ARP and NDP caches) of a namespace, as `ip -j -s neigh show nud all`
 * lists them: one decoded {@link Neighbour} per entry, `dev` named, then completes at
 * NLMSG_DONE. `options.family` picks ARP (`'inet'`), NDP (`'inet6'`) or both (`'all'`, the
 * default); AF_BRIDGE (7) dumps the bridge forwarding database instead.
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe. `dev` names are learned from
 * a link dump on the same socket first, unless `options.ifnames` gives them. Values are
 * emitted as they are decoded, never buffered.
 *
 * Errors with a NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and
 * extended ack, ENOBUFS for a lost reply); a dump flagged NLM_F_DUMP_INTR errors at
 * NLMSG_DONE with a `DumpInterruptedError` after its values: retry it (see `dumpLinks`). Bad
 * options throw a TypeError at once.
 *
 * @example
 * dumpNeighbours({ family: 'inet' })
 *   .pipe(filter((n) => n.state?.includes('REACHABLE') ?? false))
 *   .subscribe((n) => console.log(n.dst, n.lladdr, n.dev));
 */
export function dumpNeighbours(options?: RtnetlinkOptions): Observable<Neighbour> {
  const checked = checkRtnetlinkOptions('dumpNeighbours', options, {});
  const family = checked.family;
  return rtnetlinkDump(
    checked,
    (seq) => neighbourDumpRequest({ family, seq }),
    (message, names) =>
      family !== AF_UNSPEC && message.view.getUint8(message.payloadOffset) !== family
        ? undefined
        : decodeNeighbour(message, names.decodeOptions),
  );
}
