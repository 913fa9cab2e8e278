// Nexthop objects (`ip nexthop`, Linux 5.3+): RTM_NEWNEXTHOP / RTM_DELNEXTHOP /
// RTM_GETNEXTHOP, hand-written from <linux/nexthop.h> (no YNL spec describes them).
//
//   nlmsghdr | struct nhmsg { family, scope, protocol, resvd, flags (u32) }
//            | NHA_ID | NHA_GATEWAY | NHA_OIF | NHA_BLACKHOLE | NHA_GROUP | NHA_GROUP_TYPE
//
//   NHA_GROUP: struct nexthop_grp { id (u32), weight - 1 (u8), resvd1 (u8), resvd2 (u16) }[]

import { argumentChecker } from '../../errors/check.js';
import { DecodeError } from '../../errors/NetlinkError.js';
import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REPLACE,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { formatAddress, parseAddress } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  NEXTHOP_GRP_SIZE,
  NEXTHOP_GRP_TYPE_MPATH,
  NEXTHOP_GRP_TYPE_RES,
  NHA_BLACKHOLE,
  NHA_FDB,
  NHA_GATEWAY,
  NHA_GROUP,
  NHA_GROUP_TYPE,
  NHA_ID,
  NHA_OIF,
  NHMSG_SIZE,
} from './configureConstants.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RTM_DELNEXTHOP,
  RTM_GETNEXTHOP,
  RTM_NEWNEXTHOP,
  RTNH_F_ONLINK,
} from './constants.js';
import type { RtnetlinkDecodeOptions } from './decoding.js';
import { fixedHeader, interfaceName } from './decoding.js';
import { rtnetlinkNames } from './rtnetlinkNames.js';

/**
 * A nexthop object with the field names and value formats of `ip -d -j nexthop show`: a
 * single nexthop (`gateway`, `dev`), a blackhole (`blackhole: null`) or a `group` of other
 * nexthops, whose `weight` is given when it is not 1. `deleted` marks RTM_DELNEXTHOP.
 *
 * @example
 * const nh: Nexthop = { id: 1, gateway: '10.1.0.2', dev: 'v0', scope: 'link', protocol: 'unspec', flags: [] };
 */
export interface Nexthop {
  deleted?: true | undefined;
  id: number;
  group?: Array<{ id: number; weight?: number }> | undefined;
  /** "resilient" for a resilient group (mpath groups print no type). */
  type?: string | undefined;
  gateway?: string | undefined;
  dev?: string | undefined;
  scope: string;
  blackhole?: null | undefined;
  /** NHA_FDB: a nexthop of the bridge FDB. */
  fdb?: null | undefined;
  protocol: string;
  /** RTNH_F_* names: onlink, dead, linkdown, … */
  flags: readonly string[];
}

/**
 * Decodes an RTM_NEWNEXTHOP or RTM_DELNEXTHOP message into a {@link Nexthop} shaped like
 * `ip -d -j nexthop show` output; `options.ifname` names `dev`. Plain data that owns its
 * memory. Unknown attributes are skipped; a wrong message type, a short header, a
 * truncated attribute or a group whose size is not a multiple of `struct nexthop_grp`
 * throw a {@link DecodeError} with the byte offset.
 *
 * @example
 * decodeNexthop(message, { ifname }); // { id: 1, gateway: '10.1.0.2', dev: 'v0', scope: 'link', … }
 */
