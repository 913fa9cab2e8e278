// shim: removed at integration
export { RING_RULES, RingGeometryError, type RingRule } from '../errors/RingGeometryError.js';
