import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Command } from './Command.js';
import { CommandLine } from './CommandLine.js';
import { UsageError } from './UsageError.js';

/** Options every command takes. */
const COMMON: NonNullable<ParseArgsConfig['options']> = {
  help: { type: 'boolean', short: 'h' },
  debug: { type: 'boolean' },
};

/**
 * Parses the arguments after a command's name with `node:util` parseArgs in strict mode:
 * the command's own options plus `--help`/`-h` and `--debug`. Positional arguments are
 * accepted only when the command declares them, and only from its choices.
 *
 * Throws a UsageError naming the command, worded for a person, for an unknown option, an
 * option missing its value (or given one it does not take), or an unexpected argument.
 *
 * @example
 * parseCommandLine(routesCommand, ['--json', '--netns', 'blue']).string('netns'); // 'blue'
 */
export function parseCommandLine(command: Command, args: readonly string[]): CommandLine {
  const options: NonNullable<ParseArgsConfig['options']> = { ...COMMON };
  for (const [name, option] of Object.entries(command.options)) {
    options[name] =
      option.short === undefined
        ? { type: option.type, multiple: option.multiple ?? false }
        : { type: option.type, multiple: option.multiple ?? false, short: option.short };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: command.positionals !== undefined,
    });
  } catch (error) {
    throw new UsageError(reword(error), command.name);
  }
  const choices = command.positionals?.choices ?? [];
  for (const positional of parsed.positionals) {
    if (!choices.includes(positional)) {
      throw new UsageError(
        `unexpected argument '${positional}' (expected ${choices.join(', ')})`,
        command.name,
      );
    }
  }
  return new CommandLine(command.name, parsed.values, parsed.positionals);
}

/** parseArgs' messages, shortened to what a person needs. */
function reword(error: unknown): string {
  const code =
    typeof error === 'object' && error !== null && 'code' in error
      ? String((error as { code: unknown }).code)
      : '';
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const option = quoted.split(' ')[0];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option '${option}'`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument '${quoted}'`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return message.includes('does not take an argument')
        ? `${option} takes no value`
        : `${option} needs a value`;
    default:
      return message;
  }
}
