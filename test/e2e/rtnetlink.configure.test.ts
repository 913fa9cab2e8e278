// Configuring the host against this machine's kernel, each test in its own network
// namespace: every write is checked against the kernel's own view afterwards (`ip -j -d
// link`, `ip -j neigh`, `ip -d -j rule`, `ip -d -j nexthop`), and refusals carry the
// kernel's errno and extended-ack text.
import { closeSync, openSync } from 'node:fs';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { createLink, deleteLink, setLink, waitForLink } from '../../src/sources/rtnetlink/links.js';
import { addNeighbour, deleteNeighbour } from '../../src/sources/rtnetlink/neighbours.js';
import { addNexthop, deleteNexthop, dumpNexthops } from '../../src/sources/rtnetlink/nexthops.js';
import { addRule, deleteRule, dumpRules } from '../../src/sources/rtnetlink/rules.js';
import { createNetns, type Netns, openFds, useNetns } from './netns.js';

type Json = Record<string, unknown>;

const skipReason = process.getuid?.() === 0 ? undefined : 'needs root to create namespaces';
if (skipReason) console.warn(`rtnetlink.configure.test.ts skipped: ${skipReason}`);

/** Runs a request to its end: undefined, or the error it failed with. */
async function outcome(source: Observable<unknown>): Promise<unknown> {
  try {
    await lastValueFrom(source.pipe(toArray()));
    return undefined;
  } catch (error) {
    return error;
  }
}

async function run(source: Observable<void>): Promise<void> {
  expect(await lastValueFrom(source.pipe(toArray()))).toEqual([undefined]);
}

function link(ns: Netns, dev: string): Json {
  return ns.ipJson<Json[]>('-d', 'link', 'show', 'dev', dev)[0];
}

/** `value` without nlring's extra keys. */
function without<T extends object>(value: T, extras: readonly string[]): Json {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !extras.includes(k)));
}

