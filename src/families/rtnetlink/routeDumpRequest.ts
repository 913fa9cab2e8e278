// shim: removed at integration
export { type RouteDumpOptions, routeDumpRequest } from './route.js';
