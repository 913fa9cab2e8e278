// NFLOG: the nflog() source, its packets and loss accounting, and its counters (NflogStats).

import { Observable, type Subscriber, type TeardownLogic } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import { errnos } from '../../errors/errno.js';
import { writeNflogConfig } from '../../families/netfilter/config.js';
import {
  AF_UNSPEC,
  NFNL_SUBSYS_ULOG,
  NFULNL_CFG_CMD_BIND,
  NFULNL_CFG_CMD_PF_BIND,
  NFULNL_CFG_CMD_PF_UNBIND,
  NFULNL_CFG_CMD_UNBIND,
  NFULNL_CFG_F_SEQ,
  NFULNL_CFG_F_SEQ_GLOBAL,
  NFULNL_COPY_META,
  NFULNL_COPY_NONE,
  NFULNL_COPY_PACKET,
  NFULNL_MSG_PACKET,
} from '../../families/netfilter/constants.js';
import { type NflogPacket, readNflogPacket } from '../../families/netfilter/nflogPacket.js';
import { nfnlMsgType } from '../../families/netfilter/nfnetlink.js';
import type { NetnsRef } from '../../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import { NLMSG_ERROR } from '../../netlink/constants.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { NetlinkMessage, walkMessages } from '../../netlink/NetlinkMessage.js';
import { chooseGeometry } from '../../ring/chooseGeometry.js';
import type { Frame } from '../../ring/Frame.js';
import { Overrun } from '../../ring/Overrun.js';
import type { RingEndpoint } from '../../ring/RingEndpoint.js';
import { RingStats } from '../../ring/RingStats.js';
import { fromRing } from '../fromRing.js';
import { LossLedger } from './LossLedger.js';
import { NflogBatch, SLOT, scanNflogPacket } from './nflogBatch.js';
import { checkOpen } from './openOption.js';
import { PendingAcks } from './PendingAcks.js';

const NFULNL_MAX_BUFSIZ = 131072;

/** Options of {@link nflog}. */
export interface NflogOptions {
  /** The log group (`--nflog-group` of the iptables NFLOG target), 0..65535. */
  group: number;
  /**
   * Open the socket in this network namespace: a name
   * (`ip netns add NAME`), an absolute path, `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /** What the kernel copies of each packet: nothing, metadata only, or the packet (default). */
  copyMode?: 'none' | 'meta' | 'packet' | undefined;
  /** Bytes of each packet to copy in `'packet'` mode; 0 means the kernel's maximum. Default 0xffff. */
  copyRange?: number | undefined;
  /** NFULA_CFG_QTHRESH: most packets the kernel batches into one datagram (kernel default 100). */
  threshold?: number | undefined;
  /**
   * How long the kernel may hold a batch before sending it, in milliseconds, rounded up to
   * its 1/100 s unit (NFULA_CFG_TIMEOUT; kernel default 1000 ms).
   */
  flushTimeout?: number | undefined;
  /**
   * Milliseconds the socket's watcher rests after each wake-up, so the datagrams the kernel
   * sends meanwhile are read as one batch (0 wakes for every datagram). NFLOG batches in
   * the kernel already (`threshold`, `flushTimeout`: up to a second by default); this adds
   * at most this much latency, only to packets that arrive during a rest (under load), and
   * saves the wake-ups, which are most of a receiver's CPU. Default 5, or 0 when `threshold`
   * is 256 or more: datagrams of that many packets come far apart, so a rest mostly adds a
   * timer's wake-up to each. Measured on a 2-vCPU VM, 1 M packets at the generator's rate,
   * warm receivers: at 64-packet batches ~510-590 ns of receiver CPU a packet resting 5 ms,
   * ~590-910 resting 1 ms; at 1024-packet batches ~370 ns not resting, ~500 resting 1 ms.
   */
  coalesce?: number | undefined;
  /** NFULA_CFG_NLBUFSIZ: the kernel's batch buffer in bytes, 4096..131072 (kernel default ~4 KiB). */
  bufferSize?: number | undefined;
  /**
   * Number the packets (NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL), which is how loss is
   * counted in packets. Default true.
   */
  sequence?: boolean | undefined;
  /**
   * SO_RCVBUF(FORCE) of the socket, in bytes. Default: 4 MiB while the watcher rests after
   * a wake-up (`coalesce` above 0), so that the datagrams of a rest wait in the socket
   * instead of being dropped; the kernel's otherwise. Measured on a 2-vCPU VM, a 1 M packet
   * flood at 64 and 100 packets a datagram with the kernel's 208 KiB: 3.5% and 21% of the
   * packets lost resting 5 ms (0.03-0.1% resting 1 ms); none with 2 MiB.
   */
  receiveBufferSize?: number | undefined;
  /**
   * Families to (re)bind nfnetlink_log to as the namespace's default logger
   * (NFULNL_CFG_CMD_PF_UNBIND, then NFULNL_CFG_CMD_PF_BIND, as libnetfilter_log's
   * `nflog_unbind_pf`/`nflog_bind_pf`). The NFLOG target does not need it on current
   * kernels; old ones (before 3.17) did, and it changes the logger of LOG-type fallbacks for
   * the whole namespace. Default: none.
   */
  bindFamilies?: readonly number[] | undefined;
  /**
   * Opens the endpoint instead of a netfilter socket, given `{ protocol: 'netfilter',
   * groups: [], netns }`; called once per subscription, closed at teardown.
   */
  open?: OpenEndpoint | undefined;
  /** Counters to update in place. */
  stats?: NflogStats | undefined;
  /** Called once the group is bound and every setting acknowledged. */
  onBound?: (() => void) | undefined;
}

