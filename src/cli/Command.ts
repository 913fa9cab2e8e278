import type { CommandLine } from './CommandLine.js';

/**
 * One option of a {@link Command}, as `node:util` parseArgs takes it, with its help.
 *
 * @example
 * const netns: CommandOption = { type: 'string', value: 'NAME', help: 'the namespace' };
 */
export interface CommandOption {
  readonly type: 'string' | 'boolean';
  /** A one-letter alias (`-h`). */
  readonly short?: string;
  /** Whether it may be given more than once (string options only). */
  readonly multiple?: boolean;
  /** The value's placeholder in help (`NAME`, `inet|inet6`). */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
}

/**
 * Where a command writes: its standard output and error streams.
 *
 * @example
 * await command.run(line, { stdout: process.stdout, stderr: process.stderr });
 */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
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
  /** One line for the command overview. */
  readonly summary: string;
  /** The usage line, `nlring routes [--json] …`. */
  readonly synopsis: string;
  /** What it does, in a few sentences (help text). */
  readonly description: string;
  /** Its options, by long name (without `--`); `--help` and `--debug` are added to all. */
  readonly options: Readonly<Record<string, CommandOption>>;
  /** The positional arguments it accepts, if any: their names for help, and allowed values. */
  readonly positionals?: { readonly value: string; readonly choices: readonly string[] };
  /** Example invocations with what each one does. */
  readonly examples: readonly { readonly command: string; readonly says: string }[];
  /** Runs the command; resolves to the exit status. */
  run(line: CommandLine, io: CommandIo): Promise<number>;
}
