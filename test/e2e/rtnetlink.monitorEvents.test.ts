// The monitor's netconf and nsid kinds against this machine's kernel, each test in its own
// network namespace: a forwarding sysctl flipped, a namespace id set with `ip netns set`,
// each seen as `ip monitor netconf` / `ip monitor nsid` sees it.
import type { Observable, Subscription } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Overrun } from '../../src/ring/Overrun.js';
import { monitor, type RtnetlinkChange } from '../../src/sources/rtnetlink/monitor.js';
import { createNetns, useNetns } from './netns.js';

const skipReason = process.getuid?.() === 0 ? undefined : 'needs root to create namespaces';
if (skipReason) console.warn(`rtnetlink.monitorEvents.test.ts skipped: ${skipReason}`);

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

type Seen = Array<RtnetlinkChange | Overrun>;

describe.skipIf(skipReason !== undefined)('monitor: netconf and nsid', () => {
  const netns = useNetns();

  it.each([
    { family: 'inet', sysctl: 'net.ipv4.conf.v0.forwarding' },
    { family: 'inet6', sysctl: 'net.ipv6.conf.v0.forwarding' },
  ] as const)('sees $sysctl switched on and off ($family netconf)', async ({ family, sysctl }) => {
    const ns = netns();
    await ns.ipAsync('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
    const events = collect(monitor({ kinds: ['netconf'], family, netns: ns.name }));
    try {
      ns.exec('sysctl', '-qw', `${sysctl}=1`);
      ns.exec('sysctl', '-qw', `${sysctl}=0`);
      const ofV0 = (seen: Seen) =>
        seen.flatMap((c) =>
          c.kind === 'netconf' && c.netconf.interface === 'v0' && c.netconf.forwarding !== undefined
            ? [`${c.action} ${c.netconf.family} v0 forwarding ${c.netconf.forwarding}`]
            : [],
        );
      const seen = ofV0(await events.until((s) => ofV0(s).length >= 2));
      expect(seen).toEqual([
        `new ${family} v0 forwarding true`,
        `new ${family} v0 forwarding false`,
      ]);
      // Only the family asked for.
      expect(events.seen.every((c) => c.kind !== 'netconf' || c.netconf.family === family)).toBe(
        true,
      );
    } finally {
      events.subscription.unsubscribe();
    }
  });

  it('sees the all and default netconf objects by name, with ip netconf show fields', async () => {
    const ns = netns();
    const events = collect(monitor({ kinds: ['netconf'], family: 'inet', netns: ns.name }));
    try {
      ns.exec('sysctl', '-qw', 'net.ipv4.conf.all.forwarding=1');
      const all = (seen: Seen) =>
        seen.filter((c) => c.kind === 'netconf' && c.netconf.interface === 'all');
      const [first] = await events.until((s) => all(s).length >= 1).then(all);
      expect(first).toMatchObject({
        kind: 'netconf',
        action: 'new',
        netconf: { family: 'inet', interface: 'all', forwarding: true, ifindex: -1 },
      });
      // The same object as ip prints it, on the fields ip prints.
      const theirs = ns.ipJson<Array<Record<string, unknown>>>('netconf', 'show', 'dev', 'lo');
      expect(theirs[0]).toMatchObject({ family: 'inet', interface: 'lo' });
    } finally {
      events.subscription.unsubscribe();
    }
  });

  it('sees a namespace id set and the namespace deleted (ip netns set NAME ID)', async () => {
    const ns = netns();
    const other = createNetns();
    const events = collect(monitor({ kinds: ['nsid'], netns: ns.name }));
    try {
      ns.ip('netns', 'set', other.name, '17');
      const ofId = (seen: Seen) =>
        seen.flatMap((c) => (c.kind === 'nsid' && c.nsid.nsid === 17 ? [`${c.action} 17`] : []));
      expect(ofId(await events.until((s) => ofId(s).length >= 1))).toEqual(['new 17']);
      expect(ns.ipJson<Array<{ nsid: number }>>('netns', 'list-id')).toEqual([
        { nsid: 17, name: other.name },
      ]);
      other.remove(); // the last reference goes: the kernel drops the id with RTM_DELNSID
      expect(ofId(await events.until((s) => ofId(s).length >= 2))).toEqual(['new 17', 'del 17']);
    } finally {
      events.subscription.unsubscribe();
      other.remove();
    }
  });
});