const PACKET_TYPE = nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET);
const COPY_MODES = { none: NFULNL_COPY_NONE, meta: NFULNL_COPY_META, packet: NFULNL_COPY_PACKET };
/** The watcher's rest after a wake-up below 256 packets a datagram (`coalesce`), in ms. */
const REST_MS = 5;
/** The socket's receive buffer while it rests, unless the caller gives one. */
const RESTING_RECEIVE_BUFFER = 4 << 20;
/** How often the drop counter is read for loss no later packet shows (the tail), in ms. */
const IDLE_CHECK_MS = 100;
/** RX ring memory, at least (four frames at least). */
const RING_MEMORY = 1 << 18;
/** `SKB_DATA_ALIGN(sizeof(struct skb_shared_info))` on x86_64 (17 frags): the skb head's tail. */
const SKB_SHARED_INFO = 320;
/** SMP_CACHE_BYTES on x86_64: SKB_DATA_ALIGN's unit. */
const SKB_DATA_ALIGN = 64;
/**
 * Bytes of a packet's NFLOG message beyond its NFULA_PAYLOAD data, at most (headers, prefix,
 * devices, hardware header, uid/gid, sequence numbers, conntrack).
 */
const PACKET_OVERHEAD = 1024;
/** NFULNL_NLBUFSIZ_DEFAULT: NFULNL_NLBUFSIZ_DEFAULT, SKB_WITH_OVERHEAD(4096) with 4 KiB pages. */
const NFULNL_NLBUFSIZ_DEFAULT = 4096 - SKB_SHARED_INFO;
/** NFULNL_COPY_RANGE_MAX: the kernel clamps a copy range to it (nfnetlink_log.c). */
const NFULNL_COPY_RANGE_MAX = 0xffff;

/**
 * The largest datagram an instance sends when it allocates `n` bytes. nfulnl_alloc_skb
 * allocates max(nlbufsiz, the packet's size); alloc_skb rounds the head up to its kmalloc
 * size (a power of two) and gives the skb all of it but the skb_shared_info at its end; and
 * nfulnl_log_packet flushes only when the next packet does not fit that tailroom. So a
 * datagram exceeds nlbufsiz: measured on 6.18, nlbufsiz 131072 gives datagrams of 261,008
 * bytes (tailroom 261,824), 65536 gives 129,968, 4096 gives 7,664.
 */
function largestDatagram(n: number): number {
  const head = Math.ceil(n / SKB_DATA_ALIGN) * SKB_DATA_ALIGN + SKB_SHARED_INFO;
  return 2 ** Math.ceil(Math.log2(head)) - SKB_SHARED_INFO;
}

