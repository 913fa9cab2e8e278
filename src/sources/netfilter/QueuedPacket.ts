import { FrameReleasedError } from '../../errors/NetlinkError.js';
import type { ConntrackInfo } from '../../families/netfilter/conntrack.js';
import {
  type NfqueuePacket,
  nfqueueBytes,
  readNfqueueFields,
} from '../../families/netfilter/nfqueuePacket.js';
import type { PacketTimestamp, PacketVlan } from '../../families/netfilter/packet.js';
import type { NfqueueDecision } from '../../families/netfilter/verdict.js';
import type { Frame } from '../../ring/Frame.js';
import type { Verdict } from './verdicts.js';
import { verdictDecision } from './verdicts.js';

/** The verdicts of `accept()` and `drop()`, shared (a Verdict is read-only). */
const ACCEPT: Verdict = Object.freeze({ kind: 'accept' });
const DROP: Verdict = Object.freeze({ kind: 'drop' });

/** What {@link QueuedPacket.read} starts from: no field set (the decoder sets them). */
const BLANK: NfqueuePacket = Object.freeze({ queue: 0, id: -1, family: 0, hwProtocol: 0, hook: 0 });
/** Where {@link QueuedPacket.read}'s decoder reports the byte attributes (reused). */
const spans = new Int32Array(2);

/**
 * Where a {@link QueuedPacket} hands its verdict: the queue of the `nfqueue()` subscription
 * that emitted it. `decide` returns false when that subscription has ended.
 *
 * @example
 * declare const queue: VerdictSink; // the subscription's VerdictQueue
 * const sink: VerdictSink = { decide: (packet, decision) => queue.decide(packet, decision) };
 */
export interface VerdictSink {
  decide(packet: QueuedPacket, decision: NfqueueDecision): boolean;
}

/**
 * A packet queued to this process by NFQUEUE, decoded, waiting for its verdict: the fields
 * of `NfqueuePacket` (the queue number is {@link queueNumber}, since {@link queue} is a
 * verdict), and one verdict method to call — {@link accept}, {@link drop}, {@link repeat},
 * {@link queue} or {@link setVerdict} — now or later, in any order relative to other packets.
 *
 * Each method returns at once: the verdict is written into the socket's TX ring at the end
 * of the current synchronous burst (so a burst's verdicts batch). A second verdict throws a
 * TypeError; a bad argument throws a TypeError and counts as none. A call after the stream
 * ended does nothing: the packet already got the stream's default verdict ({@link verdict}
 * shows which).
 *
 * The packet's frame stays in the ring (SKIP) until its verdict is written, so
 * {@link payload} and {@link l2hdr} are **zero-copy views, valid until the verdict**; reading
 * either property afterwards throws a FrameReleasedError (`slice()` to keep the bytes).
 *
 * @example
 * nfqueue({ queue: 0 }).subscribe((p) => {
 *   if (p instanceof Overrun) return;
 *   if (p.payload?.[9] === 17) p.drop(); else p.accept({ mark: 1 });
 * });
 */
export class QueuedPacket {
  /** The queue number the packet came from (`res_id`). */
  readonly queueNumber: number;
  /** NFQA_PACKET_HDR `packet_id`: increases by one per queued packet (mod 2^32). */
  readonly id: number;
  /** `nfgen_family`: NFPROTO_IPV4, NFPROTO_IPV6… */
  readonly family: number;
  /** The link-layer protocol (ETH_P_IP 0x0800, ETH_P_IPV6 0x86dd…). */
  readonly hwProtocol: number;
  /** The netfilter hook (NF_INET_LOCAL_OUT…). */
  readonly hook: number;
  /** NFQA_MARK (sent only when non-zero). */
  readonly mark?: number | undefined;
  /** NFQA_TIMESTAMP. */
  readonly timestamp?: PacketTimestamp | undefined;
  /** NFQA_IFINDEX_INDEV. */
  readonly indev?: number | undefined;
  /** NFQA_IFINDEX_OUTDEV. */
  readonly outdev?: number | undefined;
  /** NFQA_IFINDEX_PHYSINDEV. */
  readonly physindev?: number | undefined;
  /** NFQA_IFINDEX_PHYSOUTDEV. */
  readonly physoutdev?: number | undefined;
  /** NFQA_HWADDR. */
  readonly hwaddr?: string | undefined;
  /** NFQA_UID (option `uidGid`). */
  readonly uid?: number | undefined;
  /** NFQA_GID (option `uidGid`). */
  readonly gid?: number | undefined;
  /** NFQA_SKB_INFO flags. */
  readonly skbInfo?: number | undefined;
  /** NFQA_CAP_LEN: the full length, when the payload was cut to the copy range. */
  readonly capLen?: number | undefined;
  /** NFQA_CT (option `conntrack`). */
  readonly ct?: ConntrackInfo | undefined;
  /** NFQA_CT_INFO. */
  readonly ctInfo?: number | undefined;
  /** NFQA_SECCTX. */
  readonly secctx?: string | undefined;
  /** NFQA_PRIORITY. */
  readonly priority?: number | undefined;
  /** NFQA_VLAN. */
  readonly vlan?: PacketVlan | undefined;

