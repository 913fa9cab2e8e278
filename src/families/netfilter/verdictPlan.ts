// shim: removed at integration
export type { NfqueueDecision, VerdictStep } from './verdict.js';