describe.skipIf(skipReason !== undefined)('configuring links', () => {
  const netns = useNetns();

  it('creates a veth pair with its peer in another namespace, named by name, path and fd', async () => {
    const ns = netns();
    const other = createNetns();
    try {
      const fds = openFds();
      await run(
        createLink({
          dev: 'v0',
          kind: 'veth',
          peer: { dev: 'v1', netns: other.name },
          netns: ns.name,
        }),
      );
      await run(
        createLink({
          dev: 'p0',
          kind: 'veth',
          peer: { dev: 'p1', netns: `/var/run/netns/${other.name}` },
          netns: ns.name,
        }),
      );
      const fd = openSync(`/var/run/netns/${other.name}`, 'r');
      try {
        await run(
          createLink({
            dev: 'q0',
            kind: 'veth',
            peer: { dev: 'q1', netns: { fd } },
            netns: ns.name,
          }),
        );
      } finally {
        closeSync(fd);
      }
      expect(openFds()).toEqual(fds);
      for (const [here, there] of [
        ['v0', 'v1'],
        ['p0', 'p1'],
        ['q0', 'q1'],
      ]) {
        expect(link(ns, here)).toMatchObject({ ifname: here, linkinfo: { info_kind: 'veth' } });
        expect(link(other, there)).toMatchObject({
          ifname: there,
          linkinfo: { info_kind: 'veth' },
        });
        expect(ns.ipJson<Json[]>('link', 'show').some((l) => l.ifname === there)).toBe(false);
      }
    } finally {
      other.remove();
    }
  });

  it.each([
    {
      name: 'bridge with stp',
      create: (n: string) => createLink({ dev: 'br0', kind: 'bridge', stp: true, netns: n }),
      dev: 'br0',
      expected: { info_kind: 'bridge', info_data: { stp_state: 1 } },
    },
    {
      name: 'macvlan in bridge mode on v0, by name',
      create: (n: string) =>
        createLink({ dev: 'mv0', kind: 'macvlan', link: 'v0', mode: 'bridge', netns: n }),
      dev: 'mv0',
      expected: { info_kind: 'macvlan', info_data: { mode: 'bridge' } },
      link: 'v0',
    },
    {
      name: 'vxlan with VNI, port, local, remote and underlay',
      create: (n: string) =>
        createLink({
          dev: 'vx0',
          kind: 'vxlan',
          id: 42,
          port: 4789,
          local: '10.1.0.1',
          remote: '10.1.0.2',
          link: 'v0',
          netns: n,
        }),
      dev: 'vx0',
      expected: {
        info_kind: 'vxlan',
        info_data: { id: 42, port: 4789, local: '10.1.0.1', remote: '10.1.0.2', link: 'v0' },
      },
    },
    {
      name: 'ifb',
      create: (n: string) => createLink({ dev: 'ifb0', kind: 'ifb', netns: n }),
      dev: 'ifb0',
      expected: { info_kind: 'ifb' },
    },
  ])('creates a $name', async ({ create, dev, expected, link: lower }) => {
    const ns = netns();
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    await run(create(ns.name));
    const shown = link(ns, dev);
    expect(shown.linkinfo).toMatchObject(expected);
    if (lower !== undefined) expect(shown.link).toBe(lower);
  });

  it('sets up, mtu, address, txqueuelen, alias, master, nomaster and name', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    const n = ns.name;
    await run(setLink({ dev: 'v0', up: true, mtu: 1400, netns: n }));
    await run(setLink({ dev: 'v0', address: '02:00:00:00:00:aa', txqueuelen: 500, netns: n }));
    await run(setLink({ dev: 'v0', alias: 'uplink', master: 'br0', netns: n }));
    expect(link(ns, 'v0')).toMatchObject({
      mtu: 1400,
      address: '02:00:00:00:00:aa',
      txqlen: 500,
      ifalias: 'uplink',
      master: 'br0',
    });
    expect(link(ns, 'v0').flags).toContain('UP');
    await run(setLink({ dev: 'v0', up: false, master: null, name: 'w0', netns: n }));
    const renamed = link(ns, 'w0');
    expect(renamed.master).toBeUndefined();
    expect(renamed.flags).not.toContain('UP');
    const ifindex = renamed.ifindex as number;
    await run(setLink({ ifindex, name: 'v0', netns: n }));
    expect(link(ns, 'v0').ifindex).toBe(ifindex);
  });

  it.each([
    { name: 'name', to: (other: Netns) => other.name },
    { name: 'path', to: (other: Netns) => `/var/run/netns/${other.name}` },
  ])('moves a link to another namespace by $name', async ({ to }) => {
    const ns = netns();
    const other = createNetns();
    try {
      ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
      await run(setLink({ dev: 'v1', moveTo: to(other), netns: ns.name }));
      expect(link(other, 'v1').ifname).toBe('v1');
      expect(ns.ipJson<Json[]>('link', 'show').map((l) => l.ifname)).toEqual(['lo', 'v0']);
    } finally {
      other.remove();
    }
  });

  it('deletes a link, by name and by ifindex', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    ns.ip('link', 'add', 'br0', 'type', 'bridge');
    await run(deleteLink({ dev: 'v0', netns: ns.name }));
    await run(deleteLink({ ifindex: link(ns, 'br0').ifindex as number, netns: ns.name }));
    expect(ns.ipJson<Json[]>('link', 'show').map((l) => l.ifname)).toEqual(['lo']);
  });

  it.each([
    {
      name: 'EEXIST for a taken name',
      send: (n: string) => createLink({ dev: 'v0', kind: 'veth', netns: n }),
      code: 'EEXIST',
      extack: undefined,
      detail: /createLink v0/,
    },
    {
      name: 'EOPNOTSUPP, "Unknown device type", for a kind the kernel lacks',
      send: (n: string) => createLink({ dev: 'dm0', kind: 'dummy', netns: n }),
      code: 'EOPNOTSUPP',
      extack: 'Unknown device type',
      detail: /createLink dm0/,
    },
    {
      // This kernel is built without CONFIG_BRIDGE_VLAN_FILTERING.
      name: 'EOPNOTSUPP for bridge vlan filtering on a kernel without it',
      send: (n: string) =>
        createLink({ dev: 'br0', kind: 'bridge', vlanFiltering: true, netns: n }),
      code: 'EOPNOTSUPP',
      extack: undefined,
      detail: /createLink br0/,
    },
    {
      name: 'EINVAL with the extended ack for an MTU past the maximum',
      send: (n: string) => setLink({ dev: 'v0', mtu: 100000, netns: n }),
      code: 'EINVAL',
      extack: 'mtu greater than device maximum',
      detail: /setLink v0/,
    },
    {
      name: 'ENODEV for an interface name nothing has',
      send: (n: string) => deleteLink({ dev: 'nope', netns: n }),
      code: 'ENODEV',
      extack: undefined,
      detail: /deleteLink nope: resolving interface "nope"/,
    },
    {
      name: 'ENODEV for a master nothing has',
      send: (n: string) => setLink({ dev: 'v0', master: 'nobr', netns: n }),
      code: 'ENODEV',
      extack: undefined,
      detail: /resolving interface "nobr"/,
    },
  ])('fails with $name', async ({ send, code, extack, detail }) => {
    const ns = netns();
    ns.ip('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    const error = await outcome(send(ns.name));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code, op: 'request' });
    if (extack !== undefined) expect((error as NetlinkError).extack).toBe(extack);
    expect((error as NetlinkError).detail).toMatch(detail);
  });
});

