// nlring/netlink: the wire codec, for code that speaks a family nlring has no sources for:
// nlmsghdr walking, attributes, the message writer, the one control-message router (ACK,
// ERROR with extended ack, DONE, sequence and port checks) and the generic netlink
// controller's messages. Use them with the generic sources of `nlring` (`request`,
// `dumpMessages`, `fromRing`) and the constants of `nlring/constants`.

export {
  decodeFamily,
  GENL_ID_CTRL,
  type GenlFamilyInfo,
  type GenlMulticastGroup,
  type GenlOperation,
  getFamilyRequest,
} from './families/genl/controller.js';
export { Attributes, nlaAlign } from './netlink/Attributes.js';
export {
  type Ack,
  ackError,
  type ControlCounters,
  type ControlState,
  controlCounters,
  controlState,
  MESSAGE_ACK,
  MESSAGE_DATA,
  MESSAGE_DONE,
  MESSAGE_DROPPED,
  type Routed,
  readAck,
  routeMessage,
} from './netlink/control.js';
export { MessageWriter } from './netlink/MessageWriter.js';
export {
  type MessageContext,
  type MessageOwner,
  NetlinkMessage,
  nlmsgAlign,
  walkMessages,
} from './netlink/NetlinkMessage.js';
