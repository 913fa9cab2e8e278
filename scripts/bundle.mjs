#!/usr/bin/env node
// Bundles the `nlring` command into one CommonJS file, DIST/cli/nlring.cjs, that
// bin/nlring.js runs through V8's code cache, and the library's entries into DIST/lib, ES
// modules that the package's "exports" name (docs/ARCHITECTURE.md, "Start-up"). Part of
// `npm run build`, after tsc (which writes DIST/src, whose .d.ts files the package's types
// are, and DIST/bench).
//
//   node scripts/bundle.mjs [--dist DIR]     (DIR defaults to the repository's dist/)
//
// What the bundle holds and why:
// - src/cli and the part of the library it reaches through the public entry, from the
//   TypeScript sources (the command uses the public entry only, so this is what a user's
//   program gets), with its own tree-shaken copy of rxjs taken from rxjs's ES2015 build
//   (its "node" export is the CommonJS build: ~220 files, none of them shakeable). The
//   library entry, DIST/src, keeps rxjs as a peer.
// - Not koffi (a native addon, a dependency installed beside the package), not yaml (the
//   library loads it only when it is installed), not the benchmarks (DIST/bench, which the
//   repository has and the package does not), and not the YNL family modules: 1.5 MB of
//   specs that only `nlring ynl --family` reads, loaded at that moment from DIST/src.
// - No `import()`: a vm.Script (how bin/nlring.js gives V8 the cache) cannot run one without
//   an experimental flag. esbuild inlines those of bundled modules; each one that leaves the
//   bundle (the benchmarks, yaml, a YNL family module) becomes a call of `importModule`, a
//   parameter of the bundle's wrapper that bin/nlring.js fills with its own `import()`, which
//   resolves a relative specifier against DIST/cli.
// - Syntax minified (esbuild's minifySyntax; names and layout kept): it writes the value of
//   each constant of the constants modules (src/**/constants.ts: no imports, integers only)
//   where it is used. V8 does not fold a `const` imported from another module: each use in
//   a decoder's loop is a load and a hole check, and a switch over them a chain of compares.
//   Measured on 1,024 real NFLOG packets (scanNflogPacket in a loop, 8 runs each): 36 ns a
//   packet with the names, 24 ns with their values.
// The first line names a hash of the rest, the key of the code cache.
//
// The library (DIST/lib): one ES module per public entry (., ./testing, ./ring, ./netlink,
// ./constants) with the code they share in chunks (esbuild's splitting), so a class has one
// identity across entries (`instanceof Overrun` holds for a value from nlring/testing). rxjs
// stays outside (a peer: a program's Observables are its own rxjs's), as do koffi and yaml.
// The YNL family modules are entries too (`nlring/ynl/<family>`), loaded when first asked for.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const { values } = parseArgs({ options: { dist: { type: 'string' } } });
const dist = resolve(values.dist ?? join(root, 'dist'));
const out = join(dist, 'cli');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch (error) {
  process.stderr.write(
    `scripts/bundle.mjs: esbuild is missing (a devDependency: run npm ci): ${error.message}\n`,
  );
  process.exit(1);
}

const rxjsDir = dirname(require.resolve('rxjs/package.json'));
/** Marks a specifier of a dynamic import that leaves the bundle (see importModule above). */
const MARK = 'nlring-import-module:';

