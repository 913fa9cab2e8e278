import type { ArgumentChecker } from '../../errors/check.js';
import type { OpenEndpoint, OpenRequest } from '../../io/openNetlinkSocket.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';

/**
 * Checks the `open` option of a netfilter source at call time (absent or an
 * {@link OpenEndpoint}) and binds it to what the source would open by default, so each
 * subscription calls it once and closes what it returns. Internal to the netfilter sources.
 *
 * @example
 * declare const check: ArgumentChecker; // argumentChecker('nflog')
 * declare const options: { open?: OpenEndpoint | undefined };
 * const defaults: OpenRequest = { protocol: 'netfilter', groups: [], netns: undefined };
 * const open = checkOpen(check, options.open, defaults);
 */
export function checkOpen(
  check: ArgumentChecker,
  open: OpenEndpoint | undefined,
  request: OpenRequest,
): (() => RingEndpoint) | undefined {
  check.func('options.open', open);
  return open === undefined ? undefined : () => open(request);
}
