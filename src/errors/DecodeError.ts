import { errnos } from './errno.js';
import { NetlinkError } from './NetlinkError.js';

/**
 * Malformed bytes: a message, attribute or frame that does not parse. `offset` is the byte
 * offset of the fault inside the buffer that was being decoded; `errno` is EBADMSG.
 *
 * @example
 * try { decodeLink(bytes) } catch (e) { if (e instanceof DecodeError) console.log(e.offset) }
 */
export class DecodeError extends NetlinkError {
  override readonly name = 'DecodeError';
  /** Byte offset of the fault in the decoded buffer. */
  readonly at: number;

  constructor(detail: string, at: number) {
    super({ op: 'decode', errno: errnos.EBADMSG, detail: `${detail} (at byte ${at})` });
    this.at = at;
  }
}
