// The command as a whole process (issue 10, target 3): `nlring links --json` beside
// `node -e 0` (what Node's own start costs), and `nlring routes --json` of the route-dump
// namespace beside `ip -j route show table all`, each a fresh process in the namespace,
// stdout to /dev/null. Wall time from fork() to exit.
import { join } from 'node:path';
import { compare, measure } from './measure.js';
import { runProcess } from './processes.js';
import { IPV6_ROUTES, routeTable } from './routeTable.js';
import { repoDir } from './toolchain.js';
import type { Benchmark } from './types.js';

export const cliBench: Benchmark = {
  id: 'cli',
  title: 'the nlring command as a whole process, beside node -e 0 and ip -j',
  needsRoot: true,
  async run({ trials, routes, progress }) {
    const table = routeTable(routes, progress);
    const ns = table.ns.name;
    const node = process.execPath;
    const nlring = join(repoDir(), 'bin', 'nlring.js');
    // Once, checked: the command prints every route (and then the timings run on /dev/null).
    const printed = JSON.parse(
      runProcess([node, nlring, 'routes', '--json'], ns).stdout,
    ) as unknown[];
    if (printed.length !== table.messages) {
      throw new Error(`nlring routes --json printed ${printed.length} routes of ${table.messages}`);
    }
    const links: number[] = [];
    const nodeStart: number[] = [];
    const nlRoutes: number[] = [];
    const ipRoutes: number[] = [];
    for (let t = 0; t < trials; t++) {
      progress(`trial ${t + 1}/${trials}`);
      nodeStart.push(runProcess([node, '-e', '0'], ns, true).wall);
      links.push(runProcess([node, nlring, 'links', '--json'], ns, true).wall);
      ipRoutes.push(runProcess(['ip', '-j', 'route', 'show', 'table', 'all'], ns, true).wall);
      nlRoutes.push(runProcess([node, nlring, 'routes', '--json'], ns, true).wall);
    }
    return [
      compare({
        id: 'cli-links',
        title:
          'nlring links --json (3 links) vs node -e 0, whole process (target: <= 1.5x, ratio >= 0.67)',
        subject: measure('nlring links --json', 's', links),
        baseline: measure('node -e 0', 's', nodeStart),
        higherIsBetter: false,
        target: 1 / 1.5,
        extra: {},
      }),
      compare({
        id: `cli-routes-${routes}`,
        title: `nlring routes --json of ${routes.toLocaleString('en')} IPv4 + ${IPV6_ROUTES} IPv6 routes vs ip -j route show table all, whole process (target: no slower)`,
        subject: measure('nlring routes --json', 's', nlRoutes),
        baseline: measure('ip -j route show table all', 's', ipRoutes),
        higherIsBetter: false,
        target: 1,
        extra: {},
      }),
    ];
  },
};
