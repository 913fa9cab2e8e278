// Every form of `netns` (a name, a path, { fd }, { pid }), namespace files that are not
// namespaces (a FIFO must not block the thread), and createNetns / deleteNetns against
// `ip netns` on this machine.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lastValueFrom, toArray } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { inNetns } from '../../src/io/inNetns.js';
import { libc } from '../../src/io/libc.js';
import { openNetlinkSocket } from '../../src/io/openNetlinkSocket.js';
import { dumpLinks } from '../../src/sources/rtnetlink/dumps.js';
import { createNetns, deleteNetns } from '../../src/sources/rtnetlink/namespaces.js';
import { useNetns } from '../e2e/netns.js';

const skipReason = process.getuid?.() === 0 ? undefined : 'needs root to enter namespaces';
if (skipReason) console.warn(`netnsRefs.test.ts skipped: ${skipReason}`);

const here = () => readlinkSync('/proc/thread-self/ns/net');

function thrown(body: () => unknown): unknown {
  try {
    body();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe.skipIf(skipReason !== undefined)('netns as a name, a path, { fd } or { pid }', () => {
  const netns = useNetns();

  it.each([
    { name: 'a name', ref: (ns: string) => ns },
    { name: 'a path', ref: (ns: string) => `/var/run/netns/${ns}` },
    { name: 'an fd', ref: (ns: string) => ({ fd: openSync(`/var/run/netns/${ns}`, 'r') }) },
  ])('inNetns enters the namespace given as $name', ({ ref }) => {
    const ns = netns().name;
    const expected = `net:[${statSync(`/var/run/netns/${ns}`).ino}]`;
    const r = ref(ns);
    try {
      expect(inNetns(libc(), r, here)).toBe(expected);
      expect(here()).not.toBe(expected);
    } finally {
      if (typeof r === 'object') closeSync(r.fd); // a caller's fd stays open
    }
  });

  it('inNetns enters the namespace of a pid, and dumpLinks lists its links', async () => {
    const ns = netns();
    ns.ip('link', 'add', 'cfgpid0', 'type', 'veth', 'peer', 'name', 'cfgpid1');
    const child = spawn('ip', ['netns', 'exec', ns.name, 'sleep', '30'], { stdio: 'ignore' });
    try {
      // The sleep's pid: the child of `ip netns exec` once it has exec'd into the namespace.
      let pid = 0;
      const expected = `net:[${statSync(`/var/run/netns/${ns.name}`).ino}]`;
      for (let i = 0; i < 200 && pid === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        try {
          if (readlinkSync(`/proc/${child.pid}/ns/net`) === expected) pid = child.pid ?? 0;
        } catch {
          // not there yet
        }
      }
      expect(pid).toBeGreaterThan(0);
      expect(inNetns(libc(), { pid }, here)).toBe(expected);
      const links = await lastValueFrom(dumpLinks({ netns: { pid } }).pipe(toArray()));
      expect(links.map((l) => l.ifname).sort()).toEqual(['cfgpid0', 'cfgpid1', 'lo']);
      const byPath = await lastValueFrom(
        dumpLinks({ netns: `/proc/${pid}/ns/net` }).pipe(toArray()),
      );
      expect(byPath.map((l) => l.ifname).sort()).toEqual(['cfgpid0', 'cfgpid1', 'lo']);
    } finally {
      child.kill();
    }
  });

  it('openNetlinkSocket opens in a namespace given by fd, and leaves the fd open', () => {
    const ns = netns();
    const fd = openSync(`/var/run/netns/${ns.name}`, 'r');
    try {
      const socket = openNetlinkSocket({ protocol: 'route', netns: { fd } });
      socket.close();
      expect(fstatSync(fd).ino).toBe(statSync(`/var/run/netns/${ns.name}`).ino);
    } finally {
      closeSync(fd);
    }
  });

  it.each([
    { name: 'a relative path', value: 'a/b' },
    { name: 'empty', value: '' },
    { name: 'dot-dot', value: '..' },
    { name: 'a negative fd', value: { fd: -1 } },
    { name: 'pid 0', value: { pid: 0 } },
    { name: 'both fd and pid', value: { fd: 3, pid: 1 } },
    { name: 'a number', value: 3 },
  ])('openNetlinkSocket rejects netns $name with a TypeError', ({ value }) => {
    const open = () => openNetlinkSocket({ protocol: 'route', netns: value as never });
    expect(open).toThrow(TypeError);
    expect(open).toThrow(/openNetlinkSocket: options\.netns/);
  });
});

describe.skipIf(skipReason !== undefined)('namespace files that are not namespaces', () => {
  const made: string[] = [];
  afterEach(() => {
    for (const path of made.splice(0)) rmSync(path, { force: true, recursive: true });
  });

  /** A FIFO at /var/run/netns/NAME, as a hostile or broken setup could leave there. */
  function fifo(): string {
    const name = `nlring-config-fifo-${randomBytes(3).toString('hex')}`;
    execFileSync('mkfifo', [`/var/run/netns/${name}`]);
    made.push(`/var/run/netns/${name}`);
    return name;
  }

  it('a FIFO in place of a named namespace fails at once with EINVAL, without blocking', () => {
    const name = fifo();
    const before = here();
    const error = thrown(() => inNetns(libc(), name, here));
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op: 'netns', errno: errnos.EINVAL });
    expect((error as NetlinkError).message).toContain(`/var/run/netns/${name}`);
    expect((error as NetlinkError).message).toContain('not a network namespace file');
    expect(here()).toBe(before);
    // The same through a source: the stream errors, nothing hangs.
    const socket = thrown(() => openNetlinkSocket({ protocol: 'route', netns: name }));
    expect(socket).toMatchObject({ op: 'netns', errno: errnos.EINVAL });
  });

  it('a regular file, a directory and a non-network namespace are refused with EINVAL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nlring-config-'));
    made.push(dir);
    writeFileSync(join(dir, 'file'), 'x');
    for (const path of [join(dir, 'file'), '/proc/self/ns/uts']) {
      const error = thrown(() => inNetns(libc(), path, here));
      expect(error).toMatchObject({ op: 'netns', errno: errnos.EINVAL });
    }
    const fd = openSync(join(dir, 'file'), 'r');
    try {
      expect(thrown(() => inNetns(libc(), { fd }, here))).toMatchObject({
        op: 'netns',
        errno: errnos.EINVAL,
      });
    } finally {
      closeSync(fd);
    }
    expect(thrown(() => inNetns(libc(), dir, here))).toMatchObject({ op: 'netns' });
    expect(readFileSync(join(dir, 'file'), 'utf8')).toBe('x');
  });
});

