// FIB rules (policy routing, `ip rule`): RTM_NEWRULE / RTM_DELRULE / RTM_GETRULE.
//
//   nlmsghdr | struct fib_rule_hdr { family, dst_len, src_len, tos,
//                                    table, res1, res2, action, flags (u32) }
//            | FRA_SRC | FRA_DST | FRA_FWMARK | FRA_FWMASK | FRA_IIFNAME | FRA_OIFNAME | …
//
// A table id above 255 travels in FRA_TABLE with `table` 0 in the header, as for routes.

import { argumentChecker } from '../../errors/check.js';
import { DecodeError } from '../../errors/NetlinkError.js';
import type { Attributes } from '../../netlink/Attributes.js';
import {
  NLM_F_ACK,
  NLM_F_CREATE,
  NLM_F_DUMP,
  NLM_F_EXCL,
  NLM_F_REQUEST,
} from '../../netlink/constants.js';
import { formatAddress, parsePrefix } from '../../netlink/inet.js';
import { MessageWriter } from '../../netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  FIB_RULE_HDR_SIZE,
  FIB_RULE_IIF_DETACHED,
  FIB_RULE_INVERT,
  FIB_RULE_OIF_DETACHED,
  FIB_RULE_UNRESOLVED,
  FR_ACT_BLACKHOLE,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_PROHIBIT,
  FR_ACT_TO_TBL,
  FR_ACT_UNREACHABLE,
  FR_ACT_UNSPEC,
  FRA_DPORT_RANGE,
  FRA_DST,
  FRA_FWMARK,
  FRA_FWMASK,
  FRA_GOTO,
  FRA_IIFNAME,
  FRA_IP_PROTO,
  FRA_L3MDEV,
  FRA_OIFNAME,
  FRA_PRIORITY,
  FRA_PROTOCOL,
  FRA_SPORT_RANGE,
  FRA_SRC,
  FRA_SUPPRESS_IFGROUP,
  FRA_SUPPRESS_PREFIXLEN,
  FRA_TABLE,
  FRA_UID_RANGE,
} from './configureConstants.js';
import {
  AF_INET,
  AF_INET6,
  AF_UNSPEC,
  RT_TABLE_MAIN,
  RTM_DELRULE,
  RTM_GETRULE,
  RTM_NEWRULE,
} from './constants.js';
import { fixedHeader } from './decoding.js';
import { rtnetlinkNames } from './rtnetlinkNames.js';

/**
 * A FIB rule with the field names and value formats of `ip -d -j rule show`: `src` is
 * `'all'` when the rule matches any source, lengths are given only when shorter than the
 * address; flags ip prints as `null` (`not`, `l3mdev`, `nop`, `iif_detached`, …) are
 * present as `null`. `family` is nlring's addition.
 *
 * @example
 * const rule: Rule = { priority: 1000, src: '10.0.0.0', srclen: 8, table: '100', protocol: 'boot', family: 'inet' };
 */
export interface Rule {
  priority: number;
  /** FIB_RULE_INVERT: the selector is negated. */
  not?: null | undefined;
  src: string;
  srclen?: number | undefined;
  dst?: string | undefined;
  dstlen?: number | undefined;
  /** "0x10". */
  tos?: string | undefined;
  /** "0x10". */
  fwmark?: string | undefined;
  /** "0xff", when not 0xffffffff. */
  fwmask?: string | undefined;
  iif?: string | undefined;
  iif_detached?: null | undefined;
  oif?: string | undefined;
  oif_detached?: null | undefined;
  l3mdev?: null | undefined;
  uid_start?: number | undefined;
  uid_end?: number | undefined;
  /** "tcp", "udp", … or the number. */
  ipproto?: string | undefined;
  sport?: number | undefined;
  sport_start?: number | undefined;
  sport_end?: number | undefined;
  dport?: number | undefined;
  dport_start?: number | undefined;
  dport_end?: number | undefined;
  /** main, local, default or the id in decimal. */
  table?: string | undefined;
  suppress_prefixlen?: number | undefined;
  /** "default" or the group in decimal. */
  suppress_ifgroup?: string | undefined;
  goto?: number | undefined;
  unresolved?: null | undefined;
  nop?: null | undefined;
  /** blackhole, unreachable, prohibit. */
  action?: string | undefined;
  /** FRA_PROTOCOL: who installed it (kernel, boot, static, …). */
  protocol: string;
  /** `inet` or `inet6`. */
  family: string;
}