describe.skipIf(skipReason !== undefined)('configuring neighbours', () => {
  const netns = useNetns();

  it('adds permanent, noarp and proxy entries (v4 and v6), replaces and deletes them', async () => {
    const ns = netns();
    // IPv6 keeps neighbour entries only on a link that is up.
    ns.batch(['link add v0 type veth peer name v1', 'link set v0 up']);
    const n = ns.name;
    await run(addNeighbour({ dev: 'v0', dst: '10.1.0.9', lladdr: '02:00:00:00:00:09', netns: n }));
    await run(
      addNeighbour({
        dev: 'v0',
        dst: '2001:db8::9',
        lladdr: '02:00:00:00:00:19',
        state: 'noarp',
        netns: n,
      }),
    );
    await run(addNeighbour({ dev: 'v0', dst: '10.1.0.8', proxy: true, netns: n }));
    // `nud all`: ip hides NOARP entries otherwise.
    expect(ns.ipJson<Json[]>('neigh', 'show', 'nud', 'all')).toEqual([
      { dst: '10.1.0.9', dev: 'v0', lladdr: '02:00:00:00:00:09', state: ['PERMANENT'] },
      { dst: '2001:db8::9', dev: 'v0', lladdr: '02:00:00:00:00:19', state: ['NOARP'] },
    ]);
    expect(ns.ipJson<Json[]>('neigh', 'show', 'proxy')).toEqual([
      { dst: '10.1.0.8', dev: 'v0', proxy: null },
    ]);

    const again = await outcome(
      addNeighbour({ dev: 'v0', dst: '10.1.0.9', lladdr: '02:00:00:00:00:0a', netns: n }),
    );
    expect(again).toMatchObject({ code: 'EEXIST' });
    await run(
      addNeighbour({
        dev: 'v0',
        dst: '10.1.0.9',
        lladdr: '02:00:00:00:00:0a',
        replace: true,
        netns: n,
      }),
    );
    expect(ns.ipJson<Json[]>('neigh', 'show', '10.1.0.9')[0].lladdr).toBe('02:00:00:00:00:0a');

    await run(deleteNeighbour({ dev: 'v0', dst: '10.1.0.9', netns: n }));
    await run(deleteNeighbour({ dev: 'v0', dst: '2001:db8::9', netns: n }));
    await run(deleteNeighbour({ dev: 'v0', dst: '10.1.0.8', proxy: true, netns: n }));
    expect(ns.ipJson<Json[]>('neigh', 'show', 'nud', 'all')).toEqual([]);
    expect(ns.ipJson<Json[]>('neigh', 'show', 'proxy')).toEqual([]);
    expect(await outcome(deleteNeighbour({ dev: 'v0', dst: '10.1.0.9', netns: n }))).toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe.skipIf(skipReason !== undefined)('FIB rules', () => {
  const netns = useNetns();

  it('adds rules that ip lists, dumps them as ip -d -j rule does, deletes them', async () => {
    const ns = netns();
    const n = ns.name;
    const rules = [
      { from: '10.0.0.0/8', to: '192.168.0.0/16', table: 100, priority: 1000 },
      { fwmark: 0x10, fwmask: 0xff, iif: 'lo', oif: 'lo', table: 1000, priority: 1001 },
      { table: 'main', suppressPrefixlength: 0, priority: 1002 },
      { not: true, from: '10.9.0.0/16', table: 7, priority: 1003, protocol: 'static' },
      { action: 'blackhole', priority: 1004 },
      { action: 'goto', goto: 1007, priority: 1005 },
      { action: 'nop', priority: 1006 },
      { tos: 0x10, table: 9, priority: 1007 },
      { from: '2001:db8::/32', table: 100, priority: 1000 },
      { family: 'inet6', l3mdev: true, priority: 1001 },
    ] as const;
    for (const rule of rules) await run(addRule({ ...rule, netns: n }));

    const dumped = await lastValueFrom(dumpRules({ netns: n }).pipe(toArray()));
    const v4 = dumped.filter((r) => r.family === 'inet').map((r) => without(r, ['family']));
    const v6 = dumped.filter((r) => r.family === 'inet6').map((r) => without(r, ['family']));
    expect(v4).toEqual(ns.ipJson('-d', 'rule', 'show'));
    expect(v6).toEqual(ns.ipJson('-6', '-d', 'rule', 'show'));
    expect(v4).toHaveLength(3 + 8);
    const only6 = await lastValueFrom(dumpRules({ family: 'inet6', netns: n }).pipe(toArray()));
    expect(only6.map((r) => without(r, ['family']))).toEqual(v6);

    expect(await outcome(addRule({ ...rules[0], netns: n }))).toMatchObject({ code: 'EEXIST' });
    await run(deleteRule({ ...rules[0], netns: n }));
    await run(deleteRule({ priority: 1001, netns: n }));
    await run(deleteRule({ family: 'inet6', priority: 1000, netns: n }));
    const left = ns.ipJson<Json[]>('rule', 'show').map((r) => r.priority);
    expect(left).toEqual([0, 1002, 1003, 1004, 1005, 1006, 1007, 32766, 32767]);
    const gone = await outcome(deleteRule({ priority: 4242, netns: n }));
    expect(gone).toMatchObject({ code: 'ENOENT' });
    expect((gone as NetlinkError).detail).toMatch(/deleteRule priority 4242/);
  });
});

describe.skipIf(skipReason !== undefined)('nexthop objects', () => {
  const netns = useNetns();

  it('adds single, blackhole and weighted group nexthops, dumps them as ip -d -j nexthop does, deletes them', async () => {
    const ns = netns();
    const n = ns.name;
    // A blackhole nexthop uses lo, which must be up.
    ns.batch([
      'link set lo up',
      'link add v0 type veth peer name v1',
      'link set v0 up',
      'link set v1 up',
      'addr add 10.1.0.1/24 dev v0',
    ]);
    await run(addNexthop({ id: 1, gateway: '10.1.0.2', dev: 'v0', netns: n }));
    await run(addNexthop({ id: 2, blackhole: true, netns: n }));
    await run(addNexthop({ id: 3, dev: 'v1', netns: n }));
    await run(addNexthop({ id: 4, gateway: 'fe80::1', dev: 'v0', netns: n }));
    await run(addNexthop({ id: 10, group: [{ id: 1, weight: 3 }, { id: 3 }], netns: n }));
    ns.ip('route', 'add', '10.50.0.0/16', 'nhid', '10');

    const dumped = await lastValueFrom(dumpNexthops({ netns: n }).pipe(toArray()));
    expect(dumped).toEqual(ns.ipJson('-d', 'nexthop', 'show'));
    expect(dumped.find((nh) => nh.id === 10)?.group).toEqual([{ id: 1, weight: 3 }, { id: 3 }]);

    await run(addNexthop({ id: 10, group: [{ id: 1 }], replace: true, netns: n }));
    expect(ns.ipJson<Json[]>('nexthop', 'show', 'id', '10')[0].group).toEqual([{ id: 1 }]);
    await run(deleteNexthop({ id: 2, netns: n }));
    expect(ns.ipJson<Json[]>('nexthop', 'show').map((nh) => nh.id)).toEqual([1, 3, 4, 10]);
  });

  it.each([
    {
      name: 'EEXIST for a taken id',
      send: (n: string) => addNexthop({ id: 1, blackhole: true, netns: n }),
      code: 'EEXIST',
      extack: undefined,
    },
    {
      name: 'EINVAL, "Invalid nexthop id", for a group member that does not exist',
      send: (n: string) => addNexthop({ id: 10, group: [{ id: 99 }], netns: n }),
      code: 'EINVAL',
      extack: 'Invalid nexthop id',
    },
    {
      name: 'ENOENT when deleting an unknown id',
      send: (n: string) => deleteNexthop({ id: 5, netns: n }),
      code: 'ENOENT',
      extack: undefined,
    },
  ])('fails with $name', async ({ send, code, extack }) => {
    const ns = netns();
    ns.batch(['link set lo up', 'nexthop add id 1 blackhole']);
    const error = await outcome(send(ns.name));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code });
    if (extack !== undefined) expect((error as NetlinkError).extack).toBe(extack);
  });
});

describe.skipIf(skipReason !== undefined)('waitForLink', () => {
  const netns = useNetns();

  it('waits for a link that does not exist yet, then for its operstate', async () => {
    const ns = netns();
    const n = ns.name;
    const appeared = lastValueFrom(waitForLink({ dev: 'v0', timeout: 5000, netns: n }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await run(createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1' }, netns: n }));
    expect(await appeared).toMatchObject({ ifname: 'v0', operstate: 'DOWN' });

    await run(setLink({ dev: 'v0', up: true, netns: n }));
    const lower = await lastValueFrom(
      waitForLink({ dev: 'v0', operstate: 'LOWERLAYERDOWN', up: true, timeout: 5000, netns: n }),
    );
    expect(lower.flags).toContain('UP');
    const up = lastValueFrom(waitForLink({ dev: 'v0', operstate: 'UP', timeout: 5000, netns: n }));
    await run(setLink({ dev: 'v1', up: true, netns: n }));
    expect(await up).toMatchObject({ ifname: 'v0', operstate: 'UP' });
    expect(link(ns, 'v0').operstate).toBe('UP');
  });

  it('fails with ETIMEDOUT, saying what it waited for', async () => {
    const ns = netns();
    const error = await outcome(
      waitForLink({ dev: 'lo', operstate: 'UP', timeout: 100, netns: ns.name }),
    );
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect((error as NetlinkError).detail).toMatch(
      /"lo", operstate UP not reached after 100 ms \(last seen operstate DOWN/,
    );
  });
});
