#!/usr/bin/env node
// The `nlring` command: runs the built CLI in dist/. An installed package ships dist/; in a
// clone of the repository the first run builds it (`npm run build`), so that
// `npm ci && npx nlring routes` works without a `prepare` script (which npm would flag to
// every consumer of the package as an install script).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist', 'src', 'cli', 'main.js');
if (!existsSync(entry) && existsSync(join(root, 'src', 'cli', 'main.ts'))) {
  process.stderr.write('nlring: first run in a clone of the repository: building dist/ ...\n');
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (built.status !== 0) {
    process.stderr.write('nlring: the build failed (see above); run `npm run build`\n');
    process.exit(1);
  }
}
const { main } = await import(entry);
process.exitCode = await main(process.argv.slice(2));
