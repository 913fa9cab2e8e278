import { DecodeError } from '../../errors/DecodeError.js';
import { NLM_F_CREATE } from '../../netlink/constants.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  IPCTNL_MSG_CT_DELETE,
  IPCTNL_MSG_CT_NEW,
  NFGENMSG_LEN,
  NFNL_SUBSYS_CTNETLINK,
} from './constants.js';
import { nfnlMsgType } from './nfnlMsgType.js';
import { type ConntrackInfo, readConntrackAttributes } from './readConntrackAttributes.js';
import { readNfgenmsg } from './readNfgenmsg.js';

/** What happened to a conntrack entry, as `conntrack -E` labels it. */
export type ConntrackEventType = 'new' | 'update' | 'destroy';

/** A decoded ctnetlink message: an event, or one entry of a dump. */
export interface ConntrackEntry extends ConntrackInfo {
  /**
   * `destroy` for IPCTNL_MSG_CT_DELETE; `new` for IPCTNL_MSG_CT_NEW with NLM_F_CREATE (the
   * kernel sets NLM_F_CREATE | NLM_F_EXCL on NFNLGRP_CONNTRACK_NEW events); `update` for
   * IPCTNL_MSG_CT_NEW without it — NFNLGRP_CONNTRACK_UPDATE events, and dump replies.
   */
  type: ConntrackEventType;
  /** `nfgen_family`: AF_INET or AF_INET6. */
  family: number;
  /** The layer-4 protocol name of the original tuple (`tcp`, `udp`, `icmp`...). */
  protocol: string;
}

const CT_NEW = nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW);
const CT_DELETE = nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_DELETE);

/**
 * Decodes a ctnetlink conntrack message — an event from NFNLGRP_CONNTRACK_NEW / _UPDATE /
 * _DESTROY, or an entry of an IPCTNL_MSG_CT_GET dump — into plain values named as
 * conntrack(8) shows them. Nothing in the result points into the message's memory.
 *
 * Throws a {@link DecodeError} (with the byte offset) for a message that is not
 * IPCTNL_MSG_CT_NEW or IPCTNL_MSG_CT_DELETE of NFNL_SUBSYS_CTNETLINK, or that is malformed.
 * Unknown attributes are skipped.
 *
 * @example
 * const e = decodeConntrack(msg);
 * console.log(e.type, e.protocol, e.orig.src, e.orig.sport, '->', e.orig.dst, e.orig.dport, e.protoinfo?.state);
 */
export function decodeConntrack(message: NetlinkMessage): ConntrackEntry {
  if (message.type !== CT_NEW && message.type !== CT_DELETE) {
    throw new DecodeError(
      `message type 0x${message.type.toString(16)} is not a ctnetlink IPCTNL_MSG_CT_NEW or _DELETE`,
      message.offset,
    );
  }
  const { family } = readNfgenmsg(message);
  const info = readConntrackAttributes(
    message.view,
    message.payloadOffset + NFGENMSG_LEN,
    message.end,
  );
  const type: ConntrackEventType =
    message.type === CT_DELETE ? 'destroy' : message.flags & NLM_F_CREATE ? 'new' : 'update';
  return { type, family, protocol: info.orig.proto, ...info };
}