export function decodeNexthop(message: NetlinkMessage, options?: RtnetlinkDecodeOptions): Nexthop {
  const type = message.type;
  const h = fixedHeader(
    message,
    RTM_NEWNEXTHOP,
    RTM_DELNEXTHOP,
    'NEXTHOP',
    'nexthop',
    'nhmsg',
    NHMSG_SIZE,
  );
  const bytes = message.bytes;
  const view = message.view;
  const family = bytes[h];
  const scope = bytes[h + 1];
  const protocol = bytes[h + 2];
  const flags = view.getUint32(h + 4, true);
  let id = 0;
  let group: Array<{ id: number; weight?: number }> | undefined;
  let groupType = NEXTHOP_GRP_TYPE_MPATH;
  let gateway: string | undefined;
  let oif: number | undefined;
  let blackhole = false;
  let fdb = false;
  const a = message.attributes(NHMSG_SIZE);
  while (a.next()) {
    switch (a.type) {
      case NHA_ID:
        id = a.u32();
        break;
      case NHA_GROUP: {
        if (a.length % NEXTHOP_GRP_SIZE !== 0) {
          throw new DecodeError(
            `NHA_GROUP of ${a.length} bytes is not a whole number of struct nexthop_grp`,
            a.headerOffset,
          );
        }
        group = [];
        for (let at = a.offset; at < a.offset + a.length; at += NEXTHOP_GRP_SIZE) {
          const weight = bytes[at + 4] + 1;
          const member: { id: number; weight?: number } = { id: view.getUint32(at, true) };
          if (weight !== 1) member.weight = weight;
          group.push(member);
        }
        break;
      }
      case NHA_GROUP_TYPE:
        groupType = a.u16();
        break;
      case NHA_GATEWAY:
        gateway = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case NHA_OIF:
        oif = a.u32();
        break;
      case NHA_BLACKHOLE:
        blackhole = true;
        break;
      case NHA_FDB:
        fdb = true;
        break;
    }
  }
  // ip's order of fields (ipnexthop.c, print_nexthop).
  const nh: Partial<Nexthop> = {};
  if (type === RTM_DELNEXTHOP) nh.deleted = true;
  nh.id = id;
  if (group !== undefined) {
    nh.group = group;
    if (groupType === NEXTHOP_GRP_TYPE_RES) nh.type = 'resilient';
  }
  if (gateway !== undefined) nh.gateway = gateway;
  if (oif !== undefined) nh.dev = interfaceName(options, oif);
  nh.scope = rtnetlinkNames.scope(scope);
  if (blackhole) nh.blackhole = null;
  if (fdb) nh.fdb = null;
  nh.protocol = rtnetlinkNames.protocol(protocol);
  nh.flags = rtnetlinkNames.routeFlags(flags);
  return nh as Nexthop;
}

/**
 * Options of {@link addNexthopRequest}: one of a gateway and/or device, a blackhole, or a
 * group of existing nexthops.
 *
 * @example
 * const o: NexthopRequestOptions = { id: 10, group: [{ id: 1, weight: 3 }, { id: 2 }] };
 */
