// The README's code examples (examples/readme/*.ts): each runs here, and the README shows
// each file exactly (imports from 'nlring' in place of the source tree).
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { filter, firstValueFrom, lastValueFrom, Subject, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { addRoutes } from '../../examples/readme/addRoutes.js';
import { defaultRoutes } from '../../examples/readme/defaultRoutes.js';
import { allRoutes, linkNames } from '../../examples/readme/linkTable.js';
import { quickStart } from '../../examples/readme/quickStart.js';
import { storeDatagrams } from '../../examples/readme/storeDatagrams.js';
import { NetlinkError } from '../../src/index.js';
import { buildMessage, SimulatedKernel } from '../../src/testing/index.js';
import { useNetns } from '../e2e/netns.js';

const root = new URL('../../', import.meta.url);

describe('README', () => {
  it('shows every examples/readme file as it is', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const blocks = [...readme.matchAll(/<!-- example: (\S+) -->\n```ts\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const [, path, code] of blocks) {
      const file = readFileSync(new URL(path, root), 'utf8')
        .replaceAll("'../../src/index.js'", "'nlring'")
        .replaceAll(/'\.\.\/\.\.\/src\/(ring|netlink|constants)\.js'/g, "'nlring/$1'")
        .replaceAll("'../../src/testing/index.js'", "'nlring/testing'")
        .replaceAll("'../../examples/readme/defaultRoutes.js'", "'./defaultRoutes.js'");
      expect(code, path).toBe(file);
    }
  });
});

describe('examples/readme (real kernel, own namespace)', () => {
  const ns = useNetns();

  it('quickStart: the links, then an address added and deleted', async () => {
    const n = ns();
    const lines: string[] = [];
    const seen = new Subject<void>();
    const sub = quickStart(n.name).subscribe((line) => {
      lines.push(line);
      seen.next();
    });
    await firstValueFrom(seen.pipe(filter(() => lines.includes('link lo'))));
    await sleep(100);
    n.ip('addr', 'add', '192.0.2.9/32', 'dev', 'lo');
    n.ip('addr', 'del', '192.0.2.9/32', 'dev', 'lo');
    await firstValueFrom(seen.pipe(filter(() => lines.length >= 3)));
    sub.unsubscribe();
    expect(lines).toEqual(['link lo', 'new 192.0.2.9/32 dev lo', 'del 192.0.2.9/32 dev lo']);
  });

  it('defaultRoutes: sees a default route added and deleted', async () => {
    const n = ns();
    n.batch([
      'link add v0 type veth peer name v1',
      'addr add 192.0.2.2/24 dev v0',
      'link set v0 up',
      'link set v1 up',
    ]);
    const lines = defaultRoutes({ netns: n.name }).pipe(take(2), toArray());
    const done = firstValueFrom(lines);
    await sleep(100);
    n.ip('route', 'add', 'default', 'via', '192.0.2.1');
    n.ip('route', 'del', 'default', 'via', '192.0.2.1');
    expect(await done).toEqual([
      'new default via 192.0.2.1 dev v0',
      'del default via 192.0.2.1 dev v0',
    ]);
  });

  it('addRoutes: 1000 routes through the TX ring, each acknowledged; a duplicate is refused', async () => {
    const n = ns();
    n.batch([
      'link add v0 type veth peer name v1',
      'addr add 192.0.2.2/24 dev v0',
      'link set v0 up',
      'link set v1 up',
    ]);
    const routes = Array.from({ length: 1000 }, (_, i) => ({
      dst: `10.${i >> 8}.${i & 255}.0/24`,
      gateway: '192.0.2.1',
    }));
    expect(await lastValueFrom(addRoutes(n.name, routes))).toBe(1000);
    const listed = n.ipJson<Array<{ dst: string }>>('route', 'show');
    expect(listed.filter((r) => r.dst.startsWith('10.'))).toHaveLength(1000);
    const error = await lastValueFrom(addRoutes(n.name, routes.slice(0, 1))).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ code: 'EEXIST' });
  });

  it('allRoutes and linkNames: a dump with retry, and a live name list', async () => {
    const n = ns();
    n.batch([
      'link add v0 type veth peer name v1',
      'addr add 192.0.2.2/24 dev v0',
      'link set v0 up',
    ]);
    const routes = await firstValueFrom(allRoutes(n.name));
    const ip = [
      ...n.ipJson<unknown[]>('-4', 'route', 'show', 'table', 'all'),
      ...n.ipJson<unknown[]>('-6', 'route', 'show', 'table', 'all'),
    ];
    expect(routes).toHaveLength(ip.length);

    const stop$ = new Subject<void>();
    const names = linkNames(stop$, n.name);
    const first = await firstValueFrom(names);
    expect(first).toEqual(['lo', 'v0', 'v1']);
    const withBridge = firstValueFrom(names.pipe(filter((l) => l.includes('br0'))));
    await sleep(100);
    n.ip('link', 'add', 'br0', 'type', 'bridge');
    expect(await withBridge).toEqual(['br0', 'lo', 'v0', 'v1']);
    stop$.next();
  });
});

describe('examples/readme (simulated kernel)', () => {
  it('storeDatagrams: frames stay SKIP while stored, at most 32, and nothing is copied', async () => {
    const kernel = new SimulatedKernel();
    const socket = kernel.open({
      rx: { blockSize: 4096, blockNr: 16, frameSize: 1024, frameNr: 64 },
    });
    const stored: Uint8Array[] = [];
    let most = 0;
    const store = async (datagram: Uint8Array) => {
      // A view into the ring's own memory, not a copy.
      expect(datagram.buffer).toBe(socket.rx.bytes.buffer);
      most = Math.max(most, socket.rx.census()[4]);
      await sleep(5);
      stored.push(datagram.slice());
    };
    const done = lastValueFrom(storeDatagrams(() => socket, store).pipe(take(50), toArray()));
    const sent = Array.from({ length: 50 }, (_, i) =>
      buildMessage({ type: 0x10, seq: i, payload: new Uint8Array([i, 0, 0, 0]) }),
    );
    for (const m of sent) socket.deliver(m);
    const lengths = await done;
    expect(lengths).toHaveLength(50);
    expect(new Set(stored.map((d) => d[8]))).toEqual(new Set(sent.map((_, i) => i)));
    expect(most).toBeLessThanOrEqual(32);
    expect(most).toBeGreaterThan(1);
  });
});