/**
 * The packets of an NFLOG group (`iptables … -j NFLOG --nflog-group N`), decoded, with
 * every loss reported in the stream.
 *
 * Cold: each subscription opens its own netfilter socket (in `netns` if given), binds the
 * group and configures it — copy mode and range, sequence numbering, and the batching
 * settings given — one request per step, each acknowledged; a refusal errors the stream with
 * a NetlinkError (op `request`) whose `detail` names the step and whose `extack` is the
 * kernel's text (EPERM/EBUSY: another socket has the group). `onBound` is called once all
 * steps are acknowledged. Teardown unbinds the group (NFULNL_CFG_CMD_UNBIND) and closes the
 * socket. It never completes by itself.
 *
 * Emits an `NflogPacket` per packet (several may arrive in one datagram; the NLMSG_DONE
 * that ends a batch is not emitted). Its byte fields (`payload`, `hwheader`, `l2hdr`) are
 * **zero-copy views into the ring, valid only during the `next()` that delivers the packet**:
 * `slice()` them, or `detachPacket(p)`, to keep them. {@link nflogBatches} gives the same
 * packets a datagram at a time, read in place, for receivers of many packets a second.
 *
 * Loss is never silent, and each lost packet is reported once. It is reported by
 * {@link Overrun} values in the stream, so that summing `lost` over the stream gives the
 * packets lost — exactly, or (when `unit` is `'datagrams'`) a lower bound:
 * - a sequence gap (NFULA_SEQ is per instance and contiguous from 0): an Overrun with
 *   `errno` 0, emitted just before the packet after the gap, `lost` = the missing numbers
 *   the drop counter has not already reported;
 * - an ENOBUFS episode (the socket buffer or the ring was full): an Overrun with `errno`
 *   ENOBUFS, emitted when the socket reports it, `lost` = the datagrams the socket's drop
 *   counter (`sk_drops`, SO_MEMINFO) counted beyond what was reported (0 if none);
 * - loss after the last packet (the tail), which no later packet shows: the drop counter is
 *   read every 100 ms, and new drops are reported with `errno` 0.
 *
 * `unit` is `'packets'` when `lost` counts packets exactly: with `threshold: 1` (one packet
 * a datagram, so the drop counter counts packets), or while every dropped datagram is
 * inside a gap already seen. Otherwise it is `'datagrams'`: dropped datagrams that held up
 * to `threshold` packets each, so `lost` is a lower bound; a later gap over them reports
 * only the packets beyond it. Thus packets received + Σ `lost` = packets logged whenever the
 * kernel's counters can tell (`stats.lostExact`). With `sequence: false` only the drop
 * counter counts. `count` numbers the notifications. Drops read at teardown go to `stats`
 * ({@link NflogStats}), which keeps the totals.
 *
 * Throws a TypeError at once for a bad option.
 *
 * @example
 * const stats = new NflogStats();
 * nflog({ group: 7, netns: 'blue', flushTimeout: 20, stats }).subscribe((p) => {
 *   if (p instanceof Overrun) console.warn(`lost ${p.lost}`);
 *   else console.log(p.seq, p.prefix, p.payload?.length);
 * });
 */
export function nflog(options: NflogOptions): Observable<NflogPacket | Overrun> {
  const setup = checkNflogOptions('nflog', options);
  return new Observable<NflogPacket | Overrun>((subscriber) =>
    subscribeNflog(setup, subscriber, false),
  );
}

/**
 * The packets of an NFLOG group as {@link nflog} gives them, but one {@link NflogBatch} per
 * datagram the kernel sent (up to `threshold` packets, or `bufferSize` bytes of them),
 * read in place: each message is walked once and nothing is decoded beyond its sequence
 * number and where its payload is, until asked (`batch.seq(i)`, `batch.payload(i)`,
 * `batch.packet(i)`; `batch.payloadOffset(i)` into `batch.bytes` with no view at all). For
 * receivers of many packets a second that read a few fields of each: no object per packet,
 * one `next()` per datagram.
 *
 * Everything else is `nflog`'s: the options, the configuration and its errors, teardown,
 * `stats` (`stats.packets` counts packets), and loss, reported by the same {@link Overrun}
 * values in the same places: a batch ends before a sequence gap, the Overrun follows it,
 * and the packets after the gap are the next batch. A batch and the views taken from it are
 * **valid only during the `next()` that delivers it**. A malformed message errors the stream
 * with its DecodeError; the packets of its datagram are not emitted.
 *
 * Throws a TypeError at once for a bad option.
 *
 * @example
 * const stats = new NflogStats();
 * nflogBatches({ group: 7, threshold: 1024, bufferSize: 131072, stats }).subscribe((b) => {
 *   if (b instanceof Overrun) return console.warn(`lost ${b.lost}`);
 *   for (let i = 0; i < b.length; i++) console.log(b.seq(i), b.payload(i)?.length);
 * });
 */
