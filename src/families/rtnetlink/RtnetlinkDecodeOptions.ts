/**
 * What the rtnetlink decoders need from outside the message. iproute2 names interfaces
 * from a cache it fills by dumping links first; give the decoders the same knowledge as a
 * Map or a function (for example a Map built from {@link decodeLink} results, or one kept
 * current from RTM_NEWLINK/RTM_DELLINK events). Without it, or for an index it does not
 * know, an interface prints as ip prints an index it cannot name: `if<N>`.
 *
 * @example
 * const ifname = new Map(links.map((l) => [l.ifindex, l.ifname ?? '']));
 * decodeRoute(message, { ifname });
 */
export interface RtnetlinkDecodeOptions {
  /** ifindex → interface name: fills route `dev`/`iif`, address `ifname`, link `master`/`link`, neighbour `dev`. */
  readonly ifname?: ReadonlyMap<number, string> | ((ifindex: number) => string | undefined);
  /**
   * ifindex → IFF_* flags: lets {@link decodeLink} add ip's `M-DOWN` flag when the
   * interface's link (`IFLA_LINK`, e.g. a veth peer) is not UP. Without it, M-DOWN is
   * never shown.
   */
  readonly ifflags?: ReadonlyMap<number, number> | ((ifindex: number) => number | undefined);
}
