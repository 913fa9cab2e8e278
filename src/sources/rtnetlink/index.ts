// rtnetlink sources: dumps of links, addresses, routes and neighbours, a monitor of their
// changes, requests acknowledged by the kernel, and the resync of a monitor after overruns.
// Internal helpers (option checks, the shared dump and request shapes, the interface-name
// cache) are not re-exported.

// Configuring the host: links, neighbours, rules, nexthops, and waiting for a link.
export { type AddNeighbourOptions, addNeighbour } from './addNeighbour.js';
export { type AddNexthopOptions, addNexthop } from './addNexthop.js';
export { addRule, type RuleOptions } from './addRule.js';
export {
  type ApplyChangesOptions,
  applyChanges,
  type Change,
  type ChangeResult,
} from './applyChanges.js';
export type { InterfaceRef, NetnsRef } from './configureRequest.js';
export { type CreateLinkOptions, createLink } from './createLink.js';
export { deleteLink } from './deleteLink.js';
export { deleteNeighbour } from './deleteNeighbour.js';
export { deleteNexthop } from './deleteNexthop.js';
export { deleteRule } from './deleteRule.js';
export { dumpNexthops } from './dumpNexthops.js';
export { dumpRules } from './dumpRules.js';
export {
  type DumpRoutesOptions,
  dumpAddresses,
  dumpLinks,
  dumpNeighbours,
  dumpRoutes,
} from './dumps.js';
export type { InterfaceNameLookup } from './interfaceNames.js';
export { type MonitorOptions, monitor, type RtnetlinkChange } from './monitor.js';
export type { RtnetlinkFamily, RtnetlinkOptions, RtnetlinkRequestOptions } from './options.js';
export {
  type DesiredRoute,
  type ReconcileRoutesOptions,
  reconcileRoutes,
} from './reconcileRoutes.js';
export { addAddress, addRoute, deleteAddress, deleteRoute } from './requests.js';
export {
  type ResyncOnOverrunOptions,
  type RtnetlinkResync,
  resyncOnOverrun,
} from './resyncOnOverrun.js';
export { type SetLinkOptions, setLink } from './setLink.js';
export { type WaitForLinkOptions, waitForLink } from './waitForLink.js';
