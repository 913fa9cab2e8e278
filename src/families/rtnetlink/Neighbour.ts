import type { RawAttributes } from './RawAttributes.js';

/**
 * A neighbour table entry (RTM_NEWNEIGH / RTM_DELNEIGH) with the field names and value
 * formats of `ip -j -s neigh show`: `state` is an array of NUD_* names (left out when the
 * state is NUD_NONE, as ip does), the `router`/`proxy`/`extern_learn`/`offload`/`managed`
 * flags are present with the value `null` when set (ip's JSON), and `used`, `confirmed`,
 * `updated` (seconds) and `probes` are what `-s` adds.
 *
 * Fields beyond ip's: `family`, `ifindex` (`ndm_ifindex`), `deleted` and `attrs`. Plain
 * data that owns its memory: valid after the ring frame it came from is released.
 *
 * @example
 * const n = decodeNeighbour(message, { ifname });
 * if (n.state?.includes('FAILED')) console.log(`${n.dst} on ${n.dev} is unreachable`);
 */
export interface Neighbour {
  /** Present (true) when the message was RTM_DELNEIGH. */
  deleted?: true;
  /** NDA_DST. */
  dst?: string;
  /** `ndm_ifindex` by name, when not 0. */
  dev?: string;
  /** NDA_LLADDR, when not empty. */
  lladdr?: string;
  /** NTF_ROUTER. */
  router?: null;
  /** NTF_PROXY. */
  proxy?: null;
  /** NTF_EXT_LEARNED. */
  extern_learn?: null;
  /** NTF_OFFLOADED. */
  offload?: null;
  /** NTF_EXT_MANAGED (in NDA_FLAGS_EXT). */
  managed?: null;
  /** NDA_CACHEINFO `ndm_used`, seconds. */
  used?: number;
  /** NDA_CACHEINFO `ndm_confirmed`, seconds. */
  confirmed?: number;
  /** NDA_CACHEINFO `ndm_updated`, seconds. */
  updated?: number;
  /** NDA_PROBES. */
  probes?: number;
  /** `ndm_state`: ['REACHABLE'], ['STALE'], ['PERMANENT'], ['NOARP'], … */
  state?: readonly string[];
  /** NDA_PROTOCOL by name. */
  protocol?: string;
  /** `ndm_family`: inet, inet6, bridge. */
  family: string;
  /** `ndm_ifindex`. */
  ifindex: number;
  /** Attributes not mapped above. */
  attrs: RawAttributes;
}
