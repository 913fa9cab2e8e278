// Reads YNL spec files (YAML) from a folder, applies this tree's overlays, and normalizes
// them. Build-time and test-time only: the `yaml` parser is a devDependency.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
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
 * The default spec folder: `$NLRING_YNL_SPECS`, else `shared/ynl/specs` beside the repository
 * root (`../shared`) or beside the nearest folder above it that has one (a worktree under the
 * checkout's parent), else the same beside the repository this one was cloned from, when
 * that is a folder of this machine (`git clone . /tmp/x`: the specs stay in `../shared`, so
 * a scratch clone elsewhere finds them through its origin).
 */
export const DEFAULT_SPECS = findSpecs();

/** `shared/ynl/specs` beside `dir` or beside the nearest folder above it, if any. */
function specsAbove(dir: string): string | undefined {
  for (let at = resolve(dir); ; at = dirname(at)) {
    const candidate = join(at, 'shared', 'ynl', 'specs');
    if (existsSync(candidate)) return candidate;
    if (dirname(at) === at) return undefined;
  }
}

/** The folder `root`'s git origin names, when it is a local path; else undefined. */
function localOrigin(root: string): string | undefined {
  try {
    const url = execFileSync('git', ['-C', root, 'config', '--get', 'remote.origin.url'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    const path = url.startsWith('file://') ? fileURLToPath(url) : url;
    return isAbsolute(path) && existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

function findSpecs(): string {
  const env = process.env.NLRING_YNL_SPECS;
  if (env !== undefined && env !== '') return env;
  const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
  const origin = localOrigin(root);
  return (
    specsAbove(dirname(root)) ??
    (origin === undefined ? undefined : specsAbove(dirname(origin))) ??
    join(dirname(root), 'shared', 'ynl', 'specs')
  );
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
