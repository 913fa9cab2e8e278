// Network namespaces for end-to-end tests: each test gets its own, with a unique name, and
// the namespace is deleted in teardown whatever happens (and at process exit as a last
// resort, should a test process die mid-test).
import { execFile, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, beforeEach } from 'vitest';

const execFileAsync = promisify(execFile);

/** A network namespace made for one test, and ways to run `ip` in it. */
export interface Netns {
  /** The name, as in `ip netns list` and `/var/run/netns/NAME`. */
  readonly name: string;
  /** `ip -n NAME …args`, synchronously; its stdout. Throws with ip's stderr on failure. */
  ip(...args: string[]): string;
  /** `ip -n NAME …args` without blocking the event loop; its stdout. */
  ipAsync(...args: string[]): Promise<string>;
  /** `ip -n NAME -j …args`, parsed. */
  ipJson<T = unknown>(...args: string[]): T;
  /** `ip -n NAME -batch -` with one command per line (without the `ip`), synchronously. */
  batch(commands: readonly string[]): void;
  /** The same without blocking the event loop. */
  batchAsync(commands: readonly string[]): Promise<void>;
  /** `ip netns exec NAME command …args`, synchronously; its stdout. */
  exec(command: string, ...args: string[]): string;
}

let counter = 0;
const live = new Set<string>();
let exitHookInstalled = false;

/** A unique namespace name: `nlring-<pid>-<counter>-<random>`. */
function uniqueName(): string {
  counter++;
  return `nlring-${process.pid}-${counter}-${randomBytes(3).toString('hex')}`;
}

function run(args: readonly string[], input?: string): string {
  try {
    return execFileSync('ip', args, {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 64 << 20,
    });
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? String((error as { stderr: unknown }).stderr)
        : '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || String(error)}`);
  }
}

async function runAsync(args: readonly string[], input?: string): Promise<string> {
  const child = execFileAsync('ip', [...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  try {
    return (await child).stdout;
  } catch (error) {
    const stderr =
      typeof error === 'object' && error !== null && 'stderr' in error
        ? String((error as { stderr: unknown }).stderr)
        : '';
    throw new Error(`ip ${args.join(' ')} failed: ${stderr.trim() || String(error)}`);
  }
}

/**
 * Creates a namespace with a unique name and returns it with a `remove()` that deletes it
 * (idempotent). Prefer {@link withNetns} or {@link useNetns}, which always remove it.
 */
export function createNetns(): Netns & { remove(): void } {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const name of live) {
        try {
          execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
        } catch {
          // Best effort at exit.
        }
      }
    });
  }
  const name = uniqueName();
  run(['netns', 'add', name]);
  live.add(name);
  return {
    name,
    ip: (...args) => run(['-n', name, ...args]),
    ipAsync: (...args) => runAsync(['-n', name, ...args]),
    ipJson: <T>(...args: string[]) => JSON.parse(run(['-n', name, '-j', ...args])) as T,
    batch: (commands) => {
      run(['-n', name, '-batch', '-'], `${commands.join('\n')}\n`);
    },
    batchAsync: async (commands) => {
      await runAsync(['-n', name, '-batch', '-'], `${commands.join('\n')}\n`);
    },
    exec: (command, ...args) => run(['netns', 'exec', name, command, ...args]),
    remove: () => {
      if (!live.delete(name)) return;
      run(['netns', 'del', name]);
    },
  };
}

/**
 * Runs `body` with a fresh namespace and deletes the namespace afterwards, whether `body`
 * resolved or threw.
 *
 * @example
 * await withNetns(async (ns) => {
 *   ns.ip('link', 'add', 'br0', 'type', 'bridge');
 *   const socket = openNetlinkSocket({ protocol: 'route', netns: ns.name });
 * });
 */
export async function withNetns<T>(body: (ns: Netns) => Promise<T> | T): Promise<T> {
  const ns = createNetns();
  try {
    return await body(ns);
  } finally {
    ns.remove();
  }
}

/**
 * The vitest form: call it in a `describe` (or at file level); every test then gets its own
 * namespace, created in `beforeEach` and deleted in `afterEach`. Returns a getter for the
 * current test's namespace.
 *
 * @example
 * const netns = useNetns();
 * it('sees lo', () => { expect(netns().ip('link', 'show', 'lo')).toContain('lo') });
 */
export function useNetns(): () => Netns {
  let current: (Netns & { remove(): void }) | null = null;
  beforeEach(() => {
    current = createNetns();
  });
  afterEach(() => {
    const ns = current;
    current = null;
    ns?.remove();
  });
  return () => {
    if (current === null) throw new Error('useNetns: no namespace outside a test');
    return current;
  };
}

/** The process's open file descriptors (`/proc/self/fd`), sorted: compare before and after. */
export function openFds(): string[] {
  return readdirSync('/proc/self/fd').sort();
}

let seg6: boolean | undefined;

/**
 * Whether this kernel has seg6 lightweight tunnels (CONFIG_IPV6_SEG6_LWTUNNEL), which some
 * kernel builds leave out (6.18.44-fc-v1300 does; its lwtunnel core answers a seg6 encap with
 * EOPNOTSUPP, "lwt encapsulation type not supported"). Asked once, with ip, in a namespace of
 * its own; a test of seg6 routes then checks the route where the kernel has them and that
 * error where it does not.
 */
export function hasSeg6Tunnels(): boolean {
  if (seg6 !== undefined) return seg6;
  const ns = createNetns();
  try {
    ns.batch(['link add v0 type veth peer name v1', 'link set v0 up']);
    try {
      ns.ip(
        '-6',
        'route',
        'add',
        '2001:db8:99::/48',
        'encap',
        'seg6',
        'mode',
        'encap',
        'segs',
        '2001:db8::1',
        'dev',
        'v0',
      );
      seg6 = true;
    } catch (error) {
      if (!String(error).includes('lwt encapsulation type not supported')) throw error;
      seg6 = false;
    }
  } finally {
    ns.remove();
  }
  return seg6;
}
