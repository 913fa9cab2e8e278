// The netfilter netlink families (nfnetlink_log, nfnetlink_queue, ctnetlink): request
// builders, decoders and the kernel's constants. Plain functions over bytes; no rxjs. The
// kernel-side encoders (packets and conntrack entries as the kernel writes them) live in
// `nlring/testing`.
export { formatAddress, parseAddress, parseHwaddr } from './address.js';
export {
  type NflogConfig,
  type NfqueueConfig,
  writeNflogConfig,
  writeNfqueueConfig,
} from './config.js';
export * from './conntrack.js';
export * from './constants.js';
export {
  conntrackStatusNames,
  ipProtocolName,
  nfFamilyName,
  nfHookName,
  sctpStateName,
  tcpStateName,
} from './names.js';
export { decodeNflogPacket, type NflogPacket } from './nflogPacket.js';
export {
  beginNfnlMessage,
  type Nfgenmsg,
  nfnlMsgType,
  nfnlSubsysId,
  nfQueueNr,
  readNfgenmsg,
} from './nfnetlink.js';
export { decodeNfqueuePacket, detachPacket, type NfqueuePacket } from './nfqueuePacket.js';
export type { DecodeOptions, PacketTimestamp, PacketVlan } from './packet.js';
export {
  checkVerdict,
  type NfqueueBatchVerdict,
  type NfqueueDecision,
  type NfqueueVerdict,
  planVerdictMessages,
  type VerdictPlan,
  type VerdictStep,
  type VerdictStepsOptions,
  verdictPlan,
  writeNfqueueBatchVerdict,
  writeNfqueueVerdict,
  writeVerdictSteps,
} from './verdict.js';
