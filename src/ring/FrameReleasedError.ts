// shim: removed at integration
export { FrameReleasedError } from '../errors/NetlinkError.js';
