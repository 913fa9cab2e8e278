import type { InterfaceAddress } from '../../families/rtnetlink/InterfaceAddress.js';
import type { Link } from '../../families/rtnetlink/Link.js';
import type { Neighbour } from '../../families/rtnetlink/Neighbour.js';
import type { Route } from '../../families/rtnetlink/Route.js';

/**
 * One rtnetlink notification, decoded: what changed (`kind`), whether it was added or
 * changed (`'new'`: RTM_NEW*, which the kernel also sends when an object changes) or deleted
 * (`'del'`: RTM_DEL*), and the object in its full state at that moment, under a field named
 * after the kind. A discriminated union on `kind`, so a `switch` narrows it — together with
 * `Overrun` (`kind: 'overrun'`), the other value a `monitor` emits.
 *
 * @example
 * monitor({ kinds: ['link', 'route'] }).subscribe((change) => {
 *   switch (change.kind) {
 *     case 'link': console.log(change.action, change.link.ifname, change.link.operstate); break;
 *     case 'route': console.log(change.action, change.route.dst, change.route.dev); break;
 *     case 'overrun': console.warn(`lost ${change.lost} notifications`); break;
 *   }
 * });
 */
export type RtnetlinkChange =
  | { readonly kind: 'link'; readonly action: 'new' | 'del'; readonly link: Link }
  | { readonly kind: 'address'; readonly action: 'new' | 'del'; readonly address: InterfaceAddress }
  | { readonly kind: 'route'; readonly action: 'new' | 'del'; readonly route: Route }
  | { readonly kind: 'neigh'; readonly action: 'new' | 'del'; readonly neighbour: Neighbour };
