import { AF_INET, AF_INET6, AF_UNSPEC } from '../../families/rtnetlink/constants.js';

const NAMES: Readonly<Record<string, number>> = { inet: AF_INET, inet6: AF_INET6, all: AF_UNSPEC };

/**
 * The AF_* number of an {@link RtnetlinkFamily} option (AF_UNSPEC when absent). Throws a
 * TypeError naming the function and the option for anything else.
 *
 * @example
 * familyNumber('dumpRoutes', 'inet6'); // 10
 */
export function familyNumber(fn: string, family: unknown): number {
  if (family === undefined) return AF_UNSPEC;
  if (typeof family === 'string' && Object.hasOwn(NAMES, family)) return NAMES[family];
  if (typeof family === 'number' && Number.isInteger(family) && family >= 0 && family <= 255) {
    return family;
  }
  throw new TypeError(
    `${fn}: options.family must be 'inet', 'inet6', 'all' or an AF_* number, got ${JSON.stringify(family)}`,
  );
}
