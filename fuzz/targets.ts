// The fuzz targets: one row per decoder or source, each with the real datagrams it is fed
// mutations of. Other areas add their rows here (a decoder, its seeds, what garbage means
// for its result); `npm run fuzz` runs every row, the suite a small sample of each.

import { lastValueFrom, of, toArray } from 'rxjs';
import { DecodeError } from '../src/errors/NetlinkError.js';
import type { Attributes } from '../src/netlink/Attributes.js';
import {
  NLM_F_ACK,
  NLM_F_ACK_TLVS,
  NLM_F_CAPPED,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSGERR_ATTR_MISS_TYPE,
  NLMSGERR_ATTR_MSG,
  NLMSGERR_ATTR_OFFS,
} from '../src/netlink/constants.js';
import { controlState, MESSAGE_DONE, readAck, routeMessage } from '../src/netlink/control.js';
import { MessageWriter } from '../src/netlink/MessageWriter.js';
import { NetlinkMessage, walkMessages } from '../src/netlink/NetlinkMessage.js';
import { parseMessages } from '../src/operators/parseMessages.js';
import { takeDump } from '../src/operators/takeDump.js';
import { Frame } from '../src/ring/Frame.js';
import { request } from '../src/sources/request.js';
import { packDatagram } from '../src/testing/packDatagram.js';
import { SimulatedKernel } from '../src/testing/SimulatedKernel.js';
import * as nf from '../test/families/netfilter/kernelCaptures.js';
import * as rt from '../test/families/rtnetlink/fixtures.js';
import { decoderTargets, FUZZ_SEQ } from './decoderTargets.js';
import { sourceTargets } from './sourceTargets.js';

export { garbage } from './garbage.js';
export { FUZZ_SEQ };

/** One fuzz target. */
export interface FuzzTarget {
  /** Shown in the report. */
  readonly name: string;
  /** The real datagrams whose mutations it is fed (built once). */
  readonly seeds: () => readonly Uint8Array[];
  /**
   * Decodes one input. Returns what it decoded (checked for garbage); throwing a
   * NetlinkError (DecodeError included) is a typed failure, anything else is a bug.
   * A promise is awaited.
   */
  readonly run: (input: Uint8Array) => unknown;
  /** Inputs of a full run, when 10^6 is not the right number for it. */
  readonly count?: number | undefined;
  /** What garbage means for its values (default {@link garbage}). */
  readonly check?: ((value: unknown) => string | null) | undefined;
}

/** An NLMSG_ERROR as the kernel writes it (extended ack), for the request `req`. */
function errorReply(errno: number, flags: number, req: Uint8Array, tlvs: boolean): Uint8Array {
  const w = new MessageWriter(128).begin(
    NLMSG_ERROR,
    flags | (tlvs ? NLM_F_ACK_TLVS : 0),
    FUZZ_SEQ,
  );
  w.s32(-errno);
  w.bytes(flags & NLM_F_CAPPED ? req.subarray(0, 16) : req);
  if (tlvs) {
    w.attrString(NLMSGERR_ATTR_MSG, 'Invalid prefix for given prefix length');
    w.attrU32(NLMSGERR_ATTR_OFFS, 28);
    w.attrU32(NLMSGERR_ATTR_MISS_TYPE, 1);
  }
  return w.end().finish();
}

/** An NLMSG_DONE, failed with `errno` and its extack text when errno ≠ 0. */
function doneReply(errno: number): Uint8Array {
  const w = new MessageWriter(64).begin(
    NLMSG_DONE,
    NLM_F_MULTI | (errno ? NLM_F_ACK_TLVS : 0),
    FUZZ_SEQ,
  );
  w.s32(-errno);
  if (errno) w.attrString(NLMSGERR_ATTR_MSG, 'dump failed');
  return w.end().finish();
}

/** A route request, the one the error seeds echo. */
const routeRequest = (): Uint8Array =>
  new MessageWriter(64)
    .begin(24, NLM_F_REQUEST | NLM_F_ACK, FUZZ_SEQ)
    .u8(2)
    .u8(16)
    .zeros(10)
    .attrBe32(1, 0x0a460000)
    .end()
    .finish();

/** The same message with `nlmsg_seq` set to {@link FUZZ_SEQ}. */
function withSeq(message: Uint8Array): Uint8Array {
  const out = Uint8Array.from(message);
  new DataView(out.buffer).setUint32(8, FUZZ_SEQ, true);
  return out;
}

/** Kernel captures (rtnetlink and netfilter), the control replies, and a dump datagram. */
export function captureSeeds(): Uint8Array[] {
  const rtnl = [
    rt.routeDefault,
    rt.routeStatic,
    rt.routeMultipath,
    rt.routeMetrics,
    rt.routeLocal,
    rt.routeHost6,
    rt.addrLabel,
    rt.addr6,
    rt.neigh4,
    rt.neigh6,
    rt.linkVeth,
  ].map(withSeq);
  const netfilter = [
    nf.nflogPacket,
    nf.nfqueuePacket,
    nf.conntrackNewTcp,
    nf.conntrackDestroyUdp,
    nf.conntrackDumpTcp,
  ].map(withSeq);
  const req = routeRequest();
  const control = [
    errorReply(0, NLM_F_CAPPED, req, false),
    errorReply(17, 0, req, true),
    errorReply(22, NLM_F_CAPPED, req, true),
    doneReply(0),
    doneReply(95),
  ];
  return [
    ...rtnl,
    ...netfilter,
    ...control,
    packDatagram([...rtnl.slice(0, 6), doneReply(0)]),
    packDatagram([rtnl[0], errorReply(17, 0, req, true)]),
  ];
}