export function nflogBatches(options: NflogOptions): Observable<NflogBatch | Overrun> {
  const setup = checkNflogOptions('nflogBatches', options);
  return new Observable<NflogBatch | Overrun>((subscriber) =>
    subscribeNflog(setup, subscriber, true),
  );
}

/** What {@link checkNflogOptions} made of the options: one subscription's settings. */
interface NflogSetup {
  options: NflogOptions;
  group: number;
  copyModeName: string;
  copyMode: number;
  copyRange: number | undefined;
  threshold: number | undefined;
  flushTimeout: number | undefined;
  bufferSize: number | undefined;
  sequence: boolean;
  families: readonly number[];
  open: () => RingEndpoint;
}

/** Checks the options (a TypeError naming `name` and the option) and works out the socket. */
function checkNflogOptions(name: string, options: NflogOptions): NflogSetup {
  const check = argumentChecker(name);
  check.options(options, true);
  const group = check.requiredInteger('options.group', options.group, 0, 0xffff);
  const copyModeName = options.copyMode ?? 'packet';
  if (!Object.hasOwn(COPY_MODES, copyModeName)) {
    throw new TypeError(
      `copyMode: expected 'none', 'meta' or 'packet', got ${String(copyModeName)}`,
    );
  }
  const copyMode = COPY_MODES[copyModeName];
  const copyRange = check.uint('options.copyRange', options.copyRange, 32);
  const threshold = check.uint('options.threshold', options.threshold, 32);
  const flushTimeout = check.integer(
    'options.flushTimeout',
    options.flushTimeout,
    0,
    0xffffffff * 10,
  );
  const bufferSize = check.integer('options.bufferSize', options.bufferSize, 1, NFULNL_MAX_BUFSIZ);
  check.integer('options.receiveBufferSize', options.receiveBufferSize, 0, 0x7fffffff);
  const sequence = options.sequence ?? true;
  if (typeof sequence !== 'boolean') throw new TypeError('sequence: expected a boolean');
  const families = options.bindFamilies ?? [];
  if (!Array.isArray(families)) throw new TypeError('bindFamilies: expected an array');
  for (const family of families) check.requiredInteger('options.bindFamilies[]', family, 0, 0xff);
  // Frames hold the largest datagram of packets smaller than the buffer, so none goes through
  // COPY in steady state; the spill holds one of a single packet as large as the copy range.
  const frameData = Math.max(largestDatagram(bufferSize ?? NFULNL_NLBUFSIZ_DEFAULT), 8192 - 24);
  const range =
    copyMode === NFULNL_COPY_PACKET
      ? Math.min(copyRange || NFULNL_COPY_RANGE_MAX, NFULNL_COPY_RANGE_MAX)
      : 0;
  const spill = largestDatagram(
    Math.max(bufferSize ?? NFULNL_NLBUFSIZ_DEFAULT, range + PACKET_OVERHEAD),
  );
  // A small ring: its frames go back as soon as next() returns, so a few are enough, and the
  // engine's work per poll grows with the frames (claiming free ones, looking for VALID
  // ones). Measured at 64 KiB frames: 4 of them cost ~8% less CPU per message than 16.
  const ringMemory = Math.max(RING_MEMORY, 4 * (frameData + 24));
  const coalesce = nflogRest(options.coalesce, threshold);
  const receiveBufferSize = nflogReceiveBuffer(options.receiveBufferSize, coalesce);
  // The caller's opener or, by default, a socket per subscription.
  const open =
    checkOpen(check, options.open, { protocol: 'netfilter', groups: [], netns: options.netns }) ??
    ((): RingEndpoint =>
      openNetlinkSocket({
        protocol: 'netfilter',
        netns: options.netns,
        receiveBufferSize,
        rx: chooseGeometry({ messageSize: frameData, memory: ringMemory }),
        spill,
        coalesce,
      }));
  if (options.onBound !== undefined && typeof options.onBound !== 'function') {
    throw new TypeError('onBound: expected a function');
  }
  return {
    options,
    group,
    copyModeName,
    copyMode,
    copyRange,
    threshold,
    flushTimeout,
    bufferSize,
    sequence,
    families,
    open,
  };
}

