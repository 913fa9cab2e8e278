import type { Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { type RuleRequestOptions, writeRule } from '../../families/rtnetlink/rule.js';
import { configureRequest } from './configureRequest.js';
import type { RtnetlinkRequestOptions } from './options.js';

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
