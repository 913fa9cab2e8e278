import { NLM_F_ACK, NLM_F_REQUEST } from '../../netlink/constants.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import {
  AF_UNSPEC,
  NFNL_SUBSYS_QUEUE,
  NFNL_SUBSYS_ULOG,
  NFQA_CFG_CMD,
  NFQA_CFG_FLAGS,
  NFQA_CFG_MASK,
  NFQA_CFG_PARAMS,
  NFQA_CFG_QUEUE_MAXLEN,
  NFQNL_MSG_CONFIG,
  NFULA_CFG_CMD,
  NFULA_CFG_FLAGS,
  NFULA_CFG_MODE,
  NFULA_CFG_NLBUFSIZ,
  NFULA_CFG_QTHRESH,
  NFULA_CFG_TIMEOUT,
  NFULNL_MSG_CONFIG,
} from './constants.js';
import { beginNfnlMessage, checkUint, nfnlMsgType } from './nfnetlink.js';

/** What one NFULNL_MSG_CONFIG message sets; every field but `group` is optional. */
export interface NflogConfig {
  /** The log group (`res_id`), 0..65535. Ignored by the kernel for PF_BIND/PF_UNBIND. */
  group: number;
  /** `nfgen_family`: the family that NFULNL_CFG_CMD_PF_BIND/UNBIND act on. Default AF_UNSPEC. */
  family?: number | undefined;
  /** NFULA_CFG_CMD: an NFULNL_CFG_CMD_* command, applied before the other settings. */
  command?: number | undefined;
  /** NFULA_CFG_MODE: NFULNL_COPY_NONE, _META or _PACKET. */
  copyMode?: number | undefined;
  /** Bytes of each packet to copy with NFULNL_COPY_PACKET; 0 means the kernel maximum. Default 0xffff. */
  copyRange?: number | undefined;
  /** NFULA_CFG_TIMEOUT: how long the kernel may hold a batch, in 1/100 s. */
  timeout?: number | undefined;
  /** NFULA_CFG_QTHRESH: how many packets the kernel batches into one datagram at most. */
  qthresh?: number | undefined;
  /** NFULA_CFG_NLBUFSIZ: the kernel's batch buffer size in bytes (its range: 4096..131072). */
  bufsize?: number | undefined;
  /** NFULA_CFG_FLAGS: NFULNL_CFG_F_SEQ | _SEQ_GLOBAL | _CONNTRACK (replaces the current flags). */
  flags?: number | undefined;
  /** nlmsg_seq. Default 0. */
  seq?: number | undefined;
  /** Ask for an acknowledgement (NLM_F_ACK). Default true: a config error is otherwise silent. */
  ack?: boolean | undefined;
}

/**
 * Appends one nfnetlink_log configuration request (NFULNL_MSG_CONFIG) to `w` and returns
 * `w`. The kernel applies the command first (BIND creates the instance), then the copy mode,
 * timeout, buffer size, queue threshold and flags, so one message can bind and configure a
 * group. Numbers go in network order where the kernel reads them with ntohl/ntohs.
 *
 * ```
 * NFULA_CFG_CMD      struct nfulnl_msg_config_cmd  { u8 command }
 * NFULA_CFG_MODE     struct nfulnl_msg_config_mode { be32 copy_range; u8 copy_mode; u8 pad }
 * NFULA_CFG_NLBUFSIZ be32   NFULA_CFG_TIMEOUT be32   NFULA_CFG_QTHRESH be32   NFULA_CFG_FLAGS be16
 * ```
 *
 * Throws a RangeError when a field does not fit its wire type. For bytes, call
 * `w.finish()`.
 *
 * @example
 * const w = new MessageWriter();
 * writeNflogConfig(w, { group: 0, family: AF_INET, command: NFULNL_CFG_CMD_PF_BIND, seq: 1 });
 * writeNflogConfig(w, { group: 7, command: NFULNL_CFG_CMD_BIND, seq: 2 });
 * writeNflogConfig(w, { group: 7, copyMode: NFULNL_COPY_PACKET, flags: NFULNL_CFG_F_SEQ, seq: 3 });
 * socket.send(w.finish());
 */
export function writeNflogConfig(w: MessageWriter, config: NflogConfig): MessageWriter {
  const flags = NLM_F_REQUEST | (config.ack === false ? 0 : NLM_F_ACK);
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_CONFIG),
    flags,
    config.family ?? AF_UNSPEC,
    checkUint('group', config.group, 16),
    config.seq ?? 0,
  );
  if (config.command !== undefined) {
    w.attrU8(NFULA_CFG_CMD, checkUint('command', config.command, 8));
  }
  if (config.copyMode !== undefined) {
    const mode = new Uint8Array(6);
    const view = new DataView(mode.buffer);
    view.setUint32(0, checkUint('copyRange', config.copyRange ?? 0xffff, 32), false);
    view.setUint8(4, checkUint('copyMode', config.copyMode, 8));
    w.attr(NFULA_CFG_MODE, mode);
  } else if (config.copyRange !== undefined) {
    throw new TypeError('copyRange needs copyMode: both travel in NFULA_CFG_MODE');
  }
  if (config.timeout !== undefined) {
    w.attrBe32(NFULA_CFG_TIMEOUT, checkUint('timeout', config.timeout, 32));
  }
  if (config.bufsize !== undefined) {
    w.attrBe32(NFULA_CFG_NLBUFSIZ, checkUint('bufsize', config.bufsize, 32));
  }
  if (config.qthresh !== undefined) {
    w.attrBe32(NFULA_CFG_QTHRESH, checkUint('qthresh', config.qthresh, 32));
  }
  if (config.flags !== undefined) {
    w.attrBe16(NFULA_CFG_FLAGS, checkUint('flags', config.flags, 16));
  }
  return w.end();
}

