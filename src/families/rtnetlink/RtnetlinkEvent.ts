/**
 * What an rtnetlink notification is about, from its message type alone.
 *
 * @example
 * const event = classifyRtnetlink(message.type); // { kind: 'route', action: 'del' }
 */
export interface RtnetlinkEvent {
  /** RTM_*LINK → link, RTM_*ADDR → address, RTM_*ROUTE → route, RTM_*NEIGH → neigh. */
  readonly kind: 'link' | 'address' | 'route' | 'neigh';
  /** RTM_NEW* → new (added or changed), RTM_DEL* → del. */
  readonly action: 'new' | 'del';
}
