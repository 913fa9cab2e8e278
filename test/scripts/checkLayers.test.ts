// scripts/check-layers.mjs, run as `npm run lint` runs it, on trees made in a temp folder.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'scripts',
  'check-layers.mjs',
);

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A tree of files (path → text) in a fresh temp folder. */
function tree(files: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), 'check-layers-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

function check(root: string): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [SCRIPT, root], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Files every tree has: one module per folder, importing only what it may. */
const CLEAN = {
  'src/errors/NetlinkError.ts': "import { x } from './errno.js';\n",
  'src/ring/Ring.ts': "import { NetlinkError } from '../errors/NetlinkError.js';\n",
  'src/netlink/Attributes.ts': "import type { DecodeError } from '../errors/DecodeError.js';\n",
  'src/io/libc.ts': "import type { node } from 'koffi';\nimport koffi from 'koffi';\n",
  'src/io/NetlinkSocket.ts':
    "import { Ring } from '../ring/Ring.js';\nimport { libc } from './libc.js';\n",
  'src/families/route.ts': "export { Attributes } from '../netlink/Attributes.js';\n",
  'src/operators/ofType.ts':
    "import { filter } from 'rxjs';\nimport { decodeRoute } from '../families/route.js';\n",
  'src/sources/dump.ts':
    "import { Observable } from 'rxjs/internal/Observable';\nimport { openSocket } from '../io/NetlinkSocket.js';\nimport { ofType } from '../operators/ofType.js';\n",
  'src/sinks/toTxRing.ts': "import { NetlinkSocket } from '../io/NetlinkSocket.js';\n",
  'src/testing/index.ts': "export { SimulatedKernel } from './SimulatedKernel.js';\n",
  'src/testing/SimulatedKernel.ts':
    "import { of } from 'rxjs';\nimport { Ring } from '../ring/Ring.js';\n",
  'src/cli/main.ts':
    "import { readFileSync } from 'node:fs';\nimport { dumpLinks } from '../index.js';\nimport { Ring } from '../ring.js';\nimport { view } from './view.js';\nconst bench = await import('../../bench/run.js');\n// import { Ring } from '../ring/Ring.js';\n/** @example import { of } from 'rxjs'; */\nconst text = \"import { x } from '../io/libc.js'\";\n",
  'src/index.ts': "export { Ring } from './ring/Ring.js';\nexport * from './io/libc.js';\n",
  'src/ring.ts': "export { Ring } from './ring/Ring.js';\n",
};

describe('check-layers', () => {
  it('passes a tree that follows the folder table, silently', () => {
    expect(check(tree(CLEAN))).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it.each([
    {
      name: 'rxjs in ring',
      path: 'src/ring/Frame.ts',
      text: "import { Ring } from './Ring.js';\nimport { Observable } from 'rxjs';\n",
      says: 'src/ring/Frame.ts:2: ring imports rxjs; only sources, operators, sinks, testing may',
    },
    {
      name: 'rxjs in the command',
      path: 'src/cli/stream.ts',
      text: "import type { Observable } from 'rxjs';\n",
      says: 'src/cli/stream.ts:1: cli imports rxjs; only sources, operators, sinks, testing may',
    },
    {
      name: 'koffi outside libc.ts, as a type',
      path: 'src/io/RingEngine.ts',
      text: "import type { node } from 'koffi';\n",
      says: 'src/io/RingEngine.ts:1: imports koffi; only src/io/libc.ts may',
    },
    {
      name: 'errors importing anything of ours',
      path: 'src/errors/check.ts',
      text: "export { Ring } from '../ring/Ring.js';\n",
      says: "src/errors/check.ts:1: errors imports ring ('../ring/Ring.js'); errors may import nothing of ours",
    },
    {
      name: 'operators reaching into io, over several lines',
      path: 'src/operators/copy.ts',
      text: "import {\n  a,\n  b,\n} from '../io/NetlinkSocket.js';\n",
      says: "src/operators/copy.ts:4: operators imports io ('../io/NetlinkSocket.js'); operators may import errors, ring, netlink, families",
    },
    {
      name: 'families importing ring',
      path: 'src/families/link.ts',
      text: "import type { Frame } from '../ring/Frame.js';\n",
      says: "src/families/link.ts:1: families imports ring ('../ring/Frame.js'); families may import errors, netlink",
    },
    {
      name: 'the command importing a deep path',
      path: 'src/cli/routes.ts',
      text: "const { dumpRoutes } = await import('../sources/rtnetlink/dumpRoutes.js');\n",
      says: "src/cli/routes.ts:1: cli imports sources ('../sources/rtnetlink/dumpRoutes.js'); cli may import index, testing/index, bench",
    },
    {
      name: 'a source importing the command',
      path: 'src/sources/x.ts',
      text: "import '../cli/main.js';\n",
      says: "src/sources/x.ts:1: sources imports cli ('../cli/main.js'); sources may import errors, ring, netlink, io, families, operators, sinks, testing",
    },
    {
      name: 'a layer importing the public entry',
      path: 'src/sinks/y.ts',
      text: "import { Ring } from '../index.js';\n",
      says: "src/sinks/y.ts:1: sinks imports index ('../index.js'); sinks may import errors, ring, netlink, families, io",
    },
  ])('fails on $name, naming file and line', ({ path, text, says }) => {
    const run = check(tree({ ...CLEAN, [path]: text }));
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `${says}\ncheck-layers: imports against the folder table (DESIGN.md)\n`,
    );
  });

  it('lists every violation, in file and line order', () => {
    const run = check(
      tree({
        ...CLEAN,
        'src/ring/a.ts': "import 'rxjs';\nimport koffi from 'koffi';\n",
        'src/netlink/b.ts': "export * from '../io/libc.js';\n",
      }),
    );
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').slice(0, 3)).toEqual([
      "src/netlink/b.ts:1: netlink imports io ('../io/libc.js'); netlink may import errors",
      'src/ring/a.ts:1: ring imports rxjs; only sources, operators, sinks, testing may',
      'src/ring/a.ts:2: imports koffi; only src/io/libc.ts may',
    ]);
  });

  it('excuses what the allow-list names, and fails on an entry that is gone', () => {
    const bad = { 'src/ring/a.ts': "import { of } from 'rxjs';\n" };
    const excused = check(
      tree({ ...CLEAN, ...bad, 'scripts/layers-allowed.txt': '# moving\nsrc/ring/a.ts rxjs\n' }),
    );
    expect(excused).toEqual({
      status: 0,
      stdout:
        'src/ring/a.ts:1: ring imports rxjs; only sources, operators, sinks, testing may (allowed for now)\n',
      stderr: '',
    });
    const stale = check(tree({ ...CLEAN, 'scripts/layers-allowed.txt': 'src/ring/a.ts rxjs\n' }));
    expect(stale.status).toBe(1);
    expect(stale.stderr).toBe(
      "scripts/layers-allowed.txt: 'src/ring/a.ts rxjs' is no longer a violation: delete the line\ncheck-layers: imports against the folder table (DESIGN.md)\n",
    );
  });
});
