import { describe, expect, it } from 'vitest';
import {
  type Command,
  didYouMean,
  parseCommandLine,
  readFamily,
  UsageError,
} from '../../src/cli/commandLine.js';

const command: Command = {
  name: 'demo',
  summary: 'a demo',
  synopsis: 'nlring demo [--json] [--netns NAME] [link] [route]',
  description: 'A demo.',
  options: {
    json: { type: 'boolean', help: 'JSON' },
    netns: { type: 'string', short: 'n', value: 'NAME', help: 'namespace' },
    group: { type: 'string', value: 'N', help: 'a number' },
    family: { type: 'string', help: 'family' },
    ipv4: { type: 'boolean', short: '4', help: 'IPv4' },
    ipv6: { type: 'boolean', short: '6', help: 'IPv6' },
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

describe('parseCommandLine, iproute2 habits', () => {
  it.each([
    { name: '-n NAME', args: ['-n', 'blue'], option: 'netns', value: 'blue' },
    { name: '-nNAME', args: ['-nblue'], option: 'netns', value: 'blue' },
    { name: 'a negative number as a value', args: ['--group', '-1'], option: 'group', value: '-1' },
    { name: 'a negative number after -n', args: ['-n', '-7'], option: 'netns', value: '-7' },
  ])('$name', ({ args, option, value }) => {
    expect(parseCommandLine(plain, args).string(option)).toBe(value);
  });

  it.each([
    { name: 'nothing', args: [], family: 'all' },
    { name: '-4', args: ['-4'], family: 'inet' },
    { name: '-6', args: ['-6'], family: 'inet6' },
    { name: '--family 4', args: ['--family', '4'], family: 'inet' },
    { name: '--family ipv6', args: ['--family', 'ipv6'], family: 'inet6' },
    { name: '-4 --family inet', args: ['-4', '--family', 'inet'], family: 'inet' },
  ])('family: $name', ({ args, family }) => {
    expect(readFamily(parseCommandLine(plain, args))).toBe(family);
  });

  it.each([
    {
      name: 'a single-valued option twice',
      args: ['--netns', 'a', '--netns', 'b'],
      message: '--netns given twice (it takes one value)',
    },
    {
      name: 'its short and long form',
      args: ['-n', 'a', '--netns', 'b'],
      message: '--netns given twice (it takes one value)',
    },
    {
      name: 'a flag twice',
      args: ['--json', '--json'],
      message: '--json given twice',
    },
    {
      name: 'a misspelt option',
      args: ['--jsno'],
      message: "unknown option '--jsno'; did you mean '--json'?",
    },
    { name: 'a short option missing its value', args: ['-n'], message: '--netns needs a value' },
  ])('$name is a usage error', ({ args, message }) => {
    expect(() => parseCommandLine(plain, args)).toThrow(new UsageError(message, 'plain'));
  });

  it.each([
    {
      name: 'an unknown family',
      args: ['--family', 'ipx'],
      message: "--family: expected inet (or ipv4, 4), inet6 (or ipv6, 6) or all, got 'ipx'",
    },
    {
      name: '-4 and -6',
      args: ['-4', '-6'],
      message: '-4, -6 and --family disagree: give one of them',
    },
  ])('family: $name is a usage error', ({ args, message }) => {
    expect(() => readFamily(parseCommandLine(plain, args))).toThrow(message);
  });
});

describe('didYouMean', () => {
  it.each([
    {
      name: 'one letter off',
      word: 'rotues',
      known: ['routes', 'links'],
      says: "; did you mean 'routes'?",
    },
    {
      name: 'a prefix',
      word: 'conn',
      known: ['conntrack', 'info'],
      says: "; did you mean 'conntrack'?",
    },
    {
      name: 'an option',
      word: '--famly',
      known: ['--family', '--json'],
      says: "; did you mean '--family'?",
    },
    { name: 'nothing close', word: 'frobnicate', known: ['routes', 'links'], says: '' },
    { name: 'too short to guess', word: '-x', known: ['-h', '-j'], says: '' },
    { name: 'no candidates', word: 'routes', known: [], says: '' },
  ])('$name', ({ word, known, says }) => {
    expect(didYouMean(word, known)).toBe(says);
  });
});