const IP_PROTOCOLS: Record<number, string> = {
  1: 'icmp',
  6: 'tcp',
  17: 'udp',
  58: 'ipv6-icmp',
  132: 'sctp',
};

const ACTIONS: Record<string, number> = {
  table: FR_ACT_TO_TBL,
  goto: FR_ACT_GOTO,
  nop: FR_ACT_NOP,
  blackhole: FR_ACT_BLACKHOLE,
  unreachable: FR_ACT_UNREACHABLE,
  prohibit: FR_ACT_PROHIBIT,
};

const hex = (n: number) => `0x${n.toString(16)}`;

/**
 * Decodes an RTM_NEWRULE or RTM_DELRULE message into a {@link Rule} shaped like `ip -d -j
 * rule show` output. Plain data that owns its memory. Unknown attributes are skipped; a
 * wrong message type, a payload shorter than `struct fib_rule_hdr` or a truncated
 * attribute throw a {@link DecodeError} with the byte offset.
 *
 * @example
 * const rule = decodeRule(message); // { priority: 32766, src: 'all', table: 'main', protocol: 'kernel', family: 'inet' }
 */
export function decodeRule(message: NetlinkMessage): Rule {
  const h = fixedHeader(
    message,
    RTM_NEWRULE,
    RTM_DELRULE,
    'RULE',
    'rule',
    'fib_rule_hdr',
    FIB_RULE_HDR_SIZE,
  );
  const view = message.view;
  const bytes = message.bytes;
  const family = bytes[h];
  const dstLen = bytes[h + 1];
  const srcLen = bytes[h + 2];
  const tos = bytes[h + 3];
  let table = bytes[h + 4];
  const action = bytes[h + 7];
  const flags = view.getUint32(h + 8, true);
  const bits = family === AF_INET6 ? 128 : 32;

  let priority = 0;
  let src: string | undefined;
  let dst: string | undefined;
  let fwmark: number | undefined;
  let fwmask: number | undefined;
  let iif: string | undefined;
  let oif: string | undefined;
  let l3mdev = false;
  let uid: [number, number] | undefined;
  let ipproto: number | undefined;
  let sport: [number, number] | undefined;
  let dport: [number, number] | undefined;
  let suppressPrefixlen: number | undefined;
  let suppressIfgroup: number | undefined;
  let gotoTarget: number | undefined;
  let protocol = 0;
  const a = message.attributes(FIB_RULE_HDR_SIZE);
  while (a.next()) {
    switch (a.type) {
      case FRA_PRIORITY:
        priority = a.u32();
        break;
      case FRA_SRC:
        src = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case FRA_DST:
        dst = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case FRA_FWMARK:
        fwmark = a.u32();
        break;
      case FRA_FWMASK:
        fwmask = a.u32();
        break;
      case FRA_IIFNAME:
        iif = a.string();
        break;
      case FRA_OIFNAME:
        oif = a.string();
        break;
      case FRA_L3MDEV:
        l3mdev = a.u8() !== 0;
        break;
      case FRA_UID_RANGE:
        uid = [a.u32(), view.getUint32(rangeAt(a, 8, 'struct fib_rule_uid_range'), true)];
        break;
      case FRA_IP_PROTO:
        ipproto = a.u8();
        break;
      case FRA_SPORT_RANGE:
        sport = [a.u16(), view.getUint16(rangeAt(a, 4, 'struct fib_rule_port_range'), true)];
        break;
      case FRA_DPORT_RANGE:
        dport = [a.u16(), view.getUint16(rangeAt(a, 4, 'struct fib_rule_port_range'), true)];
        break;
      case FRA_TABLE:
        table = a.u32();
        break;
      case FRA_SUPPRESS_PREFIXLEN:
        suppressPrefixlen = a.u32();
        break;
      case FRA_SUPPRESS_IFGROUP:
        suppressIfgroup = a.u32();
        break;
      case FRA_GOTO:
        gotoTarget = a.u32();
        break;
      case FRA_PROTOCOL:
        protocol = a.u8();
        break;
    }
  }

  // ip's order of fields (iprule.c, print_rule).
  const rule: Partial<Rule> = { priority };
  if (flags & FIB_RULE_INVERT) rule.not = null;
  if (src !== undefined) {
    rule.src = src;
    if (srcLen !== bits) rule.srclen = srcLen;
  } else {
    rule.src = srcLen !== 0 ? '0' : 'all';
    if (srcLen !== 0) rule.srclen = srcLen;
  }
  if (dst !== undefined) {
    rule.dst = dst;
    if (dstLen !== bits) rule.dstlen = dstLen;
  } else if (dstLen !== 0) {
    rule.dst = '0';
    rule.dstlen = dstLen;
  }
  if (tos !== 0) rule.tos = hex(tos);
  if (fwmark !== undefined || fwmask !== undefined) {
    rule.fwmark = hex(fwmark ?? 0);
    if (fwmask !== undefined && fwmask !== 0xffffffff) rule.fwmask = hex(fwmask);
  }
  if (iif !== undefined) {
    rule.iif = iif;
    if (flags & FIB_RULE_IIF_DETACHED) rule.iif_detached = null;
  }
  if (oif !== undefined) {
    rule.oif = oif;
    if (flags & FIB_RULE_OIF_DETACHED) rule.oif_detached = null;
  }
  if (l3mdev) rule.l3mdev = null;
  if (uid !== undefined) {
    rule.uid_start = uid[0];
    rule.uid_end = uid[1];
  }
  if (ipproto !== undefined) rule.ipproto = IP_PROTOCOLS[ipproto] ?? String(ipproto);
  if (sport !== undefined) portRange(rule, 'sport', sport);
  if (dport !== undefined) portRange(rule, 'dport', dport);
  if (table !== 0 && action === FR_ACT_TO_TBL) rule.table = rtnetlinkNames.table(table);
  if (suppressPrefixlen !== undefined && suppressPrefixlen !== 0xffffffff) {
    rule.suppress_prefixlen = suppressPrefixlen;
  }
  if (suppressIfgroup !== undefined && suppressIfgroup !== 0xffffffff) {
    rule.suppress_ifgroup = suppressIfgroup === 0 ? 'default' : String(suppressIfgroup);
  }
  if (action === FR_ACT_GOTO) {
    rule.goto = gotoTarget ?? 0;
    if (flags & FIB_RULE_UNRESOLVED) rule.unresolved = null;
  } else if (action === FR_ACT_NOP) {
    rule.nop = null;
  } else if (action === FR_ACT_BLACKHOLE) {
    rule.action = 'blackhole';
  } else if (action === FR_ACT_UNREACHABLE) {
    rule.action = 'unreachable';
  } else if (action === FR_ACT_PROHIBIT) {
    rule.action = 'prohibit';
  }
  rule.protocol = rtnetlinkNames.protocol(protocol);
  rule.family = rtnetlinkNames.family(family);
  return rule as Rule;
}

