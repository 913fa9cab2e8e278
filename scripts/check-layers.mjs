#!/usr/bin/env node
// The layering check of `npm run lint`: every import and re-export of a file under src/ must
// point where DESIGN.md's folder table lets it (imports only point down; rxjs only in the
// Observable layers; koffi only in src/io/libc.ts; the command only through the public
// entry). A regex over import/export-from lines, after comments are blanked out, is enough:
// the compiler API would cost seconds on every lint for the same answer.
//
//   node scripts/check-layers.mjs [ROOT]       (ROOT defaults to the repository)
//
// Prints one line per violation, `file:line: what`, and exits 1 if there is any that the
// allow-list (scripts/layers-allowed.txt under ROOT) does not name, or if the allow-list
// names one that is gone (so that it only ever shrinks).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What each folder of src/ may import of ours (DESIGN.md, "Folders"). Imports within one's
 * own folder are always allowed. `index` is a public entry (every file directly in src/:
 * src/index.ts, src/ring.ts, …), `testing/index` the public `nlring/testing` entry; `bench`
 * the repository's benchmarks, which the command runs (`nlring bench`). A folder not named here (a new one) may import nothing of ours
 * until it is added.
 */
export const LAYERS = {
  errors: [],
  ring: ['errors'],
  netlink: ['errors'],
  io: ['errors', 'ring', 'netlink'],
  families: ['errors', 'netlink'],
  sources: ['errors', 'ring', 'netlink', 'io', 'families', 'operators', 'sinks', 'testing'],
  operators: ['errors', 'ring', 'netlink', 'families'],
  sinks: ['errors', 'ring', 'netlink', 'families', 'io'],
  testing: ['errors', 'ring', 'netlink', 'families'],
  cli: ['index', 'testing/index', 'bench'],
};

/** The folders whose code may import rxjs: the Observable layers. */
export const RXJS = ['sources', 'operators', 'sinks', 'testing'];

/** The one file that may import koffi. */
export const KOFFI = 'src/io/libc.ts';

/** Source files under `dir`, recursively, as paths relative to `root` with `/`. */
function sourceFiles(root, dir) {
  const out = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (/\.(m|c)?[jt]s$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(path);
  }
  return out.sort();
}

/**
 * The text with every comment replaced by spaces (newlines kept, so offsets and line
 * numbers stay), so that an `import … from` in a TSDoc example is not taken for code; and
 * which offsets lie inside a string, so that one in a string is not either. A quote or
 * backtick run on past its line (a quote inside a regex literal) ends at the line for ' and
 * ", which is all the resynchronising needed.
 */
export function scan(text) {
  const out = text.split('');
  const inString = new Uint8Array(text.length);
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') out[i++] = ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? text.length : end + 2;
      for (; i < stop; i++) if (text[i] !== '\n') out[i] = ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) {
        inString[i] = 1;
        if (text[i] === '\\') inString[++i] = 1;
        else if (text[i] === '\n' && c !== '`') break;
        i++;
      }
      i++;
    } else {
      i++;
    }
  }
  return { code: out.join(''), inString };
}

/** `import … from 'x'`, `export … from 'x'`, `import 'x'`, `import('x')`. */
const IMPORT =
  /(?<![\w$.])(?:(?:import|export)\b[^;'"`]*?\bfrom\s*|import\s*\(\s*|import\s+)(['"])([^'"]+)\1/g;

/** Every module specifier a file names, with the line it is on. */
export function importsOf(text) {
  const { code, inString } = scan(text);
  const found = [];
  for (const match of code.matchAll(IMPORT)) {
    if (inString[match.index] === 1) continue;
    const at = match.index + match[0].length - match[2].length - 1;
    const line = code.slice(0, at).split('\n').length;
    found.push({ specifier: match[2], line });
  }
  return found;
}

/**
 * The layer a path under the root belongs to: a folder of src/, `index` for the public
 * entries (src/index.ts and the subpath entries beside it, src/ring.ts, …), or null outside.
 */
function layerOf(path) {
  if (/^src\/[^/]+\.ts$/.test(path)) return 'index';
  if (path === 'src/testing/index.ts') return 'testing/index';
  const parts = path.split('/');
  if (parts[0] === 'bench') return 'bench';
  if (parts[0] !== 'src' || parts.length < 3) return null;
  return parts[1];
}

