// nlring/testing: the simulated kernel and helpers to script it.
export { type BuildAckOptions, buildAck } from './buildAck.js';
export { type BuildDoneOptions, buildDone } from './buildDone.js';
export {
  type AttributeValue,
  type BuildMessageOptions,
  buildMessage,
  type MessageAttribute,
} from './buildMessage.js';
export {
  type ConntrackMessageOptions,
  writeConntrack,
  writeConntrackAttributes,
  writeNflogPacket,
  writeNfqueuePacket,
} from './netfilter.js';
export { type ConfigLog, KernelQueue, type VerdictLog } from './nfqueueKernel.js';
export { packDatagram } from './packDatagram.js';
export { type Multicaster, Replier, type ReplyAckOptions } from './Replier.js';
export type { Reservation } from './Reservation.js';
export {
  type AddressSpec,
  buildAddressMessage,
  buildLinkMessage,
  buildNeighbourMessage,
  buildRouteMessage,
  type LinkSpec,
  type NeighbourSpec,
  type RouteSpec,
  RTNETLINK_KERNEL_RX,
  type RtnetlinkKernel,
  type RtnetlinkMessageOptions,
  type RtnetlinkModel,
  rtnetlinkKernel,
  rtnetlinkWorld,
  type SeenRequest,
} from './rtnetlinkKernel.js';
export {
  type DeliverOptions,
  type DeliveryPath,
  type DeliveryPolicy,
  type DeliveryResult,
  type SentDatagram,
  SimSocket,
  type SimSocketHooks,
  type SimSocketOptions,
} from './SimSocket.js';
export {
  type RequestHandler,
  type SimOpenOptions,
  SimulatedKernel,
  type SimulatedKernelOptions,
} from './SimulatedKernel.js';
export { type ScriptStep, scriptDeliveries } from './scriptDeliveries.js';
