// shim: removed at integration
export { nlaAlign } from './Attributes.js';
export { nlmsgAlign } from './NetlinkMessage.js';
