// The message stream: what `parseMessages()` returns, the filters and `takeDump` that fuse
// into it, and the one-observer operator base they all share (the hot path of every
// source). One concept: the public operators in this folder are thin entries into it.

import {
  type MonoTypeOperatorFunction,
  Observable,
  type Observer,
  type Subscriber,
  Subscription,
  type TeardownLogic,
} from 'rxjs';
import { DecodeError } from '../errors/NetlinkError.js';
import { NLMSG_HDRLEN } from '../netlink/constants.js';
import {
  type ControlCounters,
  type ControlState,
  controlState,
  MESSAGE_DATA,
  MESSAGE_DONE,
  routeMessage,
} from '../netlink/control.js';
import { type MessageContext, NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { Frame } from '../ring/Frame.js';

/**
 * The base of nlring's hot-path operators (`parseMessages`, the message filters, `takeDump`):
 * one object that is both the Observer handed to the source and the Subscription linked to
 * the subscriber below (rxjs uses such an object as the subscriber itself), so a value costs
 * one call and no wrapper chain. `next` is the operator's own; errors and completion pass
 * straight down, once, and close it, which stops a synchronous source at once.
 *
 * @internal
 */
export abstract class OperatorObserver<T, R> extends Subscription implements Observer<T> {
  protected readonly destination: Subscriber<R>;

  constructor(destination: Subscriber<R>) {
    super();
    this.destination = destination;
    destination.add(this);
  }

  abstract next(value: T): void;

  error(error: unknown): void {
    if (this.closed) return;
    this.destination.error(error);
    this.unsubscribe();
  }

  complete(): void {
    if (this.closed) return;
    this.destination.complete();
    this.unsubscribe();
  }
}

/**
 * The engine of the message filters (`ofType`, `ofGroup`, `filterMessages`): keeps the
 * messages for which `keep` returns true and passes every other value untouched. It is a
 * single observer per subscription — no wrapper chain, no allocation per value — because it
 * runs once per message on the hot path; a throwing `keep` errors the stream, as rxjs
 * `filter` does. Completes and errors with its source; unsubscribing stops a synchronous
 * source at once.
 *
 * @example
 * declare const source: Observable<NetlinkMessage | Overrun>;
 * source.pipe(keepMessages((m) => m.type === rtnetlink.RTM_NEWLINK));
 *
 * @internal
 */
export function keepMessages<T>(
  keep: (message: NetlinkMessage) => boolean,
): MonoTypeOperatorFunction<T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      source.subscribe(new MessageFilter<T>(subscriber, keep));
    });
}

class MessageFilter<T> extends OperatorObserver<T, T> {
  private readonly keep: (message: NetlinkMessage) => boolean;

  constructor(destination: Subscriber<T>, keep: (message: NetlinkMessage) => boolean) {
    super(destination);
    this.keep = keep;
  }

  next(value: T): void {
    if (this.closed) return;
    if (value instanceof NetlinkMessage) {
      let kept: boolean;
      try {
        kept = this.keep(value);
      } catch (error) {
        this.error(error);
        return;
      }
      if (!kept) return;
    }
    this.destination.next(value);
  }
}

/** What `takeDump` fused into a {@link MessageStream} checks: see `takeDump`'s options. */
export interface DumpSelection {
  readonly seq: number | undefined;
  readonly portId: number | undefined;
  readonly request: string | undefined;
  readonly counters: ControlCounters | undefined;
}

/**
 * A decoder of the message whose nlmsghdr is at `offset` of `bytes` (`view` over the same
 * memory), `length` its `nlmsg_len`; undefined skips the message.
 *
 * @internal
 */
export type MessageDecoderAt<R, A> = (
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  length: number,
  arg: A,
) => R | undefined;

/** Which messages a {@link MessageStream} emits; null means "all". */
export interface MessageSelection {
  /** One bit per wanted `nlmsg_type` (8192 bytes), or null. */
  readonly types: Uint8Array | null;
  /** Wanted `nm_group` numbers, or null. */
  readonly groups: ReadonlySet<number> | null;
  /** Predicates every emitted message passes, in order. */
  readonly predicates: ReadonlyArray<(message: NetlinkMessage) => boolean>;
  /**
   * `takeDump` fused in: the replies of one dump, routed by `routeMessage` and ending at
   * NLMSG_DONE; applied to every message before the filters above. Null: not a dump.
   */
  readonly dump: DumpSelection | null;
}

const ALL: MessageSelection = { types: null, groups: null, predicates: [], dump: null };

/**
 * How a {@link MessageStream} meets its frames, once per subscription: it calls
 * `parse(frames, selection)` to subscribe the stream's parser to `frames` (returning the
 * parser, which can be errored), and may return a teardown. `parseMessages` subscribes
 * its upstream; a dump opens its endpoint first, completes the selection with the
 * endpoint's port id and sends its request.
 *
 * @internal
 */
export type FrameConnector<T> = (
  parse: (frames: Observable<T>, selection: MessageSelection) => Subscription & Observer<T>,
  selection: MessageSelection,
) => TeardownLogic;

