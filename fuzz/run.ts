// `npm run fuzz`: every target of fuzz/targets.ts over 10^6 mutated inputs (or its own
// count), printing per target the inputs run, typed errors (NetlinkError, DecodeError
// included), untyped errors (anything else: a bug) and garbage values (a bug). Exits 1 when
// any target has an untyped error or a garbage value, printing the first few with the seed
// that replays them.
//
//   npm run fuzz [-- --count 10000] [--target readAck] [--seed 7] [--shard 0/2]
//
// `--shard i/n` runs every n-th target from the i-th (to run a full pass in n processes).

import { config } from 'rxjs';
import { NetlinkError } from '../src/errors/NetlinkError.js';
import { mutate, seededRandom } from './mutate.js';
import { FUZZ_SEQ, type FuzzTarget, garbage, targets } from './targets.js';

/** What one target did over its inputs. */
export interface FuzzCounts {
  inputs: number;
  returned: number;
  typed: number;
  untyped: number;
  garbage: number;
  /** The first few bugs: what happened, with the input's index (replay with its seed). */
  examples: string[];
}

/** Runs `count` mutated inputs through `target`; the input `i` comes from seed `seed + i`. */
export async function fuzzTarget(
  target: FuzzTarget,
  count: number,
  seed = 1,
  progress?: (counts: FuzzCounts) => void,
): Promise<FuzzCounts> {
  const seeds = target.seeds();
  const counts: FuzzCounts = {
    inputs: 0,
    returned: 0,
    typed: 0,
    untyped: 0,
    garbage: 0,
    examples: [],
  };
  const bug = (what: string, i: number) => {
    if (counts.examples.length < 5) counts.examples.push(`input ${i} (seed ${seed + i}): ${what}`);
  };
  // An error rxjs could not deliver is a bug of whoever threw it inside a subscriber.
  const unhandled: unknown[] = [];
  const previous = config.onUnhandledError;
  config.onUnhandledError = (error) => unhandled.push(error);
  try {
    for (let i = 0; i < count; i++) {
      const random = seededRandom(seed + i);
      const input = mutate(seeds[i % seeds.length], random, FUZZ_SEQ);
      counts.inputs++;
      try {
        let value = target.run(input);
        if (value instanceof Promise) value = await value;
        const found = (target.check ?? garbage)(value);
        if (found === null) counts.returned++;
        else {
          counts.garbage++;
          bug(`garbage ${found}`, i);
        }
      } catch (error) {
        if (error instanceof NetlinkError) counts.typed++;
        else {
          counts.untyped++;
          bug(`untyped ${String(error)}`, i);
        }
      }
      while (unhandled.length > 0) {
        counts.untyped++;
        bug(`unhandled in a subscriber: ${String(unhandled.shift())}`, i);
      }
      if (progress !== undefined && counts.inputs % 100_000 === 0) progress(counts);
    }
  } finally {
    config.onUnhandledError = previous;
  }
  return counts;
}

async function main(argv: string[]): Promise<number> {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const count = arg('count') === undefined ? undefined : Number(arg('count'));
  const only = arg('target');
  const seed = Number(arg('seed') ?? 1);
  const [shard, shards] = (arg('shard') ?? '0/1').split('/').map(Number);
  let failed = false;
  console.log(
    'target'.padEnd(42),
    'inputs'.padStart(9),
    'returned'.padStart(9),
    'typed'.padStart(9),
    'untyped'.padStart(8),
    'garbage'.padStart(8),
    '   s',
  );
  for (const [index, target] of targets.entries()) {
    if (only !== undefined && !target.name.includes(only)) continue;
    if (index % shards !== shard) continue;
    const n = count ?? target.count ?? 1_000_000;
    const t0 = performance.now();
    const c = await fuzzTarget(target, n, seed, (p) =>
      console.log(
        `    ${target.name}: ${p.inputs} inputs so far, ${p.untyped} untyped, ${p.garbage} garbage`,
      ),
    );
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    console.log(
      target.name.padEnd(42),
      String(c.inputs).padStart(9),
      String(c.returned).padStart(9),
      String(c.typed).padStart(9),
      String(c.untyped).padStart(8),
      String(c.garbage).padStart(8),
      s.padStart(6),
    );
    for (const e of c.examples) console.log(`    ${e}`);
    if (c.untyped > 0 || c.garbage > 0) failed = true;
  }
  return failed ? 1 : 0;
}

if (process.argv[1]?.endsWith('/fuzz/run.js')) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
