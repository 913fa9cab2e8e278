// The generic netlink core against this kernel, in a fresh namespace each: the family list
// equals `genl ctrl list` (iproute2), one family resolves by name, an unknown one is ENOENT.
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { GenlFamilyInfo } from '../../src/families/genl/controller.js';
import { dumpGenlFamilies, genlDump, resolveGenlFamily } from '../../src/sources/genl.js';
import { openFds, useNetns } from './netns.js';

const root = process.getuid?.() === 0;
if (!root) console.log('genl e2e: skipped, needs root for network namespaces');

/** `genl ctrl list` parsed into the same shape (ids in hex, ops with capabilities). */
type Listed = Omit<GenlFamilyInfo, 'ops'> & { ops: { id: number; flags: number | undefined }[] };

function parseGenlCtrlList(text: string): Listed[] {
  const out: Listed[] = [];
  for (const block of text.split(/\n(?=Name: )/)) {
    const name = /Name: (\S+)/.exec(block)?.[1];
    const head =
      /ID: 0x([0-9a-f]+)\s+Version: 0x([0-9a-f]+)\s+header size: (\d+)\s+max attribs: (\d+)/.exec(
        block,
      );
    if (name === undefined || head === null) continue;
    const [commands = '', groups = ''] = block.split('multicast groups:');
    const ops = [
      ...commands.matchAll(/#\d+:\s+ID-0x([0-9a-f]+)\s*\n(?:\s*Capabilities \(0x([0-9a-f]+)\))?/g),
    ].map((m) => ({
      id: Number.parseInt(m[1] ?? '0', 16),
      flags: m[2] === undefined ? undefined : Number.parseInt(m[2], 16),
    }));
    const mcastGroups = [...groups.matchAll(/ID-0x([0-9a-f]+)\s+name: (\S+)/g)].map((m) => ({
      name: m[2] ?? '',
      id: Number.parseInt(m[1] ?? '0', 16),
    }));
    out.push({
      id: Number.parseInt(head[1] ?? '0', 16),
      name,
      version: Number.parseInt(head[2] ?? '0', 16),
      hdrsize: Number(head[3]),
      maxattr: Number(head[4]),
      ops,
      mcastGroups,
    });
  }
  return out;
}

describe.runIf(root)('generic netlink on this kernel', () => {
  const netns = useNetns();

  it('the family dump equals `genl ctrl list`', async () => {
    const ns = netns();
    const fds = openFds();
    const ours = await lastValueFrom(dumpGenlFamilies({ netns: ns.name }).pipe(toArray()));
    const theirs = parseGenlCtrlList(ns.exec('genl', 'ctrl', 'list'));
    expect(theirs.length).toBeGreaterThan(3);
    // genl prints the capabilities of some families' ops only: compare flags where it does.
    const shown = ours.map((f, i) => ({
      ...f,
      ops: f.ops.map((o, j) => ({
        id: o.id,
        flags: theirs[i]?.ops[j]?.flags === undefined ? undefined : o.flags,
      })),
    }));
    expect(shown).toEqual(theirs);
    expect(theirs.some((f) => f.ops.some((o) => o.flags !== undefined))).toBe(true);
    expect(openFds()).toEqual(fds);
  });

  it.each([
    { name: 'nlctrl', id: 0x10, group: 'notify' },
    { name: 'ethtool', id: undefined, group: 'monitor' },
  ])('$name resolves by name with its groups', async ({ name, id, group }) => {
    const ns = netns();
    const info = await lastValueFrom(resolveGenlFamily(name, { netns: ns.name }));
    expect(info.name).toBe(name);
    if (id !== undefined) expect(info.id).toBe(id);
    expect(info.mcastGroups.map((g) => g.name)).toContain(group);
    const cached = await lastValueFrom(resolveGenlFamily(name, { netns: ns.name }));
    expect(cached).toEqual(info);
  });

  it('an unknown family errors with ENOENT', async () => {
    const ns = netns();
    await expect(
      lastValueFrom(resolveGenlFamily('no-such-fam', { netns: ns.name })),
    ).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });

  it('genlDump runs a dump by family name (nlctrl GETFAMILY)', async () => {
    const ns = netns();
    const count = await lastValueFrom(
      genlDump({ family: 'nlctrl', command: 3, netns: ns.name }).pipe(toArray()),
    );
    expect(count.length).toBe(parseGenlCtrlList(ns.exec('genl', 'ctrl', 'list')).length);
  });
});