/** The family header length of the rtnetlink/nfnetlink types of the seeds. */
function familyHeader(type: number): number {
  if (type >= 16 && type <= 19) return 16; // ifinfomsg
  if (type >= 20 && type <= 23) return 8; // ifaddrmsg
  if (type >= 24 && type <= 31) return 12; // rtmsg, ndmsg
  if (type >= 0x100) return 4; // nfgenmsg
  return 0;
}

/**
 * Reads every attribute with the getter its length suggests (every seventh with one chosen
 * by its type, so short payloads are tried too), and descends into nests: flagged ones as
 * they are, unflagged ones speculatively (a DecodeError there is expected and swallowed).
 */
function readAttributes(a: Attributes, depth: number, out: unknown[]): void {
  while (a.next()) {
    const pick = a.type % 7 === 0 ? a.type % 5 : -1;
    const n = a.length;
    if (pick === 0 || (pick < 0 && n === 1)) out.push(a.u8());
    else if (pick === 1 || (pick < 0 && n === 2)) out.push(a.u16());
    else if (pick === 2 || (pick < 0 && n === 4)) out.push(a.u32(), a.be32());
    else if (pick === 3 || (pick < 0 && n === 8)) out.push(a.u64(), a.be64());
    else out.push(a.string(), a.bytes().byteLength);
    if (depth >= 4) continue;
    if (a.nestedFlag) readAttributes(a.nested(), depth + 1, out);
    else if (n >= 4) {
      try {
        readAttributes(a.nested(), depth + 1, []);
      } catch (error) {
        if (!(error instanceof DecodeError)) throw error;
      }
    }
  }
}

/** The targets of the netlink codec, the router, the dump operators and `request`. */
const codecTargets: FuzzTarget[] = [
  {
    name: 'walkMessages + NetlinkMessage.from',
    seeds: captureSeeds,
    run: (input) => {
      const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
      const out: number[] = [];
      walkMessages(view, 0, input.byteLength, (offset, length) => {
        const m = NetlinkMessage.from(input.slice(offset, offset + length));
        out.push(m.type, m.flags, m.seq, m.pid, m.payload.byteLength);
        return true;
      });
      // A detached message over the whole input: its nlmsg_len may lie.
      const whole = NetlinkMessage.from(input);
      out.push(whole.payloadLength);
      return out;
    },
  },
  {
    name: 'Attributes (typed getters, nested)',
    seeds: captureSeeds,
    run: (input) => {
      const out: unknown[] = [];
      const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
      walkMessages(view, 0, input.byteLength, (offset) => {
        const m = NetlinkMessage.at(input, view, offset);
        readAttributes(m.attributes(familyHeader(m.type)), 0, out);
        return true;
      });
      return out;
    },
  },
  {
    name: 'readAck',
    seeds: captureSeeds,
    run: (input) => {
      const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
      // Every offset a header may be at: readAck checks its own bounds.
      const out: unknown[] = [];
      for (let offset = 0; offset + 16 <= input.byteLength; offset += 4) {
        if (view.getUint16(offset + 4, true) === NLMSG_ERROR) out.push(readAck(view, offset));
      }
      return out;
    },
  },
  {
    name: 'routeMessage (control-message router)',
    seeds: captureSeeds,
    run: (input) => {
      const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
      const state = controlState({ seq: FUZZ_SEQ, portId: 77, op: 'dump' });
      const routed: number[] = [];
      walkMessages(view, 0, input.byteLength, (offset) => {
        const r = routeMessage(state, view, offset);
        routed.push(r);
        return r !== MESSAGE_DONE;
      });
      return { routed, counters: state.counters };
    },
  },
  {
    name: 'parseMessages + takeDump (fused)',
    seeds: captureSeeds,
    run: (input) => {
      let result: unknown[] = [];
      let failure: unknown = null;
      of(Frame.of(input))
        .pipe(parseMessages(), takeDump({ seq: FUZZ_SEQ }))
        .subscribe({
          next: (m) => result.push(m.type, m.payloadLength),
          error: (e: unknown) => {
            failure = e;
          },
        });
      if (failure !== null) throw failure;
      const copy = result;
      result = [];
      return copy;
    },
  },
  {
    name: 'request() on the simulated kernel',
    seeds: captureSeeds,
    run: async (input) => {
      const kernel = new SimulatedKernel();
      kernel.onRequest((_req, reply) => {
        try {
          reply.unicast(input);
        } catch {
          // The simulated kernel refuses what no kernel could send (an empty datagram).
        }
        // Then what a well-behaved kernel would send, so a dropped reply still ends it.
        reply.ack();
      });
      const flags =
        input.byteLength % 2 === 0 ? NLM_F_REQUEST | NLM_F_ACK : NLM_F_REQUEST | NLM_F_DUMP;
      const req = new MessageWriter(32).begin(24, flags, FUZZ_SEQ).zeros(12).end().finish();
      const replies = await lastValueFrom(request(() => kernel.open(), req).pipe(toArray()), {
        defaultValue: [],
      });
      return replies.map((m) => m.type);
    },
  },
];

/** Every target: the codec's, every public decoder's, every source's. */
export const targets: FuzzTarget[] = [...codecTargets, ...decoderTargets, ...sourceTargets];
