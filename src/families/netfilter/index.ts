// The netfilter netlink families (nfnetlink_log, nfnetlink_queue, ctnetlink): request
// builders, decoders, kernel-side encoders (for tests and replays) and the kernel's
// constants. Plain functions over bytes; no rxjs.
export * from './beginNfnlMessage.js';
export * from './checkVerdict.js';
export * from './conntrackStatusNames.js';
export * from './constants.js';
export * from './DecodeOptions.js';
export * from './decodeConntrack.js';
export * from './decodeNflogPacket.js';
export * from './decodeNfqueuePacket.js';
export * from './detachPacket.js';
export * from './formatAddress.js';
export * from './ipProtocolName.js';
export * from './nfnlMsgType.js';
export * from './nfnlSubsysId.js';
export * from './nfQueueNr.js';
export * from './parseAddress.js';
export * from './parseHwaddr.js';
export * from './readConntrackAttributes.js';
export * from './readNfgenmsg.js';
export type { PacketTimestamp } from './readPacketTimestamp.js';
export type { PacketVlan } from './readPacketVlan.js';
export * from './sctpStateName.js';
export * from './tcpStateName.js';
export * from './verdictPlan.js';
export * from './writeConntrack.js';
export * from './writeConntrackAttributes.js';
export * from './writeConntrackDump.js';
export * from './writeNflogConfig.js';
export * from './writeNflogPacket.js';
export * from './writeNfqueueBatchVerdict.js';
export * from './writeNfqueueConfig.js';
export * from './writeNfqueuePacket.js';
export * from './writeNfqueueVerdict.js';
export * from './writeVerdictSteps.js';
