// The package as a consumer gets it: `npm pack` of a build, installed into a fresh project
// with its own rxjs pinned to another 7.x, then imported (ESM and CommonJS).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetns } from '../e2e/netns.js';
import { netfilterE2eUnavailable } from '../sources/netfilter/traffic.js';
import { strictConsumerTsconfig } from './strictConsumer.js';

const root = join(import.meta.dirname, '..', '..');
let work = '';
let app = '';
let files: string[] = [];
let installLog = '';

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nlring-pack-'));
  const stage = join(work, 'stage');
  // Build into a staging copy so that this file never races another test's build of dist/.
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  run(
    process.execPath,
    [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')],
    root,
  );
  run(process.execPath, [join(root, 'scripts', 'bundle.mjs'), '--dist', join(stage, 'dist')], root);
  for (const f of ['package.json', 'README.md', 'LICENSE', 'bin', 'docs']) {
    cpSync(join(root, f), join(stage, f), { recursive: true });
  }
  const packed = JSON.parse(
    run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], stage),
  ) as {
    filename: string;
    files: { path: string }[];
  }[];
  files = packed[0].files.map((f) => f.path);
  app = join(work, 'app');
  cpSync(join(root, 'test', 'package', 'app'), app, { recursive: true });
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({
      name: 'consumer',
      private: true,
      type: 'module',
      dependencies: { nlring: `file:${join(work, packed[0].filename)}`, rxjs: '7.8.1' },
    }),
  );
  // npm prints its install-script warnings on stderr; keep both streams.
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund'], {
    cwd: app,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (install.status !== 0) throw new Error(`npm install failed: ${install.stderr}`);
  installLog = install.stdout + install.stderr;
}, 180_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe('the packed package', () => {
  it('ships the library, the command and its docs, and no source maps, bench or examples', () => {
    // The entries are the bundle (dist/lib: ES modules, shared chunks); dist/src holds the
    // types and the YNL family modules the command loads.
    expect(files).toContain('dist/lib/index.js');
    expect(files).toContain('dist/lib/testing/index.js');
    expect(files).toContain('dist/src/index.d.ts');
    expect(files).toContain('bin/nlring.js');
    expect(files).toContain('bin/package.json');
    expect(files).toContain('dist/cli/nlring.cjs');
    expect(files).toContain('dist/cli/nlring-dumps.cjs');
    expect(files).toContain('dist/cli/commands.json');
    expect(files.filter((f) => f.endsWith('.v8cache'))).toEqual([]);
    expect(files).toContain('LICENSE');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => /^dist\/(bench|examples|test)\//.test(f))).toEqual([]);
  });

  it('installs without an install-script warning of its own', () => {
    expect(installLog).not.toMatch(/nlring@[^ ]* \((prepare|install|postinstall|preinstall)/);
  });

  it('shares the consumer’s rxjs: one copy, so instanceof Observable holds', () => {
    const out = run(process.execPath, ['esm.mjs'], app);
    expect(JSON.parse(out)).toEqual({
      observable: true,
      rxjsCopies: 1,
      oneFrameClass: true,
      entry: 'dist/lib/index.js',
      simulated: 'function',
      errors: 'function',
    });
    expect(readdirSync(join(app, 'node_modules', 'nlring'))).not.toContain('node_modules');
  });

  it('runs the command from the installed package (npx nlring links --json)', () => {
    const out = run('npx', ['--no-install', 'nlring', 'links', '--json'], app);
    const links = JSON.parse(out) as { ifname: string }[];
    expect(links.map((l) => l.ifname)).toContain('lo');
    // It ran the dump commands' bundle: the code cache it wrote is that bundle's.
    const cli = join(app, 'node_modules', 'nlring', 'dist', 'cli');
    const caches = readdirSync(cli).filter((f) => f.endsWith('.v8cache'));
    expect(caches.map((f) => f.split('.')[0])).toContain('nlring-dumps');
  });

  // The bundle is what users run (syntax minified by esbuild): its hot paths against the
  // kernel, in a namespace of the test's own, with real traffic.
  const unavailable = netfilterE2eUnavailable();
  if (unavailable !== undefined) console.warn(`skipping the installed hot paths: ${unavailable}`);
  it.skipIf(unavailable !== undefined)(
    'runs the installed bundle’s hot paths on the kernel: decoded routes as ip prints them, NFLOG batches and packets, NFQUEUE verdicts',
    () => {
      const ns = createNetns();
      try {
        // No IPv6 autoconf: no route may appear between the dump and ip's listing.
        ns.exec(
          'sysctl',
          '-qw',
          'net.ipv6.conf.all.disable_ipv6=1',
          'net.ipv6.conf.default.disable_ipv6=1',
        );
        ns.batch([
          'link set lo up',
          'link add v0 type veth peer name v1',
          'addr add 192.168.7.1/24 dev v0',
          'link set v0 up',
          'link set v1 up',
          ...Array.from(
            { length: 200 },
            (_, i) => `route add 10.9.${i >> 8}.${i & 255}/32 via 192.168.7.2 dev v0`,
          ),
        ]);
        const rule = (port: string, ...target: string[]) =>
          ns.exec('iptables', '-A', 'OUTPUT', '-p', 'udp', '--dport', port, '-j', ...target);
        rule('9999', 'NFLOG', '--nflog-group', '5');
        rule('9997', 'NFLOG', '--nflog-group', '6');
        rule('9998', 'NFQUEUE', '--queue-num', '3');
        const out = ns.exec(process.execPath, join(app, 'hotPaths.mjs'));
        const got = JSON.parse(out) as {
          routes: { dst: string; gateway?: string; dev?: string; table?: string }[];
          nflogBatches: { packets: number; payloadBytes: number[]; seqInOrder: boolean };
          nflog: { packets: number; payloadBytes: number[]; hooks: number[] };
          nfqueue: { accepted: number; delivered: number };
        };
        const key = (r: { dst: string; gateway?: string; dev?: string; table?: string }) =>
          `${r.dst} ${r.gateway ?? '-'} ${r.dev ?? '-'} ${r.table ?? 'main'}`;
        const ip = ns.ipJson<{ dst: string; gateway?: string; dev?: string; table?: string }[]>(
          'route',
          'show',
          'table',
          'all',
        );
        expect(got.routes.map(key).sort()).toEqual(ip.map(key).sort());
        expect(got.routes.filter((r) => r.gateway === '192.168.7.2')).toHaveLength(200);
        // 64 bytes of UDP payload: 92-byte IPv4 packets.
        expect(got.nflogBatches).toEqual({ packets: 300, payloadBytes: [92], seqInOrder: true });
        // NF_INET_LOCAL_OUT is hook 3.
        expect(got.nflog).toEqual({ packets: 300, payloadBytes: [92], hooks: [3] });
        expect(got.nfqueue).toEqual({ accepted: 50, delivered: 50 });
      } finally {
        ns.remove();
      }
    },
    60_000,
  );

  it("import 'nlring' reaches no YNL family module: the link decoder's rt-link views are its own", () => {
    // Every file of the package that `import 'nlring'` loads: the entry and the chunks its
    // static imports reach (the family modules are loaded only by import() when asked for).
    const lib = join(app, 'node_modules', 'nlring', 'dist', 'lib');
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      const text = readFileSync(join(lib, file), 'utf8');
      for (const m of text.matchAll(/^(?:import|export)\b[^;]*?from "(\.[^"]+)";/gms)) {
        visit(join(dirname(file), m[1]));
      }
    };
    visit('index.js');
    expect([...reached].some((f) => f.startsWith('ynl/'))).toBe(false);
    // rt-link's code (343 KB for the whole family) is in the entry, cut to what the link
    // decoder uses, and in no chunk the entry loads; the family's own module has it whole.
    const holders = [...reached].filter((f) =>
      readFileSync(join(lib, f), 'utf8').includes('// src/families/ynl/rt-link.ts'),
    );
    expect(holders).toEqual(['index.js']);
    const whole = readFileSync(join(lib, 'ynl', 'rt-link.js'), 'utf8');
    expect(whole).toContain('// src/families/ynl/rt-link.ts');
    const size = (f: string) => readFileSync(join(lib, f)).length;
    expect([...reached].reduce((sum, f) => sum + size(f), 0)).toBeLessThan(
      size('index.js') + whole.length,
    );
  });

  it('loads from CommonJS (require of the ESM entry, Node >= 20.19) and exposes package.json', () => {
    const out = run(process.execPath, ['cjs.cjs'], app);
    expect(JSON.parse(out)).toEqual({
      fromRing: 'function',
      name: 'nlring',
      testing: 'function',
      ring: 'function',
      netlink: 'function',
      constants: 0x300,
    });
  });

  it('ships types for each subpath that a strict consumer compiles against', () => {
    const types = (entry: string) => `dist/src/${entry}.d.ts`;
    for (const entry of ['index', 'testing/index', 'ring', 'netlink', 'constants']) {
      expect(files).toContain(types(entry));
    }
    // strict and exactOptionalPropertyTypes, the packed .d.ts files checked too.
    writeFileSync(
      join(app, 'tsconfig.json'),
      strictConsumerTsconfig(['app.ts'], {
        typeRoots: [join(root, 'node_modules', '@types')],
        types: ['node'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const compiled = spawnSync(process.execPath, [tsc, '-p', app, '--pretty', 'false'], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });

  // Off Linux nothing may load koffi before a socket opens: notLinux.mjs fakes the platform
  // and refuses koffi to both require and import, and offLinux.mjs reports what happened.
  it.each([
    { name: 'macOS', platform: 'darwin' },
    { name: 'Windows', platform: 'win32' },
  ])('imports and runs a marble test on $name without loading koffi', ({ platform }) => {
    const out = execFileSync(process.execPath, ['--import', './notLinux.mjs', 'offLinux.mjs'], {
      cwd: app,
      encoding: 'utf8',
      env: { ...process.env, NLRING_FAKE_PLATFORM: platform },
    });
    expect(JSON.parse(out)).toEqual({
      platform,
      links: ['lo', 'v1', 'v0', 'br0'],
      marbles: [true],
      socket: `nlring: netlink sockets need Linux (this is ${platform})`,
      koffiAttempts: [],
      koffiLoaded: false,
    });
  });
});
