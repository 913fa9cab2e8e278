// Network namespaces for the benchmarks: unique names, always deleted.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
/** Creates a namespace with loopback up; the caller must `remove()` it (use try/finally). */
export function createBenchNetns(prefix = 'nlring-bench') {
    const name = `${prefix}-${process.pid}-${randomBytes(3).toString('hex')}`;
    execFileSync('ip', ['netns', 'add', name]);
    let removed = false;
    const remove = () => {
        if (removed)
            return;
        removed = true;
        try {
            execFileSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
        }
        catch {
            // Already gone.
        }
    };
    process.once('exit', remove);
    const ns = {
        name,
        batch(commands) {
            execFileSync('ip', ['-n', name, '-batch', '-'], {
                input: `${commands.join('\n')}\n`,
                maxBuffer: 1 << 26,
            });
        },
        exec(command, ...args) {
            return execFileSync('ip', ['netns', 'exec', name, command, ...args], {
                encoding: 'utf8',
                maxBuffer: 1 << 26,
            });
        },
        remove,
    };
    try {
        ns.batch(['link set lo up']);
    }
    catch (error) {
        remove();
        throw error;
    }
    return ns;
}
