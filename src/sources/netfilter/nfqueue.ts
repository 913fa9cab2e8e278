// NFQUEUE: the nfqueue() source with verdicts through the socket's own TX ring, and its counters (NfqueueStats).

import { asapScheduler, Observable, type SchedulerLike, type Subscription } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { NetlinkError } from '../../errors/NetlinkError.js';
import { writeNfqueueConfig } from '../../families/netfilter/config.js';
import {
  NF_ACCEPT,
  NF_DROP,
  NFNL_SUBSYS_QUEUE,
  NFQA_CFG_F_CONNTRACK,
  NFQA_CFG_F_FAIL_OPEN,
  NFQA_CFG_F_GSO,
  NFQA_CFG_F_UID_GID,
  NFQNL_CFG_CMD_BIND,
  NFQNL_CFG_CMD_UNBIND,
  NFQNL_COPY_PACKET,
  NFQNL_MSG_PACKET,
} from '../../families/netfilter/constants.js';
import { nfnlMsgType } from '../../families/netfilter/nfnetlink.js';
import type { NetnsRef } from '../../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import { NLMSG_ERROR } from '../../netlink/constants.js';
import { readAck } from '../../netlink/control.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { NetlinkMessage, walkMessages } from '../../netlink/NetlinkMessage.js';
import { chooseGeometry } from '../../ring/chooseGeometry.js';
import type { Frame } from '../../ring/Frame.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { RingReader } from '../../ring/RingReader.js';
import { RingStats } from '../../ring/RingStats.js';
import { fromRing } from '../fromRing.js';
import { checkOpen } from './openOption.js';
import { PendingAcks } from './PendingAcks.js';
import { QueuedPacket, type VerdictSink } from './QueuedPacket.js';
import { VerdictQueue } from './VerdictQueue.js';
import type { Verdict } from './verdicts.js';

/** Options of {@link nfqueue}. */
export interface NfqueueOptions {
  /** The queue number (`--queue-num` of the iptables NFQUEUE target), 0..65535. */
  queue: number;
  /**
   * Open the socket in this network namespace: a name
   * (`ip netns add NAME`), an absolute path, `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /** Bytes of each packet to copy (NFQNL_COPY_PACKET); 0 means the kernel's maximum. Default 0xffff. */
  copyRange?: number | undefined;
  /** NFQA_CFG_QUEUE_MAXLEN: packets the kernel holds for the queue before dropping (kernel default 1024). */
  maxLength?: number | undefined;
  /** NFQA_CFG_F_FAIL_OPEN: accept packets instead of dropping them when the queue is full. */
  failOpen?: boolean | undefined;
  /** NFQA_CFG_F_GSO: take GSO packets whole (up to 64 KiB) instead of having the kernel segment them. */
  gso?: boolean | undefined;
  /** NFQA_CFG_F_UID_GID: attach the socket owner's uid and gid. */
  uidGid?: boolean | undefined;
  /**
   * NFQA_CFG_F_CONNTRACK: attach the conntrack entry. Off by default: kernels built without
   * CONFIG_NETFILTER_NETLINK_GLUE_CT refuse it (EOPNOTSUPP, which errors the stream).
   */
  conntrack?: boolean | undefined;
  /**
   * Most packets emitted and waiting for their verdict at once (default: RX ring frames − 1).
   * At the limit the source stops taking frames from the ring: the ring fills, the socket
   * buffer fills, and the kernel's queue limit (and `failOpen`) decides.
   */
  maxPending?: number | undefined;
  /** The verdict for every packet still waiting when the stream ends. Default `'accept'`. */
  defaultVerdict?: 'accept' | 'drop' | undefined;
  /** SO_RCVBUF(FORCE) of the socket, in bytes. Default: the kernel's. */
  receiveBufferSize?: number | undefined;
  /**
   * Opens the endpoint instead of a netfilter socket (it needs a TX ring), given
   * `{ protocol: 'netfilter', groups: [], netns }`; called once per subscription, closed at
   * teardown.
   */
  open?: OpenEndpoint | undefined;
  /** Counters to update in place. */
  stats?: NfqueueStats | undefined;
  /** Called once the queue is bound and every setting acknowledged. */
  onBound?: (() => void) | undefined;
  /**
   * Where the end-of-burst verdict flush is scheduled. Default: `asapScheduler`. A
   * synchronous one (`queueScheduler`) writes each verdict when it is given.
   */
  scheduler?: SchedulerLike | undefined;
}

