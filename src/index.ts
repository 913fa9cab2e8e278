// nlring: Linux netlink sockets as RxJS streams, over the memory-mapped netlink ring protocol.
// The public entry: what an application uses (sources, operators, sinks, errors, the family
// namespaces). The rest is in subpaths: `nlring/testing` (the simulated kernel),
// `nlring/ring` (ring internals), `nlring/netlink` (the wire codec), `nlring/constants`.

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
export { RingGeometryError } from './errors/RingGeometryError.js';
// Generic netlink
export type {
  GenlFamilyInfo,
  GenlMulticastGroup,
  GenlOperation,
} from './families/genl/controller.js';
// Families: constants, request builders and decoders, as namespaces (their AF_* overlap).
export * as netfilter from './families/netfilter/index.js';
export * as rtnetlink from './families/rtnetlink/index.js';
// The library's route decoder in place (also `rtnetlink.decodeRouteAt`), beside
// dumpRoutesWith, whose decoders hand it the routes they leave to the library: a name of its
// own so that a program bundling only these two does not take in the whole namespace.
export { decodeRouteAt } from './families/rtnetlink/route.js';
export { catalog as ynlCatalog } from './families/ynl/catalog.js';
export { YnlCodec, type YnlValue, ynlCodec } from './families/ynl/codec.js';
export { normalizeSpec, type YnlFamily } from './families/ynl/spec.js';
// Sockets
export { NetlinkSocket } from './io/NetlinkSocket.js';
export {
  type NetlinkProtocol,
  type OpenEndpoint,
  type OpenNetlinkSocketOptions,
  type OpenRequest,
  openNetlinkSocket,
} from './io/openNetlinkSocket.js';
// Messages, as parseMessages emits them (the codec is nlring/netlink)
export { NetlinkMessage } from './netlink/NetlinkMessage.js';
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
// What sources emit and take of the ring (the ring itself is nlring/ring)
export { Frame } from './ring/Frame.js';
export type { RingGeometry } from './ring/geometry.js';
export { Overrun, type OverrunUnit } from './ring/Overrun.js';
export type { RingEndpoint, RingMode } from './ring/RingEndpoint.js';
export { RingStats } from './ring/RingStats.js';
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
