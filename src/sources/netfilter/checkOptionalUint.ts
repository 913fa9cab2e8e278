/**
 * Checks an optional numeric option: undefined, or an integer in `[0, max]`. Returns it;
 * throws a TypeError naming the option otherwise. Internal to the netfilter sources.
 *
 * @example
 * const range = checkOptionalUint('copyRange', options.copyRange, 0xffffffff);
 */
export function checkOptionalUint(name: string, value: unknown, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new TypeError(`${name}: expected an integer in [0, ${max}], got ${String(value)}`);
  }
  return value;
}
