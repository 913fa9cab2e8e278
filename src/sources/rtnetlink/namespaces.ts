// Named network namespaces: `ip netns add` and `ip netns delete`.

import { Observable } from 'rxjs';
import { libc } from '../../io/libc.js';
import { checkNetnsName, createNetnsSync, deleteNetnsSync } from '../../io/namedNetns.js';

/**
 * Creates a named network namespace, as `ip netns add NAME` does: `/var/run/netns` made a
 * shared mount, a new network namespace bind-mounted onto `/var/run/netns/NAME`, so that
 * `ip netns list`, `ip -n NAME …` and every nlring source's `netns: NAME` find it.
 *
 * Cold: each subscription creates it, emits one `undefined` and completes. Errors with a
 * NetlinkError (op `netns`): EEXIST when the name is taken, EPERM without CAP_SYS_ADMIN.
 * A name that is not a plain file name throws a TypeError at once.
 *
 * @example
 * await lastValueFrom(createNetns('blue'));
 * await lastValueFrom(createLink({ dev: 'v0', kind: 'veth', peer: { dev: 'v1', netns: 'blue' } }));
 */
export function createNetns(name: string): Observable<void> {
  checkNetnsName('createNetns', name);
  return new Observable<void>((subscriber) => {
    createNetnsSync(libc(), name);
    subscriber.next(undefined);
    subscriber.complete();
  });
}

/**
 * Deletes a named network namespace, as `ip netns delete NAME` does: the bind mount at
 * `/var/run/netns/NAME` detached and the file removed (the namespace itself goes when the
 * last process and socket in it do).
 *
 * Cold: each subscription deletes it, emits one `undefined` and completes. Errors with a
 * NetlinkError (op `netns`): ENOENT when there is no such namespace. A name that is not a
 * plain file name throws a TypeError at once.
 *
 * @example
 * await lastValueFrom(deleteNetns('blue'));
 */
export function deleteNetns(name: string): Observable<void> {
  checkNetnsName('deleteNetns', name);
  return new Observable<void>((subscriber) => {
    deleteNetnsSync(libc(), name);
    subscriber.next(undefined);
    subscriber.complete();
  });
}
