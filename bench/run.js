// `npm run bench`: runs the benchmarks and prints each subject beside its baseline, measured
// in the same run, as a ratio. `npm run bench -- --json` prints machine-readable results.
// `--only ID` runs one benchmark.
import { inMemory } from './inMemory.js';
import { netfilterBench } from './netfilter.js';
import { routeDump } from './routeDump.js';
export const benchmarks = [inMemory, routeDump, netfilterBench];
/** Runs the benchmarks (root-only ones are skipped, with a note, when not root). */
export async function runBenchmarks(options = {}) {
    const results = [];
    const skipped = [];
    for (const b of benchmarks) {
        if (options.only && !options.only.includes(b.id))
            continue;
        if (b.needsRoot && process.getuid?.() !== 0) {
            skipped.push(`${b.id}: needs root (network namespaces)`);
            continue;
        }
        results.push(...(await b.run((note) => options.progress?.(b.id, note))));
    }
    return { results, skipped };
}
function format(n) {
    if (!Number.isFinite(n))
        return String(n);
    if (Math.abs(n) >= 1e6)
        return `${(n / 1e6).toFixed(2)} M`;
    if (Math.abs(n) >= 1e3)
        return `${(n / 1e3).toFixed(1)} k`;
    return n.toFixed(n < 10 ? 2 : 0);
}
/** The human-readable table. */
export function renderTable(results) {
    const lines = [];
    for (const r of results) {
        const verdict = r.target === undefined
            ? ''
            : r.ratio >= r.target
                ? `  (target ${r.target}: met)`
                : `  (target ${r.target}: NOT met)`;
        lines.push(`${r.id}: ${r.title}`);
        lines.push(`  ${r.subject.name.padEnd(48)} ${format(r.subject.value).padStart(10)} ${r.subject.unit}`);
        lines.push(`  ${r.baseline.name.padEnd(48)} ${format(r.baseline.value).padStart(10)} ${r.baseline.unit}`);
        lines.push(`  ratio ${r.ratio.toFixed(2)}${verdict}`);
        for (const [k, v] of Object.entries(r.extra))
            lines.push(`  ${k}: ${typeof v === 'number' ? format(v) : v}`);
        lines.push('');
    }
    return lines.join('\n');
}
async function main() {
    const args = process.argv.slice(2);
    const json = args.includes('--json');
    const only = [];
    for (let i = 0; i < args.length; i++)
        if (args[i] === '--only' && args[i + 1])
            only.push(args[++i]);
    const { results, skipped } = await runBenchmarks({
        only: only.length ? only : undefined,
        progress: json ? undefined : (id, note) => process.stderr.write(`\r${id}: ${note}          `),
    });
    if (!json)
        process.stderr.write('\r\n');
    const machine = {
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        cpus: (await import('node:os')).cpus().length,
    };
    if (json) {
        process.stdout.write(`${JSON.stringify({ machine, results, skipped }, null, 2)}\n`);
    }
    else {
        process.stdout.write(renderTable(results));
        for (const s of skipped)
            process.stdout.write(`skipped ${s}\n`);
    }
}
if (process.argv[1]?.endsWith('run.js') || process.argv[1]?.endsWith('run.ts')) {
    main().catch((error) => {
        console.error(error);
        process.exitCode = 1;
    });
}
