import { Attributes } from '../../netlink/Attributes.js';

const NOTHING = new DataView(new ArrayBuffer(0));
/** One cursor for every call: decoding is synchronous, and `read` is done with it on return. */
const cursor = new Attributes(NOTHING, 0, 0);

/**
 * Calls `read` with an `Attributes` cursor standing on the attribute whose header starts at
 * `at` (its header already checked; `end` is the end of the enclosing message), and returns
 * what `read` returns. It lets the decoders that walk attributes in place use the
 * cursor-based readers (readPacketTimestamp, readPacketHwaddr, readPacketVlan) for the rare
 * attributes they handle, without allocating a cursor per call.
 *
 * Whatever `read` throws (a DecodeError for a malformed attribute) goes to the caller. The
 * cursor lets go of `view`'s memory before returning or throwing, so it never keeps a ring
 * frame reachable. `read` must not keep the cursor.
 *
 * Internal to the netfilter decoders.
 *
 * @example
 * if (type === NFULA_TIMESTAMP) packet.timestamp = withAttributeCursor(view, at, end, readPacketTimestamp);
 */
export function withAttributeCursor<T>(
  view: DataView,
  at: number,
  end: number,
  read: (view: DataView, a: Attributes) => T,
): T {
  try {
    cursor.reset(view, at, end).next();
    return read(view, cursor);
  } finally {
    cursor.reset(NOTHING, 0, 0);
  }
}