const PACKET_TYPE = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);
/** RX frames of 2 KiB (an Ethernet-sized packet and its attributes) in 256 KiB. */
const RX_MESSAGE = 2048 - 24;
const RX_MEMORY = 1 << 18;
/** TX: 16 one-page frames; a frame holds a hundred plain verdicts. */
const TX = { blockSize: 4096, blockNr: 16, frameSize: 4096, frameNr: 16 };
/** Room for a whole 64 KiB packet and its attributes behind a frame (COPY, never lost). */
const SPILL = 65536 + 8192;

/**
 * The packets of an NFQUEUE queue (`iptables … -j NFQUEUE --queue-num N`), each waiting for
 * the verdict the pipeline gives it — synchronously or later, in any order.
 *
 * Cold: each subscription opens its own netfilter socket with an RX and a TX ring (in
 * `netns` if given), binds the queue and configures it (copy mode and range, queue length,
 * flags), one request per step, each acknowledged; a refusal errors the stream with a
 * NetlinkError (op `request`, `detail` naming the step, `extack` the kernel's text; EPERM or
 * EBUSY when another socket has the queue). `onBound` is called once all are acknowledged.
 * It never completes by itself.
 *
 * Emits a {@link QueuedPacket} per packet, and an {@link Overrun} when the socket dropped
 * packets (ENOBUFS; `lost` from `sk_drops`, one packet per datagram). Each packet's RX frame
 * stays in the ring (SKIP) until its verdict is written, so its payload is read in place
 * and verdicts need not come in order: nothing waits behind an undecided packet. Verdicts
 * are collected during a synchronous burst and written at its end (on `scheduler`) into the
 * socket's TX ring, as a batch verdict (NFQNL_MSG_VERDICT_BATCH) over the longest
 * contiguous prefix of outstanding packets sharing one plain verdict and as single verdicts
 * otherwise; then the ring is flushed and the frames released.
 *
 * Backpressure, end to end and unbuffered: at `maxPending` packets waiting, the source
 * takes no more frames (the ring reader's hold limit); the ring and then the socket buffer fill; the
 * kernel then drops (or, with `failOpen`, accepts) what its queue (`maxLength`) cannot hold.
 * A backlog never monopolises the event loop: after eight laps of the RX ring's packets in
 * one turn, the next burst waits for the next turn (timers and other I/O run in between).
 *
 * Teardown — unsubscribe or error — strands no packet: the verdicts decided so far are
 * written, then `defaultVerdict` goes to every packet the kernel still holds for the queue
 * (one batch verdict covering all ids, including packets not read yet; `packet.verdict`
 * shows it), the TX ring is flushed, and only then is the queue unbound and the socket
 * closed. Packets that arrive after that are the kernel's business: with no socket bound,
 * NFQUEUE drops them unless the rule has `--queue-bypass`.
 *
 * Throws a TypeError at once for a bad option.
 *
 * @example
 * nfqueue({ queue: 3, netns: 'blue' }).subscribe((p) => {
 *   if (p instanceof Overrun) console.warn(`lost ${p.lost}`);
 *   else if (p.payload?.[9] === 17) p.drop();
 *   else p.accept();
 * });
 */
