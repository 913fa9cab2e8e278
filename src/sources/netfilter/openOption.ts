import type { ArgumentChecker } from '../../errors/check.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';

/**
 * Checks the `open` option of a netfilter source at call time: absent, an endpoint (an
 * object, borrowed) or a factory of endpoints (a function, one per subscription). Whether an
 * object really is an endpoint shows when it is used. Internal to the netfilter sources.
 *
 * @example
 * const open = checkOpen(argumentChecker('nflog'), options.open) ?? defaultOpen;
 */
export function checkOpen(
  check: ArgumentChecker,
  open: RingEndpoint | (() => RingEndpoint) | undefined,
): RingEndpoint | (() => RingEndpoint) | undefined {
  if (open === undefined || typeof open === 'function') return open;
  if (typeof open !== 'object' || open === null || Array.isArray(open)) {
    return check.fail('options.open', 'a RingEndpoint or a function that returns one', open);
  }
  return open;
}
