// The generic netlink controller (nlctrl, GENL_ID_CTRL): the genlmsghdr, CTRL_CMD_GETFAMILY
// requests and the decoder of its replies. Constants from linux/genetlink.h.
//
//  0               4       6       8               12              16      17      18    20
// +---------------+-------+-------+---------------+---------------+-------+-------+-----+
// |  nlmsg_len    | type  | flags |  nlmsg_seq    |  nlmsg_pid    |  cmd  |version| rsv |
// +---------------+-------+-------+---------------+---------------+-------+-------+-----+
//   type = the family id; then the family's fixed header (hdrsize bytes), then attributes.
import { DecodeError } from '../../errors/NetlinkError.js';
import { Attributes } from '../../netlink/Attributes.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';

/** `GENL_HDRLEN`: the size of struct genlmsghdr. */
export const GENL_HDRLEN = 4;
/** `GENL_ID_CTRL`: the controller's fixed family id. */
export const GENL_ID_CTRL = 0x10;
/** `GENL_NAMSIZ`: family names are at most 15 bytes and a NUL. */
export const GENL_NAMSIZ = 16;

export const CTRL_CMD_NEWFAMILY = 1;
export const CTRL_CMD_DELFAMILY = 2;
export const CTRL_CMD_GETFAMILY = 3;

export const CTRL_ATTR_FAMILY_ID = 1;
export const CTRL_ATTR_FAMILY_NAME = 2;
export const CTRL_ATTR_VERSION = 3;
export const CTRL_ATTR_HDRSIZE = 4;
export const CTRL_ATTR_MAXATTR = 5;
export const CTRL_ATTR_OPS = 6;
export const CTRL_ATTR_MCAST_GROUPS = 7;

export const CTRL_ATTR_OP_ID = 1;
export const CTRL_ATTR_OP_FLAGS = 2;
export const CTRL_ATTR_MCAST_GRP_NAME = 1;
export const CTRL_ATTR_MCAST_GRP_ID = 2;

/** `GENL_ADMIN_PERM` … `GENL_UNS_ADMIN_PERM`: operation flags. */
export const GENL_ADMIN_PERM = 0x01;
export const GENL_CMD_CAP_DO = 0x02;
export const GENL_CMD_CAP_DUMP = 0x04;
export const GENL_CMD_CAP_HASPOL = 0x08;
export const GENL_UNS_ADMIN_PERM = 0x10;

/** One operation a family offers: its command and `GENL_*` flags. */
export interface GenlOperation {
  readonly id: number;
  readonly flags: number;
}

/** A multicast group of a family: its name and the number to join. */
export interface GenlMulticastGroup {
  readonly name: string;
  readonly id: number;
}

/** What CTRL_CMD_GETFAMILY says about a family. */
export interface GenlFamilyInfo {
  readonly id: number;
  readonly name: string;
  readonly version: number;
  readonly hdrsize: number;
  readonly maxattr: number;
  readonly ops: readonly GenlOperation[];
  readonly mcastGroups: readonly GenlMulticastGroup[];
}

/**
 * Starts a generic netlink message on `writer`: nlmsghdr (type = family id) and genlmsghdr.
 * The caller writes the fixed header and attributes, then `end()`.
 *
 * @example
 * beginGenlMessage(new MessageWriter(), GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 2, 0x301, 1).end();
 */
export function beginGenlMessage(
  writer: MessageWriter,
  familyId: number,
  command: number,
  version: number,
  flags: number,
  seq: number,
): MessageWriter {
  return writer.begin(familyId, flags, seq).u8(command).u8(version).u16(0);
}

/**
 * A CTRL_CMD_GETFAMILY request: for one family by name, or a dump of all (no name).
 *
 * @example
 * getFamilyRequest({ name: 'ethtool', seq: 1 });
 */
export function getFamilyRequest(options: { name?: string; seq: number }): Uint8Array {
  const NLM_F_REQUEST = 0x1;
  const NLM_F_ACK = 0x4;
  const NLM_F_DUMP = 0x300;
  const w = new MessageWriter(64);
  const flags = NLM_F_REQUEST | (options.name === undefined ? NLM_F_DUMP : NLM_F_ACK);
  beginGenlMessage(w, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, flags, options.seq);
  if (options.name !== undefined) w.attrString(CTRL_ATTR_FAMILY_NAME, options.name);
  return w.end().finish();
}

function decodeIndexed<T>(a: Attributes, item: (inner: Attributes) => T): T[] {
  const out: T[] = [];
  const outer = a.nested();
  while (outer.next()) out.push(item(outer.nested()));
  return out;
}

/**
 * Decodes a CTRL_CMD_NEWFAMILY message (the reply to GETFAMILY, and the `notify` group's
 * events). Throws a DecodeError for a message too short for the genlmsghdr or with bad
 * attributes; unknown attributes are skipped.
 *
 * @example
 * const info = decodeFamily(message); // { id: 0x10, name: 'nlctrl', version: 2, ... }
 */
export function decodeFamily(message: NetlinkMessage): GenlFamilyInfo {
  if (message.payloadLength < GENL_HDRLEN) {
    throw new DecodeError(
      `${message.payloadLength}-byte payload has no genlmsghdr`,
      message.offset,
    );
  }
  let id = 0;
  let name = '';
  let version = 0;
  let hdrsize = 0;
  let maxattr = 0;
  let ops: GenlOperation[] = [];
  let mcastGroups: GenlMulticastGroup[] = [];
  const a = new Attributes(message.view, message.payloadOffset + GENL_HDRLEN, message.end);
  while (a.next()) {
    switch (a.type) {
      case CTRL_ATTR_FAMILY_ID:
        id = a.u16();
        break;
      case CTRL_ATTR_FAMILY_NAME:
        name = a.string();
        break;
      case CTRL_ATTR_VERSION:
        version = a.u32();
        break;
      case CTRL_ATTR_HDRSIZE:
        hdrsize = a.u32();
        break;
      case CTRL_ATTR_MAXATTR:
        maxattr = a.u32();
        break;
      case CTRL_ATTR_OPS:
        ops = decodeIndexed(a, (op) => {
          let opId = 0;
          let flags = 0;
          while (op.next()) {
            if (op.type === CTRL_ATTR_OP_ID) opId = op.u32();
            else if (op.type === CTRL_ATTR_OP_FLAGS) flags = op.u32();
          }
          return { id: opId, flags };
        });
        break;
      case CTRL_ATTR_MCAST_GROUPS:
        mcastGroups = decodeIndexed(a, (g) => {
          let groupName = '';
          let groupId = 0;
          while (g.next()) {
            if (g.type === CTRL_ATTR_MCAST_GRP_NAME) groupName = g.string();
            else if (g.type === CTRL_ATTR_MCAST_GRP_ID) groupId = g.u32();
          }
          return { name: groupName, id: groupId };
        });
        break;
    }
  }
  return { id, name, version, hdrsize, maxattr, ops, mcastGroups };
}
