// nlring/ring: the memory-mapped ring itself, for code that builds or inspects endpoints
// (RING-SPEC): frame layout and status constants, geometry (choose, validate, offsets), the
// ring view and its process side (reader, writer), the endpoint contract, the geometry rules,
// and the typed libc seam. An application needs none of it: `nlring` has the sources.

export { RING_RULES, RingGeometryError, type RingRule } from './errors/RingGeometryError.js';
export type { Libc, PollWatcher } from './io/libc.js';
export { chooseGeometry } from './ring/chooseGeometry.js';
export * from './ring/constants.js';
export { Frame } from './ring/Frame.js';
export { frameOffset, type RingGeometry, ringSize } from './ring/geometry.js';
export { Ring, type RingOptions } from './ring/Ring.js';
export {
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  type RingEndpoint,
  type RingMode,
} from './ring/RingEndpoint.js';
export { RingReader } from './ring/RingReader.js';
export { RingStats } from './ring/RingStats.js';
export { RingWriter } from './ring/RingWriter.js';
export {
  type RingRequestContext,
  type RingRequestKind,
  validateRingRequest,
} from './ring/validateRingRequest.js';