export function nfqueue(options: NfqueueOptions): Observable<QueuedPacket | Overrun> {
  const check = argumentChecker('nfqueue');
  check.options(options, true);
  const queue = check.requiredInteger('options.queue', options.queue, 0, 0xffff);
  const copyRange = check.uint('options.copyRange', options.copyRange, 16) ?? 0xffff;
  const maxLength = check.uint('options.maxLength', options.maxLength, 32);
  check.integer('options.receiveBufferSize', options.receiveBufferSize, 0, 0x7fffffff);
  const maxPending = options.maxPending;
  if (maxPending !== undefined && !(Number.isInteger(maxPending) && maxPending >= 1)) {
    throw new TypeError(`maxPending: expected a positive integer, got ${String(maxPending)}`);
  }
  const defaultName = options.defaultVerdict ?? 'accept';
  if (defaultName !== 'accept' && defaultName !== 'drop') {
    throw new TypeError(`defaultVerdict: expected 'accept' or 'drop', got ${String(defaultName)}`);
  }
  const defaultValue: Verdict = { kind: defaultName };
  const defaultCode = defaultName === 'accept' ? NF_ACCEPT : NF_DROP;
  const flagOptions = [
    ['failOpen', NFQA_CFG_F_FAIL_OPEN],
    ['gso', NFQA_CFG_F_GSO],
    ['uidGid', NFQA_CFG_F_UID_GID],
    ['conntrack', NFQA_CFG_F_CONNTRACK],
  ] as const;
  let flags = 0;
  let mask = 0;
  for (const [name, bit] of flagOptions) {
    const value = options[name];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw new TypeError(`${name}: expected a boolean`);
    mask |= bit;
    if (value) flags |= bit;
  }
  // The caller's opener or, by default, a socket per subscription.
  const open =
    checkOpen(check, options.open, { protocol: 'netfilter', groups: [], netns: options.netns }) ??
    ((): RingEndpoint =>
      openNetlinkSocket({
        protocol: 'netfilter',
        netns: options.netns,
        receiveBufferSize: options.receiveBufferSize,
        rx: chooseGeometry({ messageSize: RX_MESSAGE, memory: RX_MEMORY }),
        tx: TX,
        spill: SPILL,
      }));
  if (options.onBound !== undefined && typeof options.onBound !== 'function') {
    throw new TypeError('onBound: expected a function');
  }
  const scheduler =
    check.scheduler<SchedulerLike>('options.scheduler', options.scheduler) ?? asapScheduler;

  return new Observable<QueuedPacket | Overrun>((subscriber) => {
    const stats = options.stats ?? new NfqueueStats();
    stats.bound = false;
    const endpoint = open();
    let verdicts: VerdictQueue;
    try {
      verdicts = new VerdictQueue(endpoint, queue, stats);
    } catch (error) {
      endpoint.close();
      subscriber.error(error);
      return;
    }
    const ring = endpoint.rx;
    const removeLimit = RingReader.of(ring).limit(maxPending ?? Math.max(1, ring.frameNr - 1));
    const acks = new PendingAcks();
    let closing = false;
    let task: Subscription | null = null;
    // A flush frees frames and wakes the ring source at once, which emits the next burst,
    // whose flush runs on `scheduler` (a microtask by default)... With a backlog queued in
    // the kernel that chain never gave the event loop a turn (0 timer ticks in 0.2-0.5 s of
    // draining a prefilled queue). So packets are counted per turn of the event loop, and
    // past a budget (eight laps of the RX ring, as fromRing's turnBudget) the frames a flush
    // frees wake the source on the next turn instead.
    const turnBudget = ring.frameNr * 8;
    let turnPackets = 0;
    let turnEnd: ReturnType<typeof setImmediate> | null = null;
    let nextTurn: ReturnType<typeof setImmediate> | null = null;
    const endTurn = (): void => {
      turnEnd = null;
      turnPackets = 0;
    };
    const wakeSource = (): void => {
      nextTurn = null;
      if (!closing) RingReader.of(ring).wake();
    };

    // Flushes run so far: a synchronous scheduler (queueScheduler, or one that calls the
    // work at once) has run the flush before schedule() returns, and what it returns is not
    // a flush still to come — keeping it as `task` would stop every later flush.
    let flushRuns = 0;
    const flushVerdicts = (): void => {
      task = null;
      flushRuns++;
      if (closing) return;
      try {
        const wake = turnPackets < turnBudget;
        verdicts.flush(true, wake);
        if (!wake) nextTurn ??= setImmediate(wakeSource);
      } catch (error) {
        subscriber.error(error);
      }
    };
    const sink: VerdictSink = {
      decide: (packet, decision) => {
        if (closing || !verdicts.decide(packet, decision)) return false;
        if (task === null) {
          const runs = flushRuns;
          const scheduled = scheduler.schedule(flushVerdicts);
          if (flushRuns === runs) task = scheduled;
        }
        return true;
      },
    };

    // One visitor per subscription (not one closure per frame): the frame being walked.
    let frame: Frame | null = null;
    const onMessage = (offset: number): boolean => {
      const current = frame as Frame;
      const view = current.view;
      const type = view.getUint16(offset + 4, true);
      if (type === PACKET_TYPE) {
        const packet = QueuedPacket.read(view, offset, current, sink);
        verdicts.add(packet, current);
        stats.packets++;
        if (turnPackets++ === 0) turnEnd = setImmediate(endTurn);
        subscriber.next(packet);
      } else if (type === NLMSG_ERROR) {
        const message = NetlinkMessage.at(current.bytes, view, offset, current.group, current);
        if (acks.settle(message)) {
          if (acks.done && !stats.bound) {
            stats.bound = true;
            options.onBound?.();
          }
          return !subscriber.closed;
        }
        // Verdicts go out with seq 0 and no NLM_F_ACK: only a refusal comes back.
        const ack = readAck(view, offset);
        if (ack.errno === errnos.ENOENT) stats.verdictErrors++;
        else if (ack.errno !== 0) {
          throw new NetlinkError({
            op: 'tx',
            errno: ack.errno,
            seq: ack.seq,
            extack: ack.extack,
            offset: ack.offset,
            detail: `the kernel refused a verdict for queue ${queue}`,
          });
        }
      }
      return !subscriber.closed;
    };

    const inner = fromRing(endpoint, { stats: stats.ring }).subscribe({
      next: (value) => {
        // Closed before the teardown ran: an error while subscribing (a refused setting).
        if (closing || subscriber.closed) return;
        if (value instanceof Overrun) {
          stats.overruns++;
          if (!Number.isNaN(value.lost)) stats.lost += value.lost;
          subscriber.next(value);
          return;
        }
        frame = value;
        try {
          walkMessages(value.view, value.start, value.length, onMessage);
        } catch (error) {
          subscriber.error(error);
        } finally {
          frame = null;
        }
      },
      error: (error) => subscriber.error(error),
    });

    if (!subscriber.closed) {
      try {
        const w = new MessageWriter();
        writeNfqueueConfig(w, {
          queue,
          command: NFQNL_CFG_CMD_BIND,
          seq: acks.add(`NFQNL_CFG_CMD_BIND queue ${queue}`),
        });
        writeNfqueueConfig(w, {
          queue,
          copyMode: NFQNL_COPY_PACKET,
          copyRange,
          seq: acks.add(`NFQA_CFG_PARAMS COPY_PACKET ${copyRange} for queue ${queue}`),
        });
        if (maxLength !== undefined) {
          writeNfqueueConfig(w, {
            queue,
            maxLen: maxLength,
            seq: acks.add(`NFQA_CFG_QUEUE_MAXLEN ${maxLength} for queue ${queue}`),
          });
        }
        if (mask !== 0) {
          const names = flagOptions.filter(([, bit]) => mask & bit).map(([n]) => n);
          writeNfqueueConfig(w, {
            queue,
            flags,
            mask,
            seq: acks.add(
              `NFQA_CFG_FLAGS 0x${flags.toString(16)} mask 0x${mask.toString(16)} (${names.join(', ')}) for queue ${queue}`,
            ),
          });
        }
        endpoint.send(w.finish());
      } catch (error) {
        subscriber.error(error);
      }
    }

    return () => {
      closing = true;
      task?.unsubscribe();
      if (turnEnd !== null) clearImmediate(turnEnd);
      if (nextTurn !== null) clearImmediate(nextTurn);
      task = null;
      // Verdicts first (decided ones, then the default for the rest), then the frames, then
      // the binding, then the socket.
      try {
        if (!endpoint.closed) verdicts.finish(defaultCode, defaultValue);
      } catch {
        // Neither ring nor send works: closing the socket makes the kernel drop them.
      }
      inner.unsubscribe();
      try {
        if (!endpoint.closed) {
          endpoint.send(
            writeNfqueueConfig(new MessageWriter(), {
              queue,
              command: NFQNL_CFG_CMD_UNBIND,
              ack: false,
            }).finish(),
          );
        }
      } catch {
        // Closing the socket unbinds it too.
      }
      stats.bound = false;
      removeLimit();
      endpoint.close();
    };
  });
}

