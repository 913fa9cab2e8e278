import type { Observable } from 'rxjs';
import { type RuleOptions, ruleRequest } from './addRule.js';

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
