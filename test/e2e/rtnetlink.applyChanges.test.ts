// applyChanges against this machine's kernel: 10,000 routes in one call, each answered,
// failures reported per item (with the kernel's errno) and the rest applied; `ip -j route`
// says what the table holds afterwards. Time is measured by bench/applyChanges.ts, not here.
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { applyChanges, type Change, reconcileRoutes } from '../../src/sources/rtnetlink/bulk.js';
import { type Netns, openFds, useNetns } from './netns.js';

const skipReason = process.getuid?.() === 0 ? undefined : 'needs root to create namespaces';
if (skipReason) console.warn(`rtnetlink.applyChanges.test.ts skipped: ${skipReason}`);

const ROUTES = 10000;

function setUp(ns: Netns): number {
  ns.batch(['link add v0 type veth peer name v1', 'link set v0 up']);
  return ns.ipJson<Array<{ ifindex: number }>>('link', 'show', 'v0')[0].ifindex;
}

const host = (i: number) => `10.100.${i >> 8}.${i & 255}/32`;

describe.skipIf(skipReason !== undefined)('applyChanges', () => {
  const netns = useNetns();

  it('adds 10,000 routes in one call, reporting the failing ones and going on', async () => {
    const ns = netns();
    const ifindex = setUp(ns);
    const changes: Change[] = Array.from({ length: ROUTES }, (_, i) => ({
      op: 'addRoute',
      dst: host(i),
      ifindex,
      protocol: 'static',
    }));
    changes[5000] = { op: 'addRoute', dst: host(1), ifindex }; // EEXIST: 1 is added before
    changes[7000] = { op: 'addRoute', dst: '10.99.0.0/16', ifindex: 9999 }; // ENODEV
    const fds = openFds();
    const results = await lastValueFrom(applyChanges(changes, { netns: ns.name }).pipe(toArray()));
    expect(openFds()).toEqual(fds);
    expect(results.map((r) => r.index)).toEqual(changes.map((_, i) => i));
    const failed = results.filter((r) => r.error !== undefined);
    expect(failed.map((r) => [r.index, (r.error as NetlinkError).code])).toEqual([
      [5000, 'EEXIST'],
      [7000, 'ENODEV'],
    ]);
    expect(failed[0].error).toBeInstanceOf(NetlinkError);
    expect((failed[0].error as NetlinkError).detail).toBe('applyChanges: change #5000 (addRoute)');
    const routes = ns.ipJson<Array<{ dst: string }>>('route', 'show', 'proto', 'static');
    expect(routes).toHaveLength(ROUTES - 2);
  });

  it('stops at the first failure with stopOnError', async () => {
    const ns = netns();
    const ifindex = setUp(ns);
    const changes: Change[] = [
      { op: 'addRoute', dst: host(0), ifindex },
      { op: 'deleteRoute', dst: '10.98.0.0/16' },
      { op: 'addRoute', dst: host(2), ifindex },
    ];
    const error = await lastValueFrom(
      applyChanges(changes, { netns: ns.name, stopOnError: true, window: 1 }),
    )
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'ESRCH', detail: 'applyChanges: change #1 (deleteRoute)' });
    const dsts = ns.ipJson<Array<{ dst: string }>>('route', 'show').map((r) => r.dst);
    expect(dsts).toContain('10.100.0.0');
    expect(dsts).not.toContain('10.100.0.2');
  });

  it('reports a change with bad options as a TypeError and sends the rest', async () => {
    const ns = netns();
    const ifindex = setUp(ns);
    const results = await lastValueFrom(
      applyChanges(
        [
          { op: 'addRoute', dst: '10.100.0.300/32', ifindex },
          { op: 'addRoute', dst: host(3), ifindex },
        ],
        { netns: ns.name },
      ).pipe(toArray()),
    );
    expect(results[0].error).toBeInstanceOf(TypeError);
    expect(results[0].error?.message).toMatch(/^applyChanges addRoute: options\.dst must be/);
    expect(results[1]).toEqual({ index: 1, change: { op: 'addRoute', dst: host(3), ifindex } });
  });
});

describe.skipIf(skipReason !== undefined)('reconcileRoutes', () => {
  const netns = useNetns();

  it('applies the fewest adds, replaces and deletes, leaving other protocols alone', async () => {
    const ns = netns();
    const ifindex = setUp(ns);
    ns.batch([
      'addr add 10.1.0.1/24 dev v0',
      'route add 10.11.0.0/24 dev v0 table 100 proto static',
      'route add 10.12.0.0/24 via 10.1.0.2 dev v0 table 100 proto static',
      'route add 10.13.0.0/24 dev v0 table 100 proto static',
      'route add 10.14.0.0/24 dev v0 table 100 proto boot',
    ]);
    const desired = [
      { dst: '10.12.0.0/24', gateway: '10.1.0.3', ifindex },
      { dst: '10.13.0.0/24', ifindex, scope: 'link' },
      { dst: '10.15.0.0/24', type: 'blackhole' },
    ];
    const results = await lastValueFrom(
      reconcileRoutes(desired, { table: 100, netns: ns.name }).pipe(toArray()),
    );
    expect(results.map((r) => [r.change.op, (r.change as { dst: string }).dst, r.error])).toEqual([
      ['deleteRoute', '10.11.0.0/24', undefined],
      ['replaceRoute', '10.12.0.0/24', undefined],
      ['addRoute', '10.15.0.0/24', undefined],
    ]);
    const table = ns.ipJson<Array<Record<string, unknown>>>('-d', 'route', 'show', 'table', '100');
    expect(table.map((r) => [r.type ?? 'unicast', r.dst, r.gateway, r.protocol])).toEqual([
      ['unicast', '10.12.0.0/24', '10.1.0.3', 'static'],
      ['unicast', '10.13.0.0/24', undefined, 'static'],
      ['unicast', '10.14.0.0/24', undefined, 'boot'],
      ['blackhole', '10.15.0.0/24', undefined, 'static'],
    ]);
    const again = await lastValueFrom(
      reconcileRoutes(desired, { table: 100, netns: ns.name }).pipe(toArray()),
    );
    expect(again).toEqual([]);
  });
});
