// The rt-link linkinfo overlays on this kernel, each test in a fresh namespace: a veth pair
// created by an RTM_NEWLINK built with the generated codec (its peer a struct ifinfomsg and
// link attributes inside VETH_INFO_PEER), and macvlan and vxlan links made by ip, dumped
// and read through the generated lazy views, equal `ip -d -j link show`.
import { lastValueFrom, map, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { FrameReleasedError } from '../../src/errors/NetlinkError.js';
import { RTM_NEWLINK } from '../../src/families/rtnetlink/constants.js';
import { linkDumpRequest } from '../../src/families/rtnetlink/link.js';
import {
  decodeIfinfomsg,
  headerLengths,
  LinkAttrsView,
  type LinkAttrsView as LinkAttrsViewType,
  rtLink,
} from '../../src/families/ynl/rt-link.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { NLM_F_ACK, NLM_F_CREATE, NLM_F_EXCL, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { dumpMessages } from '../../src/sources/dumpMessages.js';
import { request } from '../../src/sources/request.js';
import { useNetns } from './netns.js';

const root = process.getuid?.() === 0;
if (!root) console.log('ynl linkinfo e2e: skipped, needs root for network namespaces');

interface IpLink {
  ifindex: number;
  ifname: string;
  link?: string;
  mtu: number;
  linkinfo?: { info_kind?: string; info_data?: Record<string, unknown> };
}

/** Every link of the namespace: its index, the borrowed view (kept) and a detached copy. */
async function dumpLinks(netns: string) {
  return lastValueFrom(
    dumpMessages(
      () => openNetlinkSocket({ protocol: 'route', netns }),
      linkDumpRequest({ seq: 7 }),
    ).pipe(
      map((m) => {
        const header = decodeIfinfomsg(m.view, m.payloadOffset, m.end);
        const borrowed: LinkAttrsViewType = LinkAttrsView.of(m, headerLengths.getlink);
        return { ifindex: header['ifi-index'], borrowed, link: borrowed.detach() };
      }),
      toArray(),
    ),
  );
}

describe.runIf(root)('rt-link linkinfo overlays on this kernel', () => {
  const netns = useNetns();

  it('a veth pair created with the generated builder: the peer is made as asked', async () => {
    const ns = netns();
    const w = new MessageWriter();
    w.begin(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, 1, 0);
    rtLink.buildStruct('ifinfomsg', w, {});
    rtLink.build('link-attrs', w, {
      ifname: 'ynl-v0',
      linkinfo: { kind: 'veth', data: { peer: { ifname: 'ynl-p0', mtu: 1400 } } },
    });
    await lastValueFrom(
      request(
        () => openNetlinkSocket({ protocol: 'route', netns: ns.name }),
        w.end().finish(),
      ).pipe(toArray()),
    );
    const theirs = ns.ipJson<IpLink[]>('-d', 'link', 'show');
    const peer = theirs.find((l) => l.ifname === 'ynl-p0');
    const v0 = theirs.find((l) => l.ifname === 'ynl-v0');
    expect(peer).toMatchObject({ mtu: 1400, link: 'ynl-v0', linkinfo: { info_kind: 'veth' } });
    expect(v0).toMatchObject({ link: 'ynl-p0', linkinfo: { info_kind: 'veth' } });
    const ours = await dumpLinks(ns.name);
    for (const l of theirs) {
      const mine = ours.find((o) => o.ifindex === l.ifindex)?.link;
      expect(mine?.ifname).toBe(l.ifname);
      expect(mine?.mtu).toBe(l.mtu);
      expect(mine?.linkinfo?.kind).toBe(l.linkinfo?.info_kind);
    }
  });

  it('macvlan and vxlan linkinfo data equal `ip -d -j link show`', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'ynl-v0', 'type', 'veth', 'peer', 'name', 'ynl-p0');
    ns.ip('link', 'add', 'ynl-m0', 'link', 'ynl-v0', 'type', 'macvlan', 'mode', 'bridge');
    ns.ip('link', 'add', 'ynl-m1', 'link', 'ynl-v0', 'type', 'macvlan', 'mode', 'private');
    ns.ip(
      'link',
      'add',
      'ynl-x0',
      'type',
      'vxlan',
      'id',
      '42',
      'dstport',
      '4789',
      'local',
      '10.1.1.1',
      'ttl',
      '5',
      'srcport',
      '40000',
      '41000',
      'ageing',
      '120',
    );
    ns.ip('link', 'add', 'ynl-x1', 'type', 'vxlan', 'id', '7', 'dstport', '8472', 'nolearning');
    const theirs = ns.ipJson<IpLink[]>('-d', 'link', 'show');
    const ours = await dumpLinks(ns.name);
    const byName = (name: string) => {
      const t = theirs.find((l) => l.ifname === name);
      const o = ours.find((l) => l.ifindex === t?.ifindex)?.link;
      return { t: t?.linkinfo?.info_data ?? {}, o: o?.linkinfo, kind: t?.linkinfo?.info_kind };
    };
    for (const name of ['ynl-m0', 'ynl-m1']) {
      const { t, o, kind } = byName(name);
      expect(kind).toBe('macvlan');
      expect(o?.kind).toBe('macvlan');
      const data = o?.data as Record<string, unknown>;
      expect({
        mode: data.mode,
        bcqueuelen: data['bc-queue-len'],
        usedbcqueuelen: data['bc-queue-len-used'],
      }).toEqual({ mode: t.mode, bcqueuelen: t.bcqueuelen, usedbcqueuelen: t.usedbcqueuelen });
    }
    for (const name of ['ynl-x0', 'ynl-x1']) {
      const { t, o, kind } = byName(name);
      expect(kind).toBe('vxlan');
      const data = o?.data as Record<string, unknown>;
      expect({
        id: data.id,
        local: data.local,
        port: data.port,
        port_range: data['port-range'],
        ttl: data.ttl ?? 0,
        ageing: data.ageing,
        learning: data.learning === 1,
        df: data.df,
        udp_csum: data['udp-csum'] === 1,
      }).toEqual({
        id: t.id,
        local: t.local,
        port: t.port,
        port_range: t.port_range,
        ttl: t.ttl ?? 0,
        ageing: t.ageing,
        learning: t.learning,
        df: t.df,
        udp_csum: t.udp_csum,
      });
    }
    expect(byName('ynl-x0').t).toMatchObject({ id: 42, port_range: { low: 40000, high: 41000 } });
  });

  it('views of a dump are borrowed: after the frames are released they throw', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'ynl-v0', 'type', 'veth', 'peer', 'name', 'ynl-p0');
    const ours = await dumpLinks(ns.name);
    expect(ours.length).toBe(3);
    for (const { borrowed, link } of ours) {
      expect(() => borrowed.ifname).toThrow(FrameReleasedError);
      expect(link.ifname).toMatch(/^(lo|ynl-v0|ynl-p0)$/);
    }
  });
});
