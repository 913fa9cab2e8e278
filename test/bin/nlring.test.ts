// bin/nlring.js and the command bundle (scripts/bundle.mjs): what a fresh `nlring` process
// loads, and the V8 code cache it keeps. Each test runs a package laid out as npm installs it
// (bin/, dist/cli/ from a fresh bundle, package.json, node_modules for koffi) in a directory
// of its own, so it never touches the repository's dist/.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

let work = '';
let bundleDist = '';

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'nlring-cold-bin-'));
  bundleDist = join(work, 'dist');
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--dist', bundleDist], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}, 60_000);

afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

/** A package as npm installs it, in a new directory; returns its root. */
function installed(name: string): string {
  const root = join(work, name);
  mkdirSync(join(root, 'dist'), { recursive: true });
  cpSync(join(ROOT, 'bin'), join(root, 'bin'), { recursive: true });
  cpSync(join(bundleDist, 'cli'), join(root, 'dist', 'cli'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(root, 'node_modules'));
  return root;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function nlring(
  root: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
  prefix: string[] = [],
): Run {
  const argv = [...prefix, process.execPath, join(root, 'bin', 'nlring.js'), ...args];
  const r = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The code cache files in a directory. */
function caches(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.v8cache')) : [];
}

const versionLine = { status: 0, stdout: `nlring ${VERSION}\n`, stderr: '' };

describe('the command bundle', () => {
  it('is ASCII, names its hash on the first line, and has no import() left', () => {
    const text = readFileSync(join(bundleDist, 'cli', 'nlring.cjs'), 'latin1');
    expect(text.split('\n')[0]).toMatch(/^\/\/ nlring command bundle [0-9a-f]{32} /);
    expect(/[^\0-\x7f]/.exec(text)).toBeNull();
    expect(/(^|[^\w$.])import\(/m.exec(text)).toBeNull();
  });

  it('reaches what it leaves outside through importModule, the import() of the bin', () => {
    const text = readFileSync(join(bundleDist, 'cli', 'nlring.cjs'), 'utf8');
    const calls = [...text.matchAll(/\bimportModule\(([^)]*)\)/g)].map((m) => m[1]);
    expect(calls.sort()).toEqual(['"../bench/run.js"', '"yaml"', 'ynlModules + entry.module']);
  });

  it('holds its own rxjs but not the YNL family modules', () => {
    const text = readFileSync(join(bundleDist, 'cli', 'nlring.cjs'), 'utf8');
    expect(text).toContain('node_modules/rxjs/dist/esm/internal/Observable.js');
    expect(text).not.toContain('src/families/ynl/nl80211.ts');
    expect(existsSync(join(bundleDist, 'cli', 'rxjs-LICENSE.txt'))).toBe(true);
  });

  it('links --json loads one file of nlring and nothing of rxjs from node_modules', () => {
    const root = installed('loads');
    const preload = join(work, 'record-loads.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));\n",
    );
    // The first run writes the code cache; the traced one reads it.
    expect(nlring(root, ['links', '--json']).status).toBe(0);
    const traced = spawnSync(
      process.execPath,
      ['-r', preload, join(root, 'bin', 'nlring.js'), 'links', '--json'],
      { encoding: 'utf8' },
    );
    expect(traced.status).toBe(0);
    const files = JSON.parse(traced.stderr) as string[];
    // The bundle runs through vm.Script, so require.cache holds the bin and what the bundle
    // requires: koffi's prebuilt binary (a native addon, required without koffi's loader),
    // nothing else.
    const modules = realpathSync(join(root, 'node_modules'));
    expect(files.filter((f) => !f.startsWith(modules))).toEqual([
      preload,
      join(root, 'bin', 'nlring.js'),
    ]);
    const packages = files
      .filter((f) => f.startsWith(modules))
      .map((f) => f.split('/')[modules.split('/').length]);
    expect([...new Set(packages)].sort()).toEqual(['@koromix']);
  });
  it("where koffi's binary is not beside the package, koffi's own loader finds it", () => {
    // npm may nest koffi's optional dependency under koffi: only koffi is beside nlring here
    // (a link into the repository, whose node_modules has the binary).
    const root = installed('nested-koffi');
    rmSync(join(root, 'node_modules'));
    mkdirSync(join(root, 'node_modules'));
    symlinkSync(join(ROOT, 'node_modules', 'koffi'), join(root, 'node_modules', 'koffi'));
    const preload = join(work, 'record-loads-nested.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(JSON.stringify(Object.keys(require.cache))));\n",
    );
    const run = spawnSync(
      process.execPath,
      ['-r', preload, join(root, 'bin', 'nlring.js'), 'links', '--json'],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)[0]).toMatchObject({ ifindex: 1, ifname: 'lo' });
    const files = JSON.parse(run.stderr) as string[];
    const koffi = realpathSync(join(ROOT, 'node_modules', 'koffi'));
    expect(files.some((f) => f.startsWith(koffi) && f.endsWith('index.cjs'))).toBe(true);
    expect(files.some((f) => f.endsWith('koffi.node'))).toBe(true);
  });
});

describe('the dump commands build', () => {
  it('runs the six dumps and their aliases; everything else runs the whole command', () => {
    const root = installed('dumps-build');
    const dir = join(root, 'dist', 'cli');
    const own = JSON.parse(readFileSync(join(dir, 'commands.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(own).sort()).toEqual(
      [
        ...['routes', 'route', 'links', 'link', 'addrs', 'addr', 'address'],
        ...['neigh', 'neighbour', 'neighbor', 'rules', 'rule', 'nexthops', 'nexthop'],
      ].sort(),
    );
    expect(new Set(Object.values(own))).toEqual(new Set(['nlring-dumps.cjs']));
    // Which bundle ran shows in the code cache it writes: nlring-dumps.* for a dump.
    const links = nlring(root, ['--debug', 'link', '--json']);
    expect(links.status).toBe(0);
    expect(JSON.parse(links.stdout)[0]).toMatchObject({ ifindex: 1, ifname: 'lo' });
    expect(caches(dir).map((f) => f.split('.')[0])).toEqual(['nlring-dumps']);
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    expect(
      caches(dir)
        .map((f) => f.split('.')[0])
        .sort(),
    ).toEqual(['nlring', 'nlring-dumps']);
    // A dump's help and usage errors are the whole command's.
    const whole = join(work, 'whole-only');
    cpSync(root, whole, { recursive: true, verbatimSymlinks: true });
    rmSync(join(whole, 'dist', 'cli', 'commands.json'));
    for (const args of [
      ['routes', '--help'],
      ['routes', '--table', 'nosuch'],
      ['links', '-x'],
    ]) {
      expect(nlring(root, args), args.join(' ')).toEqual(nlring(whole, args));
    }
    // Both caches stay: writing one does not remove the other's.
    expect(caches(dir)).toHaveLength(2);
  });
});

describe('the dump commands build, missing', () => {
  it('the whole command runs them when commands.json names a bundle that is not there', () => {
    const root = installed('dumps-missing');
    const dir = join(root, 'dist', 'cli');
    rmSync(join(dir, 'nlring-dumps.cjs'));
    const links = nlring(root, ['links', '--json']);
    expect(links.status).toBe(0);
    expect(JSON.parse(links.stdout)[0]).toMatchObject({ ifindex: 1, ifname: 'lo' });
    expect(caches(dir).map((f) => f.split('.')[0])).toEqual(['nlring']);
  });
});

describe('the code cache', () => {
  it('the first run writes it beside the bundle, later runs read it and leave it', () => {
    const root = installed('first');
    const dir = join(root, 'dist', 'cli');
    expect(caches(dir)).toEqual([]);
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    const [file] = caches(dir);
    expect(file).toMatch(/^nlring\.[0-9a-f]{32}-\d+-\d+-v\d+\.\d+\.\d+-\w+\.v8cache$/);
    const before = statSync(join(dir, file));
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    expect(caches(dir)).toEqual([file]);
    const after = statSync(join(dir, file));
    expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({
      ino: before.ino,
      mtimeMs: before.mtimeMs,
    });
  });

  it("a dump bundle's cache learns each of its commands once; the whole command's does not", () => {
    const root = installed('learns');
    const dir = join(root, 'dist', 'cli');
    /** Each cache file's first line (the commands whose runs wrote it), by bundle. */
    const lines = () =>
      Object.fromEntries(
        caches(dir).map((f) => [
          f.split('.')[0],
          readFileSync(join(dir, f), 'latin1').split('\n', 1)[0],
        ]),
      );
    const dumps = () => join(dir, caches(dir).find((f) => f.startsWith('nlring-dumps.')) ?? '');
    expect(nlring(root, ['links', '--json']).status).toBe(0);
    expect(lines()).toEqual({ 'nlring-dumps': '["links"]' });
    const first = statSync(dumps());
    expect(nlring(root, ['links', '--json']).status).toBe(0);
    expect(statSync(dumps()).mtimeMs).toBe(first.mtimeMs);
    expect(nlring(root, ['routes', '--json']).status).toBe(0);
    expect(lines()).toEqual({ 'nlring-dumps': '["links","routes"]' });
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    expect(nlring(root, ['help', 'routes']).status).toBe(0);
    expect(lines()).toEqual({ 'nlring-dumps': '["links","routes"]', nlring: '[]' });
  });

  it('damaged data is rejected: the command runs as it should and writes it anew', () => {
    const root = installed('damaged');
    const dir = join(root, 'dist', 'cli');
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    const [file] = caches(dir);
    const garbage = Buffer.alloc(statSync(join(dir, file)).size, 0x5a);
    writeFileSync(join(dir, file), garbage);
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    expect(caches(dir)).toEqual([file]);
    expect(readFileSync(join(dir, file)).equals(garbage)).toBe(false);
  });

  it('a rebuilt bundle gets its own cache and the old one goes', () => {
    const root = installed('rebuilt');
    const dir = join(root, 'dist', 'cli');
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    const [old] = caches(dir);
    // Same length, same hash line, other text (an edit by hand): V8 alone would take the old
    // cache, which it checks by the length only.
    const bundle = join(dir, 'nlring.cjs');
    const text = readFileSync(bundle, 'utf8');
    const edited = text.replace('rxjs: Apache-2.0', 'rxjs: APACHE-2.0');
    expect(edited.length).toBe(text.length);
    writeFileSync(bundle, edited);
    expect(nlring(root, ['--version'])).toEqual(versionLine);
    const now = caches(dir);
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(old);
  });

  it('NODE_DISABLE_COMPILE_CACHE: none is read or written', () => {
    const root = installed('disabled');
    expect(nlring(root, ['--version'], { NODE_DISABLE_COMPILE_CACHE: '1' })).toEqual(versionLine);
    expect(caches(join(root, 'dist', 'cli'))).toEqual([]);
  });

  const unshare = spawnSync('unshare', ['-m', 'true']).status === 0;
  if (!unshare) console.warn('test/bin: read-only test skipped: unshare -m fails (needs root)');
  it.skipIf(!unshare)('a read-only package: kept in XDG_CACHE_HOME/nlring instead', () => {
    const root = installed('readonly');
    const dir = join(root, 'dist', 'cli');
    const home = join(work, 'xdg');
    // A private mount namespace in which dist/cli is a read-only bind mount of itself.
    const script = `mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift && exec "$@"`;
    const prefix = ['unshare', '-m', 'sh', '-c', script, 'sh', dir];
    expect(nlring(root, ['--version'], { XDG_CACHE_HOME: home }, prefix)).toEqual(versionLine);
    expect(caches(dir)).toEqual([]);
    expect(caches(join(home, 'nlring'))).toHaveLength(1);
  });
});

describe('the #! line', () => {
  /** Runs the bin by its #! line through a symlink, as npm links it into node_modules/.bin. */
  function byShebang(root: string, args: string[], env: NodeJS.ProcessEnv): Run {
    const link = join(root, 'node_modules-bin-nlring');
    if (!existsSync(link)) symlinkSync(join(root, 'bin', 'nlring.js'), link);
    const r = spawnSync(link, args, { encoding: 'utf8', env, timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** The environment without NODE_EXTRA_CA_CERTS, and with `extra`. */
  function environment(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const { NODE_EXTRA_CA_CERTS: _, NLRING_NODE_EXTRA_CA_CERTS: __, ...rest } = process.env;
    return { ...rest, ...extra };
  }

  it('starts node without NODE_EXTRA_CA_CERTS, which `node bin/nlring.js` reads', () => {
    const root = installed('shebang-certs');
    const missing = join(work, 'no such file.pem');
    const env = environment({ NODE_EXTRA_CA_CERTS: missing });
    // Node warns at start-up about a file it cannot read: the sign that it read the variable.
    const direct = nlring(root, ['--version'], env);
    expect(direct.stderr).toContain(`Ignoring extra certs from \`${missing}\``);
    expect(byShebang(root, ['--version'], env)).toEqual(versionLine);
  });

  it('gives the command, and what it starts, the environment it was given', () => {
    const root = installed('shebang-env');
    const preload = join(work, 'record-env.cjs');
    writeFileSync(
      preload,
      "process.on('exit', () => process.stderr.write(JSON.stringify({ extra: process.env.NODE_EXTRA_CA_CERTS, handed: process.env.NLRING_NODE_EXTRA_CA_CERTS, has: 'NODE_EXTRA_CA_CERTS' in process.env })));\n",
    );
    const seen = (extra: NodeJS.ProcessEnv) => {
      const run = byShebang(
        root,
        ['--version'],
        environment({ ...extra, NODE_OPTIONS: `--require ${preload}` }),
      );
      expect(run.stdout).toBe(`nlring ${VERSION}\n`);
      return JSON.parse(run.stderr) as unknown;
    };
    const odd = join(work, 'certs $HOME "x" *.pem');
    expect(seen({ NODE_EXTRA_CA_CERTS: odd })).toEqual({ extra: odd, has: true });
    expect(seen({ NODE_EXTRA_CA_CERTS: '' })).toEqual({ extra: '', has: true });
    expect(seen({})).toEqual({ has: false });
  });

  it('hands every argument over as it was given', () => {
    const root = installed('shebang-args');
    const odd = 'x y*"$HOME';
    const run = byShebang(root, ['links', '--netns', odd], environment({}));
    expect(run.stderr).toBe(`nlring links: no network namespace '${odd}' (ip netns list)\n`);
    expect(run.status).toBe(1);
    const empty = byShebang(root, [''], environment({}));
    expect(empty.stderr).toBe("nlring: unknown command '' (nlring --help)\n");
  });
});

describe('a clone of the repository', () => {
  it('builds dist/ on the first run, then runs the command', () => {
    const clone = join(work, 'clone');
    for (const f of ['src', 'bin', 'scripts', 'bench', 'examples']) {
      cpSync(join(ROOT, f), join(clone, f), { recursive: true });
    }
    for (const f of ['package.json', 'tsconfig.json', 'tsconfig.build.json']) {
      cpSync(join(ROOT, f), join(clone, f));
    }
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const run = nlring(clone, ['--version']);
    expect(run.stderr).toContain('nlring: first run in a clone of the repository: building dist/');
    expect(run.stdout).toBe(`nlring ${VERSION}\n`);
    expect(run.status).toBe(0);
    expect(existsSync(join(clone, 'dist', 'cli', 'nlring.cjs'))).toBe(true);
    expect(existsSync(join(clone, 'dist', 'src', 'index.js'))).toBe(true);
    // The second run builds nothing.
    expect(nlring(clone, ['--version'])).toEqual(versionLine);
  }, 120_000);
});