/**
 * The socket's rest after a wake-up (`coalesce`) for an NFLOG subscription: the caller's, or
 * by default 5 ms below 256 packets a datagram (the kernel's default threshold is
 * 100) and none from 256 on.
 *
 * Internal to the NFLOG source.
 *
 * @example
 * nflogRest(undefined, 1024); // 0
 */
export function nflogRest(coalesce: number | undefined, threshold: number | undefined): number {
  return coalesce ?? (threshold !== undefined && threshold >= 256 ? 0 : REST_MS);
}

/**
 * The socket's receive buffer (SO_RCVBUF) for an NFLOG subscription that rests `rest` ms
 * after a wake-up: the caller's, or 4 MiB while it rests (the datagrams of a rest wait in
 * the socket), or the kernel's (undefined) when it does not.
 *
 * Internal to the NFLOG source.
 *
 * @example
 * nflogReceiveBuffer(undefined, 5); // 4194304
 */
export function nflogReceiveBuffer(size: number | undefined, rest: number): number | undefined {
  return size ?? (rest > 0 ? RESTING_RECEIVE_BUFFER : undefined);
}

/** Packets a batch table holds at first (it doubles when a datagram holds more). */
const FIRST_SLOTS = 64;

/** One subscription of {@link nflog} (packets) or {@link nflogBatches} (batches). */
function subscribeNflog(
  setup: NflogSetup,
  subscriber: Subscriber<NflogPacket | NflogBatch | Overrun>,
  batches: boolean,
): TeardownLogic {
  const { options, group, copyModeName, copyMode, copyRange, threshold, flushTimeout } = setup;
  const { bufferSize, sequence, families, open } = setup;
  const stats = options.stats ?? new NflogStats();
  stats.bound = false;
  const endpoint = open();
  const acks = new PendingAcks();
  // Loss notifications are numbered across both kinds.
  let notices = 0;
  // NFULA_SEQ of the next packet: the instance is new, so it starts at 0.
  let expected = 0;
  const loss = new LossLedger(threshold === 1, sequence, endpoint.drops);

  // Emits what the ledger learnt beyond what was reported: `errno` says who told.
  const report = (errno: number, always: boolean): void => {
    const lost = loss.unreported();
    loss.copyTo(stats);
    // Nothing new; or nothing counts (NaN), which only an ENOBUFS episode reports.
    if ((lost === 0 || Number.isNaN(lost)) && !always) return;
    loss.markReported();
    stats.lost = loss.reported;
    subscriber.next(new Overrun(lost, ++notices, errno, loss.unit));
  };

  // An acknowledgement of a configuration step (or the kernel's refusal of one).
  const settle = (current: Frame, offset: number): void => {
    const message = NetlinkMessage.at(current.bytes, current.view, offset, current.group, current);
    if (acks.settle(message) && acks.done && !stats.bound) {
      stats.bound = true;
      options.onBound?.();
    }
  };

  // Packets lost before `seq`; 0 when none. A number behind the expected one (more than
  // half the space away) is not loss: it is followed.
  const gapBefore = (seq: number): number => {
    const gap = (seq - expected) >>> 0;
    return gap < 0x80000000 ? gap : 0;
  };
  // A packet numbered `seq`: a gap before it is counted and reported (before the packet).
  // Returns false once the subscriber has gone.
  const sequenced = (seq: number): boolean => {
    if (seq === expected) {
      // The everyday case, without the gap arithmetic.
      expected = (seq + 1) >>> 0;
      return true;
    }
    const gap = gapBefore(seq);
    if (gap !== 0) {
      stats.gaps++;
      loss.gap(gap, endpoint.drops);
      report(0, false);
      if (subscriber.closed) return false;
    }
    expected = (seq + 1) >>> 0;
    return true;
  };

  // One visitor per subscription (not one closure per frame): the frame being walked, and
  // its view (taken once: Frame's getter checks the frame each time).
  let frame: Frame | null = null;
  const noView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));
  let view = noView;
  const onMessage = (offset: number): boolean => {
    const current = frame as Frame;
    const type = view.getUint16(offset + 4, true);
    if (type === PACKET_TYPE) {
      const packet = readNflogPacket(view, offset, false, base);
      if (sequence && packet.seq !== undefined && !sequenced(packet.seq)) return false;
      stats.packets++;
      subscriber.next(packet);
    } else if (type === NLMSG_ERROR) {
      settle(current, offset);
    }
    // NLMSG_DONE ends a batch of several packets: nothing to emit.
    return !subscriber.closed;
  };

  // The batch form: the packets of the frame being walked are recorded in `slots`, from
  // `first` (the first not emitted yet) to `k` (the next free entry).
  let slots = new Float64Array(batches ? FIRST_SLOTS * SLOT : 0);
  let first = 0;
  let k = 0;
  let base = 0;
  const flush = (): void => {
    if (k === first) return;
    const n = k - first;
    stats.packets += n;
    const current = frame as Frame;
    subscriber.next(new NflogBatch(current, view, slots, first, n));
    first = k;
  };
  const onBatchMessage = (offset: number): boolean => {
    const current = frame as Frame;
    const type = view.getUint16(offset + 4, true);
    if (type === PACKET_TYPE) {
      if ((k + 1) * SLOT > slots.length) {
        // Batches already emitted keep the table they were made with.
        const bigger = new Float64Array(slots.length * 2);
        bigger.set(slots);
        slots = bigger;
      }
      const seq = scanNflogPacket(view, base, offset, slots, k);
      if (sequence && seq >= 0) {
        // The packets before a gap go out first, then its notice, then the rest.
        if (seq !== expected && gapBefore(seq) !== 0) {
          flush();
          if (subscriber.closed) return false;
        }
        if (!sequenced(seq)) return false;
      }
      k++;
    } else if (type === NLMSG_ERROR) {
      flush();
      if (subscriber.closed) return false;
      settle(current, offset);
    }
    return !subscriber.closed;
  };
  const visit = batches ? onBatchMessage : onMessage;

  // The ledger owns the drop counter: fromRing tells each ENOBUFS episode, uncounted.
  const inner = fromRing(endpoint, { stats: stats.ring, drops: 'source' }).subscribe({
    next: (value) => {
      // Closed before the teardown ran: an error while subscribing (a refused setting).
      if (subscriber.closed) return;
      if (value instanceof Overrun) {
        stats.overruns++;
        loss.dropped(endpoint.drops);
        report(errnos.ENOBUFS, true);
        return;
      }
      frame = value;
      view = value.view;
      base = view.byteOffset;
      first = 0;
      k = 0;
      try {
        walkMessages(view, value.start, value.length, visit);
        if (batches && !subscriber.closed) flush();
      } catch (error) {
        subscriber.error(error);
      } finally {
        frame = null;
        view = noView;
      }
    },
    error: (error) => subscriber.error(error),
  });

  // Loss after the last packet (the tail) has no later packet to show it as a gap: the
  // drop counter, read while the stream is quiet, reports it. One SO_MEMINFO a tick.
  const idle = setInterval(() => {
    if (subscriber.closed || endpoint.closed) return;
    loss.dropped(endpoint.drops);
    report(0, false);
  }, IDLE_CHECK_MS);
  idle.unref?.();

  if (!subscriber.closed) {
    try {
      const w = new MessageWriter();
      for (const family of families) {
        writeNflogConfig(w, {
          group: 0,
          family,
          command: NFULNL_CFG_CMD_PF_UNBIND,
          seq: acks.add(`NFULNL_CFG_CMD_PF_UNBIND family ${family}`),
        });
        writeNflogConfig(w, {
          group: 0,
          family,
          command: NFULNL_CFG_CMD_PF_BIND,
          seq: acks.add(`NFULNL_CFG_CMD_PF_BIND family ${family}`),
        });
      }
      writeNflogConfig(w, {
        group,
        command: NFULNL_CFG_CMD_BIND,
        seq: acks.add(`NFULNL_CFG_CMD_BIND group ${group}`),
      });
      writeNflogConfig(w, {
        group,
        copyMode,
        copyRange: copyMode === NFULNL_COPY_PACKET ? (copyRange ?? 0xffff) : 0,
        seq: acks.add(`NFULA_CFG_MODE ${copyModeName} ${copyRange ?? 0xffff} for group ${group}`),
      });
      writeNflogConfig(w, {
        group,
        flags: sequence ? NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL : 0,
        seq: acks.add(`NFULA_CFG_FLAGS ${sequence ? 'SEQ|SEQ_GLOBAL' : '0'} for group ${group}`),
      });
      if (threshold !== undefined || flushTimeout !== undefined || bufferSize !== undefined) {
        const timeout = flushTimeout === undefined ? undefined : Math.ceil(flushTimeout / 10);
        const parts = [
          threshold === undefined ? '' : `NFULA_CFG_QTHRESH ${threshold}`,
          timeout === undefined ? '' : `NFULA_CFG_TIMEOUT ${timeout}`,
          bufferSize === undefined ? '' : `NFULA_CFG_NLBUFSIZ ${bufferSize}`,
        ];
        writeNflogConfig(w, {
          group,
          qthresh: threshold,
          timeout,
          bufsize: bufferSize,
          seq: acks.add(`${parts.filter((p) => p !== '').join(', ')} for group ${group}`),
        });
      }
      endpoint.send(w.finish());
    } catch (error) {
      subscriber.error(error);
    }
  }

  return () => {
    clearInterval(idle);
    inner.unsubscribe();
    // Teardown cannot emit: the last drops go to the counters.
    if (!endpoint.closed) loss.dropped(endpoint.drops);
    loss.copyTo(stats);
    loss.markReported();
    stats.lost = loss.reported;
    try {
      if (!endpoint.closed) {
        endpoint.send(
          writeNflogConfig(new MessageWriter(), {
            group,
            family: AF_UNSPEC,
            command: NFULNL_CFG_CMD_UNBIND,
            ack: false,
          }).finish(),
        );
      }
    } catch {
      // The socket is failing; closing it destroys the instance anyway.
    }
    stats.bound = false;
    endpoint.close();
  };
}

