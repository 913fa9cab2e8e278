// What the baselines need, installed on a fresh machine and built at bench time into
// bench/build/ (not committed): the C programs of bench/c and the Go program of bench/go.
// Every baseline is built on its own; one that cannot be (a header missing and no apt) is
// returned as a reason to skip it, never thrown, so the rest of the run goes on.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's bench/ folder, whether running from bench/ or dist/bench/. */
export function benchDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.endsWith(join('dist', 'bench')) ? join(here, '..', '..', 'bench') : here;
}

/** The repository root. */
export function repoDir(): string {
  return join(benchDir(), '..');
}

/** The compiled bench (dist/bench), where the node peers are. */
export function distBenchDir(): string {
  return join(repoDir(), 'dist', 'bench');
}

/** A built program, or why it could not be built. */
export type Built = { path: string } | { skip: string };

/** One requirement: a file or command that shows it is there, and the Debian packages giving it. */
interface Need {
  what: string;
  present: () => boolean;
  apt: string[];
}

function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const GOPATH = '/usr/share/gocode';

const NEEDS: Record<string, Need> = {
  cc: { what: 'a C compiler', present: () => hasCommand('cc'), apt: ['gcc', 'libc6-dev'] },
  libmnl: {
    what: 'libmnl headers',
    present: () => existsSync('/usr/include/libmnl/libmnl.h'),
    apt: ['libmnl-dev'],
  },
  nflog: {
    what: 'libnetfilter_log headers',
    present: () => existsSync('/usr/include/libnetfilter_log/libnetfilter_log.h'),
    apt: ['libnetfilter-log-dev'],
  },
  nfqueue: {
    what: 'libnetfilter_queue headers',
    present: () => existsSync('/usr/include/libnetfilter_queue/libnetfilter_queue.h'),
    apt: ['libnetfilter-queue-dev'],
  },
  go: { what: 'the Go toolchain', present: () => hasCommand('go'), apt: ['golang-go'] },
  mdlayher: {
    what: 'mdlayher/netlink sources',
    present: () => existsSync(join(GOPATH, 'src/github.com/mdlayher/netlink/conn.go')),
    apt: ['golang-github-mdlayher-netlink-dev'],
  },
  ip: { what: 'iproute2', present: () => hasCommand('ip'), apt: ['iproute2'] },
  iptables: { what: 'iptables', present: () => hasCommand('iptables'), apt: ['iptables'] },
};

let updated = false;
const tried = new Set<string>();

/**
 * Makes sure `name`'s requirement is there, installing its packages with apt-get when root
 * (`apt-get update` once, if an install fails). Returns undefined, or why it is missing.
 */
export function ensure(name: keyof typeof NEEDS): string | undefined {
  const need = NEEDS[name];
  if (need.present()) return undefined;
  if (!tried.has(name)) {
    tried.add(name);
    if (process.getuid?.() === 0 && hasCommand('apt-get')) {
      const install = () =>
        execFileSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...need.apt], {
          stdio: ['ignore', 'ignore', 'pipe'],
          env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
        });
      try {
        install();
      } catch {
        if (!updated) {
          updated = true;
          try {
            execFileSync('apt-get', ['update', '-q'], { stdio: 'ignore' });
            install();
          } catch {
            // Reported below.
          }
        }
      }
    }
  }
  return need.present()
    ? undefined
    : `${need.what} missing (apt-get install ${need.apt.join(' ')} ${process.getuid?.() === 0 ? 'failed' : 'needs root'})`;
}

function buildDir(): string {
  const out = join(benchDir(), 'build');
  mkdirSync(out, { recursive: true });
  return out;
}

const cache = new Map<string, Built>();

function firstLines(error: unknown): string {
  const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
  return stderr.split('\n').slice(0, 3).join(' ').trim();
}

/** Compiles bench/c/NAME.c with `libs`, after ensuring `needs`. */
export function buildC(name: string, libs: string[], needs: Array<keyof typeof NEEDS>): Built {
  const cached = cache.get(name);
  if (cached) return cached;
  let built: Built;
  const missing = ['cc', ...needs].map((n) => ensure(n)).find((r) => r !== undefined);
  if (missing) {
    built = { skip: missing };
  } else {
    const target = join(buildDir(), name);
    try {
      execFileSync(
        'cc',
        ['-O2', '-Wall', '-o', target, join(benchDir(), 'c', `${name}.c`), ...libs],
        { stdio: 'pipe' },
      );
      built = { path: target };
    } catch (error) {
      built = { skip: `cannot build bench/c/${name}.c: ${firstLines(error)}` };
    }
  }
  cache.set(name, built);
  return built;
}

/**
 * Builds bench/go/routedump offline against Debian's packaged sources (GOPATH mode,
 * GO111MODULE=off, GOPROXY=off: no network).
 */
export function buildGo(): Built {
  const cached = cache.get('go');
  if (cached) return cached;
  let built: Built;
  const missing = (['go', 'mdlayher'] as const).map((n) => ensure(n)).find((r) => r !== undefined);
  if (missing) {
    built = { skip: missing };
  } else {
    const target = join(buildDir(), 'routedump');
    try {
      execFileSync('go', ['build', '-o', target, '.'], {
        cwd: join(benchDir(), 'go', 'routedump'),
        stdio: 'pipe',
        env: {
          ...process.env,
          GOPATH,
          GO111MODULE: 'off',
          GOFLAGS: '',
          GOPROXY: 'off',
          GOCACHE: join(buildDir(), 'gocache'),
        },
      });
      built = { path: target };
    } catch (error) {
      built = { skip: `cannot build bench/go/routedump: ${firstLines(error)}` };
    }
  }
  cache.set('go', built);
  return built;
}

/** The whole-process meter (bench/c/rusage.c); undefined when no C compiler. */
export function rusageTool(): Built {
  return buildC('rusage', [], []);
}
