import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The system page size in bytes (`getconf PAGESIZE`, else the `KernelPageSize` of the first
 * mapping in /proc/self/smaps), or null when neither answers. Ring blocks are whole pages,
 * so this is what the ring geometry is chosen for.
 *
 * @example
 * pageSize(); // 4096
 */
export function pageSize(): number | null {
  try {
    const answer = Number(
      execFileSync('getconf', ['PAGESIZE'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    );
    if (Number.isInteger(answer) && answer > 0) return answer;
  } catch {
    // No getconf: read the kernel's own figure below.
  }
  try {
    const smaps = readFileSync('/proc/self/smaps', 'utf8');
    const kib = /^KernelPageSize:\s+(\d+) kB$/m.exec(smaps)?.[1];
    if (kib !== undefined) return Number(kib) * 1024;
  } catch {
    // Not readable: unknown.
  }
  return null;
}
