// The real libc bindings against this machine's kernel: the conventions of the Libc
// interface (results >= 0 or -errno, bigint addresses) hold for the koffi implementation.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { errnos } from '../../src/errors/errno.js';
import {
  _SC_PAGESIZE,
  AF_NETLINK,
  MAP_ANONYMOUS,
  MAP_PRIVATE,
  MSG_DONTWAIT,
  MSG_PEEK,
  MSG_TRUNC,
  PROT_READ,
  PROT_WRITE,
  SO_ERROR,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_SOCKET,
} from '../../src/io/constants.js';
import { libc } from '../../src/io/libc.js';
import { NETLINK_ROUTE, NLM_F_DUMP, NLM_F_REQUEST } from '../../src/netlink/constants.js';
import { MessageWriter } from '../../src/netlink/MessageWriter.js';
import { NETLINK_RX_RING, SOL_NETLINK } from '../../src/ring/constants.js';
import { POLLIN, POLLOUT } from '../../src/ring/RingEndpoint.js';

const RTM_NEWLINK = 16;
const RTM_GETLINK = 18;
const c = libc();
const open: number[] = [];

function routeSocket(): number {
  const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
  expect(fd).toBeGreaterThanOrEqual(0);
  open.push(fd);
  return fd;
}

function kernel(): Uint8Array {
  const address = new Uint8Array(new ArrayBuffer(12));
  address[0] = AF_NETLINK;
  return address;
}

function linkDump(seq: number): Uint8Array {
  return new MessageWriter()
    .begin(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .zeros(16)
    .end()
    .finish();
}

afterEach(() => {
  for (const fd of open.splice(0)) c.close(fd);
});

describe('libc (koffi)', () => {
  it.each([
    {
      name: 'socket() of an unknown protocol',
      call: () => c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 31),
      errno: errnos.EPROTONOSUPPORT,
    },
    { name: 'close(-1)', call: () => c.close(-1), errno: errnos.EBADF },
    {
      name: 'setsockopt(NETLINK_RX_RING) on Linux >= 4.6',
      call: () => c.setsockopt(routeSocket(), SOL_NETLINK, NETLINK_RX_RING, new Uint8Array(16)),
      errno: errnos.ENOPROTOOPT,
    },
    {
      name: 'recv on an empty non-blocking socket',
      call: () => c.recv(routeSocket(), new Uint8Array(64), MSG_DONTWAIT),
      errno: errnos.EAGAIN,
    },
  ])('returns -errno for $name', ({ call, errno }) => {
    expect(call()).toBe(-errno);
  });

  it('binds, names the port, and answers SO_ERROR with an int', () => {
    const fd = routeSocket();
    expect(c.bind(fd, kernel())).toBe(0);
    const name = new Uint8Array(new ArrayBuffer(12));
    expect(c.getsockname(fd, name)).toBe(12);
    const view = new DataView(name.buffer);
    expect(view.getUint16(0, true)).toBe(AF_NETLINK);
    expect(view.getUint32(4, true)).toBeGreaterThan(0);
    const value = new Uint8Array(new ArrayBuffer(4));
    expect(c.getsockopt(fd, SOL_SOCKET, SO_ERROR, value)).toBe(4);
    expect(new DataView(value.buffer).getInt32(0, true)).toBe(0);
  });

  it('sends a dump request with sendto, sees POLLIN with poll, sizes it with a peek and reads it', () => {
    const fd = routeSocket();
    expect(c.poll(fd, POLLIN | POLLOUT)).toBe(POLLOUT);
    const request = linkDump(7);
    expect(c.sendto(fd, request, 0, kernel())).toBe(request.byteLength);
    expect(c.poll(fd, POLLIN | POLLOUT)).toBe(POLLIN | POLLOUT);
    // The kernel-ring recv() sizes a COPY message first: an empty peek with MSG_TRUNC.
    const size = c.recv(
      fd,
      new Uint8Array(new ArrayBuffer(0)),
      MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT,
    );
    const buffer = new Uint8Array(new ArrayBuffer(65536));
    const n = c.recv(fd, buffer, MSG_DONTWAIT);
    expect(n).toBeGreaterThan(16);
    expect(size).toBe(n);
    const view = new DataView(buffer.buffer);
    expect(view.getUint16(4, true)).toBe(RTM_NEWLINK);
    expect(view.getUint32(8, true)).toBe(7);
  });

  it('maps anonymous memory, views it without copying, and unmaps it', () => {
    const size = 3 * c.sysconf(_SC_PAGESIZE);
    const address = c.mmap(size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    expect(address).toBeGreaterThan(0n);
    const a = new Uint8Array(c.view(address, size));
    const b = new Uint8Array(c.view(address, size));
    a[size - 1] = 0x5a;
    expect(b[size - 1]).toBe(0x5a);
    expect(c.munmap(address, size)).toBe(0);
  });

  it('returns -errno as a negative bigint when mmap fails', () => {
    // Neither MAP_PRIVATE nor MAP_SHARED: EINVAL.
    expect(c.mmap(4096, PROT_READ, MAP_ANONYMOUS, -1, 0)).toBe(-BigInt(errnos.EINVAL));
  });

  it('gives the address of a view into a buffer, byteOffset included', () => {
    const bytes = new Uint8Array(new ArrayBuffer(64));
    expect(c.address(bytes.subarray(5))).toBe(c.address(bytes) + 5n);
    expect(c.sysconf(_SC_PAGESIZE)).toBeGreaterThanOrEqual(4096);
  });

  it('watches an fd with a libuv poll handle that stops, restarts and closes from its callback', async () => {
    const fd = routeSocket();
    const buffer = new Uint8Array(new ArrayBuffer(65536));
    const seen: number[] = [];
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const watcher = c.watch(fd, (status) => {
      seen.push(status);
      while (c.recv(fd, buffer, MSG_DONTWAIT) > 0) {}
      if (seen.length === 2) {
        watcher.close();
        watcher.close();
        watcher.stop();
        watcher.start();
        done();
      }
    });
    watcher.stop();
    c.sendto(fd, linkDump(1), 0, kernel());
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([]);
    watcher.start();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([0]);
    c.sendto(fd, linkDump(2), 0, kernel());
    await finished;
    expect(seen).toEqual([0, 0]);
  });
});

describe("koffi's binary", () => {
  it("is required directly, and a program's own require('koffi') gets the same instance", () => {
    const require = createRequire(import.meta.url);
    const loaded = Object.keys(require.cache).filter((f) => f.endsWith('/koffi.node'));
    // libc() above required the glibc build at its path, once.
    expect(loaded).toHaveLength(1);
    expect(loaded[0]).toMatch(/@koromix\/koffi-linux-[^/]+\/linux_[^/]+\/koffi\.node$/);
    const native = require.cache[loaded[0]]?.exports as { version: string };
    const koffi = require('koffi') as { default: unknown; version: string };
    expect(koffi.default).toBe(native);
    expect(koffi.version).toBe(native.version);
  });
});
