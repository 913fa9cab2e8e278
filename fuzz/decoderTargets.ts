// Fuzz targets for every public decoder: rtnetlink (link, address, route, neighbour, rule,
// nexthop, the event classifier with the monitor's dispatch), netfilter (NFLOG and NFQUEUE
// packets, conntrack, the nfgenmsg header), the generic netlink controller and the YNL
// codec (rt-link, rt-addr, rt-route, rt-neigh, rt-rule, nlctrl). Seeds are dump replies of
// this kernel (fuzz/kernelCaptures.ts, made by fuzz/capture.ts) and the netfilter
// captures of the tests.

import { decodeFamily } from '../src/families/genl/controller.js';
import { decodeConntrack } from '../src/families/netfilter/conntrack.js';
import { decodeNflogPacket } from '../src/families/netfilter/nflogPacket.js';
import { readNfgenmsg } from '../src/families/netfilter/nfnetlink.js';
import { decodeNfqueuePacket } from '../src/families/netfilter/nfqueuePacket.js';
import { decodeAddress } from '../src/families/rtnetlink/address.js';
import { classifyRtnetlink } from '../src/families/rtnetlink/events.js';
import { decodeLink } from '../src/families/rtnetlink/link.js';
import { decodeNeighbour } from '../src/families/rtnetlink/neighbour.js';
import { decodeNetconf } from '../src/families/rtnetlink/netconf.js';
import { decodeNexthop } from '../src/families/rtnetlink/nexthop.js';
import { decodeNsid } from '../src/families/rtnetlink/nsid.js';
import { decodeRoute } from '../src/families/rtnetlink/route.js';
import { decodeRule } from '../src/families/rtnetlink/rule.js';
import type { YnlCodec } from '../src/families/ynl/codec.js';
import { nlctrl } from '../src/families/ynl/nlctrl.js';
import { rtAddr } from '../src/families/ynl/rt-addr.js';
import { rtLink } from '../src/families/ynl/rt-link.js';
import { rtNeigh } from '../src/families/ynl/rt-neigh.js';
import { rtRoute } from '../src/families/ynl/rt-route.js';
import { rtRule } from '../src/families/ynl/rt-rule.js';
import { NetlinkMessage } from '../src/netlink/NetlinkMessage.js';
import * as nf from '../test/families/netfilter/kernelCaptures.js';
import { garbage } from './garbage.js';
import { kernelCaptures } from './kernelCaptures.js';
import type { FuzzTarget } from './targets.js';

/** The YNL codec's values are named by the specs: text and numbers, no ranges by name. */
const ynlCheck = (value: unknown) => garbage(value, '', 0, false);

/** The sequence number every seed carries (the receivers of the source targets expect it). */
export const FUZZ_SEQ = 1;

/** `bytes` (one or more messages) with every walkable nlmsg_seq set to {@link FUZZ_SEQ}. */
export function withSeq(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  for (let offset = 0; offset + 16 <= out.byteLength; ) {
    view.setUint32(offset + 8, FUZZ_SEQ, true);
    const len = view.getUint32(offset, true);
    if (len < 16) break;
    offset += len + ((4 - (len & 3)) & 3);
  }
  return out;
}

/** The captured messages of `names` (fuzz/kernelCaptures.ts), seq set. */
export function captured(...names: string[]): Uint8Array[] {
  return names.flatMap((name) =>
    (kernelCaptures[name] ?? []).map((hex) => withSeq(Uint8Array.from(Buffer.from(hex, 'hex')))),
  );
}

/** Every rtnetlink capture. */
export const rtnetlinkSeeds = (): Uint8Array[] =>
  captured(
    'link',
    'bridgeLink',
    'address',
    'route',
    'neighbour',
    'bridgeNeighbour',
    'rule',
    'nexthop',
    'netconf',
    'nsid',
  );

/** The netfilter captures of the tests. */
export const netfilterSeeds = (): Uint8Array[] =>
  [
    nf.nflogPacket,
    nf.nfqueuePacket,
    nf.conntrackNewTcp,
    nf.conntrackDestroyUdp,
    nf.conntrackDumpTcp,
  ].map(withSeq);

/** ifindex → name, as a monitor or a dump would know them (some indexes unknown). */
const ifname = new Map([
  [1, 'lo'],
  [2, 'v1'],
  [3, 'v0'],
  [4, 'br0'],
]);
const ifflags = new Map([
  [1, 0x49],
  [2, 0x1003],
  [3, 0x1043],
]);
const names = { ifname, ifflags };

/** A detached message over the whole input: NetlinkMessage.from checks its header. */
const message = (input: Uint8Array) => NetlinkMessage.from(input);

/** The decoded fixed header and attributes of a YNL operation's message. */
function ynlDecode(codec: YnlCodec, header: string, set: string, input: Uint8Array) {
  const m = message(input);
  const start = m.payloadOffset;
  return {
    ...codec.decodeStruct(header, m.view, start),
    ...codec.decode(set, m.view, start + codec.structSize(header), m.end),
  };
}

