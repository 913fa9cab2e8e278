import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isMainModule } from '../../examples/isMainModule.js';

const dir = mkdtempSync(join(tmpdir(), 'nlring-main-'));
const script = join(dir, 'example.js');
writeFileSync(script, '');
symlinkSync(script, join(dir, 'link.js'));
const argv1 = process.argv[1];

describe('isMainModule', () => {
  afterEach(() => {
    process.argv[1] = argv1;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is false for a module that was imported (this test file, run by vitest)', () => {
    expect(isMainModule(import.meta.url)).toBe(false);
  });

  it.each([
    { name: 'the script itself', run: 'example.js', main: true },
    { name: 'a symbolic link to it', run: 'link.js', main: true },
    { name: 'another script', run: 'link.js', main: false },
  ])('answers for a program started as $name', ({ run, main }) => {
    process.argv[1] = join(dir, run);
    const url = pathToFileURL(main ? script : join(dir, 'other.js')).href;
    expect(isMainModule(url)).toBe(main);
  });
});
