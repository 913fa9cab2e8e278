import { describe, expect, it } from 'vitest';
import { type Command, parseCommandLine, UsageError } from '../../src/cli/commandLine.js';

const command: Command = {
  name: 'demo',
  summary: 'a demo',
  synopsis: 'nlring demo [--json] [--netns NAME] [link] [route]',
  description: 'A demo.',
  options: {
    json: { type: 'boolean', help: 'JSON' },
    netns: { type: 'string', value: 'NAME', help: 'namespace' },
    only: { type: 'string', multiple: true, help: 'repeatable' },
  },
  positionals: { value: 'KIND', choices: ['link', 'route'] },
  examples: [],
  run: async () => 0,
};

const plain: Command = { ...command, name: 'plain', positionals: undefined };

describe('parseCommandLine', () => {
  it.each([
    { name: 'nothing', args: [], json: false, netns: undefined, only: [], positionals: [] },
    {
      name: 'flags, values and positionals',
      args: ['link', '--json', '--netns', 'blue', 'route'],
      json: true,
      netns: 'blue',
      only: [],
      positionals: ['link', 'route'],
    },
    {
      name: '--name=value and a repeated option',
      args: ['--netns=red', '--only', 'a', '--only', 'b'],
      json: false,
      netns: 'red',
      only: ['a', 'b'],
      positionals: [],
    },
  ])('$name', ({ args, json, netns, only, positionals }) => {
    const line = parseCommandLine(command, args);
    expect(line.command).toBe('demo');
    expect(line.flag('json')).toBe(json);
    expect(line.string('netns')).toBe(netns);
    expect(line.strings('only')).toEqual(only);
    expect(line.positionals).toEqual(positionals);
  });

  it.each([
    { name: '--help', args: ['--help'], flag: 'help' },
    { name: '-h', args: ['-h'], flag: 'help' },
    { name: '--debug', args: ['--debug'], flag: 'debug' },
  ])('every command takes $name', ({ args, flag }) => {
    expect(parseCommandLine(plain, args).flag(flag)).toBe(true);
  });

  it.each([
    {
      name: 'an unknown long option',
      cmd: command,
      args: ['--frob'],
      message: "unknown option '--frob'",
    },
    { name: 'an unknown short option', cmd: command, args: ['-x'], message: "unknown option '-x'" },
    { name: 'a missing value', cmd: command, args: ['--netns'], message: '--netns needs a value' },
    {
      name: 'an option taken for a value',
      cmd: command,
      args: ['--netns', '--json'],
      message: '--netns needs a value',
    },
    {
      name: 'a value for a flag',
      cmd: command,
      args: ['--json=yes'],
      message: '--json takes no value',
    },
    {
      name: 'a positional outside the choices',
      cmd: command,
      args: ['neighbour'],
      message: "unexpected argument 'neighbour' (expected link, route)",
    },
    {
      name: 'a positional where none is taken',
      cmd: plain,
      args: ['extra'],
      message: "unexpected argument 'extra'",
    },
  ])('$name is a usage error', ({ cmd, args, message }) => {
    let caught: unknown;
    try {
      parseCommandLine(cmd, args);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UsageError);
    expect((caught as UsageError).message).toBe(message);
    expect((caught as UsageError).command).toBe(cmd.name);
  });
});