  private readonly frame: Frame;
  private readonly sink: VerdictSink;
  // The byte fields: the view, or (decoded by `read`) the offset of its attribute in `view`
  // until it is first read — a packet whose payload nobody reads makes no view.
  private _payload: Uint8Array | undefined;
  private _l2hdr: Uint8Array | undefined;
  private view: DataView | null = null;
  private payloadAt = -1;
  private l2hdrAt = -1;
  private _verdict: Verdict | null = null;
  private byDefault = false;

  /** Made by `nfqueue()` for each packet it emits. */
  constructor(packet: NfqueuePacket, frame: Frame, sink: VerdictSink) {
    this.queueNumber = packet.queue;
    this.id = packet.id;
    this.family = packet.family;
    this.hwProtocol = packet.hwProtocol;
    this.hook = packet.hook;
    this.mark = packet.mark;
    this.timestamp = packet.timestamp;
    this.indev = packet.indev;
    this.outdev = packet.outdev;
    this.physindev = packet.physindev;
    this.physoutdev = packet.physoutdev;
    this.hwaddr = packet.hwaddr;
    this.uid = packet.uid;
    this.gid = packet.gid;
    this.skbInfo = packet.skbInfo;
    this.capLen = packet.capLen;
    this.ct = packet.ct;
    this.ctInfo = packet.ctInfo;
    this.secctx = packet.secctx;
    this.priority = packet.priority;
    this.vlan = packet.vlan;
    this._payload = packet.payload;
    this._l2hdr = packet.l2hdr;
    this.frame = frame;
    this.sink = sink;
  }

  /**
   * Decodes the NFQNL_MSG_PACKET at `offset` in `view` (the memory of `frame`, which the
   * caller owns and has checked the message type of) straight into a new packet: the
   * fields, errors and offsets of `readNfqueuePacket`, without the intermediate object;
   * `payload` and `l2hdr` become views when first read.
   *
   * @internal Made by `nfqueue()` for each packet it emits.
   * @example
   * declare const frame: Frame;
   * declare const sink: VerdictSink;
   * const packet = QueuedPacket.read(frame.view, frame.start, frame, sink);
   */
  static read(view: DataView, offset: number, frame: Frame, sink: VerdictSink): QueuedPacket {
    const packet = new QueuedPacket(BLANK, frame, sink);
    // The fields are read-only to the packet's users, not to its decoder.
    readNfqueueFields(view, offset, packet, spans);
    const header = packet as { queueNumber: number; family: number };
    header.queueNumber = view.getUint16(offset + 18, false);
    header.family = view.getUint8(offset + 16);
    packet.view = view;
    packet.l2hdrAt = spans[0];
    packet.payloadAt = spans[1];
    return packet;
  }

  /**
   * NFQA_PAYLOAD: the packet from its network header, cut to the copy range. A view into
   * the ring, valid until the verdict; throws a FrameReleasedError after it.
   */
  get payload(): Uint8Array | undefined {
    this.check();
    if (this.payloadAt >= 0) {
      this._payload = nfqueueBytes(this.view as DataView, this.payloadAt, false);
      this.payloadAt = -1;
    }
    return this._payload;
  }

  /** NFQA_L2HDR: the L2 header (bridge family). A view, valid until the verdict. */
  get l2hdr(): Uint8Array | undefined {
    this.check();
    if (this.l2hdrAt >= 0) {
      this._l2hdr = nfqueueBytes(this.view as DataView, this.l2hdrAt, false);
      this.l2hdrAt = -1;
    }
    return this._l2hdr;
  }

  /** The verdict given (by a method, or the stream's default at its end), or null. */
  get verdict(): Verdict | null {
    return this._verdict;
  }

  /** Whether the verdict was the stream's default, given when it ended. */
  get defaulted(): boolean {
    return this.byDefault;
  }

  /** Lets the packet go on (NF_ACCEPT), optionally with a new mark and/or payload. */
  accept(options?: { mark?: number; payload?: Uint8Array }): void {
    // The common case, a bare accept, allocates nothing.
    if (options === undefined) this.setVerdict(ACCEPT);
    else this.setVerdict({ kind: 'accept', mark: options.mark, payload: options.payload });
  }

  /** Discards the packet (NF_DROP). */
  drop(): void {
    this.setVerdict(DROP);
  }

  /** Runs the hook again (NF_REPEAT), optionally with a new mark. */
  repeat(options: { mark?: number } = {}): void {
    this.setVerdict({ kind: 'repeat', mark: options.mark });
  }

  /** Hands the packet to queue `queue` (with `bypass`: accept it when nobody listens there). */
  queue(queue: number, options: { bypass?: boolean; mark?: number } = {}): void {
    this.setVerdict({ kind: 'queue', queue, bypass: options.bypass, mark: options.mark });
  }

  /** Gives `verdict`; the methods above are shorthands for it. */
  setVerdict(verdict: Verdict): void {
    if (this._verdict !== null) {
      if (this.byDefault) return;
      throw new TypeError(
        `packet ${this.id} already has a verdict (${this._verdict.kind}); each packet takes one`,
      );
    }
    const decision = verdictDecision(verdict);
    if (this.sink.decide(this, decision)) this._verdict = verdict;
  }

  /** The stream ended first: record the default verdict it gave (called by `nfqueue()`). */
  settleByDefault(verdict: Verdict): void {
    if (this._verdict !== null) return;
    this._verdict = verdict;
    this.byDefault = true;
  }

  private check(): void {
    if (!this.frame.live) throw new FrameReleasedError(this.frame.index, 'packet');
  }
}
