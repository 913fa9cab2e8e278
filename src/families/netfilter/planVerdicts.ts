// shim: removed at integration
export { planVerdictSlots as planVerdicts } from './verdict.js';
