import { closeSync, openSync } from 'node:fs';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { CLONE_NEWNET } from './constants.js';
import type { Libc } from './libc.js';

/** Where `ip netns add NAME` binds a named network namespace (iproute2's NETNS_RUN_DIR). */
const NETNS_RUN_DIR = '/var/run/netns';

/**
 * Runs `create` inside the named network namespace `name` (`/var/run/netns/NAME`, as made by
 * `ip netns add`) and comes back, for creating sockets there: a socket belongs to the
 * namespace it was created in, not to the thread that uses it. The calling thread — Node's
 * main thread — enters the namespace with `setns`, runs `create`, and returns to the
 * namespace it was in before (`/proc/thread-self/ns/net`), whether `create` returned or
 * threw. `create` must be synchronous.
 *
 * Throws a TypeError for a name that is not a plain file name, and a NetlinkError with op
 * `netns` when the namespace cannot be opened (ENOENT for an unknown one) or entered
 * (EPERM without CAP_SYS_ADMIN), or when the way back fails.
 *
 * @example
 * const fd = inNetns(libc(), 'blue', () => libc().socket(AF_NETLINK, SOCK_RAW, 0));
 */
export function inNetns<T>(libc: Libc, name: string, create: () => T): T {
  if (
    typeof name !== 'string' ||
    name === '' ||
    name === '.' ||
    name === '..' ||
    name.includes('/') ||
    name.includes('\0')
  ) {
    throw new TypeError(`netns: expected a namespace name as given to 'ip netns', got ${name}`);
  }
  const home = openNamespace('/proc/thread-self/ns/net');
  try {
    const target = openNamespace(`${NETNS_RUN_DIR}/${name}`);
    try {
      const entered = libc.setns(target, CLONE_NEWNET);
      if (entered < 0) {
        throw new NetlinkError({ op: 'netns', errno: -entered, detail: `entering ${name}` });
      }
    } finally {
      closeSync(target);
    }
    try {
      return create();
    } finally {
      const back = libc.setns(home, CLONE_NEWNET);
      if (back < 0) {
        // This replaces create's outcome on purpose: the thread is in the wrong namespace.
        // biome-ignore lint/correctness/noUnsafeFinally: the way back failing must be reported
        throw new NetlinkError({
          op: 'netns',
          errno: -back,
          detail: `returning from ${name}: the main thread stays in the wrong namespace`,
        });
      }
    }
  } finally {
    closeSync(home);
  }
}

/** Opens a namespace file read-only (close-on-exec, as Node opens files). */
function openNamespace(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    const errno = systemErrno(error);
    throw new NetlinkError({ op: 'netns', errno, detail: `opening ${path}`, cause: error });
  }
}

/** The positive errno of a Node system error (`err.errno` is negative), EIO if absent. */
function systemErrno(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'errno' in error) {
    const errno = (error as { errno: unknown }).errno;
    if (typeof errno === 'number' && errno !== 0) return Math.abs(errno);
  }
  return errnos.EIO;
}
