import type { RingEndpoint } from '../../ring/RingEndpoint.js';

/**
 * Where an rtnetlink request (`addAddress`, `deleteAddress`, `addRoute`, `deleteRoute`) is
 * sent, alongside the request builder's own options.
 *
 * @example
 * addRoute({ dst: '10.9.0.0/16', gateway: '10.1.0.2', netns: 'blue' });
 */
export interface RtnetlinkRequestOptions {
  /** Change this named network namespace (`ip netns add NAME`) instead of the process's own. */
  netns?: string;
  /**
   * Opens the endpoint to send on (a simulated kernel's socket in tests). Called once per
   * subscription; the request closes what it returns. Default: a NETLINK_ROUTE socket in
   * `netns` with a small ring (acknowledgements are small; a large one arrives as COPY).
   */
  open?: () => RingEndpoint;
}
