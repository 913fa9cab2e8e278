import { DecodeError } from '../errors/DecodeError.js';
import { nlmsgAlign } from './align.js';
import { NLMSG_HDRLEN } from './constants.js';

/**
 * Visits every `nlmsghdr` in `[start, start + length)` of `view` — a frame holds one message,
 * or many for a dump — without allocating. `visit(offset, messageLength)` gets the offset of
 * each header; returning `false` stops the walk. Returns the number of messages visited.
 *
 * Each message must pass NLMSG_OK:
 * ```
 * #define NLMSG_OK(nlh,len) ((len) >= (int)sizeof(struct nlmsghdr) && \
 *     (nlh)->nlmsg_len >= sizeof(struct nlmsghdr) && (nlh)->nlmsg_len <= (len))
 * ```
 * and messages follow each other at NLMSG_ALIGN(nlmsg_len). Anything else — a header cut
 * short, a length below 16 or past the end — throws a {@link DecodeError} with the offset.
 *
 * @example
 * walkMessages(frame.view, frame.start, frame.length, (off) => { types.push(frame.view.getUint16(off + 4, true)) });
 */
export function walkMessages(
  view: DataView,
  start: number,
  length: number,
  visit: (offset: number, messageLength: number) => boolean | undefined,
): number {
  const end = start + length;
  let offset = start;
  let count = 0;
  while (offset < end) {
    const remaining = end - offset;
    if (remaining < NLMSG_HDRLEN) {
      throw new DecodeError(`${remaining} trailing bytes are too short for an nlmsghdr`, offset);
    }
    const len = view.getUint32(offset, true);
    if (len < NLMSG_HDRLEN || len > remaining) {
      throw new DecodeError(`nlmsg_len ${len} is outside [16, ${remaining}]`, offset);
    }
    count++;
    if (visit(offset, len) === false) break;
    offset += nlmsgAlign(len);
  }
  return count;
}
