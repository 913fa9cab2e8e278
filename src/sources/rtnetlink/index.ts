// rtnetlink sources: dumps of links, addresses, routes and neighbours, a monitor of their
// changes, requests acknowledged by the kernel, and the resync of a monitor after overruns.
// Internal helpers (option checks, the shared dump and request shapes, the interface-name
// cache) are not re-exported.

export {
  type ApplyChangesOptions,
  applyChanges,
  type Change,
  type ChangeResult,
  type DesiredRoute,
  type ReconcileRoutesOptions,
  reconcileRoutes,
} from './bulk.js';
export type { InterfaceRef, NetnsRef } from './configureRequest.js';
export {
  type DumpRoutesOptions,
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
  dumpRoutesWith,
  type RouteDecoderAt,
} from './dumps.js';
export type { InterfaceNameLookup } from './interfaceNames.js';
export {
  type CreateLinkOptions,
  createLink,
  deleteLink,
  type SetLinkOptions,
  setLink,
  type WaitForLinkOptions,
  waitForLink,
} from './links.js';
export { type MonitorOptions, monitor, type RtnetlinkChange } from './monitor.js';
export { createNetns, deleteNetns } from './namespaces.js';
// Configuring the host: links, neighbours, rules, nexthops, and waiting for a link.
export { type AddNeighbourOptions, addNeighbour, deleteNeighbour } from './neighbours.js';
export { type AddNexthopOptions, addNexthop, deleteNexthop, dumpNexthops } from './nexthops.js';
export type { RtnetlinkFamily, RtnetlinkOptions, RtnetlinkRequestOptions } from './options.js';
export {
  type AddAddressOptions,
  type AddRouteNexthop,
  type AddRouteOptions,
  addAddress,
  addRoute,
  type DeleteAddressOptions,
  deleteAddress,
  deleteRoute,
  replaceRoute,
} from './requests.js';
export {
  type ResyncOnOverrunOptions,
  type RtnetlinkResync,
  resyncOnOverrun,
} from './resyncOnOverrun.js';
export { addRule, deleteRule, dumpRules, type RuleOptions } from './rules.js';
