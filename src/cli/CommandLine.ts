import { UsageError } from './UsageError.js';

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

  /** A string option's value (the last one when given several times), or undefined. */
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
