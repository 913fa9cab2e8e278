// `npm run generate [-- --specs DIR] [--out DIR]`: writes the generated modules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatted, generate } from './generate.js';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i === -1 ? undefined : args[i + 1];
};
const root = fileURLToPath(new URL('../../../../', import.meta.url));
const out = option('--out') ?? join(root, 'src', 'families', 'ynl');
mkdirSync(out, { recursive: true });
const files = generate(option('--specs'));
for (const [name, text] of files) writeFileSync(join(out, name), formatted(name, text));
console.log(`ynl: wrote ${files.size} modules to ${out}`);
