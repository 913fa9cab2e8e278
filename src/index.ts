// nlring: Linux netlink sockets as RxJS streams, over the memory-mapped netlink ring protocol.
// The public entry. Test helpers (the simulated kernel) are in `nlring/testing`.

// Errors
export { type ErrnoName, errnoDescription, errnoName, errnos } from './errors/errno.js';
export {
  DecodeError,
  DumpInterruptedError,
  FrameReleasedError,
  NetlinkError,
  type NetlinkErrorInit,
  type NetlinkOp,
} from './errors/NetlinkError.js';
export { RING_RULES, RingGeometryError, type RingRule } from './errors/RingGeometryError.js';
// Generic netlink
export {
  decodeFamily,
  GENL_ID_CTRL,
  type GenlFamilyInfo,
  type GenlMulticastGroup,
  type GenlOperation,
  getFamilyRequest,
} from './families/genl/controller.js';
// Families: constants, request builders and decoders, as namespaces (their AF_* overlap).
export * as netfilter from './families/netfilter/index.js';
export * as rtnetlink from './families/rtnetlink/index.js';
export { catalog as ynlCatalog } from './families/ynl/catalog.js';
export { YnlCodec, type YnlValue, ynlCodec } from './families/ynl/codec.js';
export { normalizeSpec, type YnlFamily } from './families/ynl/spec.js';
// Sockets
export type { Libc, PollWatcher } from './io/libc.js';
export { NetlinkSocket } from './io/NetlinkSocket.js';
export {
  type NetlinkProtocol,
  type OpenNetlinkSocketOptions,
  openNetlinkSocket,
} from './io/openNetlinkSocket.js';
// Netlink codec
export { Attributes, nlaAlign } from './netlink/Attributes.js';
export * from './netlink/constants.js';
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
// Operators
export { copyFrames } from './operators/copyFrames.js';
export { copyMessages } from './operators/copyMessages.js';
export { type DeferFramesOptions, deferFrames } from './operators/deferFrames.js';
export { filterMessages } from './operators/filterMessages.js';
export { ofGroup } from './operators/ofGroup.js';
export { type KindOf, type OfKind, ofKind } from './operators/ofKind.js';
export { ofType } from './operators/ofType.js';
export { parseMessages } from './operators/parseMessages.js';
export { type RaiseErrorsOptions, raiseErrors } from './operators/raiseErrors.js';
export { type TakeDumpOptions, takeDump } from './operators/takeDump.js';
// Ring
export { chooseGeometry } from './ring/chooseGeometry.js';
export * from './ring/constants.js';
export { Frame } from './ring/Frame.js';
export type { RingGeometry } from './ring/geometry.js';
export { frameOffset, ringSize } from './ring/geometry.js';
export { Overrun, type OverrunUnit } from './ring/Overrun.js';
export { Ring, type RingOptions } from './ring/Ring.js';
export {
  POLLERR,
  POLLHUP,
  POLLIN,
  POLLOUT,
  type RingEndpoint,
  type RingMode,
} from './ring/RingEndpoint.js';
export { RingReader } from './ring/RingReader.js';
export { RingStats } from './ring/RingStats.js';
export { RingWriter } from './ring/RingWriter.js';
export {
  type RingRequestContext,
  type RingRequestKind,
  validateRingRequest,
} from './ring/validateRingRequest.js';
export type { TxReceipt } from './sinks/toTxRing.js';
// Sinks
export {
  type ToTxRingOptions,
  type TxInput,
  type TxRingSink,
  toTxRing,
} from './sinks/toTxRing.js';
// Sources
export { type DumpMessagesOptions, dumpMessages } from './sources/dumpMessages.js';
export { type FromRingOptions, fromRing } from './sources/fromRing.js';
export {
  dumpGenlFamilies,
  type GenlMonitorOptions,
  type GenlOptions,
  type GenlRequestOptions,
  genlDump,
  genlMonitor,
  genlRequest,
  resolveGenlFamily,
} from './sources/genl.js';
export * from './sources/netfilter/index.js';
export { type RequestOptions, request } from './sources/request.js';
export * from './sources/rtnetlink/index.js';
export { type YnlFamilySources, ynl } from './sources/ynl.js';
export { type YnlCommandOutput, ynlCommand } from './sources/ynlCommand.js';
