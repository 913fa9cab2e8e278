import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const relayScript = fileURLToPath(new URL('./netnsRelay.py', import.meta.url));

/** One answer of netnsRelay.py. */
export interface RelayReply {
  ok: boolean;
  error?: string | undefined;
  name?: string | undefined;
  portid?: number | undefined;
  datagrams?: string[] | undefined;
  errors?: number[] | undefined;
  sport?: number | undefined;
  echoed?: string | undefined;
}

/** Whether `name` is on the PATH. */
export function hasCommand(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Why the kernel tests cannot run here, or undefined when they can: they need root (to
 * create namespaces and rules), `ip`, an iptables and python3.
 */
export function kernelTestsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (network namespaces and iptables need it)';
  for (const tool of ['ip', 'python3']) if (!hasCommand(tool)) return `${tool} is not installed`;
  if (!hasCommand('iptables') && !hasCommand('iptables-legacy')) return 'no iptables';
  return undefined;
}

/**
 * A network namespace of its own (unique name, loopback up), with helpers to run commands
 * in it and a relay process that talks netlink from inside it. {@link delete} removes it.
 */
export class Netns {
  readonly name: string;
  private relays: Relay[] = [];

  private constructor(name: string) {
    this.name = name;
  }

  static create(tag: string): Netns {
    const name = `nlring-h5-${tag}-${process.pid}-${randomBytes(3).toString('hex')}`;
    execFileSync('ip', ['netns', 'add', name]);
    const ns = new Netns(name);
    try {
      ns.run(['ip', 'link', 'set', 'lo', 'up']);
    } catch (e) {
      ns.delete();
      throw e;
    }
    return ns;
  }

  /** Runs a command inside the namespace; returns its stdout, throws on failure. */
  run(argv: string[]): string {
    return execFileSync('ip', ['netns', 'exec', this.name, ...argv], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  }

  /** Runs `iptables` (or iptables-legacy where plain iptables fails) inside the namespace. */
  iptables(args: string[]): void {
    try {
      this.run(['iptables', ...args]);
    } catch (first) {
      try {
        this.run(['iptables-legacy', ...args]);
      } catch {
        throw first;
      }
    }
  }

  /** Starts netnsRelay.py inside the namespace. */
  relay(): Relay {
    const child = spawn('ip', ['netns', 'exec', this.name, 'python3', '-u', relayScript], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const relay = new Relay(child);
    this.relays.push(relay);
    return relay;
  }

  /** Stops the relays and deletes the namespace; safe to call twice. */
  delete(): void {
    for (const r of this.relays) r.kill();
    this.relays = [];
    try {
      execFileSync('ip', ['netns', 'del', this.name], { stdio: 'ignore' });
    } catch {
      // already gone
    }
  }
}

/** The test's end of netnsRelay.py: one JSON line out, one JSON line back. */
export class Relay {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = '';
  private stderr = '';
  private waiting: Array<(line: string) => void> = [];
  private lines: string[] = [];

  constructor(child: ChildProcessWithoutNullStreams) {
    this.child = child;
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        const next = this.waiting.shift();
        if (next) next(line);
        else this.lines.push(line);
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.stderr += chunk;
    });
  }

  /** Sends a command; resolves with the reply, rejects after `timeoutMs` or when it fails. */
  async request(command: Record<string, unknown>, timeoutMs = 10_000): Promise<RelayReply> {
    this.child.stdin.write(`${JSON.stringify(command)}\n`);
    const line = await new Promise<string>((resolve, reject) => {
      const queued = this.lines.shift();
      if (queued !== undefined) {
        resolve(queued);
        return;
      }
      const timer = setTimeout(() => {
        this.waiting = this.waiting.filter((w) => w !== done);
        reject(
          new Error(`relay did not answer ${JSON.stringify(command)}; stderr: ${this.stderr}`),
        );
      }, timeoutMs);
      const done = (l: string) => {
        clearTimeout(timer);
        resolve(l);
      };
      this.waiting.push(done);
    });
    const reply = JSON.parse(line) as RelayReply;
    if (!reply.ok) {
      throw new Error(`relay ${String(command.op)} failed: ${reply.error} ${reply.name ?? ''}`);
    }
    return reply;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
