// The command line of `nlring`: what a command declares (its options, positionals, help),
// how its arguments are parsed (node:util parseArgs in strict mode, worded for a person:
// "did you mean", a repeated single-valued option refused), the options several commands
// share (--json/-j, --netns/-n, --family/-4/-6), and the two errors the command words
// itself: UsageError (status 2) and CliError (status 1).
import { type ParseArgsConfig, parseArgs } from 'node:util';

/**
 * A command line the command cannot run: an unknown command or option, a missing or
 * malformed value. The command prints it on one line with the synopsis and exits with
 * status 2, as usage errors do by convention.
 *
 * @example
 * throw new UsageError("--family: expected inet or inet6, got 'ipx'", 'routes');
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  /** The command it is about (its synopsis is printed), or undefined for `nlring` itself. */
  readonly command: string | undefined;

  constructor(message: string, command?: string) {
    super(message);
    this.command = command;
  }
}

/**
 * A failure the command has already put into words for a person (an unknown namespace, a
 * missing privilege, a missing build): printed as is on one line, exit status 1.
 *
 * @example
 * throw new CliError("no network namespace 'blue' (ip netns list)");
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/**
 * One option of a {@link Command}, as `node:util` parseArgs takes it, with its help.
 *
 * @example
 * const netns: CommandOption = { type: 'string', short: 'n', value: 'NAME', help: 'the namespace' };
 */
export interface CommandOption {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`-n`). */
  readonly short?: string | undefined;
  /**
   * Whether it may be given more than once: a string option collects its values, a boolean
   * one counts (`-s -s`); else twice is an error.
   */
  readonly multiple?: boolean | undefined;
  /** The value's placeholder in help (`NAME`, `inet|inet6`). */
  readonly value?: string | undefined;
  /** One line of help. */
  readonly help: string;
}

/**
 * Where a command writes: its standard output and error streams.
 *
 * @example
 * declare const command: Command;
 * declare const line: CommandLine;
 * await command.run(line, { stdout: process.stdout, stderr: process.stderr });
 */
export interface CommandIo {
  readonly stdout: OutputStream;
  readonly stderr: NodeJS.WritableStream;
}

/**
 * What a command writes its output to: the part of a Node `Writable` that the commands use,
 * so that the command run as a process can write to fd 1 itself (`fdOutput`) and a test can
 * hand it any stream. `write` returns false when the caller should wait for `drain`.
 *
 * @example
 * const out: OutputStream = process.stdout;
 * out.write('hello\n');
 */
export interface OutputStream {
  write(chunk: string | Uint8Array, callback?: (error?: Error | null) => void): boolean;
  once(event: 'drain', listener: () => void): unknown;
  off(event: 'drain', listener: () => void): unknown;
  /**
   * True when `write` is done with a chunk's bytes once it returns (written, or copied where
   * kept), so the caller may fill the same buffer again at once. A Node stream keeps the
   * chunk itself until it is written, and a Transform passes it on by reference: without
   * this, a writer that reuses a buffer hands over a copy.
   */
  readonly copiesChunks?: boolean | undefined;
}

/**
 * One `nlring` subcommand: what `--help` says about it, the options it takes, and how it
 * runs. `run` resolves to the exit status; it throws a UsageError for a bad command line,
 * a CliError for a failure already worded for a person, and lets library errors
 * (NetlinkError and its subclasses) out for `main` to describe.
 *
 * @example
 * const hello: Command = {
 *   name: 'hello', summary: 'says hello', synopsis: 'nlring hello', description: 'Says hello.',
 *   options: {}, examples: [{ command: 'nlring hello', says: 'prints hello' }],
 *   run: async (_line, io) => { io.stdout.write('hello\n'); return 0; },
 * };
 */
export interface Command {
  readonly name: string;
  /** Other names it answers to (`addr` for `addrs`, as `ip addr`). */
  readonly aliases?: readonly string[] | undefined;
  /** One line for the command overview. */
  readonly summary: string;
  /** The usage line, `nlring routes [--json] …`. */
  readonly synopsis: string;
  /** What it does, in a few sentences (help text). */
  readonly description: string;
  /** Its options, by long name (without `--`); `--help` and `--debug` are added to all. */
  readonly options: Readonly<Record<string, CommandOption>>;
  /** The positional arguments it accepts, if any: their names for help, and allowed values. */
  readonly positionals?:
    | { readonly value: string; readonly choices: readonly string[] }
    | undefined;
  /** Example invocations with what each one does. */
  readonly examples: readonly { readonly command: string; readonly says: string }[];
  /** Runs the command; resolves to the exit status. */
  run(line: CommandLine, io: CommandIo): Promise<number>;
}