describe.skipIf(skipReason !== undefined)('createNetns and deleteNetns', () => {
  const names: string[] = [];
  afterEach(() => {
    for (const name of names.splice(0)) {
      try {
        execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
      } catch {
        // deleted by the test
      }
    }
  });

  it('creates a namespace ip netns lists and ip -n enters, and deletes it leaving nothing', async () => {
    const name = `nlring-config-${randomBytes(3).toString('hex')}`;
    names.push(name);
    const before = here();
    const create = createNetns(name);
    expect(existsSync(`/var/run/netns/${name}`)).toBe(false); // cold
    expect(await lastValueFrom(create.pipe(toArray()))).toEqual([undefined]);
    expect(here()).toBe(before);
    const listed = JSON.parse(execFileSync('ip', ['-j', 'netns', 'list'], { encoding: 'utf8' }));
    expect(listed.map((n: { name: string }) => n.name)).toContain(name);
    const links = JSON.parse(
      execFileSync('ip', ['-n', name, '-j', 'link', 'show'], { encoding: 'utf8' }),
    );
    expect(links.map((l: { ifname: string }) => l.ifname)).toEqual(['lo']);
    expect(readlinkSync(`/proc/self/fd/${openSync(`/var/run/netns/${name}`, 'r')}`)).not.toBe(
      before,
    );
    // nlring's own sources find it too.
    const ours = await lastValueFrom(dumpLinks({ netns: name }).pipe(toArray()));
    expect(ours.map((l) => l.ifname)).toEqual(['lo']);
    const again = await lastValueFrom(createNetns(name)).catch((e: unknown) => e);
    expect(again).toMatchObject({ op: 'netns', errno: errnos.EEXIST });

    expect(await lastValueFrom(deleteNetns(name).pipe(toArray()))).toEqual([undefined]);
    expect(existsSync(`/var/run/netns/${name}`)).toBe(false);
    const mounts = readFileSync('/proc/self/mountinfo', 'utf8');
    expect(mounts).not.toContain(`/var/run/netns/${name}`);
    expect(mounts).not.toContain(`/run/netns/${name} `);
    const after = JSON.parse(
      execFileSync('ip', ['-j', 'netns', 'list'], { encoding: 'utf8' }) || '[]',
    );
    expect(after.map((n: { name: string }) => n.name)).not.toContain(name);
    const gone = await lastValueFrom(deleteNetns(name)).catch((e: unknown) => e);
    expect(gone).toMatchObject({ op: 'netns', errno: errnos.ENOENT });
  });

  it.each([
    { name: 'a path', value: 'a/b' },
    { name: 'empty', value: '' },
    { name: 'dot', value: '.' },
  ])('rejects a name that is $name with a TypeError at call time', ({ value }) => {
    expect(() => createNetns(value)).toThrow(/^createNetns: name must be/);
    expect(() => deleteNetns(value)).toThrow(/^deleteNetns: name must be/);
  });
});
