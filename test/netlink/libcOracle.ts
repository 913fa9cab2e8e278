import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Why glibc's inet_ntop/inet_pton (through python3's socket module) cannot be asked. */
export const libcOracleMissing: string | undefined = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import socket; socket.inet_ntop'], { stdio: 'ignore' });
    return undefined;
  } catch {
    return 'python3 is not installed';
  }
})();
if (libcOracleMissing) console.warn(`libc oracle tests skipped: ${libcOracleMissing}`);

/** glibc's `inet_ntop(AF_INET6)` of each 16-byte address (hex in, text out). */
export function libcNtop6(addresses: Uint8Array[]): string[] {
  const script =
    'import sys, socket\nfor line in sys.stdin.read().split():\n    print(socket.inet_ntop(socket.AF_INET6, bytes.fromhex(line)))';
  const input = addresses.map((a) => Buffer.from(a).toString('hex')).join('\n');
  return execFileSync(PYTHON, ['-c', script], { input, encoding: 'utf8' }).trim().split('\n');
}

/** glibc's `inet_pton` of each text (IPv6 when it has a colon): hex bytes, or "-" if rejected. */
export function libcPton(texts: string[]): string[] {
  const script = [
    'import sys, socket',
    'for line in sys.stdin.read().split("\\n"):',
    '    try:',
    '        family = socket.AF_INET6 if ":" in line else socket.AF_INET',
    '        print(socket.inet_pton(family, line).hex())',
    '    except (OSError, ValueError):',
    '        print("-")',
  ].join('\n');
  return execFileSync(PYTHON, ['-c', script], { input: texts.join('\n'), encoding: 'utf8' })
    .trimEnd()
    .split('\n');
}
