// rtnetlink sources: dumps of links, addresses, routes and neighbours, a monitor of their
// changes, requests acknowledged by the kernel, and the resync of a monitor after overruns.
// Internal helpers (option checks, the shared dump and request shapes, the interface-name
// cache) are not re-exported.
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
export { addAddress, addRoute, deleteAddress, deleteRoute } from './requests.js';
export {
  type ResyncOnOverrunOptions,
  type RtnetlinkResync,
  resyncOnOverrun,
} from './resyncOnOverrun.js';
