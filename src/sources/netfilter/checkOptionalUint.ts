import { checkUintOption } from './checkUintOption.js';

/**
 * Checks an optional numeric option: undefined, or an integer in `[0, max]`. Returns it;
 * throws a TypeError naming the option otherwise. Internal to the netfilter sources.
 *
 * @example
 * const range = checkOptionalUint('copyRange', options.copyRange, 0xffffffff);
 */
export function checkOptionalUint(name: string, value: unknown, max: number): number | undefined {
  return value === undefined ? undefined : checkUintOption(name, value, max);
}
