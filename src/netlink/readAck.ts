// shim: removed at integration
export { type Ack, ackError, readAck } from './control.js';
