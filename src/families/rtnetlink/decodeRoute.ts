// shim: removed at integration
export { decodeRoute } from './route.js';
