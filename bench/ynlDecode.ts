// Generated vs hand-written decoders (issue 12, performance): the rt-link, rt-route, rt-addr,
// rt-neigh and rt-rule decoders generated from the YNL specs beside decodeLink, decodeRoute,
// decodeAddress, decodeNeighbour and decodeRule, over the same dump captured once from a
// namespace (links: veth pairs, macvlans, vxlans, bridges; routes, addresses, neighbours and
// rules through them), in one process, JIT-warm, trials alternating. Per family the eager
// decoders (fixed header + attribute set into plain objects, every attribute the spec names);
// for links and routes also the lazy views reading the fields the library's decoder prints
// most (link: ifname, mtu, address, operstate, kind; route: dst, gateway, oif, table,
// priority). decodeLink itself runs on the generated rt-link views since issue 12 (it adds
// ip's names and formats: flags, addresses by ifi_type, info_data, stats64, `attrs`), so its
// rows measure what that shaping costs over the bare generated decode.
import { lastValueFrom, map, toArray } from 'rxjs';
import { addressDumpRequest, decodeAddress } from '../src/families/rtnetlink/address.js';
import { decodeLink, linkDumpRequest } from '../src/families/rtnetlink/link.js';
import { decodeNeighbour, neighbourDumpRequest } from '../src/families/rtnetlink/neighbour.js';
import { decodeRoute, routeDumpRequest } from '../src/families/rtnetlink/route.js';
import { decodeRule, ruleDumpRequest } from '../src/families/rtnetlink/rule.js';
import { decodeAddrAttrs, decodeIfaddrmsg } from '../src/families/ynl/rt-addr.js';
import { decodeIfinfomsg, decodeLinkAttrs, LinkAttrsView } from '../src/families/ynl/rt-link.js';
import { decodeNdmsg, decodeNeighbourAttrs } from '../src/families/ynl/rt-neigh.js';
import { decodeRouteAttrs, decodeRtmsg, RouteAttrsView } from '../src/families/ynl/rt-route.js';
import { decodeFibRuleAttrs, decodeFibRuleHdr } from '../src/families/ynl/rt-rule.js';
import { openNetlinkSocket } from '../src/io/openNetlinkSocket.js';
import { NetlinkMessage } from '../src/netlink/NetlinkMessage.js';
import { dumpMessages } from '../src/sources/dumpMessages.js';
import { compare, measure, timed } from './measure.js';
import { createBenchNetns } from './netns.js';
import type { Benchmark, BenchResult } from './types.js';

const IFINFOMSG = 16;
const RTMSG = 12;
const IFADDRMSG = 8;
const NDMSG = 12;
const FIB_RULE_HDR = 12;

/** The namespace's links and routes. */
function populate(batch: (commands: readonly string[]) => void): void {
  const commands: string[] = [];
  for (let i = 0; i < 16; i++) {
    commands.push(`link add yv${i} type veth peer name yp${i}`);
    commands.push(`link set yv${i} up`, `link set yp${i} up`);
    commands.push(`addr add 10.${i}.0.1/16 dev yv${i}`, `addr add fd00:${i}::1/64 dev yv${i}`);
  }
  for (let i = 0; i < 8; i++) {
    commands.push(`link add ym${i} link yp${i} type macvlan mode bridge`);
    commands.push(`link add yx${i} type vxlan id ${100 + i} dstport 4789`);
    commands.push(`link add yb${i} type bridge`, `link set yp${i + 8} master yb${i}`);
  }
  for (let i = 0; i < 4000; i++) {
    const dev = `yv${i % 16}`;
    commands.push(
      `route add 172.${16 + (i >> 8)}.${i & 255}.0/24 via 10.${i % 16}.0.2 dev ${dev} metric ${i % 7}`,
    );
  }
  for (let i = 0; i < 500; i++)
    commands.push(`route add fd10:${i.toString(16)}::/48 via fd00:${i % 16}::2 dev yv${i % 16}`);
  for (let i = 0; i < 16; i++) {
    for (let j = 2; j < 34; j++) commands.push(`addr add 10.${i}.1.${j}/16 dev yv${i}`);
  }
  for (let i = 0; i < 1000; i++) {
    const mac = `02:00:00:00:${(i >> 8).toString(16)}:${(i & 255).toString(16)}`;
    commands.push(`neigh add 10.${i % 16}.2.${i >> 4} lladdr ${mac} dev yv${i % 16}`);
  }
  for (let i = 0; i < 500; i++) {
    commands.push(
      `rule add from 10.${i % 200}.${i >> 8}.0/24 table ${100 + (i % 50)} pref ${1000 + i}`,
    );
  }
  batch(commands);
}

