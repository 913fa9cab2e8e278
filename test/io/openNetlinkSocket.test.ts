import { describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import { NetlinkError } from '../../src/errors/NetlinkError.js';
import { RingGeometryError } from '../../src/errors/RingGeometryError.js';
import { SO_PASSCRED, SO_RCVBUF, SO_RCVBUFFORCE, SOL_SOCKET } from '../../src/io/constants.js';
import {
  type OpenNetlinkSocketOptions,
  openNetlinkSocket,
} from '../../src/io/openNetlinkSocket.js';
import {
  NETLINK_ADD_MEMBERSHIP,
  NETLINK_EXT_ACK,
  NETLINK_GET_STRICT_CHK,
  NETLINK_NO_ENOBUFS,
  NETLINK_PKTINFO,
} from '../../src/netlink/constants.js';
import { chooseGeometry } from '../../src/ring/chooseGeometry.js';
import { MAX_DUMP_DATAGRAM, NETLINK_RX_RING, SOL_NETLINK } from '../../src/ring/constants.js';
import { openScripted } from './openScripted.js';
import { ScriptedLibc } from './ScriptedLibc.js';

const key = (level: number, name: number) => `${level}:${name}`;

describe('openNetlinkSocket', () => {
  it.each([
    { name: 'route', protocol: 'route', number: 0 },
    { name: 'sock_diag', protocol: 'sock_diag', number: 4 },
    { name: 'netfilter', protocol: 'netfilter', number: 12 },
    { name: 'generic', protocol: 'generic', number: 16 },
    { name: 'a number', protocol: 9, number: 9 },
  ] as const)('opens protocol $name', ({ protocol, number }) => {
    const { socket, kernel } = openScripted({ protocol });
    expect(kernel.protocol).toBe(number);
    expect(socket.protocol).toBe(number);
  });

  it('switches on EXT_ACK, GET_STRICT_CHK, and for the engine SO_PASSCRED and PKTINFO; binds and reads the port id', () => {
    const { socket, kernel } = openScripted();
    expect(kernel.option(SOL_NETLINK, NETLINK_EXT_ACK)).toBe(1);
    expect(kernel.option(SOL_NETLINK, NETLINK_GET_STRICT_CHK)).toBe(1);
    expect(kernel.option(SOL_SOCKET, SO_PASSCRED)).toBe(1);
    expect(kernel.option(SOL_NETLINK, NETLINK_PKTINFO)).toBe(1);
    expect(kernel.option(SOL_NETLINK, NETLINK_NO_ENOBUFS)).toBeNull();
    expect(kernel.bound).toBe(true);
    expect(socket.portid).toBe(kernel.portid);
    expect(socket.ringMode).toBe('engine');
  });

  it('leaves EXT_ACK and GET_STRICT_CHK off when asked', () => {
    const { kernel } = openScripted({ extendedAck: false, strictCheck: false });
    expect(kernel.option(SOL_NETLINK, NETLINK_EXT_ACK)).toBeNull();
    expect(kernel.option(SOL_NETLINK, NETLINK_GET_STRICT_CHK)).toBeNull();
  });

  it('ignores ENOPROTOOPT for EXT_ACK and GET_STRICT_CHK', () => {
    const { socket } = openScripted({}, (libc) => {
      libc.answers.set(key(SOL_NETLINK, NETLINK_EXT_ACK), errnos.ENOPROTOOPT);
      libc.answers.set(key(SOL_NETLINK, NETLINK_GET_STRICT_CHK), errnos.ENOPROTOOPT);
    });
    expect(socket.closed).toBe(false);
  });

  it.each([
    { name: 'EXT_ACK EINVAL', option: key(SOL_NETLINK, NETLINK_EXT_ACK), errno: errnos.EINVAL },
    { name: 'SO_PASSCRED EPERM', option: key(SOL_SOCKET, SO_PASSCRED), errno: errnos.EPERM },
    {
      name: 'NETLINK_PKTINFO ENOPROTOOPT',
      option: key(SOL_NETLINK, NETLINK_PKTINFO),
      errno: errnos.ENOPROTOOPT,
    },
  ])('fails on $name with a NetlinkError and closes the fd', ({ option, errno }) => {
    const libc = new ScriptedLibc();
    libc.answers.set(option, errno);
    expect(() => openNetlinkSocket({ protocol: 'route', libc })).toThrow(
      expect.objectContaining({ op: 'setsockopt', errno }),
    );
    expect(libc.only.closes).toBe(1);
    expect(libc.munmaps).toEqual([]);
  });

  it('sets NETLINK_NO_ENOBUFS when asked', () => {
    const { kernel } = openScripted({ noEnobufs: true });
    expect(kernel.option(SOL_NETLINK, NETLINK_NO_ENOBUFS)).toBe(1);
  });

  it.each([
    { name: 'with CAP_NET_ADMIN: SO_RCVBUFFORCE', force: 0, option: SO_RCVBUFFORCE },
    { name: 'without: SO_RCVBUF', force: errnos.EPERM, option: SO_RCVBUF },
  ])('sets the receive buffer $name', ({ force, option }) => {
    const { kernel } = openScripted({ receiveBufferSize: 8192 }, (libc) => {
      libc.answers.set(key(SOL_SOCKET, SO_RCVBUFFORCE), force);
    });
    expect(kernel.option(SOL_SOCKET, option)).toBe(8192);
  });

  it('binds groups 1-32 as a mask and joins larger ones with NETLINK_ADD_MEMBERSHIP', () => {
    const { kernel, socket } = openScripted({ groups: [1, 3, 32, 33] });
    expect(kernel.option(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP)).toBe(33);
    expect(socket.memberships()).toEqual([1, 3, 32, 33]);
  });

  it("skips the probe with ringMode: 'engine'", () => {
    const { socket, kernel } = openScripted({ ringMode: 'engine' }, (libc) => {
      libc.ringAnswer = 0;
    });
    expect(socket.ringMode).toBe('engine');
    expect(socket.modeReason).toContain("ringMode: 'engine'");
    expect(kernel.option(SOL_NETLINK, NETLINK_RX_RING)).toBeNull();
  });

  it('defaults to a ring whose frames hold a 32 KiB dump datagram', () => {
    const { socket } = openScripted({ rx: undefined });
    expect(socket.rx.geometry).toEqual(
      chooseGeometry({ messageSize: MAX_DUMP_DATAGRAM, memory: 1 << 18 }),
    );
    expect(socket.rx.maxlen).toBeGreaterThanOrEqual(MAX_DUMP_DATAGRAM);
  });

  it('sizes the default ring from messageSize and ringMemory', () => {
    const { socket } = openScripted({ rx: undefined, messageSize: 1000, ringMemory: 65536 });
    expect(socket.rx.geometry).toEqual({
      blockSize: 4096,
      blockNr: 16,
      frameSize: 1024,
      frameNr: 64,
    });
  });

  it('reports socket() failing as NetlinkError op socket', () => {
    const libc = new ScriptedLibc();
    libc.socketError = errnos.EPROTONOSUPPORT;
    expect(() => openNetlinkSocket({ protocol: 30, libc })).toThrow(
      expect.objectContaining({ op: 'socket', errno: errnos.EPROTONOSUPPORT }),
    );
  });

  it('reports an unknown namespace as NetlinkError op netns ENOENT, opening nothing', () => {
    const libc = new ScriptedLibc();
    let error: unknown;
    try {
      openNetlinkSocket({ protocol: 'route', netns: `nlring-absent-${process.pid}`, libc });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NetlinkError);
    expect(error).toMatchObject({ op: 'netns', errno: errnos.ENOENT, code: 'ENOENT' });
    expect(libc.sockets.size).toBe(0);
    expect(libc.setnsCalls).toEqual([]);
  });

  const bad: Array<{ name: string; options: unknown; error: new (...a: never[]) => Error }> = [
    { name: 'no options', options: undefined, error: TypeError },
    { name: 'an unknown protocol name', options: { protocol: 'nope' }, error: TypeError },
    { name: 'a protocol number of 32', options: { protocol: 32 }, error: TypeError },
    { name: 'a group 0', options: { protocol: 'route', groups: [0] }, error: TypeError },
    { name: 'groups not an array', options: { protocol: 'route', groups: 1 }, error: TypeError },
    { name: 'a bad ringMode', options: { protocol: 'route', ringMode: 'x' }, error: TypeError },
    {
      name: 'a zero receive buffer',
      options: { protocol: 'route', receiveBufferSize: 0 },
      error: TypeError,
    },
    {
      name: 'an impossible geometry',
      options: {
        protocol: 'route',
        rx: { blockSize: 4096, blockNr: 1, frameSize: 1000, frameNr: 5 },
      },
      error: RingGeometryError,
    },
    { name: 'a namespace path', options: { protocol: 'route', netns: '../x' }, error: TypeError },
    // Sizes that reach native code (mmap, koffi.view): checked first, never an abort.
    { name: 'spill 2^30', options: { protocol: 'route', spill: 2 ** 30 }, error: TypeError },
    {
      name: 'batch × spill over 64 MiB',
      options: { protocol: 'route', batch: 1024, spill: 2 ** 20 },
      error: TypeError,
    },
    { name: 'batch 0', options: { protocol: 'route', batch: 0 }, error: TypeError },
    { name: 'batch NaN', options: { protocol: 'route', batch: Number.NaN }, error: TypeError },
    { name: 'spill -1', options: { protocol: 'route', spill: -1 }, error: TypeError },
    {
      name: 'an RX ring of 4 GiB',
      options: {
        protocol: 'route',
        rx: { blockSize: 2 ** 20, blockNr: 4096, frameSize: 2 ** 20, frameNr: 4096 },
      },
      error: TypeError,
    },
    {
      name: 'ringMemory 2^40',
      options: { protocol: 'route', rx: undefined, ringMemory: 2 ** 40 },
      error: TypeError,
    },
    {
      name: 'coalesce NaN',
      options: { protocol: 'route', coalesce: Number.NaN },
      error: TypeError,
    },
    { name: 'noEnobufs 1', options: { protocol: 'route', noEnobufs: 1 }, error: TypeError },
    { name: 'netns empty', options: { protocol: 'route', netns: '' }, error: TypeError },
  ];

  it.each(bad)('rejects $name before opening anything', ({ options, error }) => {
    const libc = new ScriptedLibc();
    const withLibc =
      typeof options === 'object' && options !== null ? { ...options, libc } : options;
    expect(() => openNetlinkSocket(withLibc as OpenNetlinkSocketOptions)).toThrow(error);
    if (error === TypeError) {
      expect(() => openNetlinkSocket(withLibc as OpenNetlinkSocketOptions)).toThrow(
        /^openNetlinkSocket: /,
      );
    }
    expect(libc.sockets.size).toBe(0);
  });
});
