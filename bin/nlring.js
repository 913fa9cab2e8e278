#!/bin/sh
':' //; [ -z "${NODE_EXTRA_CA_CERTS+x}" ] || { export NLRING_NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS"; unset NODE_EXTRA_CA_CERTS; }; exec node "$0" "$@"
// The line above is sh as the #! line runs this file, and a string and a comment to Node.
// It starts node without NODE_EXTRA_CA_CERTS: Node 20 reads and parses that file, and all
// of its own root certificates with it, before any JavaScript runs (55-60 ms of a 90 ms
// `node -e 0` here, with Debian's 140-certificate bundle), and the command makes no TLS
// connection. The value is handed over in NLRING_NODE_EXTRA_CA_CERTS and put back into
// process.env below, so the processes the command starts get the environment it was given.
// `node bin/nlring.js` skips the line: node then starts as the caller asked. biome.json
// leaves this file's formatting alone: its formatter would end line 2 with a semicolon,
// after which sh would run `//` as a command.
//
// The `nlring` command: runs dist/cli/nlring.cjs, the whole command in one file
// (scripts/bundle.mjs), or for a dump command dist/cli/nlring-dumps.cjs, the six dumps
// alone, with V8's code cache, so a fresh process neither resolves hundreds of modules nor
// compiles them again, nor loads what its command does not run (docs/ARCHITECTURE.md,
// "Start-up"). CommonJS
// (bin/package.json) because an ES module entry starts Node's ESM loader, a few ms more.
//
// An installed package ships dist/; in a clone of the repository the first run builds it
// (`npm run build`), so that `npm ci && npx nlring routes` works without a `prepare` script
// (which npm would flag to every consumer of the package as an install script).
'use strict';
if (process.env.NLRING_NODE_EXTRA_CA_CERTS !== undefined) {
  process.env.NODE_EXTRA_CA_CERTS = process.env.NLRING_NODE_EXTRA_CA_CERTS;
  delete process.env.NLRING_NODE_EXTRA_CA_CERTS;
}
const fs = require('node:fs');
const { homedir } = require('node:os');
const { basename, dirname, join } = require('node:path');
const vm = require('node:vm');
const { createRequire } = require('node:module');
const { pathToFileURL } = require('node:url');

const root = join(__dirname, '..');
const cli = join(root, 'dist', 'cli');
const argv = process.argv.slice(2);

/**
 * The bundle for this command line: the one dist/cli/commands.json names for its command
 * (the six dumps have one of their own, which loads their part of the library only), and
 * that command; else the whole command (help, --version, the other commands, a typo).
 */
function bundleFor(args) {
  const first = args.find((a) => a !== '--debug');
  try {
    const own = JSON.parse(fs.readFileSync(join(cli, 'commands.json'), 'utf8'));
    if (first !== undefined && Object.hasOwn(own, first)) {
      return { bundle: join(cli, own[first]), command: first };
    }
  } catch {}
  return { bundle: join(cli, 'nlring.cjs'), command: undefined };
}

/** In a clone without dist/: builds it as `npm run build` does, or exits. */
function buildClone() {
  process.stderr.write('nlring: first run in a clone of the repository: building dist/ ...\n');
  const steps = [
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
    ],
    [join(root, 'scripts', 'bundle.mjs')],
  ];
  const { spawnSync } = require('node:child_process');
  for (const args of steps) {
    const built = spawnSync(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    if (built.status !== 0) {
      process.stderr.write('nlring: the build failed (see above); run `npm run build`\n');
      process.exit(1);
    }
  }
}

