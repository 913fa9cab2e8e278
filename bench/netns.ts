// Network namespaces for the benchmarks: unique names, always deleted.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** A namespace made for one benchmark. */
export interface BenchNetns {
  readonly name: string;
  /** `ip -n NAME -batch -`, one command per line. */
  batch(commands: readonly string[]): void;
  /** `ip netns exec NAME command …args`. */
  exec(command: string, ...args: string[]): string;
  /** Deletes the namespace (idempotent). */
  remove(): void;
}

/** Creates a namespace with loopback up; the caller must `remove()` it (use try/finally). */
export function createBenchNetns(prefix = 'nlring-bench'): BenchNetns {
  const name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
  execFileSync('ip', ['netns', 'add', name]);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    try {
      execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
    } catch {
      // Already gone.
    }
  };
  process.once('exit', remove);
  const ns: BenchNetns = {
    name,
    batch(commands) {
      execFileSync('ip', ['-n', name, '-batch', '-'], {
        input: `${commands.join('\n')}\n`,
        maxBuffer: 1 << 26,
      });
    },
    exec(command, ...args) {
      return execFileSync('ip', ['netns', 'exec', name, command, ...args], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
    },
    remove,
  };
  try {
    ns.batch(['link set lo up']);
  } catch (error) {
    remove();
    throw error;
  }
  return ns;
}
