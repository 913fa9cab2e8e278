// The rtnetlink family (NETLINK_ROUTE: links, addresses, routes, neighbours): the uapi
// constants, one module per wire object (its type, decoder and request builders), the
// monitor's event classifier and groups, and ip's names. Plain functions over bytes; no
// rxjs. Address text comes from src/netlink/inet.ts; internal helpers (the shared add/delete
// writers, interface naming) are not re-exported.

export { formatIPv4, formatIPv6, formatLinkAddress, parsePrefix } from '../../netlink/inet.js';
export {
  type AddressDumpOptions,
  type AddressRequestOptions,
  addAddressRequest,
  addressDumpRequest,
  decodeAddress,
  deleteAddressRequest,
  type InterfaceAddress,
} from './address.js';
// Configuring the host: link, neighbour, rule and nexthop requests, rule/nexthop decoders.
export * from './configureConstants.js';
export * from './constants.js';
export { type RawAttribute, RawAttributes, type RtnetlinkDecodeOptions } from './decoding.js';
export { classifyRtnetlink, type RtnetlinkEvent, rtnetlinkGroups } from './events.js';
export { decodeLink, type Link, type LinkDumpOptions, linkDumpRequest } from './link.js';
export {
  type CreateLinkRequestOptions,
  createLinkRequest,
  type DeleteLinkRequestOptions,
  deleteLinkRequest,
  getLinkRequest,
  type LinkFields,
  type LinkKindOptions,
  type MacvlanMode,
  type NetnsTarget,
  type SetLinkRequestOptions,
  setLinkRequest,
} from './linkChange.js';
export {
  decodeNeighbour,
  type Neighbour,
  type NeighbourDumpOptions,
  neighbourDumpRequest,
} from './neighbour.js';
export {
  addNeighbourRequest,
  deleteNeighbourRequest,
  type NeighbourRequestOptions,
  type NeighbourStateName,
} from './neighbourChange.js';
export {
  addNexthopRequest,
  decodeNexthop,
  deleteNexthopRequest,
  type Nexthop,
  type NexthopRequestOptions,
  nexthopDumpRequest,
} from './nexthop.js';
export {
  addRouteRequest,
  decodeRoute,
  deleteRouteRequest,
  type Route,
  type RouteDumpOptions,
  type RouteNexthop,
  type RouteRequestOptions,
  routeDumpRequest,
} from './route.js';
export { rtnetlinkNames } from './rtnetlinkNames.js';
export {
  addRuleRequest,
  decodeRule,
  deleteRuleRequest,
  type Rule,
  type RuleRequestOptions,
  ruleDumpRequest,
} from './rule.js';
