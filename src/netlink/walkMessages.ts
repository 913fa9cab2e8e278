// shim: removed at integration
export { walkMessages } from './NetlinkMessage.js';
