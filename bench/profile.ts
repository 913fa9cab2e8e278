// Where a fresh process's first decoded dump spends its time: runs the route-dump peer
// (`peers/nlringDump.js routes 1`) once under `node --cpu-prof` in a namespace of N routes
// and splits the profile into start-up (Node's bootstrap and module loading, up to the
// peer's first line) and the dump, the dump by where the CPU was (decode, codec, ring,
// io/koffi, nlring's operators and sources, rxjs, GC, V8's own work). The warm dump of the
// same process (6th of 6, no profiler) gives the JIT warm-up as cold minus warm.
//
//   node dist/bench/profile.js [--routes N] [--keep DIR]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProcess } from './processes.js';
import { removeRouteTable, routeTable } from './routeTable.js';
import { distBenchDir } from './toolchain.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[] | undefined;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * For a file of the library bundle (dist/lib), the lines where esbuild's module markers
 * (`// src/families/rtnetlink/route.ts`, written before each module's code) start a module,
 * with the module's path: a frame's line then says which source module it is in.
 */
const bundleModules = new Map<string, { line: number; path: string }[]>();

function bundleModule(url: string, line: number): string | undefined {
  let marks = bundleModules.get(url);
  if (marks === undefined) {
    marks = [];
    const lines = readFileSync(fileURLToPath(url), 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^\/\/ (src\/\S+)\.ts$/.exec(lines[i]);
      if (m) marks.push({ line: i, path: m[1] });
    }
    bundleModules.set(url, marks);
  }
  let found: string | undefined;
  for (const mark of marks) {
    if (mark.line > line) break;
    found = mark.path;
  }
  return found;
}

/** The category of a sample by its own (top) frame. */
function category(frame: ProfileNode['callFrame']): string {
  const { functionName, lineNumber } = frame;
  let { url } = frame;
  if (url.includes('/dist/lib/')) {
    // The bundle a program loads: named by the source module the frame's line is in.
    const module = bundleModule(url, lineNumber);
    url = module === undefined ? url : `/dist/${module}.js`;
  }
  if (url === '') {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(program)') return 'V8 itself (compiler, IC misses, runtime)';
    if (functionName === '(idle)') return 'idle (waiting for the kernel)';
    return `native: ${functionName}`;
  }
  if (url.includes('/node_modules/rxjs/')) return 'rxjs (Observable, Subscriber, pipe)';
  if (url.includes('/node_modules/koffi/')) return 'koffi (JS side)';
  if (url.includes('/dist/src/families/')) return 'nlring decode (families/)';
  if (url.includes('/dist/src/netlink/')) return 'nlring codec (netlink/)';
  if (url.includes('/dist/src/ring/')) return 'nlring ring (ring/)';
  if (url.includes('/dist/src/io/')) return 'nlring io (engine, libc via koffi)';
  if (url.includes('/dist/src/operators/')) return 'nlring operators (parse, takeDump, …)';
  if (url.includes('/dist/src/sources/')) return 'nlring sources (fromRing, dumpRoutes, …)';
  if (url.includes('/dist/src/')) return `nlring ${url.split('/dist/src/')[1]?.split('/')[0]}`;
  if (url.includes('/dist/bench/')) return "the peer's own code (next callback)";
  if (url.startsWith('node:')) return 'Node internals (node:*)';
  return `other: ${url}`;
}

function summarise(profile: CpuProfile, firstLineUs: number): string[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stack = (id: number) => {
    const frames: ProfileNode[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at);
      if (n) frames.push(n);
    }
    return frames; // top first
  };
  // The dump phase starts at the peer module's first line (V8's profile clock and
  // process.hrtime are both CLOCK_MONOTONIC, in µs).
  const mainAt = firstLineUs;
  let t = profile.startTime;
  const times: number[] = [];
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i];
    times.push(t);
  }
  const startup = new Map<string, number>();
  const dump = new Map<string, number>();
  const functions = new Map<string, number>();
  let decodeInclusive = 0;
  let rxInclusiveFrames = 0;
  let dumpTotal = 0;
  let startupTotal = 0;
  const depths: number[] = [];
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000; // ms attributed to sample i
    const frames = stack(profile.samples[i]);
    const cat = category(frames[0].callFrame);
    if (times[i] < mainAt) {
      startup.set(cat, (startup.get(cat) ?? 0) + dt);
      startupTotal += dt;
      continue;
    }
    dump.set(cat, (dump.get(cat) ?? 0) + dt);
    const top = frames[0].callFrame;
    const fn = `${top.functionName || '(anonymous)'} ${top.url.replace(/^.*\/(dist|node_modules)\//, '')}:${top.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + dt);
    dumpTotal += dt;
    // decodeRouteAt is what a dump calls (decodeRoute, for a message handle, wraps it).
    const decoding = (name: string) => name === 'decodeRoute' || name === 'decodeRouteAt';
    if (frames.some((f) => decoding(f.callFrame.functionName))) decodeInclusive += dt;
    if (frames.some((f) => f.callFrame.url.includes('/node_modules/rxjs/')))
      rxInclusiveFrames += dt;
    // Frames between the parser and the user's next (when both are on the stack).
    const user = frames.findIndex(
      (f) => f.callFrame.url.endsWith('peers/nlringDump.js') && f.callFrame.functionName === 'next',
    );
    const parser = frames.findIndex(
      (f) =>
        f.callFrame.url.includes('/dist/src/operators/parseMessages.js') ||
        f.callFrame.url.includes('/dist/src/operators/MessageStream.js'),
    );
    if (user >= 0 && parser > user) depths.push(parser - user - 1);
  }
  const lines: string[] = [];
  const table = (title: string, m: Map<string, number>, total: number) => {
    lines.push(`${title}: ${total.toFixed(0)} ms of profile samples`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1])) {
      if (v >= 0.5)
        lines.push(
          `  ${v.toFixed(1).padStart(7)} ms ${((100 * v) / total).toFixed(1).padStart(5)} %  ${k}`,
        );
    }
  };
  table("start-up (to the peer module's first line)", startup, startupTotal);
  table('the dump (the first line to exit)', dump, dumpTotal);
  lines.push('  the functions with the most self time in the dump:');
  for (const [k, v] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 10)) {
    lines.push(`  ${v.toFixed(1).padStart(7)} ms  ${k}`);
  }
  lines.push(
    `  inclusive: decodeRoute(At) ${decodeInclusive.toFixed(0)} ms; any rxjs frame on the stack ${rxInclusiveFrames.toFixed(0)} ms`,
  );
  if (depths.length) {
    depths.sort((a, b) => a - b);
    lines.push(
      `  frames between the message parser (parseMessages / MessageStream) and the user's next: median ${depths[depths.length >> 1]} (of ${depths.length} samples)`,
    );
  }
  return lines;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const at = (flag: string) => {
    const i = args.indexOf(flag);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const routes = Number(at('--routes') ?? 100_000);
  const keep = at('--keep');
  const table = routeTable(routes, (note) => process.stderr.write(`${note}\n`));
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'nlring-prof-'));
  try {
    const peer = join(distBenchDir(), 'peers', 'nlringDump.js');
    const node = process.execPath;
    const plain = JSON.parse(runProcess([node, peer, 'routes', '6'], table.ns.name).stdout) as {
      elapsed: number[];
      loadedMs: number;
    };
    const nodeOnly = runProcess([node, '-e', '0'], table.ns.name).wall;
    const run = runProcess(
      [node, '--cpu-prof', '--cpu-prof-dir', dir, peer, 'routes', '1'],
      table.ns.name,
    );
    const report = JSON.parse(run.stdout) as {
      firstLineUs: number;
      elapsed: number[];
      loadedMs: number;
      messages: number;
    };
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const lines = [
      `${report.messages} routes, one fresh process under --cpu-prof: whole process ${run.wall.toFixed(3)} s, Node start + module loading ${report.loadedMs.toFixed(0)} ms, the dump ${(report.elapsed[0] * 1000).toFixed(0)} ms`,
      `without the profiler: node -e 0 ${(nodeOnly * 1000).toFixed(0)} ms; the peer's start + loading ${plain.loadedMs.toFixed(0)} ms; first dump ${(plain.elapsed[0] * 1000).toFixed(0)} ms, 6th dump ${(plain.elapsed[5] * 1000).toFixed(0)} ms (cold - warm: ${((plain.elapsed[0] - plain.elapsed[5]) * 1000).toFixed(0)} ms)`,
      ...summarise(profile, report.firstLineUs),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (keep) process.stdout.write(`profile kept in ${join(dir, file)}\n`);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
    removeRouteTable();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
