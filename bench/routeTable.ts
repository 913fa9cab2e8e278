// The namespace the route-dump and command benchmarks read: N IPv4 /32 routes through a veth
// and a few IPv6 routes, made once per run and deleted at its end. IPv6 addresses are added
// without DAD and without link-local autoconfiguration, so no route appears later and every
// dump of every trial holds exactly the same messages (checked).
import { spawnSync } from 'node:child_process';
import { type BenchNetns, createBenchNetns } from './netns.js';

/** The namespace and what a dump of it holds. */
export interface RouteTable {
  ns: BenchNetns;
  /** IPv4 /32 routes added. */
  routes: number;
  /** RTM_NEWROUTE messages in an AF_UNSPEC dump of every table (what each peer must see). */
  messages: number;
}

export const IPV6_ROUTES = 8;

let current: RouteTable | undefined;

/** Counts the routes of every family and table with `ip -j route show table all`. */
function ipCount(ns: BenchNetns): number {
  const r = spawnSync('ip', ['-n', ns.name, '-j', 'route', 'show', 'table', 'all'], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
  });
  return (JSON.parse(r.stdout) as unknown[]).length;
}

/** The run's route namespace with `routes` IPv4 routes (made on first use, or remade for another size). */
export function routeTable(routes: number, progress: (note: string) => void): RouteTable {
  if (current?.routes === routes) return current;
  current?.ns.remove();
  current = undefined;
  const ns = createBenchNetns('nlring-bench-routes');
  try {
    progress(`setting up ${routes.toLocaleString('en')} IPv4 + ${IPV6_ROUTES} IPv6 routes`);
    ns.exec(
      'sysctl',
      '-qw',
      'net.ipv6.conf.all.addr_gen_mode=1',
      'net.ipv6.conf.default.addr_gen_mode=1',
      'net.ipv6.conf.all.accept_ra=0',
      'net.ipv6.conf.default.accept_ra=0',
    );
    const commands = [
      'link add v0 type veth peer name v1',
      'addr add 192.168.0.1/24 dev v0',
      'addr add 2001:db8::1/64 dev v0 nodad',
      'link set v0 up',
      'link set v1 up',
    ];
    for (let i = 0; i < IPV6_ROUTES; i++) {
      commands.push(`route add 2001:db8:${i + 1}::/48 via 2001:db8::2 dev v0`);
    }
    for (let i = 0; i < routes; i++) {
      commands.push(
        `route add 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32 via 192.168.0.2 dev v0`,
      );
    }
    ns.batch(commands);
    // Settle: the count must be the same twice, a second apart.
    let messages = ipCount(ns);
    for (let attempt = 0; attempt < 10; attempt++) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
      const again = ipCount(ns);
      if (again === messages) break;
      messages = again;
    }
    if (messages < routes)
      throw new Error(`the namespace holds ${messages} routes, expected >= ${routes}`);
    current = { ns, routes, messages };
    return current;
  } catch (error) {
    ns.remove();
    throw error;
  }
}

/** Deletes the run's route namespace. */
export function removeRouteTable(): void {
  current?.ns.remove();
  current = undefined;
}