type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/**
 * A parsed command line of one {@link Command}: typed reads of its options and its
 * positional arguments. Reads that find a value of the wrong kind throw a UsageError (they
 * cannot, for options declared to parseArgs, but the check keeps the types honest).
 *
 * @example
 * const line = new CommandLine('routes', { json: true, netns: 'blue' }, []);
 * line.flag('json'); // true
 * line.string('netns'); // 'blue'
 */
export class CommandLine {
  /** The command name (`routes`). */
  readonly command: string;
  /** Positional arguments after the command name. */
  readonly positionals: readonly string[];
  private readonly values: Values;

  constructor(command: string, values: Values, positionals: readonly string[]) {
    this.command = command;
    this.values = values;
    this.positionals = positionals;
  }

  /** A boolean option: true when given. */
  flag(name: string): boolean {
    const value = this.values[name];
    if (value === undefined) return false;
    if (typeof value !== 'boolean') throw new UsageError(`--${name} takes no value`, this.command);
    return value;
  }

  /** How many times a boolean option was given (`-s -s` is 2), 0 when not. */
  count(name: string): number {
    const value = this.values[name];
    if (value === undefined) return 0;
    const all = Array.isArray(value) ? value : [value];
    if (all.some((v) => typeof v !== 'boolean')) {
      throw new UsageError(`--${name} takes no value`, this.command);
    }
    return all.length;
  }