// Read as latin1: scripts/bundle.mjs writes the bundle in ASCII (its strings and comments
// escaped), so this is the same text without a UTF-8 decode (0.3 ms of 750 KB).
let bundle;
let command;
/** The bundle's text; the whole command's when commands.json names one that is not there. */
function readBundle() {
  ({ bundle, command } = bundleFor(argv));
  try {
    return fs.readFileSync(bundle, 'latin1');
  } catch (error) {
    if (error.code !== 'ENOENT' || command === undefined) throw error;
    bundle = join(cli, 'nlring.cjs');
    command = undefined;
    return fs.readFileSync(bundle, 'latin1');
  }
}
let source;
try {
  source = readBundle();
} catch (error) {
  if (error.code !== 'ENOENT' || !fs.existsSync(join(root, 'src', 'cli', 'main.ts'))) throw error;
  buildClone();
  source = readBundle();
}
/** The bundle's code cache files start with this (`nlring.`, `nlring-dumps.`). */
const cacheName = `${basename(bundle, '.cjs')}.`;

// The cache key: the bundle's own hash (its first line, written by scripts/bundle.mjs), its
// size and mtime (a bundle edited by hand), Node's version and the CPU. V8 itself rejects
// data of another V8 or other flags, but checks a source only by its length.
const id = /^\/\/ nlring command bundle ([0-9a-f]+)/.exec(source)?.[1] ?? 'unknown';
const stat = fs.statSync(bundle);
const key = `${id}-${stat.size}-${Math.trunc(stat.mtimeMs)}-${process.version}-${process.arch}`;
const cacheDirs = [
  cli,
  join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nlring'),
];
// A cache file is a line naming the commands whose runs wrote it (JSON), then V8's data. A
// bundle of a few commands (commands.json) writes it anew after a run of one of its commands
// that the line does not name, once: the run compiled that command's code, which the next
// run of it then finds (links --json: 34.6 ms with a cache its own run wrote, 36.1 with one
// that routes --json wrote). The whole command writes it after its first run only.
const useCache = !process.env.NODE_DISABLE_COMPILE_CACHE;
let cached;
let learned = [];
if (useCache) {
  for (const dir of cacheDirs) {
    let data;
    try {
      data = fs.readFileSync(join(dir, `${cacheName}${key}.v8cache`));
    } catch {
      continue;
    }
    // Found: this is the cache, read or not (a file without its line is written anew).
    const end = data.indexOf(10);
    try {
      const names = end < 0 ? undefined : JSON.parse(data.toString('latin1', 0, end));
      if (Array.isArray(names)) {
        learned = names;
        cached = data.subarray(end + 1);
      }
    } catch {}
    break;
  }
}

const script = new vm.Script(
  `(function (exports, require, module, __filename, __dirname, importModule) {${source}\n})`,
  { filename: bundle, cachedData: cached },
);
const module_ = { exports: {} };
/** The bundle's import() of a module outside it (scripts/bundle.mjs), relative to the bundle. */
function importModule(specifier) {
  const url = specifier.startsWith('.')
    ? pathToFileURL(join(dirname(bundle), specifier)).href
    : specifier;
  return import(url);
}
script.runInThisContext()(
  module_.exports,
  createRequire(bundle),
  module_,
  bundle,
  dirname(bundle),
  importModule,
);

/** Writes the code V8 compiled during this run, for the next one, and `names`; best effort. */
function saveCache(names) {
  const data = Buffer.concat([
    Buffer.from(`${JSON.stringify(names)}\n`, 'latin1'),
    script.createCachedData(),
  ]);
  for (const dir of cacheDirs) {
    const file = join(dir, `${cacheName}${key}.v8cache`);
    const temporary = `${file}.${process.pid}`;
    try {
      fs.mkdirSync(dir, { recursive: true });
      for (const old of fs.readdirSync(dir)) {
        if (old.startsWith(cacheName) && old.endsWith('.v8cache')) fs.rmSync(join(dir, old));
      }
      fs.writeFileSync(temporary, data);
      fs.renameSync(temporary, file);
      return;
    } catch {
      fs.rmSync(temporary, { force: true });
    }
  }
}

module_.exports.main(argv).then((status) => {
  process.exitCode = status;
  if (!useCache) return;
  const fresh = cached === undefined || script.cachedDataRejected;
  const names = fresh ? [] : learned;
  if (fresh || (command !== undefined && !names.includes(command))) {
    saveCache(command === undefined ? names : [...names, command]);
  }
});
