import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';

/**
 * A frame handle was used after its frame went back to the producer. The memory may
 * already hold another message, so nlring throws instead of reading it. Keep a frame past
 * its `next()` with `defer()` (SKIP) or `copy()`.
 *
 * @example
 * let kept; source.subscribe((f) => (kept = f)); kept.length; // throws FrameReleasedError
 */
export class FrameReleasedError extends NetlinkError {
  override readonly name = 'FrameReleasedError';

  constructor(index: number) {
    super({
      op: 'frame',
      errno: errnos.ESTALE,
      detail: `frame ${index} was released; defer() or copy() a frame to keep it past next()`,
    });
  }
}
