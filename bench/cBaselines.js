// Builds the C baselines of bench/c at bench time (gcc with Debian's libnetfilter-log-dev and
// libnetfilter-queue-dev) into bench/build/, which is not committed.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
/** The repository's bench/ folder, whether running from bench/ or dist/bench/. */
function benchDir() {
    const here = dirname(fileURLToPath(import.meta.url));
    return here.endsWith(join('dist', 'bench')) ? join(here, '..', '..', 'bench') : here;
}
/** Compiles the C programs; throws an Error saying what is missing when it cannot. */
export function buildCBaselines() {
    const src = join(benchDir(), 'c');
    const out = join(benchDir(), 'build');
    mkdirSync(out, { recursive: true });
    const cc = (name, libs) => {
        const target = join(out, name);
        try {
            execFileSync('cc', ['-O2', '-o', target, join(src, `${name}.c`), ...libs], { stdio: 'pipe' });
        }
        catch (error) {
            const stderr = error.stderr?.toString() ?? String(error);
            throw new Error(`cannot build the C baseline ${name} (needs cc and libnetfilter-log-dev, libnetfilter-queue-dev): ${stderr.split('\n')[0]}`);
        }
        return target;
    };
    return {
        udpflood: cc('udpflood', []),
        nflogRecv: cc('nflog_recv', ['-lnetfilter_log', '-lnfnetlink']),
        nfqRecv: cc('nfq_recv', ['-lnetfilter_queue', '-lnfnetlink']),
    };
}
