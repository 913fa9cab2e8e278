/**
 * The one argument checker of nlring (STYLE rule 5): every public function checks its
 * arguments eagerly, at call time, and a bad one throws a `TypeError` that names the public
 * function and the option — `addRoute: options.metric must be an integer in [0, 4294967295],
 * got -1` — never a RangeError from deep inside, never later from a subscription or from
 * native code.
 *
 * Each check returns the value in the form the caller uses, `undefined` when an optional
 * value is absent. This module imports nothing of ours, so every layer may use it.
 */

const utf8 = new TextEncoder();

/** How a value is shown in an error message: strings quoted, objects by kind. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** A duck-typed rxjs `SchedulerLike` (this layer does not import rxjs). */
export interface SchedulerShape {
  now(): number;
  schedule(...args: never[]): unknown;
}

/**
 * The checks for one public function `fn`. Names are given as the caller writes them
 * (`options.metric`, `group`).
 *
 * @example
 * declare const options: { batchSize?: number | undefined };
 * const check = argumentChecker('toTxRing');
 * const batchSize = check.integer('options.batchSize', options.batchSize, 1, 2 ** 20);
 */
export function argumentChecker(fn: string) {
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new TypeError(`${fn}: ${name} must be ${expected}, got ${showValue(value)}`);
  };
  const integer = (name: string, value: unknown, min: number, max: number): number | undefined => {
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      return fail(name, `an integer in [${min}, ${max}]`, value);
    }
    return value;
  };
  return {
    /** Throws the TypeError for `name`: it must be `expected`, and was `value`. */
    fail,
    /** The options object: an object, or absent when not `required` (then `{}`). */
    options<T extends object>(value: T | undefined, required = false): Partial<T> {
      if (value === undefined && !required) return {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return fail('options', 'an object', value);
      }
      return value;
    },
    /** An integer in [min, max], or undefined when absent. */
    integer,
    /** An integer in [min, max] that must be given. */
    requiredInteger(name: string, value: unknown, min: number, max: number): number {
      if (value === undefined) return fail(name, `an integer in [${min}, ${max}]`, value);
      return integer(name, value, min, max) as number;
    },
    /** An unsigned integer of `bits` bits (8, 16, 32), or undefined when absent. */
    uint(name: string, value: unknown, bits: 8 | 16 | 32): number | undefined {
      return integer(name, value, 0, bits === 32 ? 0xffffffff : 2 ** bits - 1);
    },
    /**
     * A number in [min, max] (Infinity allowed when `max` is Infinity), never NaN, or
     * undefined when absent.
     */
    number(name: string, value: unknown, min: number, max: number): number | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || Number.isNaN(value) || value < min || value > max) {
        return fail(name, `a number in [${min}, ${max}]`, value);
      }
      return value;
    },
    /** A boolean, false when absent. */
    flag(name: string, value: unknown): boolean {
      if (value === undefined) return false;
      if (typeof value !== 'boolean') return fail(name, 'a boolean', value);
      return value;
    },
    /** A boolean, or undefined when absent. */
    boolean(name: string, value: unknown): boolean | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'boolean') return fail(name, 'a boolean', value);
      return value;
    },
    /** One of `choices`, or undefined when absent. */
    oneOf<T extends string | number>(
      name: string,
      value: unknown,
      choices: readonly T[],
    ): T | undefined {
      if (value === undefined) return undefined;
      if (!choices.includes(value as T)) {
        return fail(name, `one of ${choices.map((c) => showValue(c)).join(', ')}`, value);
      }
      return value as T;
    },
    /** A function, or undefined when absent. */
    func<T extends (...args: never[]) => unknown>(name: string, value: unknown): T | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'function') return fail(name, 'a function', value);
      return value as T;
    },
    /** An rxjs scheduler (an object with `now` and `schedule`), or undefined when absent. */
    scheduler<T extends SchedulerShape>(name: string, value: unknown): T | undefined {
      if (value === undefined) return undefined;
      const s = value as Partial<SchedulerShape> | null;
      if (
        s === null ||
        typeof s !== 'object' ||
        typeof s.schedule !== 'function' ||
        typeof s.now !== 'function'
      ) {
        return fail(name, 'an rxjs scheduler', value);
      }
      return value as T;
    },
    /** A non-empty string of at most `maxBytes` UTF-8 bytes, without NUL, or undefined. */
    string(name: string, value: unknown, maxBytes: number): string | undefined {
      if (value === undefined) return undefined;
      if (
        typeof value !== 'string' ||
        value.length === 0 ||
        value.includes('\0') ||
        utf8.encode(value).byteLength > maxBytes
      ) {
        return fail(name, `a non-empty string of at most ${maxBytes} bytes`, value);
      }
      return value;
    },
    /** A number in [0, max] or one of the names `toId` knows, or undefined when absent. */
    named(
      name: string,
      value: unknown,
      max: number,
      toId: (text: string) => number | undefined,
      examples: string,
    ): number | undefined {
      if (value === undefined) return undefined;
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max) {
        return value;
      }
      const id = typeof value === 'string' ? toId(value) : undefined;
      if (id === undefined) {
        return fail(name, `a number in [0, ${max}] or a name (${examples})`, value);
      }
      return id;
    },
  };
}

/** What {@link argumentChecker} returns. */
export type ArgumentChecker = ReturnType<typeof argumentChecker>;
