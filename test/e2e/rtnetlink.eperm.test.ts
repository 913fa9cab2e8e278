// A configuring request without CAP_NET_ADMIN is refused by the kernel with EPERM, and the
// NetlinkError says what was asked. The calling thread drops CAP_NET_ADMIN from its
// effective set (capset(2) acts on the calling thread; the permitted set keeps it, so it
// comes back after), keeping CAP_SYS_ADMIN so that the request still enters the test's own
// namespace: nothing can reach the host's.
import koffi from 'koffi';
import { lastValueFrom, type Observable, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { createLink } from '../../src/sources/rtnetlink/links.js';
import { addNeighbour } from '../../src/sources/rtnetlink/neighbours.js';
import { addAddress, addRoute } from '../../src/sources/rtnetlink/requests.js';
import { addRule } from '../../src/sources/rtnetlink/rules.js';
import { useNetns } from './netns.js';

const skipReason = process.getuid?.() === 0 ? undefined : 'needs root to create namespaces';
if (skipReason) console.warn(`rtnetlink.eperm.test.ts skipped: ${skipReason}`);

/** <linux/capability.h> */
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;
const CAP_NET_ADMIN = 12;

const lib = koffi.load('libc.so.6');
const capget = lib.func('int capget(void *, void *)');
const capset = lib.func('int capset(void *, void *)');

/** Runs `body` (synchronously: the subscription sends the request) without CAP_NET_ADMIN. */
function withoutNetAdmin<T>(body: () => T): T {
  const header = new Uint32Array([LINUX_CAPABILITY_VERSION_3, 0]);
  const data = new Uint32Array(6); // 2 × { effective, permitted, inheritable }
  if (capget(header, data) !== 0) throw new Error(`capget failed: errno ${koffi.errno()}`);
  const saved = data.slice();
  data[0] &= ~(1 << CAP_NET_ADMIN);
  if (capset(header, data) !== 0) throw new Error(`capset failed: errno ${koffi.errno()}`);
  let restored = false;
  let result: T;
  try {
    result = body();
  } finally {
    restored = capset(header, saved) === 0;
  }
  if (!restored) throw new Error('capset: cannot restore CAP_NET_ADMIN');
  return result;
}

/** The error a request fails with, its subscription made without CAP_NET_ADMIN. */
async function refused(source: Observable<void>): Promise<unknown> {
  const result = withoutNetAdmin(() => lastValueFrom(source.pipe(toArray())));
  return result.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe.skipIf(skipReason !== undefined)('requests without CAP_NET_ADMIN', () => {
  const netns = useNetns();

  it.each([
    {
      name: 'addRoute',
      request: (ns: string) => addRoute({ dst: '198.51.100.0/24', type: 'blackhole', netns: ns }),
      what: 'addRoute 198.51.100.0/24',
    },
    {
      name: 'addAddress',
      request: (ns: string) => addAddress({ ifindex: 1, address: '198.51.100.1/24', netns: ns }),
      what: 'addAddress 198.51.100.1/24 dev 1',
    },
    {
      name: 'createLink',
      request: (ns: string) => createLink({ dev: 'cfgv0', kind: 'veth', netns: ns }),
      what: 'createLink cfgv0',
    },
    {
      name: 'addRule',
      request: (ns: string) => addRule({ table: 100, priority: 1000, netns: ns }),
      what: 'addRule',
    },
    {
      name: 'addNeighbour',
      request: (ns: string) =>
        addNeighbour({ ifindex: 1, dst: '198.51.100.9', lladdr: '00:00:00:00:00:00', netns: ns }),
      what: 'addNeighbour 198.51.100.9',
    },
  ])('$name fails with NetlinkError EPERM naming what was asked', async ({ request, what }) => {
    const ns = netns();
    const error = await refused(request(ns.name));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op: 'request', errno: errnos.EPERM, code: 'EPERM' });
    expect((error as NetlinkError).message).toContain(what);
    // Nothing changed in the namespace, and the capability is back.
    expect(ns.ip('route', 'show', 'table', 'all')).not.toContain('198.51.100');
    expect(ns.ipJson<unknown[]>('link', 'show')).toHaveLength(1);
    await lastValueFrom(addRoute({ dst: '198.51.100.0/24', type: 'blackhole', netns: ns.name }));
    expect(ns.ip('route', 'show', '198.51.100.0/24')).toContain('blackhole');
  });
});
