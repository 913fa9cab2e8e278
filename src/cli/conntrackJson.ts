import type { netfilter } from '../index.js';

/** `nfgen_family` by name. */
const FAMILIES: Readonly<Record<number, string>> = { 2: 'inet', 10: 'inet6' };

/**
 * The JSON text of a conntrack entry: the library's field names, with the family by name
 * (`inet`, `inet6`), 64-bit counters and timestamps as numbers (as strings past 2^53), and
 * the connlabel bitmap in hex.
 *
 * @example
 * conntrackJson(entry); // {"type":"update","family":"inet","protocol":"udp","orig":{…},…}
 */
export function conntrackJson(entry: netfilter.ConntrackEntry): string {
  const named = { ...entry, family: FAMILIES[entry.family] ?? String(entry.family) };
  return JSON.stringify(named, (_key, value: unknown) => {
    if (typeof value === 'bigint') {
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
    }
    if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
    return value;
  });
}
