// How `nlring` runs a command line: `runCommand` reads it, runs the command it names from the
// set it is given and turns whatever goes wrong into one line and an exit status; and the
// help it prints. main.ts gives it every command, dumpCommands.ts the six dumps.
import {
  type Command,
  type CommandIo,
  didYouMean,
  parseCommandLine,
  UsageError,
} from './commandLine.js';
import type { describeError } from './describeError.js';
import { fdOutput, writeText } from './output.js';
import { packageVersion, readCapabilities, stdoutClosed } from './system.js';

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

/** The `--netns`/`-n` value in raw arguments, for describing a namespace error. */
function netnsArgument(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--netns' || args[i] === '-n') return args[i + 1];
    if (args[i].startsWith('--netns=')) return args[i].slice('--netns='.length);
  }
  return undefined;
}

/** The commands of one build of `nlring` (src/cli/commands.ts), and how their errors read. */
export interface CommandSet {
  readonly commands: readonly Command[];
  readonly describeError: typeof describeError;
}

/**
 * `main` (main.ts) over the commands `load` gives, loaded after the platform check: `main`
 * loads every command; a build of some commands alone (src/cli/dumpCommands.ts, the six
 * dumps) gives those, so that `nlring links` does not load what `nlring nflog` needs
 * (docs/ARCHITECTURE.md, "Start-up").
 *
 * @example
 * process.exitCode = await runCommand(async () => ({ commands, describeError }), ['links']);
 */
export async function runCommand(
  load: () => Promise<CommandSet>,
  argv: readonly string[],
  given?: CommandIo,
): Promise<number> {
  let debug = false;
  let rest = [...argv];
  while (rest.length > 0 && rest[0] === '--debug') {
    debug = true;
    rest = rest.slice(1);
  }
  const first = rest[0];
  if (process.platform !== 'linux') {
    return fail(given ?? process, `nlring: netlink is Linux only (this is ${process.platform})`, 1);
  }
  const { commands, describeError } = await load();
  const command = commands.find((c) => c.name === first || c.aliases?.includes(first));
  const prefix = command === undefined ? 'nlring' : `nlring ${command.name}`;
  let io: CommandIo;
  if (given === undefined) {
    if (stdoutClosed()) return fail(process, `${prefix}: standard output is closed`, 1);
    // fd 1 written directly; a write that fails without a callback to hear it ends here.
    const stdout = fdOutput(1, (error) => {
      // The reader went away (`nlring monitor | head -1`): nothing more can be said, so stop
      // quietly — a live command would otherwise run on, writing into a closed pipe.
      if (isBrokenPipe(error)) process.exit(0);
      // Anything else means the output is lost: say so, and fail.
      process.stderr.write(`${prefix}: cannot write the output (${error.message})\n`);
      process.exit(1);
    });
    // process.stderr is made when first written (it costs what stdout would, see fdOutput).
    io = {
      stdout,
      get stderr() {
        return process.stderr;
      },
    };
  } else {
    io = given;
  }
  try {
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
    const names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
    if (first === 'help') {
      const name = rest[1];
      const about = commands.find((c) => c.name === name || c.aliases?.includes(name));
      if (name !== undefined && about === undefined) {
        throw new UsageError(`unknown command '${name}'${didYouMean(name, names)}`);
      }
      await writeText(io.stdout, helpText(commands, about));
      return 0;
    }
    if (command === undefined) {
      throw new UsageError(
        first.startsWith('-')
          ? `unknown option '${first}'${didYouMean(first, ['--help', '--version', '--debug'])}`
          : `unknown command '${first}'${didYouMean(first, names)}`,
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
    const { message, status } = describeError(error, {
      command: command?.name,
      synopsis: command?.synopsis,
      netns: netnsArgument(rest),
      held,
    });
    return fail(io, debug ? `${message}\n${stackOf(error)}` : message, status);
  }
}

function fail(io: Pick<CommandIo, 'stderr'>, message: string, status: number): number {
  io.stderr.write(`${message}\n`);
  return status;
}

const WIDTH = 80;

/** Word-wraps a paragraph to WIDTH columns with an indent. */
function wrap(text: string, indent: string): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(indent + line);
  return lines.join('\n');
}

/** Two aligned columns: names on the left, their help on the right. */
function twoColumns(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

/**
 * The `--help` text: for a command, its usage line, description, options (its own, then
 * `--debug` and `--help`) and examples; without one, the overview of every command in
 * `commands` with the options all of them take and a few examples. Ends with a newline.
 *
 * @example
 * process.stdout.write(helpText(commands, commands.find((c) => c.name === 'routes')));
 */
export function helpText(commands: readonly Command[], command?: Command): string {
  if (command === undefined) {
    return [
      'nlring: Linux netlink through memory-mapped rings (the kernel rings, or the ring engine',
      "where the kernel has none) — dump and watch a namespace's network state.",
      '',
      'usage: nlring COMMAND [options]',
      '       nlring help COMMAND   (or nlring COMMAND --help)',
      '       nlring --version',
      '',
      'commands:',
      twoColumns(commands.map((c) => [c.name, c.summary])),
      '',
      'iproute2 names work too: addr, link, route, neighbour, rule, nexthop.',
      '',
      'options most commands take:',
      twoColumns([
        ['-j, --json', 'machine-readable output (JSON; NDJSON for live events)'],
        ['-n, --netns NAME', "work in a named network namespace ('ip netns list')"],
        ['-4, -6', 'only IPv4 or only IPv6 (--family inet|inet6)'],
        ['--debug', 'print the stack trace of an error'],
        ['-h, --help', "the command's help"],
      ]),
      '',
      'examples:',
      twoColumns([
        ['nlring routes', 'every route of every table, as a table'],
        ['nlring links --json', 'the interfaces, as one JSON array (ip -j names)'],
        ['nlring monitor link route', 'interface and route changes as they happen'],
        ['nlring info', 'kernel, ring mode, capabilities, ring geometry'],
      ]),
      '',
      'Exit status: 0 on success, 1 on failure, 2 for a usage error.',
      '',
    ].join('\n');
  }
  const options: [string, string][] = Object.entries(command.options).map(([name, o]) => {
    const short = o.short === undefined ? '' : `-${o.short}, `;
    const value = o.value === undefined ? '' : ` ${o.value}`;
    return [`${short}--${name}${value}`, o.help];
  });
  options.push(['--debug', 'print the stack trace of an error']);
  options.push(['-h, --help', 'show this help']);
  const lines = [`usage: ${command.synopsis}`, '', wrap(command.description, ''), ''];
  if (command.positionals !== undefined) {
    lines.push(
      `${command.positionals.value}: one or more of ${command.positionals.choices.join(', ')}`,
    );
    lines.push('');
  }
  lines.push('options:', twoColumns(options), '', 'examples:');
  for (const example of command.examples) {
    lines.push(`  ${example.command}`, wrap(example.says, '      '));
  }
  lines.push('');
  return lines.join('\n');
}