export interface NexthopRequestOptions {
  /** NHA_ID (1–4294967295). */
  id: number;
  /** NHA_GATEWAY: an IPv4 or IPv6 address. */
  gateway?: string | undefined;
  /** NHA_OIF: the device's ifindex. */
  ifindex?: number | undefined;
  /** NHA_BLACKHOLE: drop the packets. */
  blackhole?: boolean | undefined;
  /** NHA_GROUP: nexthop ids with weights 1–256 (default 1). */
  group?: ReadonlyArray<{ id: number; weight?: number | undefined }> | undefined;
  /** NHA_GROUP_TYPE: 'mpath' (the default, hash-threshold). */
  groupType?: 'mpath' | undefined;
  /** RTNH_F_ONLINK: the gateway is on the link even without a matching route. */
  onlink?: boolean | undefined;
  /** `nh_family` when neither gateway nor group says it: 'inet' (default) or 'inet6'. */
  family?: 'inet' | 'inet6' | undefined;
  /** `nh_protocol` by name or number (default unspec, as ip). */
  protocol?: number | string | undefined;
  /** Change the nexthop if it exists (NLM_F_REPLACE, `ip nexthop replace`). */
  replace?: boolean | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * Writes an RTM_NEWNEXTHOP (@internal: {@link addNexthopRequest} with the public
 * function's name in its TypeErrors).
 *
 * @example
 * writeAddNexthop('addNexthop', { id: 2, blackhole: true });
 */
export function writeAddNexthop(fn: string, options: NexthopRequestOptions): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const id = check.requiredInteger('options.id', o.id, 1, 0xffffffff);
  const gateway =
    o.gateway === undefined
      ? undefined
      : ((typeof o.gateway === 'string' ? parseAddress(o.gateway) : undefined) ??
        check.fail('options.gateway', 'an IPv4 or IPv6 address', o.gateway));
  const ifindex = check.integer('options.ifindex', o.ifindex, 1, 0x7fffffff);
  const blackhole = check.flag('options.blackhole', o.blackhole);
  const onlink = check.flag('options.onlink', o.onlink);
  check.oneOf('options.groupType', o.groupType, ['mpath'] as const);
  const named = check.oneOf('options.family', o.family, ['inet', 'inet6'] as const);
  const protocol =
    check.named(
      'options.protocol',
      o.protocol,
      255,
      rtnetlinkNames.protocolId,
      'boot, static, …',
    ) ?? 0;
  const replace = check.flag('options.replace', o.replace);
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  let group: Array<{ id: number; weight: number }> | undefined;
  if (o.group !== undefined) {
    if (!Array.isArray(o.group) || o.group.length === 0) {
      check.fail('options.group', 'a non-empty array of { id, weight? }', o.group);
    }
    group = (o.group as ReadonlyArray<{ id?: unknown; weight?: unknown }>).map((m, i) => {
      if (typeof m !== 'object' || m === null) {
        return check.fail(`options.group[${i}]`, 'an object { id, weight? }', m);
      }
      return {
        id: check.requiredInteger(`options.group[${i}].id`, m.id, 1, 0xffffffff),
        weight: check.integer(`options.group[${i}].weight`, m.weight, 1, 256) ?? 1,
      };
    });
  }
  const kinds = [group !== undefined, blackhole, gateway !== undefined || ifindex !== undefined];
  if (kinds.filter(Boolean).length !== 1) {
    check.fail('options', 'one of: gateway and/or ifindex, blackhole, group', options);
  }
  const family =
    group !== undefined ? AF_UNSPEC : (gateway?.family ?? (named === 'inet6' ? AF_INET6 : AF_INET));
  if (
    gateway !== undefined &&
    named !== undefined &&
    gateway.family !== (named === 'inet6' ? AF_INET6 : AF_INET)
  ) {
    check.fail('options.family', 'the family of options.gateway', o.family);
  }
  const w = new MessageWriter(64)
    .begin(
      RTM_NEWNEXTHOP,
      NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | (replace ? NLM_F_REPLACE : NLM_F_EXCL),
      seq,
    )
    .u8(family)
    .u8(0) // nh_scope: return only
    .u8(protocol)
    .u8(0)
    .u32(onlink ? RTNH_F_ONLINK : 0)
    .attrU32(NHA_ID, id);
  if (group !== undefined) {
    const entries = new Uint8Array(group.length * NEXTHOP_GRP_SIZE);
    const view = new DataView(entries.buffer);
    group.forEach((m, i) => {
      view.setUint32(i * NEXTHOP_GRP_SIZE, m.id, true);
      entries[i * NEXTHOP_GRP_SIZE + 4] = m.weight - 1;
    });
    w.attr(NHA_GROUP, entries);
  }
  if (blackhole) w.attrFlag(NHA_BLACKHOLE);
  if (gateway !== undefined) w.attr(NHA_GATEWAY, gateway.bytes);
  if (ifindex !== undefined) w.attrU32(NHA_OIF, ifindex);
  return w.end().finish();
}

/**
 * An RTM_NEWNEXTHOP request that adds a nexthop object, as `ip nexthop add id N …` does:
 * `via GW dev D [onlink]`, `blackhole` or `group A,W/B` (weights 1–256; a group has family
 * AF_UNSPEC, a blackhole or device-only nexthop AF_INET unless `family` says inet6).
 * NLM_F_CREATE | NLM_F_EXCL (EEXIST for a taken id), NLM_F_REPLACE with `replace`. The
 * kernel answers with an acknowledgement. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(addNexthopRequest({ id: 1, gateway: '10.1.0.2', ifindex: 3, seq: 1 }));
 */
export function addNexthopRequest(options: NexthopRequestOptions): Uint8Array {
  return writeAddNexthop('addNexthopRequest', options);
}

/**
 * Writes an RTM_DELNEXTHOP (@internal: {@link deleteNexthopRequest} with the public
 * function's name in its TypeErrors).
 *
 * @example
 * writeDeleteNexthop('deleteNexthop', { id: 1 });
 */
export function writeDeleteNexthop(
  fn: string,
  options: { id: number; seq?: number | undefined },
): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, true);
  const id = check.requiredInteger('options.id', o.id, 1, 0xffffffff);
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  return new MessageWriter(32)
    .begin(RTM_DELNEXTHOP, NLM_F_REQUEST | NLM_F_ACK, seq)
    .zeros(NHMSG_SIZE)
    .attrU32(NHA_ID, id)
    .end()
    .finish();
}

/**
 * An RTM_DELNEXTHOP request that deletes nexthop `id`, as `ip nexthop del id N` does (the
 * routes using it go with it; a group loses the member). The kernel answers ENOENT for an
 * unknown id. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(deleteNexthopRequest({ id: 1, seq: 2 }));
 */
export function deleteNexthopRequest(options: {
  id: number;
  seq?: number | undefined;
}): Uint8Array {
  return writeDeleteNexthop('deleteNexthopRequest', options);
}

/**
 * An RTM_GETNEXTHOP dump request (NLM_F_REQUEST | NLM_F_DUMP) with a zeroed `struct
 * nhmsg` (strict checking wants it so). Replies decode with {@link decodeNexthop}.
 *
 * @example
 * socket.send(nexthopDumpRequest({ seq: 1 }));
 */
export function nexthopDumpRequest(options?: { seq?: number }): Uint8Array {
  const check = argumentChecker('nexthopDumpRequest');
  const o = check.options(options);
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  return new MessageWriter(32)
    .begin(RTM_GETNEXTHOP, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .zeros(NHMSG_SIZE)
    .end()
    .finish();
}
