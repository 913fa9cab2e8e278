import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { argumentChecker } from '../errors/check.js';
import { errnos } from '../errors/errno.js';
import { NetlinkError } from '../errors/NetlinkError.js';
import { CLONE_NEWNET, MNT_DETACH, MS_BIND, MS_REC, MS_SHARED } from './constants.js';
import { closeNetns, NETNS_RUN_DIR, openNetns, systemErrno } from './inNetns.js';
import type { Libc } from './libc.js';

/**
 * Checks a name `ip netns` takes (@internal): a plain file name under NETNS_RUN_DIR; a
 * TypeError naming `fn` otherwise.
 *
 * @example
 * checkNetnsName('createNetns', 'blue');
 */
export function checkNetnsName(fn: string, name: unknown): string {
  const check = argumentChecker(fn);
  if (
    typeof name !== 'string' ||
    name === '' ||
    name === '.' ||
    name === '..' ||
    name.includes('/') ||
    name.includes('\0') ||
    Buffer.byteLength(name) > 255
  ) {
    return check.fail('name', "a namespace name as given to 'ip netns' (no /)", name);
  }
  return name;
}

function fail(errno: number, detail: string, cause?: unknown): never {
  throw new NetlinkError({ op: 'netns', errno, detail, cause });
}

/**
 * Makes NETNS_RUN_DIR a shared mount, as `ip netns add` does (ip/ipnetns.c, netns_add):
 * a namespace mounted there later shows in every mount namespace that shares it. When the
 * directory is not a mount point yet (EINVAL), it is bind-mounted onto itself first.
 */
function shareRunDir(libc: Libc): void {
  let r = libc.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
  if (r === -errnos.EINVAL) {
    r = libc.mount(NETNS_RUN_DIR, NETNS_RUN_DIR, 'none', MS_BIND | MS_REC);
    if (r < 0) fail(-r, `bind-mounting ${NETNS_RUN_DIR} onto itself`);
    r = libc.mount('', NETNS_RUN_DIR, 'none', MS_SHARED | MS_REC);
  }
  if (r < 0) fail(-r, `making ${NETNS_RUN_DIR} a shared mount`);
}

/**
 * Creates a named network namespace as `ip netns add NAME` does: NETNS_RUN_DIR made (0755)
 * and a shared mount, an empty file NAME created there (EEXIST if it is), then the calling
 * thread unshares a new network namespace, bind-mounts `/proc/thread-self/ns/net` onto the
 * file and goes back to the namespace it was in. On failure the file is removed again.
 *
 * Throws a TypeError for a name that is not a plain file name, and a NetlinkError (op
 * `netns`) otherwise: EEXIST, EPERM without CAP_SYS_ADMIN, the failing step in `detail`.
 *
 * @example
 * createNetnsSync(libc(), 'blue'); // ip netns list shows blue
 */
export function createNetnsSync(libc: Libc, name: string): void {
  checkNetnsName('createNetns', name);
  const path = `${NETNS_RUN_DIR}/${name}`;
  try {
    mkdirSync(NETNS_RUN_DIR, { recursive: true, mode: 0o755 });
  } catch (error) {
    fail(systemErrno(error), `creating ${NETNS_RUN_DIR}`, error);
  }
  shareRunDir(libc);
  try {
    closeSync(openSync(path, 'wx', 0o000));
  } catch (error) {
    fail(systemErrno(error), `creating ${path}`, error);
  }
  try {
    const home = openNetns('/proc/thread-self/ns/net');
    try {
      const r = libc.unshare(CLONE_NEWNET);
      if (r < 0) fail(-r, `creating the network namespace ${name}`);
      try {
        const m = libc.mount('/proc/thread-self/ns/net', path, 'none', MS_BIND);
        if (m < 0) fail(-m, `bind-mounting the new namespace onto ${path}`);
      } finally {
        const back = libc.setns(home.fd, CLONE_NEWNET);
        if (back < 0) {
          // This replaces the outcome on purpose: the thread is in the wrong namespace.
          fail(-back, `returning from ${name}: the thread stays in the wrong namespace`);
        }
      }
    } finally {
      closeNetns(home);
    }
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  }
}

/**
 * Deletes a named network namespace as `ip netns delete NAME` does: detaches the bind
 * mount of NETNS_RUN_DIR/NAME (the namespace itself lives on while a process or socket
 * holds it) and removes the file.
 *
 * Throws a TypeError for a name that is not a plain file name, and a NetlinkError (op
 * `netns`): ENOENT for a namespace that is not there.
 *
 * @example
 * deleteNetnsSync(libc(), 'blue');
 */
export function deleteNetnsSync(libc: Libc, name: string): void {
  checkNetnsName('deleteNetns', name);
  const path = `${NETNS_RUN_DIR}/${name}`;
  const r = libc.umount2(path, MNT_DETACH);
  // EINVAL: not a mount point (a file left by a failed add); ip removes it all the same.
  if (r < 0 && r !== -errnos.EINVAL) fail(-r, `unmounting ${path}`);
  try {
    rmSync(path);
  } catch (error) {
    fail(systemErrno(error), `removing ${path}`, error);
  }
}