function portRange(rule: Partial<Rule>, name: 'sport' | 'dport', [start, end]: number[]): void {
  if (start === end) rule[name] = start;
  else {
    rule[`${name}_start`] = start;
    rule[`${name}_end`] = end;
  }
}

/**
 * Options of {@link addRuleRequest} and {@link deleteRuleRequest}: the selector, the
 * action and the priority. Left out when deleting, a field matches any rule.
 *
 * @example
 * const o: RuleRequestOptions = { from: '10.0.0.0/8', table: 100, priority: 1000 };
 */
export interface RuleRequestOptions {
  /** `'inet'` (default unless an address is IPv6) or `'inet6'`. */
  family?: 'inet' | 'inet6' | undefined;
  /** FRA_SRC: "10.0.0.0/8", a host, or "all". */
  from?: string | undefined;
  /** FRA_DST. */
  to?: string | undefined;
  /** FRA_IIFNAME: an interface name (it need not exist). */
  iif?: string | undefined;
  /** FRA_OIFNAME. */
  oif?: string | undefined;
  /** FRA_FWMARK. */
  fwmark?: number | undefined;
  /** FRA_FWMASK (with `fwmark`). */
  fwmask?: number | undefined;
  /** `tos` in the header. */
  tos?: number | undefined;
  /** The table to look up: an id or main, local, default (add default: main). */
  table?: number | string | undefined;
  /** FRA_PRIORITY (`pref`): the order of rules; the kernel picks one when absent. */
  priority?: number | undefined;
  /** FRA_SUPPRESS_PREFIXLEN: reject lookup results with a prefix this long or shorter. */
  suppressPrefixlength?: number | undefined;
  /** FRA_L3MDEV: look up the table of the l3mdev (VRF) of iif / oif. */
  l3mdev?: boolean | undefined;
  /** FIB_RULE_INVERT: negate the selector (`ip rule add not …`). */
  not?: boolean | undefined;
  /** What a match does besides a table lookup: goto, nop, blackhole, unreachable, prohibit. */
  action?: 'table' | 'goto' | 'nop' | 'blackhole' | 'unreachable' | 'prohibit' | undefined;
  /** FRA_GOTO: the priority to jump to (action goto). */
  goto?: number | undefined;
  /** FRA_PROTOCOL: who installs it (a name like static, or a number). */
  protocol?: number | string | undefined;
  /** `nlmsg_seq` (default 0). */
  seq?: number | undefined;
}

