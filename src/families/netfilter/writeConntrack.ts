import { NLM_F_CREATE, NLM_F_EXCL, NLM_F_MULTI } from '../../netlink/constants.js';
import type { MessageWriter } from '../../netlink/MessageWriter.js';
import { beginNfnlMessage } from './beginNfnlMessage.js';
import { IPCTNL_MSG_CT_DELETE, IPCTNL_MSG_CT_NEW, NFNL_SUBSYS_CTNETLINK } from './constants.js';
import type { ConntrackEntry } from './decodeConntrack.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import { writeConntrackAttributes } from './writeConntrackAttributes.js';

/** How a conntrack message is framed beyond its entry. */
export interface ConntrackMessageOptions {
  /** nlmsg_seq. Default 0 (events). */
  seq?: number;
  /** Mark it as part of a dump reply (NLM_F_MULTI). */
  multi?: boolean;
}

/**
 * Appends a ctnetlink message for `entry` to `w` as the kernel sends it, and returns `w`:
 * `destroy` as IPCTNL_MSG_CT_DELETE, `new` as IPCTNL_MSG_CT_NEW with NLM_F_CREATE |
 * NLM_F_EXCL, `update` as IPCTNL_MSG_CT_NEW without. The inverse of
 * {@link decodeConntrack}, for tests, replays and simulated kernels.
 *
 * @example
 * writeConntrack(w, { ...entry, type: 'destroy' }).finish();
 */
export function writeConntrack(
  w: MessageWriter,
  entry: ConntrackEntry,
  options: ConntrackMessageOptions = {},
): MessageWriter {
  const msg = entry.type === 'destroy' ? IPCTNL_MSG_CT_DELETE : IPCTNL_MSG_CT_NEW;
  const flags =
    (entry.type === 'new' ? NLM_F_CREATE | NLM_F_EXCL : 0) | (options.multi ? NLM_F_MULTI : 0);
  beginNfnlMessage(
    w,
    nfnlMsgType(NFNL_SUBSYS_CTNETLINK, msg),
    flags,
    entry.family,
    0,
    options.seq ?? 0,
  );
  writeConntrackAttributes(w, entry);
  return w.end();
}
