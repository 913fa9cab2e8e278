import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';

// Real traffic for the netfilter end-to-end tests: small python3 UDP/TCP programs run inside
// a test's network namespace with `ip netns exec`, all on 127.0.0.1 of that namespace.

const execFileAsync = promisify(execFile);

/** One step of a sender: `count` datagrams to `port`, payload `prefix + i`; or a pause. */
export type SendStep = { port: number; count: number; prefix: string } | { sleep: number };

const SENDER = `
import json, socket, sys, time
steps = json.loads(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sent = errors = 0
for step in steps:
    if 'sleep' in step:
        time.sleep(step['sleep'])
        continue
    for i in range(step['count']):
        try:
            s.sendto((step['prefix'] + str(i)).encode(), ('127.0.0.1', step['port']))
            sent += 1
        except OSError:
            errors += 1
print(json.dumps({'sent': sent, 'errors': errors}))
`;

/**
 * Sends UDP datagrams inside namespace `ns` (without blocking the event loop). A sendto
 * that fails (EPERM for a packet dropped on OUTPUT) is counted in `errors`, not retried.
 */
export async function sendUdp(
  ns: string,
  steps: readonly SendStep[],
): Promise<{ sent: number; errors: number }> {
  const { stdout } = await execFileAsync('ip', [
    'netns',
    'exec',
    ns,
    'python3',
    '-c',
    SENDER,
    JSON.stringify(steps),
  ]);
  return JSON.parse(stdout) as { sent: number; errors: number };
}

/**
 * {@link sendUdp}, blocking: returns when the sender has exited. Run from a stream's
 * callback, it floods while that stream cannot read.
 */
export function sendUdpSync(
  ns: string,
  steps: readonly SendStep[],
): { sent: number; errors: number } {
  const stdout = execFileSync(
    'ip',
    ['netns', 'exec', ns, 'python3', '-c', SENDER, JSON.stringify(steps)],
    { encoding: 'utf8' },
  );
  return JSON.parse(stdout) as { sent: number; errors: number };
}

const RECEIVER = `
import json, select, socket, sys, time
ports = json.loads(sys.argv[1]); expect = int(sys.argv[2])
limit = float(sys.argv[3]); linger = float(sys.argv[4])
socks = []
for p in ports:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    s.bind(('127.0.0.1', p))
    socks.append(s)
print('ready', flush=True)
got = {str(p): [] for p in ports}
total = 0
deadline = time.time() + limit
done_at = None
while True:
    end = deadline if done_at is None else min(deadline, done_at)
    now = time.time()
    if now >= end:
        break
    readable, _, _ = select.select(socks, [], [], end - now)
    for s in readable:
        data = s.recv(65535)
        got[str(s.getsockname()[1])].append(data.decode('latin-1'))
        total += 1
        if total >= expect and done_at is None:
            done_at = time.time() + linger
print(json.dumps(got), flush=True)
`;

/** A UDP receiver running in a namespace. */
export interface UdpReceiver {
  /** Resolves once its sockets are bound. */
  ready: Promise<void>;
  /**
   * What it received, payloads by port in arrival order: after `expect` datagrams and a
   * further `lingerMs` (to catch duplicates), or after `limitMs` in all.
   */
  result: Promise<Record<string, string[]>>;
}

/** Starts a UDP receiver on `ports` of 127.0.0.1 inside namespace `ns`. */
export function receiveUdp(
  ns: string,
  ports: readonly number[],
  options: { expect: number; limitMs?: number; lingerMs?: number },
): UdpReceiver {
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      ns,
      'python3',
      '-u',
      '-c',
      RECEIVER,
      JSON.stringify(ports),
      String(options.expect),
      String((options.limitMs ?? 8000) / 1000),
      String((options.lingerMs ?? 300) / 1000),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  let readyResolve: () => void = () => {};
  let readyReject: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    readyResolve = resolve;
    readyReject = reject;
  });
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) readyResolve();
  });
  child.stderr.on('data', (chunk: string) => {
    err += chunk;
  });
  const result = new Promise<Record<string, string[]>>((resolve, reject) => {
    child.on('close', (code) => {
      readyReject(new Error(`receiver exited (${code}): ${err}`));
      const lines = out.trim().split('\n');
      if (code !== 0 || lines[0] !== 'ready' || lines.length < 2) {
        reject(new Error(`receiver failed (${code}): ${err}${out}`));
        return;
      }
      resolve(JSON.parse(lines[1]) as Record<string, string[]>);
    });
  });
  return { ready, result };
}

const TCP_FLOW = `
import socket, sys
port = int(sys.argv[1])
server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(('127.0.0.1', port))
server.listen(1)
client = socket.create_connection(('127.0.0.1', port))
conn, _ = server.accept()
client.sendall(b'hello')
assert conn.recv(5) == b'hello'
conn.sendall(b'world')
assert client.recv(5) == b'world'
sport = client.getsockname()[1]
client.close()
conn.close()
server.close()
print(sport)
`;

/**
 * Opens a TCP connection to `port` on 127.0.0.1 inside `ns`, exchanges a few bytes both
 * ways and closes it (client first); resolves with the client's source port.
 */
export async function tcpFlow(ns: string, port: number): Promise<number> {
  const { stdout } = await execFileAsync('ip', [
    'netns',
    'exec',
    ns,
    'python3',
    '-c',
    TCP_FLOW,
    String(port),
  ]);
  return Number(stdout.trim());
}

/** Runs `iptables …args` inside `ns` (iptables-legacy where plain iptables is missing). */
export async function iptables(ns: string, ...args: string[]): Promise<void> {
  try {
    await execFileAsync('ip', ['netns', 'exec', ns, 'iptables', ...args]);
  } catch (first) {
    try {
      await execFileAsync('ip', ['netns', 'exec', ns, 'iptables-legacy', ...args]);
    } catch {
      throw first;
    }
  }
}

/**
 * Appends an OUTPUT rule for UDP to `port` inside `ns` with the target `target` (`'NFLOG',
 * '--nflog-group', '5'`, `'NFQUEUE', '--queue-num', '3'`), through {@link iptables}.
 */
export function udpOutputRule(ns: string, port: string, ...target: string[]): Promise<void> {
  return iptables(ns, '-A', 'OUTPUT', '-p', 'udp', '--dport', port, '-j', ...target);
}

/**
 * Why the netfilter end-to-end tests cannot run here, or undefined when they can: they
 * need root (namespaces, rules), `ip`, an iptables and python3. `.ci/run` installs them.
 */
export function netfilterE2eUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'not Linux';
  if (process.getuid?.() !== 0) return 'not root (network namespaces and iptables need it)';
  const has = (tool: string) => {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  };
  for (const tool of ['ip', 'python3']) if (!has(tool)) return `${tool} is not installed`;
  if (!has('iptables') && !has('iptables-legacy')) return 'no iptables';
  return undefined;
}