/** The one glob import of the library, rewritten to load the generated module at run time. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the source text to find, not a template
const ynlImport = 'import(`../families/ynl/${entry.module}`)';

/** @type {import('esbuild').Plugin} */
const placement = {
  name: 'nlring-command',
  setup(build) {
    build.onResolve({ filter: /^rxjs$/ }, () => ({ path: join(rxjsDir, 'dist/esm/index.js') }));
    // src/cli/bench.ts imports ../../bench/run.js: from DIST/cli that is DIST/bench/run.js.
    build.onResolve({ filter: /\/bench\/run\.js$/ }, () => ({
      path: `${MARK}../bench/run.js`,
      external: true,
    }));
    // Any other import() of a module outside the bundle (yaml): marked, to become importModule.
    build.onResolve({ filter: /.*/ }, (args) =>
      args.kind === 'dynamic-import' && !args.path.startsWith('.') && !args.path.startsWith('/')
        ? { path: `${MARK}${args.path}`, external: true }
        : undefined,
    );
    build.onLoad({ filter: /[/\\]sources[/\\]ynlCommand\.ts$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes(ynlImport)) {
        throw new Error(`${args.path} no longer has ${ynlImport}: update scripts/bundle.mjs`);
      }
      // A name esbuild cannot follow, so the specs stay out; DIST/cli/../src/… at run time.
      const contents = `${text.replace(ynlImport, 'importModule(ynlModules + entry.module)')}
const ynlModules = '../src/families/ynl/';
`;
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * esbuild writes strings, identifiers and regular expressions in ASCII (charset: 'ascii'),
 * but copies comments as they are; one "§" in one comment makes V8 hold the whole source as
 * a UTF-16 string decoded from UTF-8 (measured: ~13 M instructions of 150 M). Comments only,
 * so their non-ASCII characters are written as \u escapes.
 */
function asciiComments(text) {
  return text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.codePointAt(0).toString(16).padStart(4, '0')}`);
}

/** Bundles the command from `entry` (under src/cli) into DIST/cli/`name`; returns its text. */
async function commandBundle(entry, name) {
  const result = await esbuild.build({
    entryPoints: [join(root, 'src', 'cli', entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile: join(out, name),
    external: ['koffi', 'yaml'],
    minifySyntax: true,
    // The modules name their own file by import.meta.filename/dirname (Node >= 20.11): in
    // the bundle, its own. import.meta.url is made only if read: its pathToFileURL was 0.3
    // ms of every command's start (the first call into Node's URL code).
    define: {
      'import.meta.filename': '__filename',
      'import.meta.dirname': '__dirname',
      'import.meta.url': 'importMeta.url',
    },
    // The directive first: a statement before it would leave the whole bundle sloppy.
    banner: {
      js: '"use strict";\nconst importMeta = { get url() { return require("node:url").pathToFileURL(__filename).href; } };',
    },
    legalComments: 'eof',
    charset: 'ascii',
    plugins: [placement],
    logLevel: 'warning',
  });
  const escaped = asciiComments(result.outputFiles[0].text);
  // Every import() that leaves the bundle was marked; none may be left unmarked.
  const body = escaped.replaceAll(`import("${MARK}`, 'importModule("');
  const dynamicImport = /(^|[^\w$.])import\(/m.exec(body);
  if (dynamicImport !== null) {
    const line = body.slice(0, dynamicImport.index).split('\n').length;
    throw new Error(`${name} has an import() that bin/nlring.js cannot run, at line ${line}`);
  }
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 32);
  const text = `// nlring command bundle ${hash} (scripts/bundle.mjs; rxjs: Apache-2.0, rxjs-LICENSE.txt)\n${body}`;
  mkdirSync(out, { recursive: true });
  // Replaced by a rename, so that a command starting meanwhile reads the old bundle or the new.
  const bundle = join(out, name);
  const temporary = `${bundle}.${process.pid}`;
  writeFileSync(temporary, text);
  renameSync(temporary, bundle);
  return text;
}

/** The names and aliases of the commands a bundle's `commands` export has. */
function commandNames(text, name) {
  const module = { exports: {} };
  const file = join(out, name);
  // The bundle's own wrapper, as bin/nlring.js runs it; its top level defines and runs nothing
  // else (the native binding loads on a command's first socket).
  new Function('exports', 'require', 'module', '__filename', '__dirname', 'importModule', text)(
    module.exports,
    createRequire(file),
    module,
    file,
    out,
    () => Promise.reject(new Error('no import() at build time')),
  );
  return module.exports.commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
}

// The whole command, and the six dump commands alone (src/cli/dumpCommands.ts): `nlring
// links` in a fresh process loads ~420 KB instead of ~760, and neither netfilter's code nor
// the YNL catalog (docs/ARCHITECTURE.md, "Start-up"). DIST/cli/commands.json names the
// bundle of each command name and alias that has one of its own; bin/nlring.js runs the
// whole command for anything else (help, --version, the other commands, a typo).
await commandBundle('main.ts', 'nlring.cjs');
const dumps = await commandBundle('dumpCommands.ts', 'nlring-dumps.cjs');
const own = Object.fromEntries(
  commandNames(dumps, 'nlring-dumps.cjs').map((n) => [n, 'nlring-dumps.cjs']),
);
writeFileSync(join(out, 'commands.json'), `${JSON.stringify(own)}\n`);
copyFileSync(join(rxjsDir, 'LICENSE.txt'), join(out, 'rxjs-LICENSE.txt'));

// The library entries: ES modules, rxjs/koffi/yaml left to the consumer's node_modules.
const lib = join(dist, 'lib');
const entries = {
  index: 'src/index.ts',
  'testing/index': 'src/testing/index.ts',
  ring: 'src/ring.ts',
  netlink: 'src/netlink.ts',
  constants: 'src/constants.ts',
};
// `nlring/ynl/<family>`: each generated module is an entry of its own, so that its codecs
// and errors are the library's (one DecodeError), and the command's import() of a family
// loads the same file.
for (const file of readdirSync(join(root, 'src', 'families', 'ynl'))) {
  if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
    entries[`ynl/${file.slice(0, -3)}`] = `src/families/ynl/${file}`;
  }
}
// A generated family module that the library's own code imports (rtnetlink's link decoder
// reads links through rt-link's views) gets a copy of its own, tree-shaken to what that code
// uses: shared with the `nlring/ynl/<family>` entry, the whole module (343 KB of rt-link)
// became a chunk that every `import 'nlring'` compiled. The copy's classes are private to
// the decoder (no value of theirs leaves it); the codec, view base and errors stay shared.
// A family module is one that scripts/ynl generated from one spec (its first line says so),
// so a hand-written module put beside them stays shared.
const ynlDir = join(root, 'src', 'families', 'ynl');
const familyHeader = /^\/\/ @generated by scripts\/ynl from [\w-]+\.yaml;/;
/** @type {import('esbuild').Plugin} */
const privateFamilies = {
  name: 'nlring-private-family-copies',
  setup(build) {
    build.onResolve({ filter: /\/ynl\/[\w-]+\.js$/ }, (args) => {
      if (args.importer.startsWith(ynlDir)) return undefined;
      const path = resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      if (dirname(path) !== ynlDir || !familyHeader.test(readFileSync(path, 'utf8'))) {
        return undefined;
      }
      return { path, suffix: '?library' };
    });
  },
};
const library = await esbuild.build({
  entryPoints: Object.fromEntries(
    Object.entries(entries).map(([name, path]) => [name, join(root, path)]),
  ),
  bundle: true,
  splitting: true,
  write: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir: lib,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['rxjs', 'koffi', 'yaml'],
  plugins: [privateFamilies],
  // Syntax only (names and layout stay): esbuild then inlines the constants modules'
  // numbers (NLA_HDRLEN, RTA_*, …) where they are used. Left as imports across chunks,
  // each use is a module-variable load with a hole check in the interpreter and baseline
  // code, which run most of a fresh process's first dump, and a `switch` on them compares
  // case by case instead of jumping through a table (callgrind, one fresh 100k-route dump:
  // 0.51 G -> 0.41 G instructions beyond the import-only process).
  minifySyntax: true,
  charset: 'ascii',
  logLevel: 'warning',
});
// Written beside the old files and renamed over them directory-wise, so that a program
// starting meanwhile loads the old set or the new one (chunk names carry their hashes).
const staging = `${lib}.${process.pid}`;
rmSync(staging, { recursive: true, force: true });
for (const file of library.outputFiles) {
  const target = join(staging, relative(lib, file.path));
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, asciiComments(file.text));
}
const previous = `${lib}.old.${process.pid}`;
try {
  renameSync(lib, previous);
} catch {
  // No previous build.
}
renameSync(staging, lib);
rmSync(previous, { recursive: true, force: true });