/** The monitor's dispatch: the kind the type names, decoded by that kind's decoder. */
function decodeEvent(input: Uint8Array): unknown {
  const m = message(input);
  const event = classifyRtnetlink(m.type);
  if (event === undefined) return null;
  switch (event.kind) {
    case 'link':
      return { event, link: decodeLink(m, names) };
    case 'address':
      return { event, address: decodeAddress(m, names) };
    case 'route':
      return { event, route: decodeRoute(m, names) };
    case 'neighbour':
      return { event, neighbour: decodeNeighbour(m, names) };
    case 'rule':
      return { event, rule: decodeRule(m) };
    case 'nexthop':
      return { event, nexthop: decodeNexthop(m, names) };
    case 'netconf':
      return { event, netconf: decodeNetconf(m, names) };
    case 'nsid':
      return { event, nsid: decodeNsid(m) };
    default:
      return { event };
  }
}

export const decoderTargets: FuzzTarget[] = [
  {
    name: 'decodeLink',
    seeds: () => captured('link', 'bridgeLink'),
    run: (i) => decodeLink(message(i), names),
  },
  {
    name: 'decodeAddress',
    seeds: () => captured('address'),
    run: (i) => decodeAddress(message(i), names),
  },
  {
    name: 'decodeRoute',
    seeds: () => captured('route'),
    run: (i) => decodeRoute(message(i), names),
  },
  {
    name: 'decodeNeighbour',
    seeds: () => captured('neighbour', 'bridgeNeighbour'),
    run: (i) => decodeNeighbour(message(i), names),
  },
  { name: 'decodeRule', seeds: () => captured('rule'), run: (i) => decodeRule(message(i)) },
  {
    name: 'decodeNexthop',
    seeds: () => captured('nexthop'),
    run: (i) => decodeNexthop(message(i), names),
  },
  {
    name: 'decodeNetconf',
    seeds: () => captured('netconf'),
    run: (i) => decodeNetconf(message(i), names),
  },
  { name: 'decodeNsid', seeds: () => captured('nsid'), run: (i) => decodeNsid(message(i)) },
  { name: 'rtnetlink events (classify + decode)', seeds: rtnetlinkSeeds, run: decodeEvent },
  {
    name: 'decodeNflogPacket',
    seeds: () => [withSeq(nf.nflogPacket)],
    run: (i) => decodeNflogPacket(message(i), { copy: true }),
  },
  {
    name: 'decodeNfqueuePacket',
    seeds: () => [withSeq(nf.nfqueuePacket)],
    run: (i) => decodeNfqueuePacket(message(i), { copy: true }),
  },
  {
    name: 'decodeConntrack',
    seeds: () => [nf.conntrackNewTcp, nf.conntrackDestroyUdp, nf.conntrackDumpTcp].map(withSeq),
    run: (i) => decodeConntrack(message(i)),
  },
  { name: 'readNfgenmsg', seeds: netfilterSeeds, run: (i) => readNfgenmsg(message(i)) },
  {
    name: 'decodeFamily (genl controller)',
    seeds: () => captured('genlFamily'),
    run: (i) => decodeFamily(message(i)),
  },
  {
    name: 'ynl rt-link',
    check: ynlCheck,
    seeds: () => captured('link', 'bridgeLink'),
    run: (i) => ynlDecode(rtLink, 'ifinfomsg', 'link-attrs', i),
  },
  {
    name: 'ynl rt-addr',
    check: ynlCheck,
    seeds: () => captured('address'),
    run: (i) => ynlDecode(rtAddr, 'ifaddrmsg', 'addr-attrs', i),
  },
  {
    name: 'ynl rt-route',
    check: ynlCheck,
    seeds: () => captured('route'),
    run: (i) => ynlDecode(rtRoute, 'rtmsg', 'route-attrs', i),
  },
  {
    name: 'ynl rt-neigh',
    check: ynlCheck,
    seeds: () => captured('neighbour', 'bridgeNeighbour'),
    run: (i) => ynlDecode(rtNeigh, 'ndmsg', 'neighbour-attrs', i),
  },
  {
    name: 'ynl rt-rule',
    check: ynlCheck,
    seeds: () => captured('rule'),
    run: (i) => ynlDecode(rtRule, 'fib-rule-hdr', 'fib-rule-attrs', i),
  },
  {
    name: 'ynl nlctrl',
    check: ynlCheck,
    seeds: () => captured('genlFamily'),
    run: (i) => {
      // genlmsghdr (4 bytes: cmd, version, reserved), then the attributes.
      const m = message(i);
      return nlctrl.decode('ctrl-attrs', m.view, m.payloadOffset + 4, m.end);
    },
  },
];
