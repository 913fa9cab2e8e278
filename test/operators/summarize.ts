import { NetlinkMessage } from '../../src/netlink/NetlinkMessage.js';

/**
 * A message as a short readable string for marble values (`type=16 seq=1 flags=0x2 group=0
 * @0+20`); any other value unchanged, so Overruns compare as themselves.
 */
export function summarize<T>(value: T): T | string {
  if (!(value instanceof NetlinkMessage)) return value;
  const flags = `0x${value.flags.toString(16)}`;
  return `type=${value.type} seq=${value.seq} flags=${flags} group=${value.group} @${value.offset}+${value.length}`;
}
