// `nlring bench`: the repository's benchmarks, nlring beside its baselines.
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { CliError, type Command, jsonOption, UsageError } from './commandLine.js';
import { writeText } from './output.js';
import { packageRoot } from './system.js';

/** The benchmark harness: bench/run.ts, built beside src/ (dist/bench/run.js). */
type BenchModule = typeof import('../../bench/run.js');

/**
 * Loads the harness, or says how to get it: the benchmarks (bench/, with the C and Go
 * baselines) live in the repository and are not in the published package, so from an
 * install the one thing to say is where they run; in a clone whose dist/ lacks them, to
 * build.
 */
async function loadBench(): Promise<BenchModule> {
  try {
    return await import('../../bench/run.js');
  } catch (error) {
    const root = packageRoot();
    // The harness is there but failed to load: that error is the one to show.
    if (root !== undefined && existsSync(join(root, 'dist', 'bench', 'run.js'))) throw error;
    const clone = root !== undefined && existsSync(join(root, 'bench', 'run.ts'));
    throw new CliError(
      clone
        ? 'the benchmarks are not built: run `npm run build` in the repository, then nlring bench'
        : 'the benchmarks run from a clone of the nlring repository (npm ci there, then npx nlring bench); an installed package does not ship them',
      { cause: error },
    );
  }
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
    const bench = await loadBench();
    const known = bench.benchmarks.map((b) => b.id);
    const only = line.strings('only');
    for (const id of only) {
      if (!known.includes(id)) {
        throw new UsageError(
          `--only: no benchmark '${id}' (there are: ${known.join(', ')})`,
          'bench',
        );
      }
    }
    const tty = 'isTTY' in io.stderr && io.stderr.isTTY === true;
    const { results, skipped } = await bench.runBenchmarks({
      ...(only.length > 0 ? { only } : {}),
      progress: (id, note) => io.stderr.write(tty ? `\r\x1b[K${id}: ${note}` : `${id}: ${note}\n`),
    });
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
    let text = bench.renderTable(results);
    for (const note of skipped) text += `skipped ${note}\n`;
    await writeText(io.stdout, text);
    return 0;
  },
};
