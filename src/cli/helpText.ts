import type { Command } from './Command.js';

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
      'options most commands take:',
      twoColumns([
        ['--json', 'machine-readable output (JSON; NDJSON for live events)'],
        ['--netns NAME', "work in a named network namespace ('ip netns list')"],
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
