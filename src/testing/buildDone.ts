import { NLM_F_MULTI, NLMSG_DONE } from '../netlink/constants.js';
import { MessageWriter } from '../netlink/MessageWriter.js';

/** Options of {@link buildDone}. */
export interface BuildDoneOptions {
  /** Positive errno the dump ended with (the DONE payload carries it negated); default 0. */
  errno?: number | undefined;
  /** `nlmsg_pid`: the requester's port id; default 0. */
  pid?: number | undefined;
}

/**
 * The `NLMSG_DONE` that ends a dump of request `seq`: flags `NLM_F_MULTI` and a 4-byte
 * payload holding the dump's return value, 0 or a negative errno (RING-SPEC §4.4).
 *
 * @example
 * buildDone(7);                                   // a dump that ended normally
 * buildDone(7, { errno: errnos.EINTR, pid: 4242 }); // one that failed
 */
export function buildDone(seq: number, options: BuildDoneOptions = {}): Uint8Array {
  return new MessageWriter(20)
    .begin(NLMSG_DONE, NLM_F_MULTI, seq, options.pid ?? 0)
    .s32(-Math.abs(options.errno ?? 0))
    .end()
    .finish();
}
