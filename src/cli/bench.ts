// `nlring bench`: the repository's benchmarks, nlring beside its baselines.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, type Command, jsonOption, UsageError } from './commandLine.js';
import { writeText } from './output.js';
import { packageRoot } from './system.js';

/** What the harness child reports on its stdout: the results, or the ids it knows. */
type ChildReport =
  | { unknown: string; known: string[] }
  | { results: unknown[]; skipped: string[]; table: string };

/**
 * The child that runs the harness (dist/bench/run.js, an ES module with top-level await).
 * A child process because the command itself runs as a CommonJS bundle in a vm.Script, which
 * can neither import() an ES module nor require() one with top-level await. It reads its
 * request from NLRING_BENCH, writes progress on stderr and one JSON report on stdout.
 */
function childScript(url: string): string {
  return [
    `import { benchmarks, renderTable, runBenchmarks } from ${JSON.stringify(url)};`,
    'const { only, tty } = JSON.parse(process.env.NLRING_BENCH);',
    'const known = benchmarks.map((b) => b.id);',
    'const unknown = only.find((id) => !known.includes(id));',
    'if (unknown !== undefined) {',
    '  process.stdout.write(JSON.stringify({ unknown, known }));',
    '} else {',
    '  const { results, skipped } = await runBenchmarks({',
    '    ...(only.length > 0 ? { only } : {}),',
    '    progress: (id, note) =>',
    "      process.stderr.write(tty ? '\\r\\x1b[K' + id + ': ' + note : id + ': ' + note + '\\n'),",
    '  });',
    '  process.stdout.write(JSON.stringify({ results, skipped, table: renderTable(results) }));',
    '}',
  ].join('\n');
}

/**
 * Where the harness is, or why it is not: the benchmarks (bench/, with the C and Go
 * baselines) live in the repository and are not in the published package, so from an
 * install the one thing to say is where they run; in a clone whose dist/ lacks them, to
 * build.
 */
function harnessUrl(): string {
  const root = packageRoot();
  const harness = root === undefined ? undefined : join(root, 'dist', 'bench', 'run.js');
  if (harness !== undefined && existsSync(harness)) return pathToFileURL(harness).href;
  const clone = root !== undefined && existsSync(join(root, 'bench', 'run.ts'));
  throw new CliError(
    clone
      ? 'the benchmarks are not built: run `npm run build` in the repository, then nlring bench'
      : 'the benchmarks run from a clone of the nlring repository (npm ci there, then npx nlring bench); an installed package does not ship them',
  );
}

/** Runs the harness child: its stderr goes to `stderr` as it comes, its report is parsed. */
function runHarness(
  url: string,
  request: { only: string[]; tty: boolean },
  stderr: NodeJS.WritableStream,
): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', childScript(url)], {
      env: { ...process.env, NLRING_BENCH: JSON.stringify(request) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    child.once('error', reject);
    child.once('close', (code) => {
      try {
        if (code !== 0) throw new Error(`the benchmark harness exited with status ${code}`);
        resolve(JSON.parse(out) as ChildReport);
      } catch (error) {
        reject(error);
      }
    });
  });
}

/**
 * `nlring bench`: runs nlring's benchmarks — each measures nlring beside a baseline in the
 * same run — showing progress on stderr, then prints the results with their ratios (a
 * table, or with `--json` one object: machine, results, skipped). `--only ID` picks
 * benchmarks (repeatable).
 *
 * @example
 * // $ nlring bench --only rx-in-memory
 * await bench.run(parseCommandLine(bench, ['--json']), process);
 */
export const bench: Command = {
  name: 'bench',
  summary: 'run the benchmarks: nlring beside its baselines, as ratios',
  synopsis: 'nlring bench [-j|--json] [--only ID]...',
  description:
    'Runs the benchmarks of the nlring repository (built into dist/bench by npm run build); ' +
    'they run from a clone of the repository only: an installed package does not ship them. ' +
    'Each one measures nlring and a baseline (a hand-written loop, libmnl, …) in the same run ' +
    'and reports both with their ratio, above 1 when nlring is ahead. Progress goes to ' +
    'stderr; the summary table, or with --json one object {machine, results, skipped}, to ' +
    'stdout. Benchmarks that need root are skipped, with a note, without it. For the ' +
    'steadiest figures run node with --expose-gc (npm run bench does).',
  options: {
    json: jsonOption('one JSON object: machine, results, skipped'),
    only: {
      type: 'string',
      value: 'ID',
      multiple: true,
      help: 'run only this benchmark (repeatable)',
    },
  },
  examples: [
    { command: 'nlring bench', says: 'every benchmark, with a summary table' },
    { command: 'nlring bench --only rx-in-memory --json', says: 'one benchmark, as JSON' },
  ],
  async run(line, io) {
    const url = harnessUrl();
    const only = line.strings('only');
    const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
    const report = await runHarness(url, { only, tty }, io.stderr);
    if ('unknown' in report) {
      throw new UsageError(
        `--only: no benchmark '${report.unknown}' (there are: ${report.known.join(', ')})`,
        'bench',
      );
    }
    const { results, skipped } = report;
    if (tty) io.stderr.write('\r\x1b[K');
    if (line.flag('json')) {
      const machine = {
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: cpus().length,
      };
      await writeText(io.stdout, `${JSON.stringify({ machine, results, skipped }, null, 2)}\n`);
      return 0;
    }
    let text = report.table;
    for (const note of skipped) text += `skipped ${note}\n`;
    await writeText(io.stdout, text);
    return 0;
  },
};
