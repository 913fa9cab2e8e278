import { closeSync, constants, fstatSync, openSync, type Stats, statSync } from 'node:fs';
import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { CLONE_NEWNET } from './constants.js';
import type { Libc } from './libc.js';

/** Where `ip netns add NAME` binds a named network namespace (iproute2's NETNS_RUN_DIR). */
export const NETNS_RUN_DIR = '/var/run/netns';

/**
 * A network namespace as every nlring source takes it (`netns`): a name (`ip netns add
 * NAME`, `/var/run/netns/NAME`), an absolute path to a namespace file (`/proc/PID/ns/net`),
 * an open file descriptor of one `{ fd }` (left open), or the namespace of a process
 * `{ pid }`.
 *
 * @example
 * dumpLinks({ netns: 'blue' });
 * dumpLinks({ netns: '/proc/1/ns/net' });
 * dumpLinks({ netns: { pid: 1 } });
 */
export type NetnsRef = string | { fd: number } | { pid: number };

/**
 * Checks a {@link NetnsRef} option (@internal): a TypeError naming `fn` and `name` for
 * anything else (an empty name, `.` or `..`, a relative path, a NUL byte, a negative fd);
 * undefined when absent.
 *
 * @example
 * declare const options: { netns?: NetnsRef | undefined };
 * const netns = checkNetnsRef('openNetlinkSocket', 'options.netns', options.netns);
 */
export function checkNetnsRef(fn: string, name: string, value: unknown): NetnsRef | undefined {
  const check = argumentChecker(fn);
  const expected = 'a namespace name, an absolute path, { fd } or { pid }';
  if (value === undefined) return undefined;
  if (typeof value === 'string') {
    const bad =
      value === '' ||
      value === '.' ||
      value === '..' ||
      value.includes('\0') ||
      value.length > 4096 ||
      (value.includes('/') && !value.startsWith('/'));
    return bad ? check.fail(name, expected, value) : value;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const v = value as { fd?: unknown; pid?: unknown };
    if (v.fd !== undefined && v.pid === undefined) {
      return { fd: check.requiredInteger(`${name}.fd`, v.fd, 0, 0x7fffffff) };
    }
    if (v.pid !== undefined && v.fd === undefined) {
      return { pid: check.requiredInteger(`${name}.pid`, v.pid, 1, 0x7fffffff) };
    }
  }
  return check.fail(name, expected, value);
}

/** The path a {@link NetnsRef} names (a name under NETNS_RUN_DIR, `/proc/PID/ns/net`), or its fd. */
export function netnsPath(ref: NetnsRef): string {
  if (typeof ref === 'string') return ref.includes('/') ? ref : `${NETNS_RUN_DIR}/${ref}`;
  return 'pid' in ref ? `/proc/${ref.pid}/ns/net` : `/proc/self/fd/${ref.fd}`;
}

/**
 * An open network namespace (@internal): its fd, whether {@link closeNetns} closes it (not
 * a caller's `{ fd }`), and a label for errors.
 */
export interface OpenedNetns {
  readonly fd: number;
  readonly owned: boolean;
  readonly label: string;
}

/**
 * Opens the namespace a {@link NetnsRef} names, read-only, close-on-exec and with
 * O_NONBLOCK — a FIFO (or a device) in its place must not block the thread in `open` —
 * and checks that what was opened is a namespace file (an inode of nsfs) before anything
 * gives it to `setns`. A caller's `{ fd }` is checked the same way and not closed.
 *
 * Throws a NetlinkError (op `netns`): the open's errno (ENOENT for an unknown name), or
 * EINVAL when the file is not a network namespace, naming the path and what it is.
 *
 * @example
 * const ns = openNetns('blue');
 * try { libc().setns(ns.fd, CLONE_NEWNET); } finally { closeNetns(ns); }
 */
export function openNetns(ref: NetnsRef): OpenedNetns {
  if (typeof ref === 'object' && 'fd' in ref) {
    const label = `fd ${ref.fd}`;
    checkNetnsFile(ref.fd, label);
    return { fd: ref.fd, owned: false, label };
  }
  const path = netnsPath(ref);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw new NetlinkError({
      op: 'netns',
      errno: systemErrno(error),
      detail: `opening ${path}`,
      cause: error,
    });
  }
  try {
    checkNetnsFile(fd, path);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return { fd, owned: true, label: path };
}

