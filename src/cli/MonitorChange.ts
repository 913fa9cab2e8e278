import type { rtnetlink } from '../index.js';

/**
 * One decoded rtnetlink notification as the monitor prints it: the kind, `'new'` (added or
 * changed) or `'del'`, and the object under a field named after the kind — the shape of the
 * library's `RtnetlinkChange`.
 *
 * @example
 * const change: MonitorChange = { kind: 'route', action: 'del', route };
 */
export type MonitorChange =
  | { readonly kind: 'link'; readonly action: 'new' | 'del'; readonly link: rtnetlink.Link }
  | {
      readonly kind: 'address';
      readonly action: 'new' | 'del';
      readonly address: rtnetlink.InterfaceAddress;
    }
  | { readonly kind: 'route'; readonly action: 'new' | 'del'; readonly route: rtnetlink.Route }
  | {
      readonly kind: 'neigh';
      readonly action: 'new' | 'del';
      readonly neighbour: rtnetlink.Neighbour;
    };