/**
 * Counters of one {@link nfqueue} subscription, updated in place while the stream runs:
 * pass one as `stats` and read it whenever you like.
 *
 * @example
 * const stats = new NfqueueStats();
 * nfqueue({ queue: 0, stats }).subscribe((p) => p instanceof Overrun || p.accept());
 * setInterval(() => console.log(`${stats.pending} waiting, ${stats.batches} batches`), 1000);
 */
export class NfqueueStats {
  /** Packets received and emitted. */
  packets = 0;
  /** Packets whose verdict (given by a method) was written. */
  verdicts = 0;
  /** Packets given the default verdict because the stream ended first. */
  defaulted = 0;
  /** Packets emitted and still waiting for their verdict to be written. */
  pending = 0;
  /** Verdict messages written: one per single verdict, one per batch. */
  messages = 0;
  /** Of those, NFQNL_MSG_VERDICT_BATCH messages. */
  batches = 0;
  /** TX frames written, and TX ring flushes (`sendto(NULL, 0)`). */
  txFrames = 0;
  flushes = 0;
  /** Verdict messages too large for a TX frame, sent with an ordinary sendto instead. */
  direct = 0;
  /** Verdicts the kernel answered ENOENT: it no longer held the packet (a device went away). */
  verdictErrors = 0;
  /** ENOBUFS episodes, and the packets they lost (sk_drops: one packet per datagram). */
  overruns = 0;
  lost = 0;
  /** Whether the queue is bound and every setting acknowledged. */
  bound = false;
  /** The RX ring's own counters. */
  readonly ring = new RingStats();
}