/**
 * The Observable that `parseMessages()` returns: frames from `upstream` split into messages.
 *
 * Message filters applied right after it (`ofType`, `ofGroup`, `filterMessages`) fuse into
 * it instead of adding a stage (as Project Reactor fuses operators): a message whose type is
 * not wanted is skipped before a handle is built for it, a frame of an unwanted group is
 * passed over whole, and what is emitted goes straight to the subscriber. The behaviour —
 * values, order, errors, completion, subscription timing — is exactly that of the unfused
 * chain; only the cost differs. `takeDump` right after `parseMessages` fuses the same way
 * (its control-message handling runs in the parser, before any later filter), and
 * `dumpMessages` returns one too, so filters after it fuse into its walk.
 */
export class MessageStream<T> extends Observable<NetlinkMessage | Exclude<T, Frame>> {
  readonly connect: FrameConnector<T>;
  readonly selection: MessageSelection;

  constructor(upstream: Observable<T> | FrameConnector<T>, selection: MessageSelection = ALL) {
    const connect: FrameConnector<T> =
      typeof upstream === 'function' ? upstream : (parse, s) => void parse(upstream, s);
    super((subscriber) => connectParser(connect, subscriber, selection, null, undefined));
    this.connect = connect;
    this.selection = selection;
  }

  /** Whether nothing narrows it yet (no filter, no dump): what `takeDump` may fuse into. */
  get unfiltered(): boolean {
    const s = this.selection;
    return s.types === null && s.groups === null && s.predicates.length === 0 && s.dump === null;
  }

  /** The same stream as the replies of one dump (`takeDump(options)` fused in). */
  dump(dump: DumpSelection): MessageStream<T> {
    return new MessageStream<T>(this.connect, { ...this.selection, dump });
  }

  /**
   * The values `decode(message, arg)` returns for the messages of this stream, in order
   * (undefined is skipped): the decoder runs inside the frame walk, so a source that decodes (a dump of
   * routes) adds no stage between the ring and its subscriber. A throwing `decode` errors
   * the stream, as rxjs `map` does. Values other than frames (an `Overrun`) pass through.
   *
   * @example
   * new MessageStream(fromRing(open)).decoded(rtnetlink.decodeRoute, {});
   */
  decoded<R, A>(
    decode: (message: NetlinkMessage, arg: A) => R | undefined,
    arg: A,
  ): Observable<R | Exclude<T, Frame>> {
    const connect = this.connect;
    const selection = this.selection;
    const fn = decode as (message: NetlinkMessage, arg: unknown) => R | undefined;
    return new Observable<R | Exclude<T, Frame>>((subscriber) =>
      connectParser(connect, subscriber, selection, fn, arg),
    );
  }

  /**
   * {@link decoded} with a decoder of the message in place, `decodeAt(bytes, view, offset,
   * length, arg)` (`offset` its nlmsghdr's, `length` its `nlmsg_len`, inside the datagram):
   * no message handle is made for it (a handle per reply is most of what a dump allocates
   * besides its values). With predicates, which take a handle, it is called through one.
   *
   * @example
   * new MessageStream(fromRing(open)).decodedAt((bytes, view, offset) => view.getUint16(offset + 4, true), null);
   */
  decodedAt<R, A>(decodeAt: MessageDecoderAt<R, A>, arg: A): Observable<R | Exclude<T, Frame>> {
    if (this.selection.predicates.length > 0) {
      return this.decoded(
        (m, a: A) => decodeAt(m.context.bytes, m.view, m.offset, m.length, a),
        arg,
      );
    }
    const connect = this.connect;
    const selection = this.selection;
    const fn = decodeAt as MessageDecoderAt<R, unknown>;
    return new Observable<R | Exclude<T, Frame>>((subscriber) =>
      connectParser(connect, subscriber, selection, null, arg, fn),
    );
  }

  /** The same stream, emitting only messages that also pass `more`. */
  narrow(more: Partial<Omit<MessageSelection, 'dump'>>): MessageStream<T> {
    const s = this.selection;
    let types = s.types;
    if (more.types) {
      if (types === null) types = more.types;
      else {
        const both = new Uint8Array(types.length);
        for (let i = 0; i < both.length; i++) both[i] = types[i] & more.types[i];
        types = both;
      }
    }
    let groups = s.groups;
    if (more.groups)
      groups =
        groups === null ? more.groups : new Set([...groups].filter((g) => more.groups?.has(g)));
    const predicates = more.predicates ? [...s.predicates, ...more.predicates] : s.predicates;
    return new MessageStream<T>(this.connect, { types, groups, predicates, dump: s.dump });
  }
}

/**
 * One subscription of a message stream: `connect` subscribes a parser for `subscriber`
 * (linked to it before it subscribes to its frames, so a synchronous source sees `closed`
 * as soon as the subscriber below goes away, as with take(1)).
 */