  /** A string option's value, or undefined. */
  string(name: string): string | undefined {
    const value = this.values[name];
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) return undefined;
    if (typeof last !== 'string') throw new UsageError(`--${name} needs a value`, this.command);
    return last;
  }

  /** Every value of a string option given several times. */
  strings(name: string): string[] {
    const value = this.values[name];
    if (value === undefined) return [];
    const all = Array.isArray(value) ? value : [value];
    return all.map((v) => {
      if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`, this.command);
      return v;
    });
  }
}

/** Options every command takes. */
const COMMON: Readonly<Record<string, CommandOption>> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  debug: { type: 'boolean', help: 'print the stack trace of an error' },
};

/**
 * Parses the arguments after a command's name with `node:util` parseArgs in strict mode:
 * the command's own options plus `--help`/`-h` and `--debug`. Positional arguments are
 * accepted only when the command declares them, and only from its choices. A negative
 * number after an option that takes a value is that value (`--group -1`), so that the
 * command can say it is out of range.
 *
 * Throws a UsageError naming the command, worded for a person, for an unknown option (with
 * the nearest known one: "did you mean"), an option missing its value (or given one it does
 * not take), a single-valued option given twice, or an unexpected argument.
 *
 * @example
 * parseCommandLine(routesCommand, ['--json', '--netns', 'blue']).string('netns'); // 'blue'
 */
export function parseCommandLine(command: Command, args: readonly string[]): CommandLine {
  const declared: Record<string, CommandOption> = { ...command.options, ...COMMON };
  const options: NonNullable<ParseArgsConfig['options']> = {};
  const takesValue = new Set<string>();
  for (const [name, option] of Object.entries(declared)) {
    options[name] =
      option.short === undefined
        ? { type: option.type, multiple: option.multiple ?? false }
        : { type: option.type, multiple: option.multiple ?? false, short: option.short };
    if (option.type === 'string') {
      takesValue.add(`--${name}`);
      if (option.short !== undefined) takesValue.add(`-${option.short}`);
    }
  }
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const next = args[i + 1];
    if (takesValue.has(args[i]) && next !== undefined && /^-\d/.test(next)) {
      joined.push(args[i].startsWith('--') ? `${args[i]}=${next}` : `${args[i]}${next}`);
      i++;
    } else {
      joined.push(args[i]);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: joined,
      options,
      strict: true,
      allowPositionals: command.positionals !== undefined,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(reword(error, declared), command.name);
  }
  const seen = new Set<string>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option' || declared[token.name]?.multiple === true) continue;
    if (seen.has(token.name)) {
      const what = declared[token.name]?.type === 'string' ? ' (it takes one value)' : '';
      throw new UsageError(`--${token.name} given twice${what}`, command.name);
    }
    seen.add(token.name);
  }
  const choices = command.positionals?.choices ?? [];
  for (const positional of parsed.positionals) {
    if (!choices.includes(positional)) {
      throw new UsageError(
        `unexpected argument '${positional}' (expected ${choices.join(', ')})${didYouMean(positional, choices)}`,
        command.name,
      );
    }
  }
  return new CommandLine(command.name, parsed.values, parsed.positionals);
}

/** parseArgs' messages, shortened to what a person needs. */
function reword(error: unknown, declared: Readonly<Record<string, CommandOption>>): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(/[ =]/)[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const names = Object.entries(declared).flatMap(([name, o]) =>
        o.short === undefined ? [`--${name}`] : [`--${name}`, `-${o.short}`],
      );
      return `unknown option '${option}'${didYouMean(option, names)}`;
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '-n, --netns <value>' argument missing", "Option '--json' does not take …"
      const long = /--[\w-]+/.exec(quoted)?.[0] ?? option;
      return message.includes('does not take an argument')
        ? `${long} takes no value`
        : `${long} needs a value`;
    }
    default:
      return message;
  }
}

/**
 * `; did you mean 'routes'?` when one of `known` is close to `word` (an edit distance of at
 * most a third of its length, at least 1, or `word` is its prefix), else ''. Words of fewer
 * than 3 letters (`-x`) get no guess: anything is close to them.
 *
 * @example
 * didYouMean('--famly', ['--family', '--json']); // "; did you mean '--family'?"
 */
export function didYouMean(word: string, known: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance =
      word.length >= 3 && candidate.startsWith(word) ? 0.5 : editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const letters = word.replace(/^-+/, '').length;
  const limit = Math.max(1, Math.floor(letters / 3));
  return best !== undefined && letters >= 3 && bestDistance <= limit
    ? `; did you mean '${best}'?`
    : '';
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** `--json`/`-j`, with what it prints for this command. */
export function jsonOption(help: string): CommandOption {
  return { type: 'boolean', short: 'j', help };
}

/** `--netns NAME`/`-n NAME`. */
export const NETNS_OPTION: CommandOption = {
  type: 'string',
  short: 'n',
  value: 'NAME',
  help: "the named network namespace (as 'ip netns list' shows it); default: this one",
};

/** `--family inet|inet6` with `-4` and `-6`, as `readFamily` reads them. */
export function familyOptions(help: string): Record<string, CommandOption> {
  return {
    family: { type: 'string', value: 'inet|inet6', help },
    ipv4: { type: 'boolean', short: '4', help: 'the same as --family inet' },
    ipv6: { type: 'boolean', short: '6', help: 'the same as --family inet6' },
  };
}

/**
 * The address families a command can be narrowed to: `inet` (IPv4), `inet6` (IPv6), or
 * `all` (both, the default), as the library's rtnetlink sources name them.
 *
 * @example
 * declare const line: CommandLine;
 * const family: Family = readFamily(line);
 */
export type Family = 'inet' | 'inet6' | 'all';

const FAMILY_NAMES: Readonly<Record<string, Family>> = {
  inet: 'inet',
  ipv4: 'inet',
  '4': 'inet',
  inet6: 'inet6',
  ipv6: 'inet6',
  '6': 'inet6',
  all: 'all',
};

/**
 * The family of a command line: `--family` — `inet` (also `ipv4`, `4`), `inet6` (also
 * `ipv6`, `6`), `all` — or `-4`/`-6`, or `all` when none is given. Anything else, or two
 * that disagree, is a usage error that lists every accepted spelling.
 *
 * @example
 * declare const line: CommandLine;
 * readFamily(line); // 'inet6' for `nlring routes --family 6` or `nlring routes -6`
 */
export function readFamily(line: CommandLine): Family {
  const name = line.string('family');
  const chosen = new Set<Family>();
  if (line.flag('ipv4')) chosen.add('inet');
  if (line.flag('ipv6')) chosen.add('inet6');
  if (name !== undefined) {
    const family = Object.hasOwn(FAMILY_NAMES, name) ? FAMILY_NAMES[name] : undefined;
    if (family === undefined) {
      throw new UsageError(
        `--family: expected inet (or ipv4, 4), inet6 (or ipv6, 6) or all, got '${name}'`,
        line.command,
      );
    }
    chosen.add(family);
  }
  if (chosen.size > 1) {
    throw new UsageError('-4, -6 and --family disagree: give one of them', line.command);
  }
  return [...chosen][0] ?? 'all';
}

/**
 * The `--netns NAME` (or `-n NAME`) of a command line: a name as `ip netns add` makes them
 * (a plain file name under /var/run/netns), or undefined for the process's own namespace. An
 * empty name or one with a slash is a usage error.
 *
 * @example
 * declare const line: CommandLine;
 * readNetns(line); // 'blue' for `nlring links --netns blue`
 */
export function readNetns(line: CommandLine): string | undefined {
  const name = line.string('netns');
  if (name === undefined) return undefined;
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) {
    throw new UsageError(
      `--netns: expected a namespace name as 'ip netns list' shows it, got '${name}'`,
      line.command,
    );
  }
  return name;
}
