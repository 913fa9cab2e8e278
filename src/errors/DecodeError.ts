// shim: removed at integration
export { DecodeError } from './NetlinkError.js';
