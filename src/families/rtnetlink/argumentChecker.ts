import { parseAddress } from './parseAddress.js';
import { parsePrefix } from './parsePrefix.js';

const utf8 = new TextEncoder();

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * The eager argument checks of the request builders: each check throws a `TypeError` that
 * names the builder and the argument (`addRouteRequest: options.gateway must be …, got
 * "x"`), or returns the value in the form the builder writes.
 *
 * @example
 * const check = argumentChecker('addRouteRequest');
 * const metric = check.integer('options.metric', options.metric, 0, 0xffffffff);
 */
export function argumentChecker(fn: string) {
  const fail = (name: string, expected: string, value: unknown): never => {
    throw new TypeError(`${fn}: ${name} must be ${expected}, got ${show(value)}`);
  };
  return {
    fail,
    /** The options object (required or not). */
    options<T extends object>(value: T | undefined, required: boolean): Partial<T> {
      if (value === undefined && !required) return {};
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        return fail('options', 'an object', value);
      }
      return value;
    },
    /** An integer in [min, max], or undefined when absent. */
    integer(name: string, value: unknown, min: number, max: number): number | undefined {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
        return fail(name, `an integer in [${min}, ${max}]`, value);
      }
      return value;
    },
    /** A boolean, false when absent. */
    flag(name: string, value: unknown): boolean {
      if (value === undefined) return false;
      if (typeof value !== 'boolean') return fail(name, 'a boolean', value);
      return value;
    },
    /** A number in [0, max] or one of the names `toId` knows (or a decimal string). */
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
      if (id === undefined)
        return fail(name, `a number in [0, ${max}] or a name (${examples})`, value);
      return id;
    },
    /** An IPv4 or IPv6 address, optionally of a given family. */
    address(
      name: string,
      value: unknown,
      family?: number,
    ): { family: number; bytes: Uint8Array } | undefined {
      if (value === undefined) return undefined;
      const parsed = typeof value === 'string' ? parseAddress(value) : undefined;
      if (parsed === undefined) return fail(name, 'an IPv4 or IPv6 address', value);
      if (family !== undefined && parsed.family !== family) {
        return fail(name, `an ${family === 2 ? 'IPv4' : 'IPv6'} address like the others`, value);
      }
      return parsed;
    },
    /** `address` or `address/length`. */
    prefix(
      name: string,
      value: unknown,
    ): { family: number; bytes: Uint8Array; prefixlen: number; explicitLength: boolean } {
      const parsed = typeof value === 'string' ? parsePrefix(value) : undefined;
      if (parsed === undefined) {
        return fail(name, 'an address or address/length (IPv4 or IPv6)', value);
      }
      return parsed;
    },
    /** A string of at most `maxBytes` UTF-8 bytes, without NUL. */
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
  };
}
