// The generated family modules as a consumer reaches them: `nlring/ynl/<family>` through the
// package's "exports", resolved by Node (ESM) and by TypeScript (nodenext, strict) against a
// build of src/ staged beside a copy of package.json, imported by the package's own name
// (a package may import itself through its exports).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { strictConsumerTsconfig } from '../../package/strictConsumer.js';

const root = join(import.meta.dirname, '..', '..', '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
let stage = '';

beforeAll(() => {
  stage = mkdtempSync(join(tmpdir(), 'nlring-ynl-subpath-'));
  // The stage's own node_modules first: tsc finds the "types" (@types/node) from the
  // tsconfig's folder upwards, and a stage in /tmp has none above it.
  symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'));
  // Only src/, laid out as the build lays it out (dist/src/...), so that this file never races
  // another test's build of dist/.
  writeFileSync(
    join(stage, 'tsconfig.build.json'),
    JSON.stringify({
      extends: join(root, 'tsconfig.build.json'),
      compilerOptions: { outDir: join(stage, 'dist'), rootDir: root, sourceMap: false },
      include: [join(root, 'src')],
    }),
  );
  execFileSync(process.execPath, [tsc, '-p', join(stage, 'tsconfig.build.json')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The entries themselves: the bundle (dist/lib), as `npm run build` writes it.
  execFileSync(
    process.execPath,
    [join(root, 'scripts', 'bundle.mjs'), '--dist', join(stage, 'dist')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  copyFileSync(join(root, 'package.json'), join(stage, 'package.json'));
}, 180_000);

afterAll(() => {
  if (stage !== '') rmSync(stage, { recursive: true, force: true });
});

/** Runs an ES module in the stage; its stdout parsed as JSON. */
function esm(source: string): unknown {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', source], {
    cwd: stage,
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

describe('nlring/ynl/<family>', () => {
  it('resolves a generated family module through the exports (Node ESM)', () => {
    const result = esm(`
      const link = await import('nlring/ynl/rt-link');
      const ctrl = await import('nlring/ynl/nlctrl');
      console.log(JSON.stringify({
        view: typeof link.LinkAttrsView,
        decode: typeof link.decodeLinkAttrs,
        mtu: link.attributes['link-attrs'].mtu,
        family: ctrl.spec.name,
        getfamily: ctrl.commands.getfamily,
        url: import.meta.resolve('nlring/ynl/rt-link').replace(/^.*\\/dist\\//, 'dist/'),
        // One library: a generated decoder's error is the entry's DecodeError.
        oneDecodeError: await (async () => {
          const { DecodeError } = await import('nlring');
          try {
            link.decodeLinkAttrs(new DataView(new ArrayBuffer(3)), 0, 3);
            return 'no error';
          } catch (error) {
            return error instanceof DecodeError;
          }
        })(),
      }));
    `);
    expect(result).toEqual({
      view: 'function',
      decode: 'function',
      mtu: 4, // IFLA_MTU
      family: 'nlctrl',
      getfamily: 3, // CTRL_CMD_GETFAMILY
      url: 'dist/lib/ynl/rt-link.js',
      oneDecodeError: true,
    });
  });

  it('refuses a family the package does not carry', () => {
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', "await import('nlring/ynl/no-such-family')"],
      { cwd: stage, encoding: 'utf8' },
    );
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ERR_MODULE_NOT_FOUND/);
  });

  it('types a consumer compiles against (nodenext, strict, exactOptionalPropertyTypes)', () => {
    writeFileSync(
      join(stage, 'app.ts'),
      [
        "import { decodeLinkAttrs, type LinkAttrs, LinkAttrsView } from 'nlring/ynl/rt-link';",
        "import { commands } from 'nlring/ynl/ethtool';",
        'declare const view: DataView;',
        'const attrs: LinkAttrs = decodeLinkAttrs(view, 0, view.byteLength);',
        'const mtu: number | undefined = attrs.mtu;',
        "const id: number = commands['linkinfo-get'];",
        'export { LinkAttrsView, mtu, id };',
        '',
      ].join('\n'),
    );
    writeFileSync(join(stage, 'tsconfig.json'), strictConsumerTsconfig(['app.ts'], { types: [] }));
    const compiled = spawnSync(process.execPath, [tsc, '-p', stage, '--pretty', 'false'], {
      cwd: stage,
      encoding: 'utf8',
    });
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(compiled.status).toBe(0);
  });
});
