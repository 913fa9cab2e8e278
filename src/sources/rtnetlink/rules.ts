// FIB rules (ip rule): dump, add, delete.

import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { AF_INET, AF_INET6, AF_UNSPEC } from '../../families/rtnetlink/constants.js';
import {
  decodeRule,
  type Rule,
  type RuleRequestOptions,
  ruleDumpRequest,
  writeRule,
} from '../../families/rtnetlink/rule.js';
import { configureRequest } from './configureRequest.js';
import { rtnetlinkDump } from './dumps.js';
import {
  checkRtnetlinkOptions,
  type RtnetlinkOptions,
  type RtnetlinkRequestOptions,
} from './options.js';

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

/**
 * Options of {@link addRule} and {@link deleteRule}: the rule's selector (`from`, `to`,
 * `iif`, `oif`, `fwmark`/`fwmask`, `tos`, `l3mdev`, `not`), what it does (`table`, or
 * `action` goto/nop/blackhole/unreachable/prohibit, `suppressPrefixlength`) and its
 * `priority`.
 *
 * @example
 * addRule({ from: '10.0.0.0/8', table: 100, priority: 1000, netns: 'blue' });
 */
export type RuleOptions = Omit<RuleRequestOptions, 'seq'> & RtnetlinkRequestOptions;

/**
 * Adds a FIB rule, as `ip rule add …` does: `{ from: '10.0.0.0/8', table: 100, priority:
 * 1000 }` is `ip rule add from 10.0.0.0/8 table 100 priority 1000`. A rule without a table
 * or another action looks up table main. IPv4 unless an address (or `family`) is IPv6.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * the request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket is closed exactly once. Errors with a NetlinkError (`code`, `extack`, what was
 * asked in `detail`): EEXIST for a rule that is there. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(addRule({ fwmark: 0x10, fwmask: 0xff, table: 200, priority: 900 }));
 */
export function addRule(options: RuleOptions): Observable<void> {
  return ruleRequest('addRule', options, true);
}

/**
 * The add and delete rule sources (@internal).
 *
 * @example
 * ruleRequest('deleteRule', { priority: 1000 }, false);
 */
export function ruleRequest(fn: string, options: RuleOptions, add: boolean): Observable<void> {
  const o = argumentChecker(fn).options(options, true);
  const { netns, open, ...fields } = o;
  const shown = Object.entries(fields)
    .map(([k, v]) => `${k} ${String(v)}`)
    .join(' ');
  return configureRequest(
    fn,
    { netns, open },
    {
      interfaces: [],
      namespaces: [],
      what: shown === '' ? fn : `${fn} ${shown}`,
      build: (_ifindexes, _namespaces, seq) => writeRule(fn, { ...fields, seq }, add),
    },
  );
}

/**
 * Deletes the first FIB rule that matches the options, as `ip rule del …` does: fields
 * left out match any rule, so `{ priority: 1000 }` deletes the rule at priority 1000, and
 * the options that added a rule delete it.
 *
 * Cold: each subscription opens a NETLINK_ROUTE socket in `netns` (or calls `open`), sends
 * the request, emits one `undefined` at the kernel's acknowledgement and completes; the
 * socket is closed exactly once. Errors with a NetlinkError (`code`, `extack`, what was
 * asked in `detail`): ENOENT when no rule matches. Bad options throw a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteRule({ priority: 1000, netns: 'blue' }));
 */
export function deleteRule(options: RuleOptions): Observable<void> {
  return ruleRequest('deleteRule', options, false);
}
