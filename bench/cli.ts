// The command as a whole process (issue 10, target 3): `nlring links --json` beside
// `node -e 0` (what Node's own start costs), and `nlring routes --json` of the route-dump
// namespace beside `ip -j route show table all`, each a fresh process in the namespace,
// and `nlring routes` (the table: the README's first command) beside `ip route show table
// all` (ip's text),
// stdout to /dev/null. Wall time from fork() to exit. The command is bin/nlring.js run by its
// #! line, as npx runs it, i.e. the bundle dist/cli/nlring.cjs that `npm run bench` builds
// first, with the V8 code cache that its first run leaves (docs/ARCHITECTURE.md, "Start-up"):
// the checked run below is that first run, and a third row measures a start without the
// cache. A fourth row is the floor of any command on Node and koffi: bench/peers/floor.ts
// reads the same dump with recv() and decodes and prints nothing, beside the same ip -j
// trials.
//
// The bin's #! line starts node without NODE_EXTRA_CA_CERTS (Node 20 parses that file and
// its own root certificates before any JavaScript runs), so `node -e 0` and the floor start
// without it too: the baselines are Node's start as the command gets it. `node -e 0` in the
// environment as given is kept beside them (cli-links' extras), where the variable is set.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compare, measure } from './measure.js';
import { runProcess } from './processes.js';
import { IPV6_ROUTES, routeTable } from './routeTable.js';
import { distBenchDir, repoDir } from './toolchain.js';
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
    const bundle = join(repoDir(), 'dist', 'cli', 'nlring.cjs');
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`);
    // Once, checked: the command prints every route (and then the timings run on /dev/null).
    // This first run also writes the code cache that every later run reads.
    const printed = JSON.parse(runProcess([nlring, 'routes', '--json'], ns).stdout) as unknown[];
    if (printed.length !== table.messages) {
      throw new Error(`nlring routes --json printed ${printed.length} routes of ${table.messages}`);
    }
    // The table: a header line, then a line a route.
    const tableLines = runProcess([nlring, 'routes'], ns).stdout.split('\n').length - 2;
    if (tableLines !== table.messages) {
      throw new Error(`nlring routes printed ${tableLines} routes of ${table.messages}`);
    }
    // And links --json, checked too (the namespace's links, lo first): the dump commands'
    // bundle writes its code cache anew after the first run of each of its commands
    // (docs/ARCHITECTURE.md, "Start-up"), so that run is this one, not a trial.
    const linked = JSON.parse(runProcess([nlring, 'links', '--json'], ns).stdout) as Array<{
      ifname?: string;
    }>;
    if (linked[0]?.ifname !== 'lo') {
      throw new Error(`nlring links --json printed ${JSON.stringify(linked).slice(0, 200)}`);
    }
    // The floor reads the same messages (checked once, as the command's output is).
    const floor = join(distBenchDir(), 'peers', 'floor.js');
    const bare = ['env', '-u', 'NODE_EXTRA_CA_CERTS'];
    const floorCount = Number(runProcess([...bare, node, floor, 'routes'], ns).stdout.trim());
    if (floorCount !== table.messages) {
      throw new Error(`the floor read ${floorCount} routes of ${table.messages}`);
    }
    const floorRoutes: number[] = [];
    const links: number[] = [];
    const linksCpu: number[] = [];
    const uncached: number[] = [];
    const nodeStart: number[] = [];
    const nodeCpu: number[] = [];
    const nodeStart2: number[] = [];
    const nodeAsGiven: number[] = [];
    const caCerts = process.env.NODE_EXTRA_CA_CERTS !== undefined;
    const nlRoutes: number[] = [];
    const ipRoutes: number[] = [];
    const nlRoutesCpu: number[] = [];
    const ipRoutesCpu: number[] = [];
    const nlTable: number[] = [];
    const ipText: number[] = [];
    const noCache = ['env', 'NODE_DISABLE_COMPILE_CACHE=1'];
    const bareNoCache = [...bare, 'NODE_DISABLE_COMPILE_CACHE=1'];
    for (let t = 0; t < trials; t++) {
      progress(`trial ${t + 1}/${trials}`);
      const start = runProcess([...bare, node, '-e', '0'], ns, true);
      nodeStart.push(start.wall);
      nodeCpu.push(start.user + start.sys);
      if (caCerts) nodeAsGiven.push(runProcess([node, '-e', '0'], ns, true).wall);
      const run = runProcess([nlring, 'links', '--json'], ns, true);
      links.push(run.wall);
      linksCpu.push(run.user + run.sys);
      nodeStart2.push(runProcess([...bareNoCache, node, '-e', '0'], ns, true).wall);
      uncached.push(runProcess([...noCache, nlring, 'links', '--json'], ns, true).wall);
      const ip = runProcess(['ip', '-j', 'route', 'show', 'table', 'all'], ns, true);
      ipRoutes.push(ip.wall);
      ipRoutesCpu.push(ip.user + ip.sys);
      floorRoutes.push(runProcess([...bare, node, floor, 'routes'], ns, true).wall);
      const routesRun = runProcess([nlring, 'routes', '--json'], ns, true);
      nlRoutes.push(routesRun.wall);
      nlRoutesCpu.push(routesRun.user + routesRun.sys);
      ipText.push(runProcess(['ip', 'route', 'show', 'table', 'all'], ns, true).wall);
      nlTable.push(runProcess([nlring, 'routes'], ns, true).wall);
    }
    const cpu = measure('nlring links --json, CPU', 's', linksCpu);
    const routesCpu = measure('nlring routes --json, CPU', 's', nlRoutesCpu);
    const ipCpu = measure('ip -j route show table all, CPU', 's', ipRoutesCpu);
    const nodeCpuMeasure = measure('node -e 0, CPU', 's', nodeCpu);
    const nodeLabel = caCerts
      ? 'node -e 0, started without NODE_EXTRA_CA_CERTS as the command starts node'
      : 'node -e 0';
    return [
      compare({
        id: 'cli-links',
        title:
          'nlring links --json (3 links) vs node -e 0, whole process (target: <= 1.5x, ratio >= 0.67)',
        subject: measure('nlring links --json', 's', links),
        baseline: measure(nodeLabel, 's', nodeStart),
        higherIsBetter: false,
        target: 1 / 1.5,
        extra: {
          cpuSeconds: cpu.value,
          nodeCpuSeconds: nodeCpuMeasure.value,
          cpuRatio: nodeCpuMeasure.value / cpu.value,
          // Node's start in the bench's own environment, NODE_EXTRA_CA_CERTS read.
          ...(caCerts
            ? { nodeWithExtraCaCertsSeconds: measure('node -e 0', 's', nodeAsGiven).value }
            : {}),
        },
      }),
      compare({
        id: 'cli-links-no-code-cache',
        title:
          'nlring links --json without the code cache (a first run) vs node -e 0, both under env NODE_DISABLE_COMPILE_CACHE=1',
        subject: measure('nlring links --json, no code cache', 's', uncached),
        baseline: measure(nodeLabel, 's', nodeStart2),
        higherIsBetter: false,
        extra: {},
      }),
      compare({
        id: `cli-routes-${routes}`,
        title: `nlring routes --json of ${routes.toLocaleString('en')} IPv4 + ${IPV6_ROUTES} IPv6 routes vs ip -j route show table all, whole process (target: no slower)`,
        subject: measure('nlring routes --json', 's', nlRoutes),
        baseline: measure('ip -j route show table all', 's', ipRoutes),
        higherIsBetter: false,
        target: 1,
        // User + system CPU of the whole process (nlring's includes V8's compiler and GC
        // threads): steadier than wall time on a shared machine.
        extra: {
          cpuSeconds: routesCpu.value,
          ipCpuSeconds: ipCpu.value,
          cpuRatio: ipCpu.value / routesCpu.value,
        },
      }),
      compare({
        id: `cli-routes-table-${routes}`,
        title: `nlring routes (the table) of ${routes.toLocaleString('en')} IPv4 + ${IPV6_ROUTES} IPv6 routes vs ip route show table all (ip's text), whole process`,
        subject: measure('nlring routes', 's', nlTable),
        baseline: measure('ip route show table all', 's', ipText),
        higherIsBetter: false,
        extra: {},
      }),
      compare({
        id: `cli-routes-floor-${routes}`,
        title: `the floor of Node + koffi: the same ${routes.toLocaleString('en')}-route dump read with recv(), nothing decoded or printed, node started as the command starts it, vs ip -j route show table all, whole process`,
        subject: measure('node + koffi, recv() of the dump, whole process', 's', floorRoutes),
        baseline: measure('ip -j route show table all', 's', ipRoutes),
        higherIsBetter: false,
        extra: {},
      }),
    ];
  },
};
