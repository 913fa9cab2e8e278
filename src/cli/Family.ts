/**
 * The address families a command can be narrowed to: `inet` (IPv4), `inet6` (IPv6), or
 * `all` (both, the default), as H6's rtnetlink sources name them.
 *
 * @example
 * const family: Family = line.string('family') === 'inet6' ? 'inet6' : 'all';
 */
export type Family = 'inet' | 'inet6' | 'all';
