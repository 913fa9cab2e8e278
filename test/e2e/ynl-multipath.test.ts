// rt-route's RTA_MULTIPATH on this kernel (the overlay's `sized-entries`: an array of struct
// rtnexthop, each followed by its own route attributes): multipath routes made by ip in a
// fresh namespace, IPv4 and IPv6, dumped once, read by the generated decoder, the generated
// lazy view and the run-time codec, equal the hand-written decodeRoute's `nexthops` and
// `ip -j route show`; one built by the generated codec is taken by the kernel as ip shows it.
import { lastValueFrom, map, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { RTM_NEWROUTE } from '../../src/families/rtnetlink/constants.js';
import { decodeRoute, routeDumpRequest } from '../../src/families/rtnetlink/route.js';
import {
  decodeRouteAttrs,
  decodeRtmsg,
  RouteAttrsView,
  rtRoute,
} from '../../src/families/ynl/rt-route.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { formatIPv4, formatIPv6 } from '../../src/netlink/inet.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { dumpMessages } from '../../src/sources/dumpMessages.js';
import { request } from '../../src/sources/request.js';
import { useNetns } from './netns.js';

const root = process.getuid?.() === 0;
if (!root) console.log('ynl multipath e2e: skipped, needs root for network namespaces');

/** linux/rtnetlink.h RTNH_F_ONLINK. */
const RTNH_F_ONLINK = 4;
const RTMSG = 12;

interface Hop {
  gateway: string | undefined;
  ifindex: number;
  weight: number;
  onlink: boolean;
}

function text(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value as string | undefined;
  const bytes = value as Uint8Array;
  return bytes.length === 4 ? formatIPv4(bytes) : formatIPv6(bytes);
}

/** The generated form of one entry as the hand-written form's fields. */
function hop(value: object): Hop {
  const entry = value as Record<string, unknown>;
  return {
    gateway: text(entry.gateway),
    ifindex: Number(entry['rtnh-ifindex']),
    weight: Number(entry['rtnh-hops']) + 1,
    onlink: (Number(entry['rtnh-flags']) & RTNH_F_ONLINK) !== 0,
  };
}

/** Two veth pairs up, m1 in 10.61.0.0/24 and m2 in 10.62.0.0/24: the paths of the routes. */
const TWO_LINKS = [
  'link add m1 type veth peer name m1p',
  'link add m2 type veth peer name m2p',
  'link set m1 up',
  'link set m2 up',
  'link set m1p up',
  'link set m2p up',
  'addr add 10.61.0.1/24 dev m1',
  'addr add 10.62.0.1/24 dev m2',
];

describe.runIf(root)('rt-route multipath on this kernel', () => {
  const netns = useNetns();

  it('IPv4 and IPv6 multipath routes decode alike in the generated code, decodeRoute and ip', async () => {
    const ns = netns();
    ns.batch([
      ...TWO_LINKS,
      'addr add fd61::1/64 dev m1 nodad',
      'addr add fd62::1/64 dev m2 nodad',
      'route add 10.99.0.0/16 nexthop via 10.61.0.2 dev m1 weight 3 nexthop via 10.62.0.2 dev m2 weight 1',
      'route add 10.98.0.0/16 nexthop via 10.61.0.7 dev m1 onlink nexthop via 10.62.0.7 dev m2 weight 200',
      'route add fd99::/64 nexthop via fd61::2 dev m1 weight 2 nexthop via fd62::2 dev m2 weight 5',
    ]);
    const ifindex = new Map<string, number>(
      ns
        .ipJson<{ ifname: string; ifindex: number }[]>('link', 'show')
        .map((l) => [l.ifname, l.ifindex]),
    );
    const ifname = new Map([...ifindex].map(([n, i]) => [i, n]));
    const rows = await lastValueFrom(
      dumpMessages(
        () => openNetlinkSocket({ protocol: 'route', netns: ns.name }),
        routeDumpRequest({ seq: 9 }),
      ).pipe(
        map((m) => {
          const header = decodeRtmsg(m.view, m.payloadOffset, m.end);
          const attrs = decodeRouteAttrs(m.view, m.payloadOffset + RTMSG, m.end);
          const view = RouteAttrsView.of(m, RTMSG);
          const runtime = rtRoute.decode('route-attrs', m.view, m.payloadOffset + RTMSG, m.end);
          return {
            family: header['rtm-family'],
            dstLen: header['rtm-dst-len'],
            dst: text(attrs.dst),
            generated: attrs.multipath?.map(hop),
            lazy: view.multipath?.map(hop),
            runtime: (runtime.multipath as object[] | undefined)?.map(hop),
            hand: decodeRoute(m, { ifname }).nexthops?.map((h) => ({
              gateway: h.gateway,
              ifindex: h.ifindex,
              weight: h.weight,
              onlink: h.flags.includes('onlink'),
            })),
          };
        }),
        toArray(),
      ),
    );
    const multipath = rows.filter((r) => r.generated !== undefined);
    expect(multipath.map((r) => `${r.dst}/${r.dstLen}`).sort()).toEqual([
      '10.98.0.0/16',
      '10.99.0.0/16',
      'fd99::/64',
    ]);
    for (const r of multipath) {
      expect(r.generated).toEqual(r.hand);
      expect(r.lazy).toEqual(r.generated);
      expect(r.runtime).toEqual(r.generated);
    }
    // The same paths as ip prints them.
    type IpRoute = {
      dst: string;
      nexthops?: { gateway: string; dev: string; weight: number; flags: string[] }[];
    };
    const ip = [
      ...ns.ipJson<IpRoute[]>('route', 'show'),
      ...ns.ipJson<IpRoute[]>('-6', 'route', 'show'),
    ].filter((r) => r.nexthops !== undefined);
    const fromIp = new Map(
      ip.map((r) => [
        r.dst,
        r.nexthops?.map((h) => ({
          gateway: h.gateway,
          ifindex: ifindex.get(h.dev),
          weight: h.weight,
          onlink: h.flags.includes('onlink'),
        })),
      ]),
    );
    for (const r of multipath) {
      expect(r.generated).toEqual(fromIp.get(`${r.dst}/${r.dstLen}`));
    }
    expect(multipath.find((r) => r.dst === '10.98.0.0')?.generated).toEqual([
      { gateway: '10.61.0.7', ifindex: ifindex.get('m1'), weight: 1, onlink: true },
      { gateway: '10.62.0.7', ifindex: ifindex.get('m2'), weight: 200, onlink: false },
    ]);
  });

  it('a multipath route built by the generated codec is taken by the kernel as ip shows it', async () => {
    const ns = netns();
    ns.batch([...TWO_LINKS]);
    const ifindex = new Map<string, number>(
      ns
        .ipJson<{ ifname: string; ifindex: number }[]>('link', 'show')
        .map((l) => [l.ifname, l.ifindex]),
    );
    // linux/rtnetlink.h: AF_INET 2, RT_TABLE_MAIN 254, RTPROT_STATIC 4, RT_SCOPE_UNIVERSE 0.
    const w = new MessageWriter();
    w.begin(RTM_NEWROUTE, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1, 0);
    rtRoute.buildStruct('rtmsg', w, {
      'rtm-family': 2,
      'rtm-dst-len': 16,
      'rtm-table': 254,
      'rtm-protocol': 4,
      'rtm-scope': 0,
      'rtm-type': 'unicast',
    });
    rtRoute.build('route-attrs', w, {
      dst: '10.97.0.0',
      multipath: [
        { 'rtnh-hops': 3, 'rtnh-ifindex': ifindex.get('m1'), gateway: '10.61.0.3' },
        {
          'rtnh-flags': RTNH_F_ONLINK,
          'rtnh-ifindex': ifindex.get('m2'),
          gateway: '10.62.0.3',
        },
      ],
    });
    await lastValueFrom(
      request(
        () => openNetlinkSocket({ protocol: 'route', netns: ns.name }),
        w.end().finish(),
      ).pipe(toArray()),
    );
    const [route] = ns.ipJson<
      {
        dst: string;
        nexthops?: { gateway: string; dev: string; weight: number; flags: string[] }[];
      }[]
    >('route', 'show', '10.97.0.0/16');
    expect(route?.dst).toBe('10.97.0.0/16');
    expect(route?.nexthops).toEqual([
      { gateway: '10.61.0.3', dev: 'm1', weight: 4, flags: [] },
      { gateway: '10.62.0.3', dev: 'm2', weight: 1, flags: ['onlink'] },
    ]);
  });
});