/**
 * Writes an RTM_NEWRULE / RTM_DELRULE (@internal: the builders below with the public
 * function's name in their TypeErrors).
 *
 * @example
 * writeRule('addRule', { from: '10.0.0.0/8', table: 100 }, true);
 */
export function writeRule(fn: string, options: RuleRequestOptions, add: boolean): Uint8Array {
  const check = argumentChecker(fn);
  const o = check.options(options, !add);
  const prefix = (name: string, value: unknown) => {
    if (value === undefined || value === 'all') return undefined;
    const p = typeof value === 'string' ? parsePrefix(value) : undefined;
    return p ?? check.fail(name, 'an address, address/length or "all"', value);
  };
  const from = prefix('options.from', o.from);
  const to = prefix('options.to', o.to);
  const named = check.oneOf('options.family', o.family, ['inet', 'inet6'] as const);
  const family =
    named === 'inet6'
      ? AF_INET6
      : named === 'inet'
        ? AF_INET
        : (from?.family ?? to?.family ?? AF_INET);
  for (const [name, p] of [
    ['options.from', from],
    ['options.to', to],
  ] as const) {
    if (p !== undefined && p.family !== family) {
      check.fail(
        name,
        `an ${family === AF_INET ? 'IPv4' : 'IPv6'} prefix like the others`,
        o[name.slice(8) as 'from'],
      );
    }
  }
  const iif = check.string('options.iif', o.iif, 15);
  const oif = check.string('options.oif', o.oif, 15);
  const fwmark = check.uint('options.fwmark', o.fwmark, 32);
  const fwmask = check.uint('options.fwmask', o.fwmask, 32);
  const tos = check.uint('options.tos', o.tos, 8) ?? 0;
  const tableGiven = check.named(
    'options.table',
    o.table,
    0xffffffff,
    rtnetlinkNames.tableId,
    'main, local, default',
  );
  const priority = check.uint('options.priority', o.priority, 32);
  const suppress = check.integer('options.suppressPrefixlength', o.suppressPrefixlength, 0, 128);
  const l3mdev = check.flag('options.l3mdev', o.l3mdev);
  const not = check.flag('options.not', o.not);
  const actionName = check.oneOf('options.action', o.action, Object.keys(ACTIONS));
  const gotoTarget = check.uint('options.goto', o.goto, 32);
  const protocol = check.named(
    'options.protocol',
    o.protocol,
    255,
    rtnetlinkNames.protocolId,
    'boot, static, …',
  );
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  let action: number;
  if (actionName !== undefined) action = ACTIONS[actionName];
  else if (gotoTarget !== undefined) action = FR_ACT_GOTO;
  else if (add || tableGiven !== undefined || l3mdev) action = FR_ACT_TO_TBL;
  else action = FR_ACT_UNSPEC;
  if (action === FR_ACT_GOTO && gotoTarget === undefined) {
    check.fail('options.goto', 'a priority to jump to with action goto', o.goto);
  }
  // As ip: an added lookup rule without a table looks up main (an l3mdev rule has none).
  const table = tableGiven ?? (add && action === FR_ACT_TO_TBL && !l3mdev ? RT_TABLE_MAIN : 0);

  const w = new MessageWriter(96)
    .begin(
      add ? RTM_NEWRULE : RTM_DELRULE,
      add ? NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL : NLM_F_REQUEST | NLM_F_ACK,
      seq,
    )
    .u8(family)
    .u8(to?.prefixlen ?? 0)
    .u8(from?.prefixlen ?? 0)
    .u8(tos)
    .u8(table < 256 ? table : 0)
    .u8(0)
    .u8(0)
    .u8(action)
    .u32(not ? FIB_RULE_INVERT : 0);
  // ip writes attributes in command-line order; this is the order of `ip rule add from A
  // to B fwmark M/K iif I oif O l3mdev table T suppress_prefixlength N goto G protocol P
  // priority R`.
  if (from !== undefined) w.attr(FRA_SRC, from.bytes);
  if (to !== undefined) w.attr(FRA_DST, to.bytes);
  if (fwmark !== undefined) w.attrU32(FRA_FWMARK, fwmark);
  if (fwmask !== undefined) w.attrU32(FRA_FWMASK, fwmask);
  if (iif !== undefined) w.attrString(FRA_IIFNAME, iif);
  if (oif !== undefined) w.attrString(FRA_OIFNAME, oif);
  if (l3mdev) w.attrU8(FRA_L3MDEV, 1);
  if (table >= 256) w.attrU32(FRA_TABLE, table);
  if (suppress !== undefined) w.attrU32(FRA_SUPPRESS_PREFIXLEN, suppress);
  if (gotoTarget !== undefined) w.attrU32(FRA_GOTO, gotoTarget);
  if (protocol !== undefined) w.attrU8(FRA_PROTOCOL, protocol);
  if (priority !== undefined) w.attrU32(FRA_PRIORITY, priority);
  return w.end().finish();
}

