import type { OperatorFunction } from 'rxjs';
import type { NetlinkMessage } from '../netlink/NetlinkMessage.js';
import type { Frame } from '../ring/Frame.js';
import { MessageStream } from './MessageStream.js';

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
 * This is the hot path: per message it allocates only the {@link NetlinkMessage}. Message
 * filters right after it (`ofType`, `ofGroup`, `filterMessages`) fuse into it: unwanted
 * messages are skipped before a handle is built (see {@link MessageStream}).
 *
 * @example
 * fromRing(open)
 *   .pipe(parseMessages(), ofType(rtnetlink.RTM_NEWLINK))
 *   .subscribe((m) => console.log(m instanceof Overrun ? m.lost : m.seq));
 */
export function parseMessages<T>(): OperatorFunction<T, NetlinkMessage | Exclude<T, Frame>> {
  return (source) => new MessageStream<T>(source);
}
