import type { RingEndpoint } from '../../ring/RingEndpoint.js';

/**
 * Checks the `open` option of a netfilter source: undefined, an endpoint (an object), or a
 * factory of endpoints (a function). Returns it; throws a TypeError naming the option
 * otherwise (for JavaScript callers, whom the types do not stop). Whether an object really
 * is an endpoint shows when it is used. Internal to the netfilter sources.
 *
 * @example
 * const open = checkOpenOption(options.open) ?? (() => openNetlinkSocket({ protocol: 'netfilter' }));
 */
export function checkOpenOption(
  open: RingEndpoint | (() => RingEndpoint) | undefined,
): RingEndpoint | (() => RingEndpoint) | undefined {
  if (
    open !== undefined &&
    typeof open !== 'function' &&
    (typeof open !== 'object' || open === null)
  ) {
    throw new TypeError('open: expected a RingEndpoint or a function that returns one');
  }
  return open;
}