/**
 * An RTM_NEWRULE request that adds a FIB rule, as `ip rule add …` does (NLM_F_CREATE |
 * NLM_F_EXCL: EEXIST for a rule that is there; a lookup of table main unless a table or
 * another action is given). The kernel answers with an acknowledgement. Bad options throw
 * a `TypeError` naming the option.
 *
 * @example
 * socket.send(addRuleRequest({ from: '10.0.0.0/8', table: 100, priority: 1000, seq: 1 }));
 */
export function addRuleRequest(options: RuleRequestOptions): Uint8Array {
  return writeRule('addRuleRequest', options, true);
}

/**
 * An RTM_DELRULE request that deletes the first rule matching the options, as `ip rule del
 * …` does (fields left out match any: `{ priority: 1000 }` deletes the rule at 1000). The
 * kernel answers ENOENT when none matches. Bad options throw a `TypeError` naming the option.
 *
 * @example
 * socket.send(deleteRuleRequest({ priority: 1000, seq: 2 }));
 */
export function deleteRuleRequest(options: RuleRequestOptions): Uint8Array {
  return writeRule('deleteRuleRequest', options, false);
}

/**
 * An RTM_GETRULE dump request (NLM_F_REQUEST | NLM_F_DUMP) with a zeroed `struct
 * fib_rule_hdr` of `family` (AF_UNSPEC: every family's rules), which strict checking
 * accepts. Replies decode with {@link decodeRule}.
 *
 * @example
 * socket.send(ruleDumpRequest({ family: AF_INET, seq: 1 }));
 */
export function ruleDumpRequest(options?: { family?: number; seq?: number }): Uint8Array {
  const check = argumentChecker('ruleDumpRequest');
  const o = check.options(options);
  const family = check.uint('options.family', o.family, 8) ?? AF_UNSPEC;
  const seq = check.uint('options.seq', o.seq, 32) ?? 0;
  return new MessageWriter(32)
    .begin(RTM_GETRULE, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(family)
    .zeros(FIB_RULE_HDR_SIZE - 1)
    .end()
    .finish();
}

/**
 * Where the end of a range attribute (`struct fib_rule_uid_range`, `fib_rule_port_range` of
 * <linux/fib_rules.h>: start, then end) is; a payload shorter than the struct is an error.
 */
function rangeAt(a: Attributes, size: number, what: string): number {
  if (a.length < size) {
    throw new DecodeError(
      `attribute type ${a.type}: ${a.length}-byte payload is too short for ${what}`,
      a.headerOffset,
    );
  }
  return a.offset + size / 2;
}
