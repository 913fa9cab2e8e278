import v8 from 'node:v8';
/** Median of a list of numbers. */
export function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
/** Runs `fn` and returns elapsed seconds. */
export function seconds(fn) {
    const t0 = process.hrtime.bigint();
    fn();
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
/** Runs async `fn` and returns elapsed seconds. */
export async function secondsAsync(fn) {
    const t0 = process.hrtime.bigint();
    await fn();
    return Number(process.hrtime.bigint() - t0) / 1e9;
}
function newSpaceUsed() {
    for (const s of v8.getHeapSpaceStatistics())
        if (s.space_name === 'new_space')
            return s.space_used_size;
    return 0;
}
/**
 * Bytes allocated per unit of work by `fn(n)`, measured as the growth of the V8 heap over a
 * run short enough that no garbage collection happens (retried smaller if one did). Needs
 * `--expose-gc` to start from a clean heap; without it the figure is still an upper bound.
 */
export function bytesPerUnit(fn, units) {
    const gc = globalThis.gc;
    let n = units;
    for (let attempt = 0; attempt < 6; attempt++) {
        gc?.();
        const newBefore = newSpaceUsed();
        const before = v8.getHeapStatistics().used_heap_size;
        fn(n);
        const after = v8.getHeapStatistics().used_heap_size;
        const newAfter = newSpaceUsed();
        // A scavenge in between empties new space: the figure would be wrong, so measure less.
        if (newAfter >= newBefore)
            return Math.max(0, after - before) / n;
        n = Math.max(1, n >> 1);
    }
    return Number.NaN;
}
/** Runs `fn` and returns its value with the elapsed seconds. */
export function timed(fn) {
    const t0 = process.hrtime.bigint();
    const value = fn();
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}
/** Runs async `fn` and returns its value with the elapsed seconds. */
export async function timedAsync(fn) {
    const t0 = process.hrtime.bigint();
    const value = await fn();
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, value };
}
