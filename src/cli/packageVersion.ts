import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * nlring's version, from the `package.json` of the nlring package this module belongs to:
 * the nearest one, walking up from this file, whose name is `nlring` (the module runs from
 * `src/cli` under a test runner and from `dist/src/cli` when built, at different depths).
 * `'unknown'` if there is none.
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest: unknown = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
      if (
        typeof manifest === 'object' &&
        manifest !== null &&
        'name' in manifest &&
        manifest.name === 'nlring' &&
        'version' in manifest &&
        typeof manifest.version === 'string'
      ) {
        return manifest.version;
      }
    } catch {
      // No (readable) package.json here: keep walking up.
    }
    const parent = dirname(directory);
    if (parent === directory) return 'unknown';
    directory = parent;
  }
}
