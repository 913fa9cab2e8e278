import {
  Observable,
  type Observer,
  type OperatorFunction,
  type Subscriber,
  Subscription,
} from 'rxjs';
import { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import { walkMessages } from '../netlink/walkMessages.js';
import { Frame } from '../ring/Frame.js';

/**
 * Splits each {@link Frame} into the netlink messages it holds (one, or many for a dump
 * frame), in order. Every other value (an `Overrun`) passes through untouched and in order.
 *
 * Frames are borrowed: all messages of a frame are emitted synchronously inside that frame's
 * `next()`, and each message reads its bytes in place with the frame as owner, so after the
 * frame is released the message's `data`, `view` and `attributes()` throw. Header fields
 * (`type`, `flags`, `seq`, ...) stay readable. Keep messages with `copyMessages()`, or
 * defer their frames with `deferFrames()`.
 *
 * Completes when the source completes. A malformed frame (a header cut short, an
 * `nlmsg_len` below 16 or past the end) errors the stream with a `DecodeError` carrying the
 * byte offset, after the messages before the fault were emitted; a released frame errors it
 * with `FrameReleasedError`. Unsubscribing stops the walk at once, even mid-frame.
 *
 * This is the hot path: per message it allocates only the {@link NetlinkMessage}.
 *
 * @example
 * fromRing(open).pipe(parseMessages(), ofType(RTM_NEWLINK)).subscribe((m) => console.log(m.seq));
 */
export function parseMessages<T>(): OperatorFunction<T, NetlinkMessage | Exclude<T, Frame>> {
  return (source) =>
    new Observable<NetlinkMessage | Exclude<T, Frame>>((subscriber) => {
      const parser = new FrameParser<T>(subscriber);
      // Linked before subscribing, so a synchronous source sees `closed` as soon as the
      // subscriber below goes away (take(1)) and stops emitting.
      subscriber.add(parser);
      source.subscribe(parser);
    });
}

/**
 * The per-subscription state of {@link parseMessages}. It is both the observer and the
 * subscription handed to the source (rxjs uses an object that is an Observer and a
 * Subscription as the subscriber itself), and its walk callback is made once, so parsing a
 * frame allocates nothing but the messages.
 */
class FrameParser<T> extends Subscription implements Observer<T> {
  private readonly destination: Subscriber<NetlinkMessage | Exclude<T, Frame>>;
  private frame: Frame | null = null;
  private bytes: Uint8Array = new Uint8Array(0);
  private view: DataView = new DataView(this.bytes.buffer);
  private group = 0;

  private readonly visit = (offset: number): boolean => {
    this.destination.next(
      new NetlinkMessage(this.bytes, this.view, offset, this.group, this.frame),
    );
    return !this.closed;
  };

  constructor(destination: Subscriber<NetlinkMessage | Exclude<T, Frame>>) {
    super();
    this.destination = destination;
  }

  next(value: T): void {
    if (this.closed) return;
    if (!(value instanceof Frame)) {
      this.destination.next(value as Exclude<T, Frame>);
      return;
    }
    // A downstream next() may feed this parser another frame re-entrantly: keep ours.
    const { frame, bytes, view, group } = this;
    try {
      this.frame = value;
      this.bytes = value.bytes;
      this.view = value.view;
      this.group = value.group;
      walkMessages(this.view, value.start, value.length, this.visit);
    } catch (error) {
      this.error(error);
    } finally {
      this.frame = frame;
      this.bytes = bytes;
      this.view = view;
      this.group = group;
    }
  }

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
