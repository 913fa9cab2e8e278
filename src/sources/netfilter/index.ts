// The netfilter sources: NFLOG and NFQUEUE pipelines, conntrack dumps and events.

export { type AppliedVerdict, applyVerdicts } from './applyVerdicts.js';
export { type ConntrackDumpOptions, conntrackDump } from './conntrackDump.js';
export { type ConntrackEventsOptions, conntrackEvents } from './conntrackEvents.js';
export { type NflogOptions, NflogStats, nflog, nflogBatches } from './nflog.js';
export { NflogBatch } from './nflogBatch.js';
export { type NfqueueOptions, NfqueueStats, nfqueue } from './nfqueue.js';
export { QueuedPacket } from './QueuedPacket.js';
export type { Verdict } from './verdicts.js';
