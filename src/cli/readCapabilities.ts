import { readFileSync } from 'node:fs';

/** The capabilities nlring's operations depend on, by number (<linux/capability.h>). */
const CAPABILITIES = {
  /** Netfilter logging and conntrack, kernel rings, `SO_RCVBUFFORCE`. */
  CAP_NET_ADMIN: 12,
  /** Entering another network namespace (`setns`). */
  CAP_SYS_ADMIN: 21,
} as const;

/**
 * What {@link readCapabilities} found.
 *
 * @example
 * // { effective: '000001ffffffffff', held: { CAP_NET_ADMIN: true, CAP_SYS_ADMIN: true } }
 * const capabilities: Capabilities = readCapabilities();
 */
export interface Capabilities {
  /** The `CapEff` mask as /proc prints it (hex), or null when it could not be read. */
  readonly effective: string | null;
  /** Whether each capability nlring cares about is in the effective set. */
  readonly held: Readonly<Record<keyof typeof CAPABILITIES, boolean>>;
}

/**
 * Reads the process's effective capabilities from the `CapEff:` line of
 * `/proc/self/status` (or of the `status` text given, for tests) and says which of the
 * ones nlring's operations need are held: CAP_NET_ADMIN (netfilter, kernel rings) and
 * CAP_SYS_ADMIN (entering a named network namespace). A status without the line reads as
 * holding none, with `effective` null.
 *
 * @example
 * readCapabilities('CapEff:\t0000000000001000\n').held.CAP_NET_ADMIN; // true
 */
export function readCapabilities(status?: string): Capabilities {
  let text = status;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/status', 'utf8');
    } catch {
      text = '';
    }
  }
  const hex = /^CapEff:\s*([0-9a-fA-F]+)\s*$/m.exec(text)?.[1] ?? null;
  const mask = hex === null ? 0n : BigInt(`0x${hex}`);
  const held = { CAP_NET_ADMIN: false, CAP_SYS_ADMIN: false };
  for (const name of Object.keys(CAPABILITIES) as (keyof typeof CAPABILITIES)[]) {
    held[name] = (mask & (1n << BigInt(CAPABILITIES[name]))) !== 0n;
  }
  return { effective: hex, held };
}
