// What the command reads of the system it runs on, without a child process or the library:
// the process's capabilities (/proc/self/status), the page size (the auxiliary vector),
// whether standard output was closed, and nlring's own version (its package.json).
import { readFileSync, readlinkSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';

/** The capabilities nlring's operations depend on, by number (<linux/capability.h>). */
const CAPABILITIES = {
  /** Netfilter logging and conntrack, kernel rings, `SO_RCVBUFFORCE`. */
  CAP_NET_ADMIN: 12,
  /** Entering another network namespace (`setns`). */
  CAP_SYS_ADMIN: 21,
} as const;

/**
 * What {@link readCapabilities} found.
 *
 * @example
 * // { effective: '000001ffffffffff', held: { CAP_NET_ADMIN: true, CAP_SYS_ADMIN: true } }
 * const capabilities: Capabilities = readCapabilities();
 */
export interface Capabilities {
  /** The `CapEff` mask as /proc prints it (hex), or null when it could not be read. */
  readonly effective: string | null;
  /** Whether each capability nlring cares about is in the effective set. */
  readonly held: Readonly<Record<keyof typeof CAPABILITIES, boolean>>;
}

/**
 * Reads the process's effective capabilities from the `CapEff:` line of
 * `/proc/self/status` (or of the `status` text given, for tests) and says which of the
 * ones nlring's operations need are held: CAP_NET_ADMIN (netfilter, kernel rings) and
 * CAP_SYS_ADMIN (entering a named network namespace). A status without the line reads as
 * holding none, with `effective` null.
 *
 * @example
 * readCapabilities('CapEff:\t0000000000001000\n').held.CAP_NET_ADMIN; // true
 */
export function readCapabilities(status?: string): Capabilities {
  let text = status;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8');
    } catch {
      text = '';
    }
  }
  const hex = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(text)?.[1] ?? null;
  const mask = hex === null ? 0n : BigInt(`0x${hex}`);
  const held = { CAP_NET_ADMIN: false, CAP_SYS_ADMIN: false };
  for (const name of Object.keys(CAPABILITIES) as (keyof typeof CAPABILITIES)[]) {
    held[name] = (mask & (1n << BigInt(CAPABILITIES[name]))) !== 0n;
  }
  return { effective: hex, held };
}

/** `AT_PAGESZ` and `AT_NULL` of <linux/auxvec.h>: the page size entry, and the end. */
const AT_PAGESZ = 6;
const AT_NULL = 0;

/** Node's 32-bit architectures, whose auxv words are 4 bytes; every other has 8. */
const ARCH_32 = new Set(['arm', 'ia32', 'mips', 'mipsel', 'ppc', 's390']);

/**
 * The system page size in bytes, from the `AT_PAGESZ` entry of the process's auxiliary
 * vector (`/proc/self/auxv`, or the bytes given, for tests: pairs of native words, type
 * then value, up to `AT_NULL`), which is what `getpagesize()` and `sysconf(_SC_PAGESIZE)`
 * answer from; null when there is no such entry or the file cannot be read. Ring blocks are
 * whole pages, so this is what the ring geometry is chosen for.
 *
 * @example
 * pageSize(); // 4096
 */
export function pageSize(
  auxv?: Uint8Array,
  wordSize = ARCH_32.has(process.arch) ? 4 : 8,
): number | null {
  let bytes = auxv;
  if (bytes === undefined) {
    try {
      bytes = readFileSync('/proc/self/auxv');
    } catch {
      return null;
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = endianness() === 'LE';
  const word = (offset: number) =>
    wordSize === 8 ? Number(view.getBigUint64(offset, little)) : view.getUint32(offset, little);
  for (let offset = 0; offset + 2 * wordSize <= bytes.byteLength; offset += 2 * wordSize) {
    const type = word(offset);
    if (type === AT_NULL) break;
    if (type === AT_PAGESZ) {
      const size = word(offset + wordSize);
      return size > 0 ? size : null;
    }
  }
  return null;
}

/** The nearest directory above this module whose package.json names `nlring`, and its version. */
function findPackage(): { root: string; version: string } | undefined {
  let directory = import.meta.dirname;
  for (;;) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
      if (
        typeof manifest === 'object' &&
        manifest !== null &&
        'name' in manifest &&
        manifest.name === 'nlring' &&
        'version' in manifest &&
        typeof manifest.version === 'string'
      ) {
        return { root: directory, version: manifest.version };
      }
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    const parent = dirname(directory);
    if (parent === directory) return undefined;
    directory = parent;
  }
}

/**
 * nlring's version, from the `package.json` of the nlring package this module belongs to:
 * the nearest one, walking up from this file, whose name is `nlring` (the module runs from
 * `src/cli` under a test runner and from `dist/src/cli` when built, at different depths).
 * `'unknown'` if there is none.
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  return findPackage()?.version ?? 'unknown';
}

/**
 * The directory of the nlring package this module belongs to (where its package.json is),
 * found as {@link packageVersion} finds the version; undefined if there is none.
 *
 * @example
 * const root = packageRoot(); // '/home/me/nlring' in a clone, '…/node_modules/nlring' installed
 */
export function packageRoot(): string | undefined {
  return findPackage()?.root;
}

/**
 * Whether standard output was closed when the process started (`nlring routes >&-`). Node
 * then opens /dev/null in its place, read-write, so writes would succeed into nothing; a
 * shell's `> /dev/null` opens it write-only, which this tells apart through
 * /proc/self/fdinfo/1. False when /proc cannot say.
 *
 * @example
 * if (stdoutClosed()) process.exitCode = 1;
 */
export function stdoutClosed(): boolean {
  try {
    if (readlinkSync('/proc/self/fd/1') !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/fdinfo/1', 'utf8'))?.[1];
    // O_ACCMODE is 3, O_RDWR 2 (<asm-generic/fcntl.h>).
    return flags !== undefined && (Number.parseInt(flags, 8) & 3) === 2;
  } catch {
    return false;
  }
}
