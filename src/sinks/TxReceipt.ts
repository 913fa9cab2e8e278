/**
 * What the TX ring sink emits for each message, once the producer consumed its frame (the
 * kernel's TX walk, the ring engine's `sendmmsg`, or the simulated kernel released it).
 */
export interface TxReceipt {
  /** Position of the message in the sink's input, from 0. */
  readonly index: number;
  /** The TX frame it was written to. */
  readonly frame: number;
  /** Bytes written (`nm_len`). */
  readonly length: number;
  /** `nlmsg_seq` of the first message in it, for matching acknowledgements. */
  readonly seq: number;
}
