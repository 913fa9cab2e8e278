// shim: removed at integration
export { writeVerdictSteps } from './verdict.js';
