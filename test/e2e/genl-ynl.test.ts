// Generated families on this kernel through the run-time sources, each test in a fresh
// namespace: ethtool channels of a veth equal `ethtool -l`, netdev dev-get and dev dump
// agree with `ip -j link`, tcp_metrics dumps (empty in a new namespace).
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { spec as ethtoolSpec } from '../../src/families/ynl/ethtool.js';
import { spec as mptcpSpec } from '../../src/families/ynl/mptcp_pm.js';
import { spec as netdevSpec } from '../../src/families/ynl/netdev.js';
import { spec as tcpMetricsSpec } from '../../src/families/ynl/tcp_metrics.js';
import { ynl } from '../../src/sources/ynl.js';
import { ynlCommand } from '../../src/sources/ynlCommand.js';
import { useNetns } from './netns.js';

const root = process.getuid?.() === 0;
if (!root) console.log('genl-ynl e2e: skipped, needs root for network namespaces');

/** `ethtool -l` parsed: { max: { RX: 2, ... }, current: { ... } } (n/a left out). */
function parseChannels(text: string): Record<string, Record<string, number>> {
  const [, max = '', current = ''] = text.split(/Pre-set maximums:|Current hardware settings:/);
  const read = (part: string) =>
    Object.fromEntries(
      [...part.matchAll(/^(\w+):\s+(\d+)$/gm)].map((m) => [
        String(m[1]).toLowerCase(),
        Number(m[2]),
      ]),
    );
  return { max: read(max), current: read(current) };
}

describe.runIf(root)('generated families on this kernel', () => {
  const netns = useNetns();

  it('ethtool channels-get of a veth equals `ethtool -l`', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    const [reply] = await lastValueFrom(
      ynl(ethtoolSpec)
        .do('channels-get', { header: { 'dev-name': 'v0' } }, { netns: ns.name })
        .pipe(toArray()),
    );
    const theirs = parseChannels(ns.exec('ethtool', '-l', 'v0'));
    expect(reply).toMatchObject({
      header: { 'dev-name': 'v0' },
      'rx-max': theirs.max?.rx,
      'tx-max': theirs.max?.tx,
      'rx-count': theirs.current?.rx,
      'tx-count': theirs.current?.tx,
    });
  });

  it('netdev dev-get and the dev dump agree with `ip -j link`', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    const links = ns.ipJson<{ ifindex: number }[]>('link', 'show');
    const family = ynl(netdevSpec);
    const dumped = await lastValueFrom(
      family.dump('dev-get', {}, { netns: ns.name }).pipe(toArray()),
    );
    expect(dumped.map((d) => d.ifindex).sort()).toEqual(links.map((l) => l.ifindex).sort());
    const [lo] = await lastValueFrom(
      family.do('dev-get', { ifindex: 1 }, { netns: ns.name }).pipe(toArray()),
    );
    expect(lo?.ifindex).toBe(1);
    expect(Array.isArray(lo?.['xdp-features'])).toBe(true);
  });

  it('mptcp_pm endpoints added, dumped and deleted equal `ip mptcp endpoint`', async () => {
    const ns = netns();
    const pm = ynl(mptcpSpec);
    const options = { netns: ns.name };
    const ipv4 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
    for (const [id, addr4] of [
      [5, 0x0a000001],
      [6, 0x0a000002],
    ] as const) {
      await lastValueFrom(
        pm.do('add-addr', { addr: { family: 2, id, addr4, flags: 1 } }, options).pipe(toArray()),
      );
    }
    const dumped = await lastValueFrom(pm.dump('get-addr', {}, options).pipe(toArray()));
    const theirs = ns.ipJson<{ id: number; address: string }[]>('mptcp', 'endpoint', 'show');
    const ours = dumped.map((d) => d.addr as { id: number; addr4: number });
    expect(ours.map((a) => ({ id: a.id, address: ipv4(a.addr4) }))).toEqual(
      theirs.map((t) => ({ id: t.id, address: t.address })),
    );
    expect(theirs.length).toBe(2);
    await lastValueFrom(pm.do('del-addr', { addr: { id: 5 } }, options).pipe(toArray()));
    expect(ns.ipJson<{ id: number }[]>('mptcp', 'endpoint', 'show').map((t) => t.id)).toEqual([6]);
  });

  it('tcp_metrics dumps (nothing cached in a fresh namespace)', async () => {
    const ns = netns();
    const metrics = await lastValueFrom(
      ynl(tcpMetricsSpec).dump('get', {}, { netns: ns.name }).pipe(toArray()),
    );
    expect(metrics).toEqual([]);
  });

  it('nlring ynl --dump prints the same devices as JSON', async () => {
    const ns = netns();
    let written = '';
    const code = await ynlCommand(
      ['--family', 'netdev', '--dump', 'dev-get', '--netns', ns.name, '--json'],
      {
        write: (t) => {
          written += t;
        },
      },
    );
    expect(code).toBe(0);
    const devices = JSON.parse(written) as { ifindex: number }[];
    expect(devices.map((d) => d.ifindex)).toEqual(
      ns.ipJson<{ ifindex: number }[]>('link', 'show').map((l) => l.ifindex),
    );
  });

  it('an unknown operation throws a TypeError at call time', () => {
    expect(() => ynl(netdevSpec).do('no-such-op')).toThrow(/ynl\.do: operation must be one of/);
  });
});
