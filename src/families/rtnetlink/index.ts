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
export {
  type CreateLinkRequestOptions,
  createLinkRequest,
  type DeleteLinkRequestOptions,
  decodeLink,
  deleteLinkRequest,
  getLinkRequest,
  type Link,
  type LinkDumpOptions,
  type LinkFields,
  type LinkKindOptions,
  linkDumpRequest,
  type MacvlanMode,
  type NetnsTarget,
  type SetLinkRequestOptions,
  setLinkRequest,
} from './link.js';
export type { LinkInfoData, LinkInfoValue, LinkStats64 } from './linkinfo.js';
export {
  addNeighbourRequest,
  decodeNeighbour,
  deleteNeighbourRequest,
  type Neighbour,
  type NeighbourDumpOptions,
  type NeighbourRequestOptions,
  type NeighbourStateName,
  neighbourDumpRequest,
} from './neighbour.js';
export { decodeNetconf, type Netconf } from './netconf.js';
export {
  addNexthopRequest,
  decodeNexthop,
  deleteNexthopRequest,
  type Nexthop,
  type NexthopRequestOptions,
  nexthopDumpRequest,
} from './nexthop.js';
export { decodeNsid, type Nsid } from './nsid.js';
export {
  addRouteRequest,
  decodeRoute,
  decodeRouteAt,
  deleteRouteRequest,
  type Route,
  type RouteDumpOptions,
  type RouteMetricsOptions,
  type RouteNexthop,
  type RouteNexthopOptions,
  type RouteRequestOptions,
  routeDumpRequest,
} from './route.js';
export type { Seg6Encap } from './routeEncap.js';
export { rtnetlinkNames } from './rtnetlinkNames.js';
export {
  addRuleRequest,
  decodeRule,
  deleteRuleRequest,
  type Rule,
  type RuleRequestOptions,
  ruleDumpRequest,
} from './rule.js';
