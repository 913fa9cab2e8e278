import { DecodeError } from '../../errors/DecodeError.js';
import type { NetlinkMessage } from '../../netlink/NetlinkMessage.js';
import {
  NDA_CACHEINFO,
  NDA_CACHEINFO_SIZE,
  NDA_DST,
  NDA_FLAGS_EXT,
  NDA_LLADDR,
  NDA_PROBES,
  NDA_PROTOCOL,
  NDMSG_SIZE,
  NTF_EXT_LEARNED,
  NTF_EXT_MANAGED,
  NTF_OFFLOADED,
  NTF_PROXY,
  NTF_ROUTER,
  RTM_DELNEIGH,
  RTM_NEWNEIGH,
} from './constants.js';
import { formatAddress } from './formatAddress.js';
import { formatLinkAddress } from './formatLinkAddress.js';
import { interfaceName } from './interfaceName.js';
import type { Neighbour } from './Neighbour.js';
import { RawAttributes } from './RawAttributes.js';
import type { RtnetlinkDecodeOptions } from './RtnetlinkDecodeOptions.js';
import { rtnetlinkNames as names } from './rtnetlinkNames.js';

const MAPPED = new Uint8Array(32);
for (const t of [NDA_DST, NDA_LLADDR, NDA_CACHEINFO, NDA_PROBES, NDA_PROTOCOL, NDA_FLAGS_EXT]) {
  MAPPED[t] = 1;
}

/**
 * Decodes an RTM_NEWNEIGH or RTM_DELNEIGH message (`struct ndmsg` then NDA_* attributes)
 * into a {@link Neighbour} shaped like `ip -j -s neigh show` output. Pass `options.ifname`
 * to name `dev`. Link-layer addresses print as colon-separated hex (ip prints an IP
 * address for the rare NBMA tunnel neighbour; this decoder does not know the link type).
 *
 * The result is plain data that owns its memory; it never points into the message's frame.
 * Unknown attributes are skipped into `attrs`; a wrong message type, a payload shorter than
 * `struct ndmsg`, a truncated attribute or an address of the wrong size throw a
 * {@link DecodeError} with the byte offset.
 *
 * @example
 * decodeNeighbour(message, { ifname });
 * // { dst: '10.1.0.9', dev: 'v0', lladdr: '02:00:00:00:00:09', used: 12, confirmed: 12,
 * //   updated: 12, probes: 0, state: ['PERMANENT'], family: 'inet', ifindex: 3, attrs }
 */
export function decodeNeighbour(
  message: NetlinkMessage,
  options?: RtnetlinkDecodeOptions,
): Neighbour {
  const messageType = message.type;
  if (messageType !== RTM_NEWNEIGH && messageType !== RTM_DELNEIGH) {
    throw new DecodeError(
      `message type ${messageType} is not RTM_NEWNEIGH or RTM_DELNEIGH`,
      message.offset,
    );
  }
  const bytes = message.bytes;
  const view = message.view;
  const header = message.payloadOffset;
  const end = message.end;
  if (end - header < NDMSG_SIZE) {
    throw new DecodeError(
      `neighbour message: ${end - header}-byte payload is shorter than struct ndmsg (${NDMSG_SIZE} bytes)`,
      message.offset,
    );
  }
  const family = bytes[header];
  const ifindex = view.getInt32(header + 4, true);
  const state = view.getUint16(header + 8, true);
  const flags = bytes[header + 10];

  let dst: string | undefined;
  let lladdr: string | undefined;
  let cacheinfoAt = -1;
  let probes = -1;
  let protocol = -1;
  let flagsExt = 0;
  let unmapped = false;

  const a = message.attributes(NDMSG_SIZE);
  while (a.next()) {
    switch (a.type) {
      case NDA_DST:
        dst = formatAddress(bytes, a.offset, a.length, family, a.headerOffset);
        break;
      case NDA_LLADDR:
        if (a.length > 0) lladdr = formatLinkAddress(bytes, a.offset, a.length);
        break;
      case NDA_PROBES:
        probes = a.u32();
        break;
      case NDA_PROTOCOL:
        protocol = a.u8();
        break;
      case NDA_FLAGS_EXT:
        flagsExt = a.u32();
        break;
      case NDA_CACHEINFO:
        if (a.length < NDA_CACHEINFO_SIZE) {
          throw new DecodeError(
            `NDA_CACHEINFO of ${a.length} bytes is shorter than struct nda_cacheinfo`,
            a.headerOffset,
          );
        }
        cacheinfoAt = a.offset;
        break;
      default:
        unmapped = true;
    }
  }

  const neighbour = (messageType === RTM_DELNEIGH ? { deleted: true } : {}) as Neighbour;
  if (dst !== undefined) neighbour.dst = dst;
  if (ifindex !== 0) neighbour.dev = interfaceName(options, ifindex);
  if (lladdr !== undefined) neighbour.lladdr = lladdr;
  if (flags & NTF_ROUTER) neighbour.router = null;
  if (flags & NTF_PROXY) neighbour.proxy = null;
  if (flags & NTF_EXT_LEARNED) neighbour.extern_learn = null;
  if (flags & NTF_OFFLOADED) neighbour.offload = null;
  if (flagsExt & NTF_EXT_MANAGED) neighbour.managed = null;
  if (cacheinfoAt >= 0) {
    // struct nda_cacheinfo { confirmed, used, updated, refcnt } in clock_t (USER_HZ = 100).
    neighbour.used = Math.floor(view.getUint32(cacheinfoAt + 4, true) / 100);
    neighbour.confirmed = Math.floor(view.getUint32(cacheinfoAt, true) / 100);
    neighbour.updated = Math.floor(view.getUint32(cacheinfoAt + 8, true) / 100);
  }
  if (probes >= 0) neighbour.probes = probes;
  if (state !== 0) neighbour.state = names.neighbourState(state);
  if (protocol >= 0) neighbour.protocol = names.protocol(protocol);
  neighbour.family = names.family(family);
  neighbour.ifindex = ifindex;
  neighbour.attrs = unmapped
    ? new RawAttributes(bytes.slice(header + NDMSG_SIZE, end), MAPPED)
    : RawAttributes.empty;
  return neighbour;
}