/** Closes what {@link openNetns} opened (a caller's `{ fd }` stays open). */
export function closeNetns(ns: OpenedNetns): void {
  if (ns.owned) closeSync(ns.fd);
}

/**
 * EINVAL unless `fd` is a namespace file: an inode of nsfs, the device every namespace file
 * (`/proc/self/ns/net` as well as a bind mount of one) has. Which kind of namespace it is,
 * `setns(fd, CLONE_NEWNET)` checks (EINVAL for another kind).
 */
function checkNetnsFile(fd: number, label: string): void {
  let st: Stats;
  try {
    st = fstatSync(fd);
  } catch (error) {
    throw new NetlinkError({
      op: 'netns',
      errno: systemErrno(error),
      detail: `${label} is not an open file`,
      cause: error,
    });
  }
  if (st.dev !== nsfsDevice()) {
    throw new NetlinkError({
      op: 'netns',
      errno: errnos.EINVAL,
      detail: `${label} is not a network namespace file (it is ${fileKind(st)})`,
    });
  }
}

let nsfs: number | undefined;

/** The device of nsfs, from this thread's own namespace file. */
function nsfsDevice(): number {
  nsfs ??= statSync('/proc/thread-self/ns/net').dev;
  return nsfs;
}

function fileKind(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isDirectory()) return 'a directory';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'a file of another file system';
}

/**
 * Runs `create` inside the network namespace `ref` names (a name as made by `ip netns add`,
 * a path, `{ fd }` or `{ pid }`) and comes back, for creating sockets there: a socket
 * belongs to the namespace it was created in, not to the thread that uses it. The calling
 * thread — Node's main thread — enters the namespace with `setns`, runs `create`, and
 * returns to the namespace it was in before (`/proc/thread-self/ns/net`), whether `create`
 * returned or threw. `create` must be synchronous.
 *
 * Throws a TypeError for a ref that is not a {@link NetnsRef}, and a NetlinkError with op
 * `netns` when the namespace cannot be opened (ENOENT for an unknown one), is not a
 * network namespace (EINVAL: a FIFO, a regular file), or cannot be entered (EPERM without
 * CAP_SYS_ADMIN), or when the way back fails.
 *
 * @example
 * const fd = inNetns(libc(), 'blue', () => libc().socket(AF_NETLINK, SOCK_RAW, 0));
 */
export function inNetns<T>(libc: Libc, ref: NetnsRef, create: () => T): T {
  if (checkNetnsRef('netns', 'netns', ref) === undefined) {
    throw new TypeError('netns: netns must be a namespace name, a path, { fd } or { pid }');
  }
  const home = openNetns('/proc/thread-self/ns/net');
  try {
    const target = openNetns(ref);
    try {
      const entered = libc.setns(target.fd, CLONE_NEWNET);
      if (entered < 0) {
        throw new NetlinkError({
          op: 'netns',
          errno: -entered,
          // setns(2): EINVAL for a namespace of another kind (uts, mnt, …).
          detail:
            entered === -errnos.EINVAL
              ? `entering ${target.label}: not a network namespace`
              : `entering ${target.label}`,
        });
      }
    } finally {
      closeNetns(target);
    }
    try {
      return create();
    } finally {
      const back = libc.setns(home.fd, CLONE_NEWNET);
      if (back < 0) {
        // This replaces create's outcome on purpose: the thread is in the wrong namespace.
        // biome-ignore lint/correctness/noUnsafeFinally: the way back failing must be reported
        throw new NetlinkError({
          op: 'netns',
          errno: -back,
          detail: `returning from ${netnsPath(ref)}: the main thread stays in the wrong namespace`,
        });
      }
    }
  } finally {
    closeNetns(home);
  }
}

/** The positive errno of a Node system error (`err.errno` is negative), EIO if absent. */
export function systemErrno(error: unknown): number {
  if (typeof error === 'object' && error !== null && 'errno' in error) {
    const errno = (error as { errno: unknown }).errno;
    if (typeof errno === 'number' && errno !== 0) return Math.abs(errno);
  }
  return errnos.EIO;
}