/** The messages of one dump, copied out of the ring into one buffer. */
async function capture(netns: string, request: Uint8Array): Promise<NetlinkMessage[]> {
  const copies = await lastValueFrom(
    dumpMessages(() => openNetlinkSocket({ protocol: 'route', netns }), request).pipe(
      map((m) => m.data.slice()),
      toArray(),
    ),
  );
  const total = copies.reduce((n, c) => n + c.byteLength, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  const out: NetlinkMessage[] = [];
  let at = 0;
  for (const c of copies) {
    bytes.set(c, at);
    out.push(NetlinkMessage.at(bytes, view, at));
    at += c.byteLength;
  }
  return out;
}

type Decode = (messages: readonly NetlinkMessage[]) => number;

/** Trials alternating baseline and subject, each `rounds` passes over the messages. */
function alternate(
  messages: readonly NetlinkMessage[],
  subject: Decode,
  baseline: Decode,
  trials: number,
  rounds: number,
  progress: (note: string) => void,
  label: string,
): { subject: number[]; baseline: number[] } {
  for (let i = 0; i < 30; i++) {
    subject(messages);
    baseline(messages);
  }
  const s: number[] = [];
  const b: number[] = [];
  for (let t = 0; t < trials; t++) {
    progress(`${label} trial ${t + 1}/${trials}`);
    const order = t % 2 === 0 ? [baseline, subject] : [subject, baseline];
    for (const fn of order) {
      const r = timed(() => {
        let sink = 0;
        for (let i = 0; i < rounds; i++) sink += fn(messages);
        return sink;
      });
      const rate = (messages.length * rounds) / r.seconds;
      (fn === subject ? s : b).push(rate);
    }
  }
  return { subject: s, baseline: b };
}

// Each decoder returns a number folded from its output so the work cannot be dropped.
const handLinks: Decode = (ms) => {
  let n = 0;
  for (const m of ms) n += decodeLink(m).mtu ?? 0;
  return n;
};
const generatedLinks: Decode = (ms) => {
  let n = 0;
  for (const m of ms) {
    const v = m.view;
    const p = m.payloadOffset;
    const header = decodeIfinfomsg(v, p, m.end);
    const attrs = decodeLinkAttrs(v, p + IFINFOMSG, m.end);
    n += (attrs.mtu ?? 0) + header['ifi-index'];
  }
  return n;
};
const handLinksLazy: Decode = (ms) => {
  let n = 0;
  for (const m of ms) {
    const l = decodeLink(m);
    n +=
      (l.mtu ?? 0) +
      (l.ifname?.length ?? 0) +
      (l.address?.length ?? 0) +
      (l.operstate?.length ?? 0);
    n += l.linkinfo?.info_kind?.length ?? 0;
  }
  return n;
};
const viewLinks: Decode = (ms) => {
  let n = 0;
  for (const m of ms) {
    const l = LinkAttrsView.of(m, IFINFOMSG);
    const address = l.address;
    n += (l.mtu ?? 0) + (l.ifname?.length ?? 0) + (address?.length ?? 0) + (l.operstate ?? 0);
    n += l.linkinfo?.kind?.length ?? 0;
  }
  return n;
};
const handRoutes: Decode = (ms) => {
  let n = 0;
  for (const m of ms) n += decodeRoute(m).metric ?? 0;
  return n;
};
const generatedRoutes: Decode = (ms) => {
  let n = 0;
  for (const m of ms) {
    const v = m.view;
    const p = m.payloadOffset;
    const header = decodeRtmsg(v, p, m.end);
    const attrs = decodeRouteAttrs(v, p + RTMSG, m.end);
    n += (attrs.priority ?? 0) + header['rtm-dst-len'];
  }
  return n;
};
const handRoutesLazy: Decode = (ms) => {
  let n = 0;
  for (const m of ms) {
    const r = decodeRoute(m);
    n += r.dst.length + (r.gateway?.length ?? 0) + (r.ifindex ?? 0) + (r.metric ?? 0);
    n += r.table?.length ?? 0;
  }
  return n;
};
const viewRoutes: Decode = (ms) => {
  let n = 0;
  for (const m of ms) {
    const r = RouteAttrsView.of(m, RTMSG);
    n += (r.dst?.length ?? 0) + (r.gateway?.length ?? 0) + (r.oif ?? 0) + (r.priority ?? 0);
    n += r.table ?? 0;
  }
  return n;
};

/** A hand-written decoder over every message, each result folded to a number. */
function hand<T>(decode: (m: NetlinkMessage) => T, fold: (decoded: T) => number): Decode {
  return (ms) => {
    let n = 0;
    for (const m of ms) n += fold(decode(m));
    return n;
  };
}

/** The eager generated decode of a fixed header and its attribute set, folded to a number. */
function generated<H, A>(
  size: number,
  header: (v: DataView, at: number, end: number) => H,
  attrs: (v: DataView, start: number, end: number) => A,
  fold: (h: H, a: A) => number,
): Decode {
  return (ms) => {
    let n = 0;
    for (const m of ms) {
      const p = m.payloadOffset;
      n += fold(header(m.view, p, m.end), attrs(m.view, p + size, m.end));
    }
    return n;
  };
}
const handAddresses = hand(decodeAddress, (a) => a.prefixlen ?? 0);
const generatedAddresses = generated(
  IFADDRMSG,
  decodeIfaddrmsg,
  decodeAddrAttrs,
  (h, a) => h['ifa-prefixlen'] + (a.label?.length ?? 0),
);
const handNeighbours = hand(decodeNeighbour, (n) => n.dst?.length ?? 0);
const generatedNeighbours = generated(
  NDMSG,
  decodeNdmsg,
  decodeNeighbourAttrs,
  (h, a) => h['ndm-ifindex'] + (a.probes ?? 0),
);
const handRules = hand(decodeRule, (r) => r.priority ?? 0);
const generatedRules = generated(
  FIB_RULE_HDR,
  decodeFibRuleHdr,
  decodeFibRuleAttrs,
  (h, a) => h.table + (a.priority ?? 0),
);

export const ynlDecode: Benchmark = {
  id: 'ynl-decode',
  title:
    'generated (YNL) vs the library rt-link, rt-route, rt-addr, rt-neigh and rt-rule decoders over one captured dump',
  needsRoot: true,
  async run({ trials, progress }) {
    const ns = createBenchNetns('nlring-bench-ynl');
    let links: NetlinkMessage[];
    let routes: NetlinkMessage[];
    let addresses: NetlinkMessage[];
    let neighbours: NetlinkMessage[];
    let rules: NetlinkMessage[];
    try {
      progress('populating the namespace');
      populate((c) => ns.batch(c));
      links = await capture(ns.name, linkDumpRequest({ seq: 1 }));
      routes = await capture(ns.name, routeDumpRequest({ seq: 2 }));
      addresses = await capture(ns.name, addressDumpRequest({ seq: 3 }));
      neighbours = await capture(ns.name, neighbourDumpRequest({ seq: 4 }));
      rules = await capture(ns.name, ruleDumpRequest({ seq: 5 }));
    } finally {
      ns.remove();
    }
    const rows: BenchResult[] = [];
    const row = (
      id: string,
      title: string,
      messages: NetlinkMessage[],
      subjectName: string,
      subject: Decode,
      baselineName: string,
      baseline: Decode,
      rounds: number,
    ) => {
      const r = alternate(messages, subject, baseline, trials, rounds, progress, id);
      rows.push(
        compare({
          id,
          title,
          subject: measure(subjectName, 'messages/s', r.subject),
          baseline: measure(baselineName, 'messages/s', r.baseline),
          higherIsBetter: true,
          target: 0.9,
          extra: { messages: messages.length, rounds },
        }),
      );
    };
    row(
      'ynl-decode-rt-link',
      `${links.length} captured RTM_NEWLINK messages, decoded to plain objects`,
      links,
      'generated decodeIfinfomsg + decodeLinkAttrs',
      generatedLinks,
      'decodeLink (generated views + ip shape)',
      handLinks,
      1000,
    );
    row(
      'ynl-decode-rt-link-lazy',
      `${links.length} captured RTM_NEWLINK messages, five fields read`,
      links,
      'generated LinkAttrsView getters',
      viewLinks,
      'decodeLink, the same fields',
      handLinksLazy,
      1000,
    );
    row(
      'ynl-decode-rt-route',
      `${routes.length} captured RTM_NEWROUTE messages, decoded to plain objects`,
      routes,
      'generated decodeRtmsg + decodeRouteAttrs',
      generatedRoutes,
      'hand-written decodeRoute',
      handRoutes,
      10,
    );
    row(
      'ynl-decode-rt-route-lazy',
      `${routes.length} captured RTM_NEWROUTE messages, five fields read`,
      routes,
      'generated RouteAttrsView getters',
      viewRoutes,
      'hand-written decodeRoute, the same fields',
      handRoutesLazy,
      10,
    );
    row(
      'ynl-decode-rt-addr',
      `${addresses.length} captured RTM_NEWADDR messages, decoded to plain objects`,
      addresses,
      'generated decodeIfaddrmsg + decodeAddrAttrs',
      generatedAddresses,
      'hand-written decodeAddress',
      handAddresses,
      100,
    );
    row(
      'ynl-decode-rt-neigh',
      `${neighbours.length} captured RTM_NEWNEIGH messages, decoded to plain objects`,
      neighbours,
      'generated decodeNdmsg + decodeNeighbourAttrs',
      generatedNeighbours,
      'hand-written decodeNeighbour',
      handNeighbours,
      50,
    );
    row(
      'ynl-decode-rt-rule',
      `${rules.length} captured FIB rule messages, decoded to plain objects`,
      rules,
      'generated decodeFibRuleHdr + decodeFibRuleAttrs',
      generatedRules,
      'hand-written decodeRule',
      handRules,
      100,
    );
    return rows;
  },
};
