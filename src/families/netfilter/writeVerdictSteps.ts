import type { MessageWriter } from '../../netlink/MessageWriter.js';
import type { VerdictStep } from './verdictPlan.js';
import { writeNfqueueBatchVerdict } from './writeNfqueueBatchVerdict.js';
import { writeNfqueueVerdict } from './writeNfqueueVerdict.js';

/** How {@link writeVerdictSteps} frames the messages. */
export interface VerdictStepsOptions {
  /** nlmsg_seq of the first message; the next ones count up from it. Default 0 for all. */
  seq?: number;
  /** Ask for an acknowledgement of each message (NLM_F_ACK). Default false. */
  ack?: boolean;
}

/**
 * Appends the messages of a {@link verdictPlan} for queue `queue` to `w`, in order — one
 * writeNfqueueVerdict per `single` step, one writeNfqueueBatchVerdict per `batch` step —
 * and returns `w`, ready to go out in one datagram (the kernel handles them in order).
 * With `seq`, message i gets `seq + i`, so acknowledgements can be matched to steps.
 * Throws a RangeError for a step the verdict builders refuse; nothing of that step is written.
 *
 * @example
 * const plan = verdictPlan(outstanding, decisions);
 * socket.send(writeVerdictSteps(new MessageWriter(), 0, plan.steps).finish());
 * outstanding = plan.outstanding;
 */
export function writeVerdictSteps(
  w: MessageWriter,
  queue: number,
  steps: readonly VerdictStep[],
  options: VerdictStepsOptions = {},
): MessageWriter {
  const ack = options.ack === true;
  for (const [i, step] of steps.entries()) {
    const seq = options.seq === undefined ? 0 : (options.seq + i) >>> 0;
    if (step.kind === 'single') {
      writeNfqueueVerdict(w, {
        queue,
        id: step.id,
        verdict: step.verdict,
        mark: step.mark,
        payload: step.payload,
        seq,
        ack,
      });
    } else {
      writeNfqueueBatchVerdict(w, { queue, id: step.id, verdict: step.verdict, seq, ack });
    }
  }
  return w;
}