/** A relative specifier (`../ring/Ring.js`) as the source path it names, relative to root. */
function target(root, file, specifier) {
  const absolute = resolve(root, dirname(file), specifier);
  const path = relative(root, absolute).split(sep).join('/');
  return path.replace(/\.(m|c)?js$/, (ext) => ext.replace('js', 'ts'));
}

/** Whether `folder` may import the layer `to` (its own folder always). */
function allowed(folder, to) {
  if (to === folder || (folder === 'testing' && to === 'testing/index')) return true;
  const rules = LAYERS[folder] ?? [];
  if (rules.includes(to)) return true;
  // A folder that may import testing may import its public entry too.
  return to === 'testing/index' && rules.includes('testing');
}

/** The violations of one file, `{ file, line, specifier, message }`. */
export function checkFile(root, file, text) {
  const layer = layerOf(file);
  if (layer === null || layer === 'index') return [];
  const folder = layer === 'testing/index' ? 'testing' : layer;
  const violations = [];
  const add = (line, specifier, message) => violations.push({ file, line, specifier, message });
  for (const { specifier, line } of importsOf(text)) {
    if (specifier.startsWith('.')) {
      const path = target(root, file, specifier);
      const to = layerOf(path);
      if (to === null) add(line, specifier, `${folder} imports '${specifier}', outside src/`);
      else if (!allowed(folder, to)) {
        const may = LAYERS[folder]?.join(', ') || 'nothing of ours';
        add(
          line,
          specifier,
          `${folder} imports ${to} ('${specifier}'); ${folder} may import ${may}`,
        );
      }
    } else if (specifier === 'rxjs' || specifier.startsWith('rxjs/')) {
      if (!RXJS.includes(folder)) {
        add(line, specifier, `${folder} imports rxjs; only ${RXJS.join(', ')} may`);
      }
    } else if (specifier === 'koffi' || specifier.startsWith('koffi/')) {
      if (file !== KOFFI) add(line, specifier, `imports koffi; only ${KOFFI} may`);
    } else if (specifier === 'nlring' || specifier.startsWith('nlring/')) {
      if (folder !== 'cli') add(line, specifier, `${folder} imports the package '${specifier}'`);
    }
  }
  return violations;
}

/** Every violation under `root`/src, in file and line order. */
export function checkTree(root) {
  const violations = [];
  for (const file of sourceFiles(root, 'src')) {
    violations.push(...checkFile(root, file, readFileSync(join(root, file), 'utf8')));
  }
  return violations;
}

/**
 * The allow-list: lines `FILE SPECIFIER` (whitespace between), `#` comments and blank lines
 * ignored. Each names one import the table forbids that stays until its owner moves it.
 */
export function readAllowList(path) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [file, specifier] = line.split(/\s+/);
      return { file, specifier };
    });
}

/**
 * Checks the tree at `root` against the table and its allow-list; returns the report lines
 * and whether it passes.
 */
export function run(root) {
  const violations = checkTree(root);
  const allowList = readAllowList(join(root, 'scripts', 'layers-allowed.txt'));
  const key = (v) => `${v.file} ${v.specifier}`;
  const allowedKeys = new Set(allowList.map(key));
  const lines = [];
  let failed = false;
  for (const v of violations) {
    const excused = allowedKeys.has(key(v));
    if (!excused) failed = true;
    lines.push(`${v.file}:${v.line}: ${v.message}${excused ? ' (allowed for now)' : ''}`);
  }
  const seen = new Set(violations.map(key));
  for (const entry of allowList) {
    if (!seen.has(key(entry))) {
      failed = true;
      lines.push(
        `scripts/layers-allowed.txt: '${key(entry)}' is no longer a violation: delete the line`,
      );
    }
  }
  return { lines, failed };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const { lines, failed } = run(root);
  for (const line of lines) (failed ? process.stderr : process.stdout).write(`${line}\n`);
  if (failed) process.stderr.write('check-layers: imports against the folder table (DESIGN.md)\n');
  process.exitCode = failed ? 1 : 0;
}
