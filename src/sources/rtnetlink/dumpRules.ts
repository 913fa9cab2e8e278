import type { Observable } from 'rxjs';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../families/rtnetlink/constants.js';
import { decodeRule, type Rule, ruleDumpRequest } from '../../families/rtnetlink/rule.js';
import { rtnetlinkDump } from './dumps.js';
import type { RtnetlinkOptions } from './options.js';
import { checkRtnetlinkOptions } from './options.js';

/** Names are not needed for rules (they carry interface names): no link dump first. */
const NO_NAMES: ReadonlyMap<number, string> = new Map();

/**
 * The FIB rules (policy routing) of a namespace, as `ip -d -j rule show` lists them: one
 * decoded {@link Rule} per rule, in priority order, then completes at NLMSG_DONE.
 * `options.family` picks IPv4 (`'inet'`), IPv6 (`'inet6'`) or both (`'all'`, the default:
 * IPv4 rules then IPv6 rules; the multicast routing families' rules are left out).
 *
 * Cold: each subscription opens its own NETLINK_ROUTE socket (or calls `options.open`) and
 * closes it exactly once, at completion, error or unsubscribe. Errors with a NetlinkError
 * (EPERM, ENOENT for an unknown `netns`, the kernel's errno and extended ack); a dump
 * flagged NLM_F_DUMP_INTR errors at NLMSG_DONE with a `DumpInterruptedError` after its
 * values. Bad options throw a TypeError at once.
 *
 * @example
 * dumpRules({ family: 'inet', netns: 'blue' })
 *   .subscribe((r) => console.log(r.priority, r.src, r.table ?? r.action));
 */
export function dumpRules(options?: Omit<RtnetlinkOptions, 'ifnames'>): Observable<Rule> {
  const checked = checkRtnetlinkOptions('dumpRules', options, {});
  const family = checked.family;
  return rtnetlinkDump(
    { ...checked, ifnames: NO_NAMES },
    (seq) => ruleDumpRequest({ family, seq }),
    (message) => {
      const messageFamily = message.view.getUint8(message.payloadOffset);
      const wanted =
        family === AF_UNSPEC
          ? messageFamily === AF_INET || messageFamily === AF_INET6
          : messageFamily === family;
      return wanted ? decodeRule(message) : undefined;
    },
  );
}
