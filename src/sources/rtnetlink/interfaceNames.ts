import {
  AF_UNSPEC,
  IFINFOMSG_SIZE,
  IFLA_IFNAME,
  RTM_DELLINK,
  RTM_NEWLINK,
} from '../../families/rtnetlink/constants.js';
import type { RtnetlinkDecodeOptions } from '../../families/rtnetlink/decoding.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';

/**
 * Interface names by index, given to an rtnetlink source instead of letting it learn them:
 * a Map (say, built from an earlier `dumpLinks()`) or a function. An index it does not know
 * prints as ip prints one it cannot name: `if<N>`.
 *
 * @example
 * declare const links: Link[];
 * const ifnames: InterfaceNameLookup = new Map(links.map((l) => [l.ifindex, l.ifname ?? '']));
 * dumpRoutes({ ifnames });
 */
export type InterfaceNameLookup =
  | ReadonlyMap<number, string>
  | ((ifindex: number) => string | undefined);

/**
 * What an rtnetlink source knows about interfaces, to name them as ip does: the names and
 * IFF_* flags it learned from link messages (a link dump, link notifications), behind the
 * names the caller gave, if any. One per subscription. It reads only `struct ifinfomsg` and
 * IFLA_IFNAME of a link message, in place, so it may learn from borrowed messages.
 *
 * @example
 * const names = new InterfaceNames(undefined);
 * declare const linkMessage: NetlinkMessage;
 * declare const routeMessage: NetlinkMessage;
 * names.learn(linkMessage);
 * decodeRoute(routeMessage, names.decodeOptions);
 */
export class InterfaceNames {
  private readonly given: InterfaceNameLookup | undefined;
  private readonly names = new Map<number, string>();
  private readonly flags = new Map<number, number>();
  /**
   * Decoder options that look names up here: given first, then learned. Flags (for ip's
   * `M-DOWN`, which ip shows for a peer it does not know too) only when the caller gave no
   * names, so that the source learns them all.
   */
  readonly decodeOptions: RtnetlinkDecodeOptions;

  constructor(given: InterfaceNameLookup | undefined) {
    this.given = given;
    // Without given names the learned Maps themselves: a decoder's lookup is one Map.get,
    // no closure per route.
    this.decodeOptions =
      given === undefined
        ? { ifname: this.names, ifflags: this.flags }
        : { ifname: (ifindex: number) => this.name(ifindex) };
  }

  /** The name of `ifindex`, or undefined. */
  name(ifindex: number): string | undefined {
    const given = this.given;
    if (given !== undefined) {
      const name = typeof given === 'function' ? given(ifindex) : given.get(ifindex);
      if (name !== undefined) return name;
    }
    return this.names.get(ifindex);
  }

  /**
   * Learns from an RTM_NEWLINK (name and flags) or forgets on an RTM_DELLINK; other messages
   * are ignored. Only AF_UNSPEC link messages are about the device itself: a bridge sends
   * AF_BRIDGE copies for its ports, and an AF_BRIDGE RTM_DELLINK means "left the bridge".
   */
  learn(message: NetlinkMessage): void {
    const type = message.type;
    if (type !== RTM_NEWLINK && type !== RTM_DELLINK) return;
    if (message.payloadLength < IFINFOMSG_SIZE) return;
    const view = message.view;
    const header = message.payloadOffset;
    const ifindex = view.getInt32(header + 4, true);
    if (type === RTM_DELLINK) {
      if (view.getUint8(header) === AF_UNSPEC) {
        this.names.delete(ifindex);
        this.flags.delete(ifindex);
      }
      return;
    }
    this.flags.set(ifindex, view.getUint32(header + 8, true));
    const a = message.attributes(IFINFOMSG_SIZE);
    while (a.next()) {
      if (a.type === IFLA_IFNAME) {
        this.names.set(ifindex, a.string());
        return;
      }
    }
  }
}
