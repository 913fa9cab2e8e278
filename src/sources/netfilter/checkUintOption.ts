/**
 * Checks a required numeric option: an integer in `[0, max]`. Returns it; throws a TypeError
 * naming the option otherwise (undefined included). Internal to the netfilter sources.
 *
 * @example
 * const group = checkUintOption('group', options.group, 0xffff);
 */
export function checkUintOption(name: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`${name}: expected an integer in [0, ${max}], got ${String(value)}`);
  }
  return value;
}