function connectParser<T, R>(
  connect: FrameConnector<T>,
  subscriber: Subscriber<R | Exclude<T, Frame>>,
  selection: MessageSelection,
  decode: ((message: NetlinkMessage, arg: unknown) => R | undefined) | null,
  arg: unknown,
  decodeAt: MessageDecoderAt<R, unknown> | null = null,
): TeardownLogic {
  return connect((frames, s) => {
    const parser = new FrameParser<T, R>(subscriber, s, decode, arg, decodeAt);
    frames.subscribe(parser);
    return parser;
  }, selection);
}

/**
 * The per-subscription state: both the observer and the subscription handed to the source
 * (rxjs uses an object that is an Observer and a Subscription as the subscriber itself), so
 * parsing a frame allocates nothing but the messages it emits.
 */
class FrameParser<T, R = NetlinkMessage> extends OperatorObserver<T, R | Exclude<T, Frame>> {
  private readonly types: Uint8Array | null;
  private readonly groups: ReadonlySet<number> | null;
  private readonly predicates: ReadonlyArray<(message: NetlinkMessage) => boolean>;
  /** The fused dump's control state (per subscription), or null when not a dump. */
  private readonly control: ControlState | null;
  /** The fused decoder (`decoded`), or null to emit the messages themselves. */
  private readonly decode: ((message: NetlinkMessage, arg: unknown) => R | undefined) | null;
  /** The fused in-place decoder (`decodedAt`), or null; never set with predicates. */
  private readonly decodeAt: MessageDecoderAt<R, unknown> | null;
  /** The decoder's second argument. */
  private readonly arg: unknown;

  constructor(
    destination: Subscriber<R | Exclude<T, Frame>>,
    selection: MessageSelection,
    decode: ((message: NetlinkMessage, arg: unknown) => R | undefined) | null = null,
    arg: unknown = undefined,
    decodeAt: MessageDecoderAt<R, unknown> | null = null,
  ) {
    super(destination);
    this.decode = decode;
    this.decodeAt = decodeAt;
    this.arg = arg;
    this.types = selection.types;
    this.groups = selection.groups;
    this.predicates = selection.predicates;
    const dump = selection.dump;
    this.control =
      dump === null ? null : controlState({ op: 'dump', ...dump, counters: dump.counters });
  }

  next(value: T): void {
    if (this.closed) return;
    if (!(value instanceof Frame)) {
      this.destination.next(value as Exclude<T, Frame>);
      return;
    }
    try {
      this.split(value);
    } catch (error) {
      this.error(error);
    }
  }

  /**
   * Emits the messages of one frame. The walk mirrors NLMSG_OK / NLMSG_NEXT (see
   * `walkMessages`, which it inlines: this loop runs once per message).
   */
  private split(frame: Frame): void {
    const group = frame.group;
    if (this.groups !== null && !this.groups.has(group)) return;
    const bytes = frame.bytes;
    const view = frame.view;
    const types = this.types;
    const predicates = this.predicates;
    const destination = this.destination;
    const control = this.control;
    const decode = this.decode;
    const decodeAt = this.decodeAt;
    const arg = this.arg;
    // One context per frame: the messages share it, so each handle is small.
    const context: MessageContext = { bytes, view, group, owner: frame };
    let offset = frame.start;
    const end = offset + frame.length;
    while (offset < end) {
      const remaining = end - offset;
      if (remaining < NLMSG_HDRLEN) {
        throw new DecodeError(`${remaining} trailing bytes are too short for an nlmsghdr`, offset);
      }
      const length = view.getUint32(offset, true);
      if (length < NLMSG_HDRLEN || length > remaining) {
        throw new DecodeError(`nlmsg_len ${length} is outside [16, ${remaining}]`, offset);
      }
      if (control !== null) {
        // takeDump, fused: the router drops, ends or fails (it throws) before any filter.
        const routed = routeMessage(control, view, offset);
        if (routed !== MESSAGE_DATA) {
          if (routed === MESSAGE_DONE) {
            this.complete();
            return;
          }
          offset += (length + 3) & ~3;
          continue;
        }
      }
      // nlmsg_type only when a type filter asks (a dump's decoder reads its own).
      let wanted = true;
      if (types !== null) {
        const type = view.getUint16(offset + 4, true);
        wanted = (types[type >>> 3] & (1 << (type & 7))) !== 0;
      }
      if (wanted) {
        if (decodeAt !== null) {
          const value = decodeAt(bytes, view, offset, length, arg);
          if (value !== undefined) destination.next(value);
          if (this.closed) return;
          offset += (length + 3) & ~3;
          continue;
        }
        const message = new NetlinkMessage(context, offset);
        let keep = true;
        for (let i = 0; keep && i < predicates.length; i++) keep = predicates[i](message);
        if (keep) {
          if (decode === null) destination.next(message as R);
          else {
            const value = decode(message, arg);
            if (value !== undefined) destination.next(value);
          }
          if (this.closed) return;
        }
      }
      offset += (length + 3) & ~3;
    }
  }
}
