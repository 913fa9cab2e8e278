import type { CommandIo } from './Command.js';
import { commands } from './commands.js';
import { describeError } from './describeError.js';
import { helpText } from './helpText.js';
import { packageVersion } from './packageVersion.js';
import { parseCommandLine } from './parseCommandLine.js';
import { readCapabilities } from './readCapabilities.js';
import { UsageError } from './UsageError.js';
import { writeText } from './writeText.js';

/** Whether an error is the reader of our output going away (`nlring routes | head -1`). */
function isBrokenPipe(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === 'EPIPE';
}

/** The stack of an error and of its causes, for `--debug`. */
function stackOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    parts.push(current instanceof Error ? (current.stack ?? String(current)) : String(current));
    current = current instanceof Error ? current.cause : undefined;
    if (current !== undefined) parts.push('caused by:');
  }
  return parts.join('\n');
}

/** The `--netns` value in raw arguments, for describing a namespace error. */
function netnsArgument(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--netns') return args[i + 1];
    if (args[i].startsWith('--netns=')) return args[i].slice('--netns='.length);
  }
  return undefined;
}

/**
 * The `nlring` command: parses `argv` (the arguments after the program name), runs the
 * command it names and resolves to the exit status — 0 on success, 1 on a failure, 2 on a
 * usage error — having printed any error as one line on stderr (with its stack trace only
 * under `--debug`). Never rejects. `nlring --help`, `nlring help [COMMAND]` and
 * `nlring COMMAND --help` print help on stdout; `nlring --version` the version.
 *
 * @example
 * // bin/nlring.js
 * process.exitCode = await main(process.argv.slice(2));
 */
export async function main(argv: readonly string[], io: CommandIo = process): Promise<number> {
  let debug = false;
  let rest = [...argv];
  while (rest.length > 0 && rest[0] === '--debug') {
    debug = true;
    rest = rest.slice(1);
  }
  const first = rest[0];
  const command = commands.find((c) => c.name === first);
  const context = {
    command: command?.name,
    synopsis: command?.synopsis,
    netns: netnsArgument(rest),
  };
  if (io === process) {
    // The reader went away (`nlring monitor | head -1`): nothing more can be said, so stop
    // quietly — a live command would otherwise run on, writing into a closed pipe.
    process.stdout.on('error', (error) => {
      if (isBrokenPipe(error)) process.exit(0);
    });
  }
  try {
    if (process.platform !== 'linux') {
      return fail(io, `nlring: netlink is Linux only (this is ${process.platform})`, 1);
    }
    if (first === undefined) {
      await writeText(io.stderr, helpText(commands));
      return 2;
    }
    if (first === '--help' || first === '-h') {
      await writeText(io.stdout, helpText(commands));
      return 0;
    }
    if (first === '--version' || first === '-V') {
      await writeText(io.stdout, `nlring ${packageVersion()}\n`);
      return 0;
    }
    if (first === 'help') {
      const name = rest[1];
      const about = commands.find((c) => c.name === name);
      if (name !== undefined && about === undefined) {
        throw new UsageError(`unknown command '${name}'`);
      }
      await writeText(io.stdout, helpText(commands, about));
      return 0;
    }
    if (command === undefined) {
      throw new UsageError(
        first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`,
      );
    }
    const line = parseCommandLine(command, rest.slice(1));
    debug ||= line.flag('debug');
    if (line.flag('help')) {
      await writeText(io.stdout, helpText(commands, command));
      return 0;
    }
    return await command.run(line, io);
  } catch (error) {
    if (isBrokenPipe(error)) return 0;
    const held = Object.entries(readCapabilities().held)
      .filter(([, has]) => has)
      .map(([name]) => name);
    const { message, status } = describeError(error, { ...context, held });
    return fail(io, debug ? `${message}\n${stackOf(error)}` : message, status);
  }
}

function fail(io: CommandIo, message: string, status: number): number {
  io.stderr.write(`${message}\n`);
  return status;
}
