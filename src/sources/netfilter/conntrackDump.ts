import { map, type Observable } from 'rxjs';
import { argumentChecker } from '../../errors/check.js';
import {
  type ConntrackEntry,
  decodeConntrack,
  writeConntrackDump,
} from '../../families/netfilter/conntrack.js';
import { IPCTNL_MSG_CT_NEW, NFNL_SUBSYS_CTNETLINK } from '../../families/netfilter/constants.js';
import { nfnlMsgType } from '../../families/netfilter/nfnetlink.js';
import type { NetnsRef } from '../../io/inNetns.js';
import { type OpenEndpoint, openNetlinkSocket } from '../../io/openNetlinkSocket.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import { ofType } from '../../operators/ofType.js';
import { dumpMessages } from '../dumpMessages.js';
import { checkOpen } from './openOption.js';

/** Options of {@link conntrackDump}. */
export interface ConntrackDumpOptions {
  /** Only entries of this family (AF_INET 2, AF_INET6 10); default all (AF_UNSPEC). */
  family?: number | undefined;
  /**
   * Dump the table of this network namespace: a name
   * (`ip netns add NAME`), an absolute path, `{ fd }` or `{ pid }`.
   */
  netns?: NetnsRef | undefined;
  /**
   * Opens the endpoint instead of a netfilter socket, given `{ protocol: 'netfilter',
   * groups: [], netns }`; called once per subscription, closed at teardown.
   */
  open?: OpenEndpoint | undefined;
}

const CT_NEW = nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);

/**
 * The conntrack table, as `conntrack -L` lists it: one decoded {@link ConntrackEntry} per
 * connection (`type` is `'update'` for dump entries), completing at NLMSG_DONE.
 *
 * Cold: each subscription opens its own netfilter socket (or uses `open`), sends an
 * IPCTNL_MSG_CT_GET dump request and reads the replies through the RX ring. Entries are
 * plain values, safe to keep. Errors with a NetlinkError when the kernel refuses the dump,
 * a reply is lost to an overrun, or the table changed under the dump (a
 * `DumpInterruptedError`: retry with rxjs `retry`).
 *
 * Throws a TypeError at once for a bad option.
 *
 * @example
 * conntrackDump({ family: AF_INET, netns: 'blue' }).subscribe((e) =>
 *   console.log(e.protocol, e.orig.src, e.orig.dport, e.protoinfo?.state),
 * );
 */
export function conntrackDump(options: ConntrackDumpOptions = {}): Observable<ConntrackEntry> {
  const check = argumentChecker('conntrackDump');
  check.options(options);
  const family = check.uint('options.family', options.family, 8);
  const open = checkOpen(check, options.open, {
    protocol: 'netfilter',
    groups: [],
    netns: options.netns,
  });
  const request = writeConntrackDump(new MessageWriter(), { family, seq: 1 }).finish();
  const endpoint =
    open ?? (() => openNetlinkSocket({ protocol: 'netfilter', netns: options.netns }));
  return dumpMessages(endpoint, request).pipe(
    ofType(CT_NEW),
    map((message) => decodeConntrack(message)),
  );
}
