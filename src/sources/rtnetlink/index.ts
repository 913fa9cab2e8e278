// rtnetlink sources: dumps of links, addresses, routes and neighbours, a monitor of their
// changes, requests acknowledged by the kernel, and the resync of a monitor after overruns.
// Internal helpers (option checks, the shared dump and request shapes, the interface-name
// cache) are not re-exported.
export * from './addAddress.js';
export * from './addRoute.js';
export * from './deleteAddress.js';
export * from './deleteRoute.js';
export * from './dumpAddresses.js';
export * from './dumpLinks.js';
export * from './dumpNeighbours.js';
export * from './dumpRoutes.js';
export * from './InterfaceNameLookup.js';
export * from './monitor.js';
export * from './RtnetlinkChange.js';
export * from './RtnetlinkFamily.js';
export * from './RtnetlinkOptions.js';
export * from './RtnetlinkRequestOptions.js';
export * from './RtnetlinkResync.js';
export * from './resyncOnOverrun.js';
