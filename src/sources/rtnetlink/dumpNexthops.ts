import type { Observable } from 'rxjs';
import {
  decodeNexthop,
  type Nexthop,
  nexthopDumpRequest,
} from '../../families/rtnetlink/nexthop.js';
import { rtnetlinkDump } from './dumps.js';
import type { RtnetlinkOptions } from './options.js';
import { checkRtnetlinkOptions } from './options.js';

/**
 * The nexthop objects of a namespace, as `ip -d -j nexthop show` lists them: one decoded
 * {@link Nexthop} per object (single nexthops, blackholes and groups), `dev` named, then
 * completes at NLMSG_DONE. `options.family` does not apply.
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe; `dev` names are learned from
 * a link dump on the same socket first, unless `options.ifnames` gives them. Errors with a
 * NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and extended ack);
 * a dump flagged NLM_F_DUMP_INTR errors at NLMSG_DONE with a `DumpInterruptedError` after
 * its values. Bad options throw a TypeError at once.
 *
 * @example
 * dumpNexthops({ netns: 'blue' }).subscribe((nh) => console.log(nh.id, nh.gateway ?? nh.group));
 */
export function dumpNexthops(options?: Omit<RtnetlinkOptions, 'family'>): Observable<Nexthop> {
  const checked = checkRtnetlinkOptions('dumpNexthops', options, {});
  return rtnetlinkDump(
    checked,
    (seq) => nexthopDumpRequest({ seq }),
    (message, names) => decodeNexthop(message, names.decodeOptions),
  );
}
