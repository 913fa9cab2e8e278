import { lastValueFrom, type Observable, type Subscription, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import type { Link } from '../../src/families/rtnetlink/link.js';
import { Overrun } from '../../src/ring/Overrun.js';
import { RingStats } from '../../src/ring/RingStats.js';
import { dumpLinks } from '../../src/sources/rtnetlink/dumps.js';
import { monitor, type RtnetlinkChange } from '../../src/sources/rtnetlink/monitor.js';
import {
  addAddress,
  addRoute,
  deleteAddress,
  deleteRoute,
} from '../../src/sources/rtnetlink/requests.js';
import {
  type RtnetlinkResync,
  resyncOnOverrun,
} from '../../src/sources/rtnetlink/resyncOnOverrun.js';
import { type Netns, openFds, useNetns } from './netns.js';

// The rtnetlink monitor, requests and resync against this machine's kernel, each test in its
// own network namespace.

/** Subscribes and collects; `until(seen)` resolves once it holds (rejects after `ms`). */
function collect<T>(source: Observable<T>) {
  const seen: T[] = [];
  let failure: unknown;
  const waiters: Array<() => void> = [];
  const subscription: Subscription = source.subscribe({
    next: (value) => {
      seen.push(value);
      for (const wake of waiters.splice(0)) wake();
    },
    error: (error) => {
      failure = error;
      for (const wake of waiters.splice(0)) wake();
    },
  });
  const until = (done: (seen: T[]) => boolean, ms = 5000): Promise<T[]> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out with ${seen.length} values`)), ms);
      const check = () => {
        if (failure !== undefined) {
          clearTimeout(timer);
          reject(failure);
        } else if (done(seen)) {
          clearTimeout(timer);
          resolve(seen);
        } else waiters.push(check);
      };
      check();
    });
  return { seen, subscription, until };
}

function ifindexOf(ns: Netns, name: string): number {
  return ns.ipJson<Array<{ ifindex: number }>>('link', 'show', name)[0].ifindex;
}

describe('rtnetlink monitor on the real kernel', () => {
  const netns = useNetns();

  it('sees a FIB rule and a nexthop object added and deleted (ip monitor all)', async () => {
    const ns = netns();
    await ns.ipAsync('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    await ns.ipAsync('link', 'set', 'v0', 'up');
    await ns.ipAsync('link', 'set', 'v1', 'up');
    await ns.ipAsync('addr', 'add', '192.0.2.2/24', 'dev', 'v0');
    const events = collect(monitor({ kinds: ['rule', 'nexthop'], netns: ns.name }));
    try {
      await ns.ipAsync('rule', 'add', 'priority', '777', 'from', '198.51.100.0/24', 'table', '100');
      await ns.ipAsync('nexthop', 'add', 'id', '42', 'via', '192.0.2.1', 'dev', 'v0');
      await ns.ipAsync('rule', 'del', 'priority', '777');
      await ns.ipAsync('nexthop', 'del', 'id', '42');
      const ours = (seen: Array<RtnetlinkChange | Overrun>) =>
        seen.flatMap((c) =>
          c.kind === 'rule' && c.rule.priority === 777
            ? [`${c.action} rule 777 from ${c.rule.src}/${c.rule.srclen} table ${c.rule.table}`]
            : c.kind === 'nexthop' && c.nexthop.id === 42
              ? [`${c.action} nexthop 42 via ${c.nexthop.gateway} dev ${c.nexthop.dev}`]
              : [],
        );
      const seen = ours(await events.until((s) => ours(s).length >= 4));
      expect(seen).toEqual([
        'new rule 777 from 198.51.100.0/24 table 100',
        'new nexthop 42 via 192.0.2.1 dev v0',
        'del rule 777 from 198.51.100.0/24 table 100',
        'del nexthop 42 via 192.0.2.1 dev v0',
      ]);
    } finally {
      events.subscription.unsubscribe();
    }
  });

  it('sees a link created, set up and deleted, in order, with its name', async () => {
    const ns = netns();
    const events = collect(monitor({ kinds: ['link'], netns: ns.name }));
    try {
      await ns.ipAsync('link', 'add', 'm0', 'type', 'bridge');
      await ns.ipAsync('link', 'set', 'm0', 'up');
      await ns.ipAsync('link', 'del', 'm0');
      const ofM0 = (seen: Array<RtnetlinkChange | Overrun>) =>
        seen.filter(
          (c): c is Extract<RtnetlinkChange, { kind: 'link' }> =>
            c.kind === 'link' && c.link.ifname === 'm0',
        );
      const seen = ofM0(await events.until((s) => ofM0(s).some((c) => c.action === 'del')));
      expect(seen.length).toBeGreaterThanOrEqual(3);
      expect(seen[0]).toMatchObject({ action: 'new', link: { linkinfo: { info_kind: 'bridge' } } });
      expect(seen[0].link.flags).not.toContain('UP');
      const up = seen.findIndex((c) => c.action === 'new' && c.link.flags.includes('UP'));
      const del = seen.findIndex((c) => c.action === 'del');
      expect(up).toBeGreaterThan(0);
      expect(del).toBeGreaterThan(up);
      expect(del).toBe(seen.length - 1);
      expect(seen[del].link.deleted).toBe(true);
      expect(events.seen.some((c) => c instanceof Overrun)).toBe(false);
    } finally {
      events.subscription.unsubscribe();
    }
  });

  it('names devices in address and route changes, and keeps only the kinds asked for', async () => {
    const ns = netns();
    ns.batch(['link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up']);
    const events = collect(monitor({ kinds: ['address', 'route'], netns: ns.name }));
    try {
      await ns.ipAsync('addr', 'add', '10.3.0.1/24', 'dev', 'v0');
      await ns.ipAsync('route', 'add', '10.4.0.0/16', 'via', '10.3.0.2');
      const seen = await events.until((s) =>
        s.some((c) => c.kind === 'route' && c.route.dst === '10.4.0.0/16'),
      );
      expect(seen).toContainEqual(
        expect.objectContaining({
          kind: 'address',
          action: 'new',
          address: expect.objectContaining({ ifname: 'v0', local: '10.3.0.1', prefixlen: 24 }),
        }),
      );
      expect(seen).toContainEqual(
        expect.objectContaining({
          kind: 'route',
          action: 'new',
          route: expect.objectContaining({ dst: '10.4.0.0/16', gateway: '10.3.0.2', dev: 'v0' }),
        }),
      );
      expect(seen.every((c) => c.kind === 'address' || c.kind === 'route')).toBe(true);
    } finally {
      events.subscription.unsubscribe();
    }
  });

  it('shares one socket between subscribers and closes it when the last one leaves', async () => {
    const ns = netns();
    const before = openFds();
    const changes = monitor({ kinds: ['link'], netns: ns.name });
    const a = collect(changes);
    const b = collect(changes);
    expect(openFds().length).toBe(before.length + 1);
    await ns.ipAsync('link', 'add', 'm1', 'type', 'bridge');
    const named = (s: Array<RtnetlinkChange | Overrun>) =>
      s.some((c) => c.kind === 'link' && c.link.ifname === 'm1');
    await a.until(named);
    await b.until(named);
    a.subscription.unsubscribe();
    expect(openFds().length).toBe(before.length + 1);
    b.subscription.unsubscribe();
    expect(openFds()).toEqual(before);
    // A new subscriber opens a new socket.
    const c = collect(changes);
    expect(openFds().length).toBe(before.length + 1);
    c.subscription.unsubscribe();
    expect(openFds()).toEqual(before);
  });

  it('reports ENOBUFS as an Overrun and goes on; the resync re-dumps and the table converges', async () => {
    const ns = netns();
    const stats = new RingStats();
    // A receive buffer of the kernel's minimum (about one link message): bursts overflow it.
    const events = collect(
      monitor({ kinds: ['link'], netns: ns.name, receiveBufferSize: 1, stats }).pipe(
        resyncOnOverrun(() => dumpLinks({ netns: ns.name }), { initial: true }),
      ),
    );
    // The table a user keeps: snapshots replace it, changes update it.
    const table = new Map<number, string>();
    const apply = (x: RtnetlinkChange | Overrun | RtnetlinkResync<Link>) => {
      if (x.kind === 'resync') {
        table.clear();
        for (const link of x.items) table.set(link.ifindex, link.ifname ?? '');
      } else if (x.kind === 'link') {
        if (x.action === 'del') table.delete(x.link.ifindex);
        else table.set(x.link.ifindex, x.link.ifname ?? '');
      }
    };
    try {
      await events.until((s) => s.some((x) => x.kind === 'resync'));
      const churn: string[] = [];
      for (let i = 0; i < 60; i++) {
        churn.push(`link add c${i} type bridge`, `link set c${i} up`);
        if (i % 2 === 1) churn.push(`link del c${i - 1}`);
      }
      await ns.batchAsync(churn);
      const seen = await events.until((s) => {
        const first = s.findIndex((x) => x instanceof Overrun);
        return first >= 0 && s.slice(first).some((x) => x.kind === 'resync');
      });
      const first = seen.findIndex((x) => x instanceof Overrun);
      expect(stats.overruns).toBeGreaterThan(0);
      expect(seen.filter((x) => x instanceof Overrun)).toHaveLength(stats.overruns);
      // The stream went on after the overrun, and a snapshot followed, made after the last
      // overrun before it.
      const at = first + seen.slice(first).findIndex((x) => x.kind === 'resync');
      const last = seen
        .slice(0, at)
        .filter((x) => x instanceof Overrun)
        .at(-1);
      expect(seen[at]).toMatchObject({ kind: 'resync', overrun: last });
      expect((seen[at] as RtnetlinkResync<Link>).items.map((l) => l.ifname)).toContain('lo');
      // Once quiet, the table equals the kernel's.
      const truth = async () =>
        new Map(
          (await lastValueFrom(dumpLinks({ netns: ns.name }).pipe(toArray()))).map((l) => [
            l.ifindex,
            l.ifname ?? '',
          ]),
        );
      const expected = await truth();
      expect([...expected.values()]).toContain('c59');
      expect([...expected.values()]).not.toContain('c58');
      await events.until((s) => {
        table.clear();
        for (const x of s) apply(x);
        return JSON.stringify([...table].sort()) === JSON.stringify([...expected].sort());
      });
    } finally {
      events.subscription.unsubscribe();
    }
  });
});

describe('rtnetlink requests on the real kernel', () => {
  const netns = useNetns();

  it('adds and deletes an address and a route, completing at the ack', async () => {
    const ns = netns();
    ns.batch(['link add v0 type veth peer name v1', 'link set v0 up', 'link set v1 up']);
    const ifindex = ifindexOf(ns, 'v0');
    const acks = await lastValueFrom(
      addAddress({ ifindex, address: '10.5.0.1/24', netns: ns.name }).pipe(toArray()),
    );
    expect(acks).toEqual([undefined]);
    expect(ns.ip('-4', 'addr', 'show', 'dev', 'v0')).toContain('10.5.0.1/24');
    await lastValueFrom(
      addRoute({ dst: '10.6.0.0/16', gateway: '10.5.0.2', metric: 7, netns: ns.name }),
    );
    expect(ns.ip('route', 'show', '10.6.0.0/16')).toContain('via 10.5.0.2 dev v0');
    await lastValueFrom(deleteRoute({ dst: '10.6.0.0/16', netns: ns.name }));
    expect(ns.ip('route', 'show', '10.6.0.0/16')).toBe('');
    await lastValueFrom(deleteAddress({ ifindex, address: '10.5.0.1/24', netns: ns.name }));
    expect(ns.ip('-4', 'addr', 'show', 'dev', 'v0')).not.toContain('10.5.0.1');
  });

  it.each([
    {
      name: 'IPv4',
      address: '10.5.0.1/24',
      extack: 'ipv4: Address already assigned',
    },
    { name: 'IPv6', address: '2001:db8::1/64', extack: 'ipv6: address already assigned' },
  ])(
    'adding an $name address that exists fails with EEXIST and the kernel message',
    async ({ address, extack }) => {
      const ns = netns();
      ns.batch(['link add v0 type veth peer name v1', `addr add ${address} dev v0 nodad`]);
      const before = openFds();
      const error = await lastValueFrom(
        addAddress({ ifindex: ifindexOf(ns, 'v0'), address, netns: ns.name }),
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetlinkError);
      expect(error).toMatchObject({ code: 'EEXIST', op: 'request', extack });
      expect(openFds()).toEqual(before);
    },
  );

  it('deleting a route that does not exist fails with ESRCH', async () => {
    const ns = netns();
    const error = await lastValueFrom(deleteRoute({ dst: '10.99.0.0/16', netns: ns.name })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'ESRCH' });
  });
});