/**
 * Counters of one {@link nflog} subscription, updated in place while the stream runs: pass
 * one as `stats` and read it whenever you like (nothing is allocated per packet).
 *
 * {@link lost} is the sum of the stream's loss notifications: the packets known lost, from
 * the instance's sequence numbers (NFULA_SEQ, on by default: a gap of k numbers is k packets
 * the kernel logged and this process never got) and the socket's count of dropped datagrams
 * (`sk_drops`, kept in {@link droppedDatagrams}), each loss counted once. It is exact when
 * {@link lostExact} says so, a lower bound otherwise.
 *
 * @example
 * const stats = new NflogStats();
 * nflog({ group: 7, stats }).subscribe();
 * setInterval(() => console.log(`${stats.packets} logged, ${stats.lost} lost`), 1000);
 */
export class NflogStats {
  /** Packets received and emitted. */
  packets = 0;
  /** Packets known lost: the sum of the loss notifications' `lost`, and of drops read at teardown. */
  lost = 0;
  /**
   * Whether {@link lost} is exact: with `threshold: 1`, or while every dropped datagram lies
   * in a sequence gap already seen. Otherwise `lost` is a lower bound.
   */
  lostExact = true;
  /** Sequence gaps seen (loss notifications with errno 0). */
  gaps = 0;
  /** ENOBUFS episodes (loss notifications with errno ENOBUFS). */
  overruns = 0;
  /** Datagrams the socket or the ring engine dropped (`sk_drops` and the engine's), so far. */
  droppedDatagrams = 0;
  /** Whether the group is bound and configured (every configuration request acknowledged). */
  bound = false;
  /** The RX ring's own counters (frames, COPY frames, polls…). */
  readonly ring = new RingStats();
}
