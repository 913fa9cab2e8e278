import { describe, expect, it } from 'vitest';
import { DecodeError, DumpInterruptedError, NetlinkError } from '../../src/errors/NetlinkError.js';
import {
  type ControlCounters,
  controlState,
  MESSAGE_ACK,
  MESSAGE_DATA,
  MESSAGE_DONE,
  MESSAGE_DROPPED,
  readAck,
  routeMessage,
} from '../../src/netlink/control.js';

const view = (bytes: number[]) => new DataView(new Uint8Array(bytes).buffer);
const counts = (c: Partial<ControlCounters> = {}): ControlCounters => ({
  interrupted: 0,
  outOfSequence: 0,
  foreign: 0,
  dropped: 0,
  ...c,
});

// Every message below has nlmsg_seq 7; the tests' port id is 0x100 (256).
// biome-ignore format: byte literals four per line
describe('routeMessage', () => {
  it.each([
    {
      name: 'a data message from the kernel',
      bytes: [
        20, 0, 0, 0, //  nlmsg_len 20
        24, 0, 2, 0, //  RTM_NEWROUTE, NLM_F_MULTI
        7, 0, 0, 0, //   seq 7
        0, 0, 0, 0, //   pid 0
        1, 2, 3, 4,
      ],
      routed: MESSAGE_DATA,
      counters: counts(),
    },
    {
      name: 'a data message addressed to our port',
      bytes: [
        16, 0, 0, 0,
        24, 0, 2, 0,
        7, 0, 0, 0,
        0, 1, 0, 0, //   pid 256: ours
      ],
      routed: MESSAGE_DATA,
      counters: counts(),
    },
    {
      name: 'a data message from another port is foreign',
      bytes: [
        16, 0, 0, 0,
        24, 0, 2, 0,
        7, 0, 0, 0,
        1, 1, 0, 0, //   pid 257
      ],
      routed: MESSAGE_DROPPED,
      counters: counts({ foreign: 1 }),
    },
    {
      name: 'a reply of another sequence number',
      bytes: [
        16, 0, 0, 0,
        24, 0, 2, 0,
        6, 0, 0, 0, //   seq 6
        0, 0, 0, 0,
      ],
      routed: MESSAGE_DROPPED,
      counters: counts({ outOfSequence: 1 }),
    },
    {
      name: 'NLM_F_DUMP_INTR on a data message is counted',
      bytes: [
        16, 0, 0, 0,
        24, 0, 0x12, 0, // NLM_F_MULTI | NLM_F_DUMP_INTR
        7, 0, 0, 0,
        0, 0, 0, 0,
      ],
      routed: MESSAGE_DATA,
      counters: counts({ interrupted: 1 }),
    },
    {
      name: 'NLMSG_NOOP',
      bytes: [16, 0, 0, 0, 1, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0],
      routed: MESSAGE_DROPPED,
      counters: counts({ dropped: 1 }),
    },
    {
      name: 'NLMSG_OVERRUN',
      bytes: [16, 0, 0, 0, 4, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0],
      routed: MESSAGE_DROPPED,
      counters: counts({ dropped: 1 }),
    },
    {
      name: 'NLMSG_ERROR with errno 0 is an ACK',
      bytes: [
        36, 0, 0, 0, //  nlmsg_len 36
        2, 0, 0, 1, //   NLMSG_ERROR, NLM_F_CAPPED
        7, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0, //   error 0
        32, 0, 0, 0, //  the request's header
        24, 0, 5, 5,
        7, 0, 0, 0,
        0, 1, 0, 0,
      ],
      routed: MESSAGE_ACK,
      counters: counts(),
    },
    {
      name: 'a clean NLMSG_DONE',
      bytes: [
        20, 0, 0, 0,
        3, 0, 2, 0, //   NLMSG_DONE, NLM_F_MULTI
        7, 0, 0, 0,
        0, 1, 0, 0,
        0, 0, 0, 0, //   dump_done_errno 0
      ],
      routed: MESSAGE_DONE,
      counters: counts(),
    },
  ])('$name', ({ bytes, routed, counters }) => {
    const state = controlState({ seq: 7, portId: 256, op: 'dump' });
    expect(routeMessage(state, view(bytes), 0)).toBe(routed);
    expect(state.counters).toEqual(counters);
  });

  it('checks no port when our port id is 0 (a monitor: notifications carry the originator)', () => {
    const state = controlState({});
    const bytes = [16, 0, 0, 0, 24, 0, 0, 0, 9, 0, 0, 0, 1, 1, 0, 0];
    expect(routeMessage(state, view(bytes), 0)).toBe(MESSAGE_DATA);
    expect(state.counters).toEqual(counts());
  });

  it.each([
    {
      name: 'NLMSG_ERROR EEXIST with extack message, offset, missing type and nest, cookie',
      bytes: [
        84, 0, 0, 0, //  nlmsg_len 84
        2, 0, 0, 3, //   NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS
        7, 0, 0, 0,
        0, 0, 0, 0,
        0xef, 0xff, 0xff, 0xff, // error -17
        32, 0, 0, 0, //  echoed header (capped)
        24, 0, 5, 5,
        7, 0, 0, 0,
        0, 1, 0, 0,
        16, 0, 1, 0, //  NLMSGERR_ATTR_MSG "Route exists"
        82, 111, 117, 116,
        101, 32, 101, 120,
        105, 115, 116, 115,
        8, 0, 2, 0, //   NLMSGERR_ATTR_OFFS 28
        28, 0, 0, 0,
        8, 0, 5, 0, //   NLMSGERR_ATTR_MISS_TYPE 1
        1, 0, 0, 0,
        8, 0, 6, 0, //   NLMSGERR_ATTR_MISS_NEST 32
        32, 0, 0, 0,
        8, 0, 3, 0, //   NLMSGERR_ATTR_COOKIE
        0xca, 0xfe, 0xba, 0xbe,
      ],
      expected: {
        op: 'dump',
        code: 'EEXIST',
        seq: 7,
        extack: 'Route exists',
        offset: 28,
        missingType: 1,
        missingNest: 32,
        cookie: new Uint8Array([0xca, 0xfe, 0xba, 0xbe]),
        request: 'getRoutes table main',
        message:
          'getRoutes table main: EEXIST (File exists): kernel says: Route exists: at request offset 28: missing attribute type 1 in the nest at 32',
      },
    },
    {
      name: 'NLMSG_DONE with an errno keeps its extended ack',
      bytes: [
        32, 0, 0, 0,
        3, 0, 2, 2, //   NLMSG_DONE, NLM_F_MULTI | NLM_F_ACK_TLVS
        7, 0, 0, 0,
        0, 0, 0, 0,
        0xa1, 0xff, 0xff, 0xff, // dump_done_errno -95 (EOPNOTSUPP)
        12, 0, 1, 0, //  NLMSGERR_ATTR_MSG "no dump"
        110, 111, 32, 100,
        117, 109, 112, 0,
      ],
      expected: { op: 'dump', code: 'EOPNOTSUPP', seq: 7, extack: 'no dump' },
    },
  ])('$name', ({ bytes, expected }) => {
    const state = controlState({
      seq: 7,
      portId: 256,
      op: 'dump',
      request: 'getRoutes table main',
    });
    let thrown: unknown;
    try {
      routeMessage(state, view(bytes), 0);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NetlinkError);
    expect(thrown).toMatchObject(expected);
  });

  it('reports NLM_F_DUMP_INTR at DONE with a DumpInterruptedError', () => {
    const state = controlState({ seq: 7, op: 'dump' });
    const data = [16, 0, 0, 0, 24, 0, 0x12, 0, 7, 0, 0, 0, 0, 0, 0, 0];
    const done = [20, 0, 0, 0, 3, 0, 2, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    expect(routeMessage(state, view(data), 0)).toBe(MESSAGE_DATA);
    expect(() => routeMessage(state, view(done), 0)).toThrow(DumpInterruptedError);
  });

  it.each([
    {
      name: 'a DONE too short for its int',
      bytes: [16, 0, 0, 0, 3, 0, 2, 0, 7, 0, 0, 0, 0, 0, 0, 0],
    },
    {
      name: 'an ERROR shorter than struct nlmsgerr',
      bytes: [20, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
    },
    {
      name: 'an ERROR whose nlmsg_len lies past its bytes',
      bytes: [255, 0, 0, 0, 2, 0, 0, 0, 7, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff],
    },
    {
      name: 'an ERROR with an nla_len past the end',
      bytes: [
        40, 0, 0, 0,
        2, 0, 0, 3,
        7, 0, 0, 0,
        0, 0, 0, 0,
        0xff, 0xff, 0xff, 0xff,
        16, 0, 0, 0,
        24, 0, 5, 5,
        7, 0, 0, 0,
        0, 0, 0, 0,
        99, 0, 1, 0, //  nla_len 99 in 4 bytes
      ],
    },
    {
      name: 'an uncapped ERROR echoing a length near 2^32 (the align overflow)',
      bytes: [
        44, 0, 0, 0,
        2, 0, 0, 2, //   NLM_F_ACK_TLVS, not capped
        7, 0, 0, 0,
        0, 0, 0, 0,
        0xff, 0xff, 0xff, 0xff,
        0xfd, 0xff, 0xff, 0x7f, // echoed nlmsg_len 0x7ffffffd
        24, 0, 5, 5,
        7, 0, 0, 0,
        0, 0, 0, 0,
        8, 0, 2, 0,
        1, 0, 0, 0,
      ],
    },
  ])('$name is a DecodeError', ({ bytes }) => {
    const state = controlState({ seq: 7 });
    expect(() => routeMessage(state, view(bytes), 0)).toThrow(DecodeError);
  });
});

// biome-ignore format: byte literals four per line
describe('readAck', () => {
  it('reads the TLVs after a whole echoed request', () => {
    const bytes = [
      48, 0, 0, 0,
      2, 0, 0, 2, //   NLM_F_ACK_TLVS
      7, 0, 0, 0,
      0, 0, 0, 0,
      0xea, 0xff, 0xff, 0xff, // error -22
      20, 0, 0, 0, //  echoed request: 20 bytes
      24, 0, 5, 5,
      7, 0, 0, 0,
      0, 0, 0, 0,
      9, 9, 9, 9, //   its payload
      8, 0, 2, 0, //   NLMSGERR_ATTR_OFFS 16
      16, 0, 0, 0,
    ];
    expect(readAck(view(bytes), 0)).toEqual({ errno: 22, seq: 7, requestType: 24, offset: 16 });
  });
});
