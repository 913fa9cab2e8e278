import { readlinkSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { CLONE_NEWNET } from '../../src/io/constants.js';
import { inNetns } from '../../src/io/inNetns.js';
import { libc } from '../../src/io/libc.js';
import { useNetns } from '../e2e/netns.js';
import { ScriptedLibc } from './ScriptedLibc.js';

const here = () => readlinkSync('/proc/thread-self/ns/net');

describe('inNetns', () => {
  const netns = useNetns();

  it('runs the body in the named namespace and comes back', () => {
    const before = here();
    const inside = inNetns(libc(), netns().name, here);
    expect(inside).not.toBe(before);
    // The namespace file `ip netns add` made is a bind mount of the same nsfs inode.
    expect(inside).toBe(`net:[${statSync(`/var/run/netns/${netns().name}`).ino}]`);
    expect(here()).toBe(before);
  });

  it('comes back when the body throws', () => {
    const before = here();
    const boom = new Error('boom');
    expect(() =>
      inNetns(libc(), netns().name, () => {
        throw boom;
      }),
    ).toThrow(boom);
    expect(here()).toBe(before);
  });

  it('enters with setns(CLONE_NEWNET) and leaves the same way', () => {
    const scripted = new ScriptedLibc();
    inNetns(scripted, netns().name, () => 0);
    expect(scripted.setnsCalls.map((c) => c.nstype)).toEqual([CLONE_NEWNET, CLONE_NEWNET]);
  });

  it('fails with NetlinkError op netns ENOENT for an unknown namespace', () => {
    let error: unknown;
    try {
      inNetns(libc(), `${netns().name}-absent`, () => 0);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op: 'netns', errno: errnos.ENOENT });
  });

  it.each([
    { name: 'empty', value: '' },
    { name: 'a path', value: 'a/b' },
    { name: 'dot-dot', value: '..' },
  ])('rejects a name that is $name with a TypeError', ({ value }) => {
    expect(() => inNetns(libc(), value, () => 0)).toThrow(TypeError);
  });
});
