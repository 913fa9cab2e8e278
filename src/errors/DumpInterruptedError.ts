// shim: removed at integration
export { DumpInterruptedError } from './NetlinkError.js';
