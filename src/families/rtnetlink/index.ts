// The rtnetlink family (NETLINK_ROUTE: links, addresses, routes, neighbours): the uapi
// constants, request builders, decoders whose output follows `ip -j`, and the monitor
// classifier. Plain functions over bytes; no rxjs. Internal helpers (argument checks,
// message writers shared by the add/delete builders) are not re-exported.
export * from './addAddressRequest.js';
export * from './addRouteRequest.js';
export * from './addressDumpRequest.js';
export type { AddressRequestOptions } from './addressMessage.js';
export * from './classifyRtnetlink.js';
// Configuring the host: link, neighbour, rule and nexthop requests, rule/nexthop decoders.
export * from './configureConstants.js';
export * from './constants.js';
export * from './decodeAddress.js';
export * from './decodeLink.js';
export * from './decodeNeighbour.js';
export * from './decodeRoute.js';
export * from './deleteAddressRequest.js';
export * from './deleteRouteRequest.js';
export * from './formatIPv4.js';
export * from './formatIPv6.js';
export * from './formatLinkAddress.js';
export * from './InterfaceAddress.js';
export * from './Link.js';
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
export * from './linkDumpRequest.js';
export * from './Neighbour.js';
export {
  addNeighbourRequest,
  deleteNeighbourRequest,
  type NeighbourRequestOptions,
  type NeighbourStateName,
} from './neighbourChange.js';
export * from './neighbourDumpRequest.js';
export {
  addNexthopRequest,
  decodeNexthop,
  deleteNexthopRequest,
  type Nexthop,
  type NexthopRequestOptions,
  nexthopDumpRequest,
} from './nexthop.js';
export * from './parsePrefix.js';
export * from './RawAttribute.js';
export * from './RawAttributes.js';
export * from './Route.js';
export * from './RouteNexthop.js';
export * from './RtnetlinkDecodeOptions.js';
export * from './RtnetlinkEvent.js';
export * from './routeDumpRequest.js';
export type { RouteRequestOptions } from './routeMessage.js';
export * from './rtnetlinkGroups.js';
export * from './rtnetlinkNames.js';
export {
  addRuleRequest,
  decodeRule,
  deleteRuleRequest,
  type Rule,
  type RuleRequestOptions,
  ruleDumpRequest,
} from './rule.js';
