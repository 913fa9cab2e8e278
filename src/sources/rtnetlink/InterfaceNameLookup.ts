/**
 * Interface names by index, given to an rtnetlink source instead of letting it learn them:
 * a Map (say, built from an earlier `dumpLinks()`) or a function. An index it does not know
 * prints as ip prints one it cannot name: `if<N>`.
 *
 * @example
 * const ifnames: InterfaceNameLookup = new Map(links.map((l) => [l.ifindex, l.ifname ?? '']));
 * dumpRoutes({ ifnames });
 */
export type InterfaceNameLookup =
  | ReadonlyMap<number, string>
  | ((ifindex: number) => string | undefined);
