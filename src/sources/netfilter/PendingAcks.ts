import { controlState, routeMessage } from '../../netlink/control.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';

/**
 * The configuration requests of one netfilter source that still wait for their
 * acknowledgement (NLM_F_ACK), by `nlmsg_seq`, each with a label naming what it asked for
 * (`NFQNL_CFG_CMD_BIND queue 3`), so a refusal says which setting the kernel refused.
 *
 * Internal to the netfilter sources: requests are numbered from 1 (verdicts go out with
 * seq 0, so their errors never match a configuration request).
 *
 * @example
 * const acks = new PendingAcks();
 * writeNfqueueConfig(w, { queue: 3, command: NFQNL_CFG_CMD_BIND, seq: acks.add('bind queue 3') });
 * // for every NLMSG_ERROR: if (acks.settle(message) && acks.done) ready();
 */
export class PendingAcks {
  private readonly labels = new Map<number, string>();
  private nextSeq = 1;

  /** Registers the next request; returns the `nlmsg_seq` to give it. */
  add(label: string): number {
    const seq = this.nextSeq++;
    this.labels.set(seq, label);
    return seq;
  }

  /** Whether every registered request was acknowledged. */
  get done(): boolean {
    return this.labels.size === 0;
  }

  /** Whether `seq` is a request still waiting for its acknowledgement. */
  waits(seq: number): boolean {
    return this.labels.has(seq);
  }

  /**
   * Settles the request an NLMSG_ERROR answers. Returns false when the message answers
   * none of ours; true for an acknowledgement (errno 0); throws a NetlinkError (op
   * `request`, the errno, the seq, the kernel's extended ack, and the label as `detail`)
   * for a refusal.
   */
  settle(message: NetlinkMessage): boolean {
    const label = this.labels.get(message.seq);
    if (label === undefined) return false;
    this.labels.delete(message.seq);
    // The one control-message router: an ACK returns, a refusal throws a NetlinkError with
    // the errno, the seq, the whole extended ack and what was asked (the label).
    routeMessage(
      controlState({ seq: message.seq, op: 'request', request: label }),
      message.view,
      message.offset,
    );
    return true;
  }
}
