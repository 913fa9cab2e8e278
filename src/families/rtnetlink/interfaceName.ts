import type { RtnetlinkDecodeOptions } from './RtnetlinkDecodeOptions.js';

/**
 * The name of interface `ifindex` from the decode options, or ip's placeholder `if<N>`.
 *
 * @example
 * interfaceName({ ifname: new Map([[1, 'lo']]) }, 1); // 'lo'
 * interfaceName(undefined, 7); // 'if7'
 */
export function interfaceName(
  options: RtnetlinkDecodeOptions | undefined,
  ifindex: number,
): string {
  const lookup = options?.ifname;
  if (lookup !== undefined) {
    const name = typeof lookup === 'function' ? lookup(ifindex) : lookup.get(ifindex);
    if (name !== undefined) return name;
  }
  return `if${ifindex}`;
}
