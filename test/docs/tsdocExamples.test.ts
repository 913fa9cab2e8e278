// Every TSDoc @example in src/ type-checks: each is written as a module of its own into a
// temporary project (test/docs/tsdocExamples.ts says what is in scope) and the project's own
// tsc compiles them all at once; an error is reported at the example's line in src/.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  exampleModule,
  exportedNames,
  extractExamples,
  givensFile,
  importedNames,
  sourceFiles,
  specifierTo,
  type TsdocExample,
} from './tsdocExamples.js';

const root = join(import.meta.dirname, '..', '..');
const src = join(root, 'src');

/** The public entries, in the order their names win. */
const ENTRIES = ['index.ts', 'testing/index.ts', 'ring.ts', 'netlink.ts', 'constants.ts'].map((e) =>
  join(src, e),
);

/** The family namespace a file belongs to (its constants and codecs), if any. */
function familyOf(path: string): string | undefined {
  const m = /[\\/]src[\\/](?:families|sources)[\\/](rtnetlink|netfilter)[\\/]/.exec(path);
  return m === null ? undefined : join(src, 'families', m[1], 'index.ts');
}

/** rxjs's names that are types only (its values are read from the module itself). */
const RXJS_TYPES = [
  'MonoTypeOperatorFunction',
  'ObservableInput',
  'Observer',
  'OperatorFunction',
  'Subscribable',
  'TeardownLogic',
];

/** The other modules of a file's folder, whose names its examples may use too. */
function siblings(path: string): string[] {
  const dir = dirname(path);
  return sourceFiles(dir).filter((p) => p !== path && dirname(p) === dir);
}

const work = mkdtempSync(join(tmpdir(), 'nlring-tsdoc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('TSDoc @example blocks', () => {
  it('exist in most exported modules and all type-check', async () => {
    const rxjs = [...Object.keys(await import('rxjs')), ...RXJS_TYPES];
    const entries = ENTRIES.map((path) => ({ path, names: exportedNames(path) }));
    symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'));
    mkdirSync(join(work, 'examples'));
    writeFileSync(join(work, 'package.json'), '{ "type": "module" }');
    writeFileSync(join(work, 'examples', 'givens.d.ts'), givensFile(join(work, 'examples'), src));
    const written = new Map<string, { example: TsdocExample; header: number }>();
    let n = 0;
    for (const path of sourceFiles(src)) {
      const file = path.slice(root.length + 1);
      const examples = extractExamples(file, readFileSync(path, 'utf8'));
      if (examples.length === 0) continue;
      const own = exportedNames(path);
      const family = familyOf(path);
      for (const example of examples) {
        const dir = join(work, 'examples');
        const text = exampleModule(example, [
          { specifier: specifierTo(dir, path), names: own },
          ...importedNames(path).map((i) => ({
            specifier: specifierTo(dir, i.path),
            names: i.names,
          })),
          ...(family === undefined
            ? []
            : [{ specifier: specifierTo(dir, family), names: exportedNames(family) }]),
          ...siblings(path).map((sibling) => ({
            specifier: specifierTo(dir, sibling),
            names: exportedNames(sibling),
          })),
          ...entries.map((e) => ({ specifier: specifierTo(dir, e.path), names: e.names })),
          { specifier: 'rxjs', names: rxjs },
        ]);
        const name = `example${n++}.ts`;
        writeFileSync(join(dir, name), text);
        written.set(name, {
          example,
          header: text.split('\n').indexOf(`// ${file}:${example.line}`) + 1,
        });
      }
    }
    expect(n).toBeGreaterThan(300);
    writeFileSync(
      join(work, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          lib: ['es2022'],
          module: 'nodenext',
          moduleResolution: 'nodenext',
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noEmit: true,
          skipLibCheck: true,
        },
        include: ['examples'],
      }),
    );
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', work, '--pretty', 'false'], {
      encoding: 'utf8',
    });
    // Each error at its line in src/; one outside every example is reported as tsc gave it.
    const errors: string[] = [];
    for (const line of run.stdout.split('\n')) {
      const m = /examples[\\/](example\d+\.ts)\((\d+),(\d+)\): (.*)$/.exec(line);
      const found = m === null ? undefined : written.get(m[1]);
      if (m === null || found === undefined) {
        if (line.trim() !== '' && !line.startsWith(' ')) errors.push(line);
        continue;
      }
      const { example, header } = found;
      errors.push(`${example.file}:${example.line + Number(m[2]) - header - 1}: ${m[4]}`);
    }
    expect(errors).toEqual([]);
  }, 120_000);
});
