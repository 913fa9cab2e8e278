/**
 * Throws a RangeError naming `name` unless `value` is an integer that fits in `bits`
 * unsigned bits; returns it otherwise. Builders call it on every caller-supplied field, so a
 * bad argument fails at once rather than as a truncated field on the wire.
 *
 * @example
 * checkUint('group', options.group, 16);
 */
export function checkUint(name: string, value: number, bits: 8 | 16 | 32): number {
  const max = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
  }
  return value;
}
