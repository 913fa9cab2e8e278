// Reads YNL spec files (YAML) from a folder, applies this tree's overlays, and normalizes
// them. Build-time and test-time only: the `yaml` parser is a devDependency.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { normalizeSpec, type YnlFamily } from '../../src/families/ynl/spec.js';
import { applyOverlay } from './overlays.js';

/** One spec: its file name, the parsed (overlaid) object and the normalized family. */
export interface LoadedSpec {
  readonly file: string;
  readonly raw: Record<string, unknown>;
  readonly family: YnlFamily;
}

/**
 * The default spec folder: `shared/ynl/specs` beside the repository root (`../shared`), or
 * beside the nearest folder above it that has one (a worktree under the checkout's parent),
 * or `$NLRING_YNL_SPECS`.
 */
export const DEFAULT_SPECS = findSpecs();

function findSpecs(): string {
  const env = process.env.NLRING_YNL_SPECS;
  if (env !== undefined && env !== '') return env;
  let dir = resolve(fileURLToPath(new URL('../..', import.meta.url)), '..');
  for (;;) {
    const candidate = join(dir, 'shared', 'ynl', 'specs');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      return join(
        resolve(fileURLToPath(new URL('../..', import.meta.url)), '..'),
        'shared',
        'ynl',
        'specs',
      );
    dir = parent;
  }
}

/** Loads every `*.yaml` in `dir`, sorted by file name, overlays applied. */
export function loadSpecs(dir: string = DEFAULT_SPECS): LoadedSpec[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const raw = applyOverlay(
        parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>,
      );
      return { file, raw, family: normalizeSpec(raw) };
    });
}
