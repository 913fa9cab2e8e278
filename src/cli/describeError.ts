import { NetlinkError } from '../index.js';
import { CliError, UsageError } from './commandLine.js';

/**
 * What {@link describeError} knows about the failed invocation.
 *
 * @example
 * const context: ErrorContext = { command: 'routes', netns: 'blue', held: ['CAP_NET_ADMIN'] };
 */
export interface ErrorContext {
  /** The command that ran (`routes`), if one was chosen. */
  readonly command?: string | undefined;
  /** Its usage line, printed with usage errors. */
  readonly synopsis?: string | undefined;
  /** The `--netns` it was given. */
  readonly netns?: string | undefined;
  /** The capability its operations need (default CAP_NET_ADMIN). */
  readonly privilege?: string | undefined;
  /** The capabilities the process holds, when known (`readCapabilities`). */
  readonly held?: readonly string[] | undefined;
}

/**
 * Turns whatever a command threw into one line for a person and an exit status: 2 for a
 * usage error (with the command's usage line), 1 for everything else. Kernel refusals are
 * said in terms of what to do about them: an unknown namespace points at `ip netns list`,
 * EPERM/EACCES names the missing capability (CAP_SYS_ADMIN to enter a namespace, the
 * command's `privilege` otherwise) and the ways to get it — `sudo`, `setcap` on node, or a
 * namespace of one's own (`unshare -rn`) — unless `held` says the process has it; other
 * NetlinkErrors keep their errno name, meaning and the kernel's extended-ack text.
 *
 * @example
 * describeError(new UsageError("unknown option '--x'", 'links'), { command: 'links' });
 * // { message: "nlring links: unknown option '--x' (nlring help links)", status: 2 }
 */
export function describeError(
  error: unknown,
  context: ErrorContext = {},
): { message: string; status: number } {
  const prefix = context.command === undefined ? 'nlring' : `nlring ${context.command}`;
  if (error instanceof UsageError) {
    const hint =
      context.synopsis === undefined
        ? error.command === undefined
          ? 'nlring --help'
          : `nlring help ${error.command}`
        : `usage: ${context.synopsis}`;
    return { message: `${prefix}: ${error.message} (${hint})`, status: 2 };
  }
  if (error instanceof CliError) return { message: `${prefix}: ${error.message}`, status: 1 };
  if (error instanceof NetlinkError) {
    const denied = error.code === 'EPERM' || error.code === 'EACCES';
    if (error.op === 'netns') {
      const name = context.netns ?? '?';
      if (error.code === 'ENOENT') {
        return { message: `${prefix}: no network namespace '${name}' (ip netns list)`, status: 1 };
      }
      if (denied) {
        return {
          message: `${prefix}: entering network namespace '${name}' needs CAP_SYS_ADMIN (run it with sudo)`,
          status: 1,
        };
      }
    }
    if (denied) {
      const privilege = context.privilege ?? 'CAP_NET_ADMIN';
      if (context.held?.includes(privilege)) {
        // Not a missing privilege: something else refuses (say, another socket holds an
        // NFLOG group); the kernel's own words are what help.
        return {
          message: `${prefix}: ${error.message} (refused although ${privilege} is held)`,
          status: 1,
        };
      }
      return {
        message: `${prefix}: permission denied (${error.code} from ${error.op}): needs ${privilege}: ${howToGet(privilege)}`,
        status: 1,
      };
    }
    if (error.op === 'socket' && error.code === 'EPROTONOSUPPORT') {
      return {
        message: `${prefix}: this kernel lacks the netlink protocol (${error.detail ?? 'socket'}): is its module loaded?`,
        status: 1,
      };
    }
    return { message: `${prefix}: ${error.message}`, status: 1 };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { message: `${prefix}: ${message}`, status: 1 };
}

/** The ways to run with a capability: as root, by a file capability on node, or in a namespace of one's own. */
function howToGet(privilege: string): string {
  const cap = privilege.toLowerCase();
  return (
    'run it with sudo, give node the capability ' +
    `(sudo setcap ${cap}+ep "$(command -v node)"), ` +
    'or work in a network namespace of your own (unshare -rn)'
  );
}