/** What one NFQNL_MSG_CONFIG message sets; every field but `queue` is optional. */
export interface NfqueueConfig {
  /** The queue number (`res_id`), 0..65535. */
  queue: number;
  /** NFQA_CFG_CMD: an NFQNL_CFG_CMD_* command, applied before the other settings. */
  command?: number | undefined;
  /**
   * The `pf` of the command: the family for NFQNL_CFG_CMD_PF_BIND / _PF_UNBIND, which
   * kernels since 3.8 accept and ignore. Default AF_UNSPEC.
   */
  pf?: number | undefined;
  /** NFQA_CFG_PARAMS: NFQNL_COPY_NONE, _META or _PACKET. */
  copyMode?: number | undefined;
  /** Bytes of each packet to copy with NFQNL_COPY_PACKET; 0 means the kernel maximum. Default 0xffff. */
  copyRange?: number | undefined;
  /** NFQA_CFG_QUEUE_MAXLEN: packets the kernel holds for this queue before dropping (or failing open). */
  maxLen?: number | undefined;
  /** NFQA_CFG_FLAGS: NFQA_CFG_F_FAIL_OPEN | _CONNTRACK | _GSO | _UID_GID | _SECCTX. */
  flags?: number | undefined;
  /** NFQA_CFG_MASK: which flags to change; default `flags` (set those, leave the rest). */
  mask?: number | undefined;
  /** `nfgen_family`. Default AF_UNSPEC. */
  family?: number | undefined;
  /** nlmsg_seq. Default 0. */
  seq?: number | undefined;
  /** Ask for an acknowledgement (NLM_F_ACK). Default true: a config error is otherwise silent. */
  ack?: boolean | undefined;
}

/**
 * Appends one nfnetlink_queue configuration request (NFQNL_MSG_CONFIG) to `w` and returns
 * `w`. The kernel applies the command first (BIND creates the queue), then the copy
 * parameters, the queue length and the flags, so one message can bind and configure a queue.
 *
 * ```
 * NFQA_CFG_CMD          struct nfqnl_msg_config_cmd    { u8 command; u8 pad; be16 pf }
 * NFQA_CFG_PARAMS       struct nfqnl_msg_config_params { be32 copy_range; u8 copy_mode } (packed)
 * NFQA_CFG_QUEUE_MAXLEN be32    NFQA_CFG_MASK be32    NFQA_CFG_FLAGS be32
 * ```
 *
 * The kernel refuses NFQA_CFG_FLAGS without NFQA_CFG_MASK, so a mask is always sent with
 * flags. Throws a RangeError when a field does not fit its wire type, a TypeError for a
 * mask without flags or a copy range without a mode. For bytes, call `w.finish()`.
 *
 * @example
 * const w = new MessageWriter();
 * writeNfqueueConfig(w, { queue: 3, command: NFQNL_CFG_CMD_BIND, seq: 1 });
 * writeNfqueueConfig(w, { queue: 3, copyMode: NFQNL_COPY_PACKET, flags: NFQA_CFG_F_FAIL_OPEN, seq: 2 });
 * socket.send(w.finish());
 */
export function writeNfqueueConfig(w: MessageWriter, config: NfqueueConfig): MessageWriter {
  const flags = NLM_F_REQUEST | (config.ack === false ? 0 : NLM_F_ACK);
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_CONFIG),
    flags,
    config.family ?? AF_UNSPEC,
    checkUint('queue', config.queue, 16),
    config.seq ?? 0,
  );
  if (config.command !== undefined) {
    const cmd = new Uint8Array(4);
    const view = new DataView(cmd.buffer);
    view.setUint8(0, checkUint('command', config.command, 8));
    view.setUint16(2, checkUint('pf', config.pf ?? AF_UNSPEC, 16), false);
    w.attr(NFQA_CFG_CMD, cmd);
  } else if (config.pf !== undefined) {
    throw new TypeError('pf needs command: both travel in NFQA_CFG_CMD');
  }
  if (config.copyMode !== undefined) {
    const params = new Uint8Array(5);
    const view = new DataView(params.buffer);
    view.setUint32(0, checkUint('copyRange', config.copyRange ?? 0xffff, 32), false);
    view.setUint8(4, checkUint('copyMode', config.copyMode, 8));
    w.attr(NFQA_CFG_PARAMS, params);
  } else if (config.copyRange !== undefined) {
    throw new TypeError('copyRange needs copyMode: both travel in NFQA_CFG_PARAMS');
  }
  if (config.maxLen !== undefined) {
    w.attrBe32(NFQA_CFG_QUEUE_MAXLEN, checkUint('maxLen', config.maxLen, 32));
  }
  if (config.flags !== undefined) {
    const value = checkUint('flags', config.flags, 32);
    w.attrBe32(NFQA_CFG_MASK, checkUint('mask', config.mask ?? value, 32));
    w.attrBe32(NFQA_CFG_FLAGS, value);
  } else if (config.mask !== undefined) {
    throw new TypeError('mask needs flags: the kernel ignores NFQA_CFG_MASK alone');
  }
  return w.end();
}
