import { describe, expect, it } from 'vitest';
import { argumentChecker } from '../../src/errors/check.js';

const check = argumentChecker('someSource');

describe('argumentChecker', () => {
  it.each([
    {
      name: 'integer below',
      run: () => check.integer('options.n', -1, 0, 9),
      text: 'someSource: options.n must be an integer in [0, 9], got -1',
    },
    {
      name: 'integer NaN',
      run: () => check.integer('options.n', Number.NaN, 0, 9),
      text: 'got NaN',
    },
    {
      name: 'required absent',
      run: () => check.requiredInteger('group', undefined, 0, 65535),
      text: 'someSource: group must be an integer in [0, 65535], got undefined',
    },
    {
      name: 'uint16 wraps',
      run: () => check.uint('options.port', 65536, 16),
      text: 'in [0, 65535], got 65536',
    },
    {
      name: 'number NaN',
      run: () => check.number('options.turnBudget', Number.NaN, 1, Infinity),
      text: 'a number in [1, Infinity], got NaN',
    },
    {
      name: 'flag',
      run: () => check.flag('options.up', 1),
      text: 'options.up must be a boolean, got 1',
    },
    {
      name: 'oneOf',
      run: () => check.oneOf('options.overruns', 'drop', ['emit', 'error']),
      text: 'must be one of "emit", "error", got "drop"',
    },
    { name: 'func', run: () => check.func('open', 5), text: 'open must be a function, got 5' },
    {
      name: 'scheduler number',
      run: () => check.scheduler('options.scheduler', 5),
      text: 'an rxjs scheduler, got 5',
    },
    {
      name: 'scheduler object',
      run: () => check.scheduler('options.scheduler', {}),
      text: 'an rxjs scheduler, got an object',
    },
    {
      name: 'string NUL',
      run: () => check.string('options.dev', 'a\0b', 15),
      text: 'a non-empty string of at most 15 bytes, got "a\\u0000b"',
    },
    {
      name: 'string long',
      run: () => check.string('options.dev', 'x'.repeat(16), 15),
      text: 'at most 15 bytes',
    },
    {
      name: 'options array',
      run: () => check.options([] as unknown as object),
      text: 'options must be an object, got an array',
    },
    {
      name: 'named',
      run: () => check.named('options.table', 'nope', 255, () => undefined, 'main, local'),
      text: 'a number in [0, 255] or a name (main, local), got "nope"',
    },
  ])('$name throws a TypeError naming the function and the option', ({ run, text }) => {
    expect(run).toThrow(TypeError);
    expect(run).toThrow(text);
  });

  it.each([
    { name: 'integer', got: check.integer('n', 7, 0, 9), want: 7 },
    { name: 'absent integer', got: check.integer('n', undefined, 0, 9), want: undefined },
    { name: 'uint32', got: check.uint('n', 0xffffffff, 32), want: 0xffffffff },
    { name: 'Infinity number', got: check.number('n', Infinity, 1, Infinity), want: Infinity },
    { name: 'flag absent', got: check.flag('f', undefined), want: false },
    { name: 'oneOf', got: check.oneOf('o', 'emit', ['emit', 'error']), want: 'emit' },
    {
      name: 'named by name',
      got: check.named('t', 'main', 255, (s) => (s === 'main' ? 254 : undefined), ''),
      want: 254,
    },
    { name: 'options absent', got: check.options(undefined), want: {} },
  ])('$name returns the value', ({ got, want }) => {
    expect(got).toEqual(want);
  });

  it('accepts an rxjs scheduler', async () => {
    const { asapScheduler } = await import('rxjs');
    expect(check.scheduler('s', asapScheduler)).toBe(asapScheduler);
  });
});
