// rtnetlink sources: dumps of links, addresses, routes and neighbours, a monitor of their
// changes, requests acknowledged by the kernel, and the resync of a monitor after overruns.
// Internal helpers (option checks, the shared dump and request shapes, the interface-name
// cache) are not re-exported.
export * from './addAddress.js';
// Configuring the host: links, neighbours, rules, nexthops, and waiting for a link.
export { type AddNeighbourOptions, addNeighbour } from './addNeighbour.js';
export { type AddNexthopOptions, addNexthop } from './addNexthop.js';
export * from './addRoute.js';
export { addRule, type RuleOptions } from './addRule.js';
export {
  type ApplyChangesOptions,
  applyChanges,
  type Change,
  type ChangeResult,
} from './applyChanges.js';
export type { InterfaceRef, NetnsRef } from './configureRequest.js';
export { type CreateLinkOptions, createLink } from './createLink.js';
export * from './deleteAddress.js';
export { deleteLink } from './deleteLink.js';
export { deleteNeighbour } from './deleteNeighbour.js';
export { deleteNexthop } from './deleteNexthop.js';
export * from './deleteRoute.js';
export { deleteRule } from './deleteRule.js';
export * from './dumpAddresses.js';
export * from './dumpLinks.js';
export * from './dumpNeighbours.js';
export { dumpNexthops } from './dumpNexthops.js';
export * from './dumpRoutes.js';
export { dumpRules } from './dumpRules.js';
export * from './InterfaceNameLookup.js';
export * from './monitor.js';
export * from './RtnetlinkChange.js';
export * from './RtnetlinkFamily.js';
export * from './RtnetlinkOptions.js';
export * from './RtnetlinkRequestOptions.js';
export * from './RtnetlinkResync.js';
export {
  type DesiredRoute,
  type ReconcileRoutesOptions,
  reconcileRoutes,
} from './reconcileRoutes.js';
export * from './resyncOnOverrun.js';
export { type SetLinkOptions, setLink } from './setLink.js';
export { type WaitForLinkOptions, waitForLink } from './waitForLink.js';
