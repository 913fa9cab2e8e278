import type { Observable } from 'rxjs';
import { addressDumpRequest } from '../../families/rtnetlink/addressDumpRequest.js';
import { AF_UNSPEC } from '../../families/rtnetlink/constants.js';
import { decodeAddress } from '../../families/rtnetlink/decodeAddress.js';
import type { InterfaceAddress } from '../../families/rtnetlink/InterfaceAddress.js';
import { checkRtnetlinkOptions } from './checkRtnetlinkOptions.js';
import type { RtnetlinkOptions } from './RtnetlinkOptions.js';
import { rtnetlinkDump } from './rtnetlinkDump.js';

/**
 * The interface addresses of a namespace: one decoded {@link InterfaceAddress} per address —
 * an `addr_info` entry of `ip -j addr show` with its link's `ifindex` and `ifname` in front —
 * in the kernel's order, then completes at NLMSG_DONE. `options.family` picks IPv4
 * (`'inet'`), IPv6 (`'inet6'`) or both (`'all'`, the default).
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe. `ifname` is learned from a
 * link dump on the same socket first, unless `options.ifnames` gives the names. Values are
 * emitted as they are decoded, never buffered.
 *
 * Errors with a NetlinkError (EPERM, ENOENT for an unknown `netns`, the kernel's errno and
 * extended ack, ENOBUFS for a lost reply); a dump flagged NLM_F_DUMP_INTR errors at
 * NLMSG_DONE with a `DumpInterruptedError` after its values: retry it (see `dumpLinks`). Bad
 * options throw a TypeError at once.
 *
 * @example
 * dumpAddresses({ family: 'inet6' }).subscribe((a) => console.log(`${a.ifname} ${a.local}/${a.prefixlen}`));
 */
export function dumpAddresses(options?: RtnetlinkOptions): Observable<InterfaceAddress> {
  const checked = checkRtnetlinkOptions('dumpAddresses', options, {});
  const family = checked.family;
  return rtnetlinkDump(
    checked,
    (seq) => addressDumpRequest({ family, seq }),
    (message, names) =>
      family !== AF_UNSPEC && message.view.getUint8(message.payloadOffset) !== family
        ? undefined
        : decodeAddress(message, names.decodeOptions),
  );
}
