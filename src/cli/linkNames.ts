import { map, type Observable, toArray } from 'rxjs';
import {
  copyMessages,
  dumpMessages,
  type NetlinkMessage,
  openNetlinkSocket,
  rtnetlink,
} from '../index.js';

/** The links of a namespace as the decoders need them to name interfaces. */
export interface LinkNames {
  /** ifindex → interface name. */
  readonly ifname: Map<number, string>;
  /** ifindex → IFF_* flags (for ip's M-DOWN). */
  readonly ifflags: Map<number, number>;
  /** The RTM_NEWLINK messages of the dump, copied out of the ring, in order. */
  readonly messages: readonly NetlinkMessage[];
}

/** `struct ifinfomsg`: `ifi_flags` is the u32 at byte 8 of the payload. */
const IFI_FLAGS = 8;

/**
 * Dumps the links of a namespace (the host's, or the named one) and returns the maps the
 * rtnetlink decoders take to name interfaces, as iproute2 fills its link cache before it
 * prints routes or addresses. Cold: each subscription opens its own route socket, closed
 * when the dump completes or fails; errors as `dumpMessages` does (a DumpInterruptedError
 * when the link table changed during the dump).
 *
 * @example
 * linkNames({ netns: 'blue' }).subscribe(({ ifname }) => console.log(ifname.get(1))); // 'lo'
 */
export function linkNames(options: { netns?: string }): Observable<LinkNames> {
  const open = () =>
    openNetlinkSocket(
      options.netns === undefined
        ? { protocol: 'route' }
        : { protocol: 'route', netns: options.netns },
    );
  return dumpMessages(open, rtnetlink.linkDumpRequest({ seq: 1 })).pipe(
    copyMessages(),
    toArray(),
    map((messages) => {
      const ifname = new Map<number, string>();
      const ifflags = new Map<number, number>();
      for (const message of messages) {
        const link = rtnetlink.decodeLink(message);
        if (link.ifname !== undefined) ifname.set(link.ifindex, link.ifname);
        const flags = new DataView(
          message.payload.buffer,
          message.payload.byteOffset,
          message.payload.byteLength,
        ).getUint32(IFI_FLAGS, true);
        ifflags.set(link.ifindex, flags);
      }
      return { ifname, ifflags, messages };
    }),
  );
}
