import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Koffi from 'koffi';
import type { node } from 'koffi';

/** koffi's module, as its d.ts types it; only a type here, so importing loads nothing. */
type KoffiModule = typeof Koffi;

/** The callback type koffi's d.ts declares for poll handles. */
type DeclaredPollCallback = (events: node.PollEvents) => void;

/**
 * A libuv poll handle on one file descriptor (`koffi.node.poll`), readable events only.
 * libuv polls level-triggered: while the fd stays readable the callback runs on every turn
 * of the event loop, so a producer with no room must {@link stop} it.
 */
export interface PollWatcher {
  /** Starts (or restarts) watching; a no-op after {@link close}. */
  start(): void;
  /** Stops watching; the handle no longer keeps the process alive. A no-op after close. */
  stop(): void;
  /** Stops and frees the handle. Idempotent; safe from inside the callback. */
  close(): void;
}

/**
 * The C library calls nlring makes, typed, so that tests can script the kernel's answers
 * (serialport's injected bindings are the model).
 *
 * Conventions, for every implementation:
 * - Calls that return an `int` or `ssize_t` return it when it is >= 0 and `-errno` on
 *   failure, errno being read right after the failing call. Nothing throws for a failed
 *   system call.
 * - Buffers are `Uint8Array`s passed by address for the duration of the call; a buffer's
 *   length is its `byteLength`. Structures that hold pointers (msghdr, iovec) are built by
 *   the caller in Uint8Arrays with the addresses from {@link address}; the caller keeps
 *   every buffer whose address it stored alive while the kernel may use it.
 * - Addresses are `bigint`s. `mmap` returns the address, or `-errno` as a negative bigint.
 *
 * @example
 * const c: Libc = libc();
 * declare const vector: Uint8Array; // 8 struct mmsghdr
 * const r = c.recvmmsg(fd, vector, 8, MSG_DONTWAIT);
 * if (r === -errnos.EAGAIN) console.log('nothing yet: wait for POLLIN');
 */
export interface Libc {
  /** `socket(domain, type, protocol)`: the new fd. */
  socket(domain: number, type: number, protocol: number): number;
  /** `bind(fd, address, address.byteLength)`. */
  bind(fd: number, address: Uint8Array): number;
  /** `getsockname(fd, address, &len)`: fills `address`; returns the address length. */
  getsockname(fd: number, address: Uint8Array): number;
  /** `setsockopt(fd, level, name, value, value.byteLength)`. */
  setsockopt(fd: number, level: number, name: number, value: Uint8Array): number;
  /** `getsockopt(fd, level, name, value, &len)`: fills `value`; returns the length. */
  getsockopt(fd: number, level: number, name: number, value: Uint8Array): number;
  /**
   * `sendto(fd, data, data.byteLength, flags, address, address.byteLength)`; a null `data`
   * is `sendto(fd, NULL, 0, …)`, the TX ring trigger (RING-SPEC §5.1).
   */
  sendto(fd: number, data: Uint8Array | null, flags: number, address: Uint8Array | null): number;
  /** `sendmmsg(fd, vector, count, flags)`: messages sent; `msg_len` of each is filled. */
  sendmmsg(fd: number, vector: Uint8Array, count: number, flags: number): number;
  /** `recvfrom(fd, buffer, buffer.byteLength, flags, NULL, NULL)`. */
  recv(fd: number, buffer: Uint8Array, flags: number): number;
  /** `recvmsg(fd, header, flags)` with a `struct msghdr` in `header`. */
  recvmsg(fd: number, header: Uint8Array, flags: number): number;
  /** `recvmmsg(fd, vector, count, flags, NULL)`: datagrams received. */
  recvmmsg(fd: number, vector: Uint8Array, count: number, flags: number): number;
  /** `poll(&{fd, events}, 1, 0)`: the `revents`, never waiting. */
  poll(fd: number, events: number): number;
  /** `mmap(NULL, length, prot, flags, fd, offset)`. */
  mmap(length: number, prot: number, flags: number, fd: number, offset: number): bigint;
  /** `munmap(address, length)`. */
  munmap(address: bigint, length: number): number;
  /** `setns(fd, nstype)`: moves the calling thread into a namespace. */
  setns(fd: number, nstype: number): number;
  /** `unshare(flags)`: gives the calling thread new namespaces (CLONE_NEWNET: a network one). */
  unshare(flags: number): number;
  /** `mount(source, target, type, flags, NULL)`. */
  mount(source: string, target: string, type: string, flags: number): number;
  /** `umount2(target, flags)`. */
  umount2(target: string, flags: number): number;
  /** `sysconf(name)`. */
  sysconf(name: number): number;
  /** `close(fd)`. */
  close(fd: number): number;
  /** The address of `bytes[0]` (its `byteOffset` included). */
  address(bytes: Uint8Array): bigint;
  /** An ArrayBuffer over `length` bytes of foreign memory at `address` (no copy). */
  view(address: bigint, length: number): ArrayBuffer;
  /** A poll handle on `fd`; `callback(status)` gets libuv's status (< 0: libuv stopped it). */
  watch(fd: number, callback: (status: number) => void): PollWatcher;
}

/** `MAP_FAILED`, `(void *) -1`, as koffi returns it. */
const MAP_FAILED = 0xffffffffffffffffn;

let instance: Libc | null = null;
let koffi: KoffiModule | null = null;

/**
 * koffi, required on the first socket and never at import: its native loader fails off
 * Linux, and `nlring/testing`, the codecs and the operators must import and run anywhere.
 * A `require` rather than `import()` keeps the first `libc()` synchronous, as a socket's
 * open is.
 *
 * The prebuilt binary is required directly when it is where koffi's own loader finds it on
 * glibc (its optional dependency `@koromix/koffi-<platform>-<arch>`), and koffi's JavaScript
 * only when it is not. That loader compiles three files, reads the ELF header of node and
 * resolves the package twice before it requires the same file: ~6 ms of a fresh process's
 * ~9 ms to a loaded koffi on this VM (docs/ARCHITECTURE.md, "Start-up"). The binary's exports
 * are koffi's API (koffi's module re-exports them), and `require` caches it under its path,
 * so a program that requires koffi itself gets the same instance.
 */
function loadKoffi(): KoffiModule {
  if (koffi !== null) return koffi;
  const require = createRequire(import.meta.filename);
  const { platform, arch } = process;
  if (platform === 'linux' && !muslNode()) {
    try {
      const native = require(`@koromix/koffi-${platform}-${arch}/${platform}_${arch}/koffi.node`);
      if (typeof native?.load === 'function' && typeof native.version === 'string') {
        koffi = native as KoffiModule;
        return koffi;
      }
    } catch {
      // Not installed there (or not loadable): koffi's loader knows the other places.
    }
  }
  koffi = require('koffi') as KoffiModule;
  return koffi;
}

/**
 * Whether this node runs on musl (its program interpreter, in the first page of its ELF
 * file, is `ld-musl-…`), where koffi needs its musl build: koffi's loader decides then.
 */
function muslNode(): boolean {
  try {
    const head = Buffer.alloc(4096);
    const fd = openSync(process.execPath, 'r');
    try {
      readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
    return head.includes('/ld-musl-');
  } catch {
    return true;
  }
}

/**
 * The C library of this process through koffi: the only place nlring calls into native
 * code. Loaded on first use and shared; only LP64 Linux (x86_64, arm64) is supported,
 * because the I/O layer lays out `msghdr` and friends itself.
 *
 * Throws an Error when libc cannot be loaded or the platform is not LP64 Linux.
 *
 * @example
 * const c = libc();
 * const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
 * if (fd < 0) throw new NetlinkError({ op: 'socket', errno: -fd });
 */
export function libc(): Libc {
  if (instance === null) instance = load();
  return instance;
}

function load(): Libc {
  if (process.platform !== 'linux') {
    throw new Error(`nlring: netlink sockets need Linux (this is ${process.platform})`);
  }
  const koffi = loadKoffi();
  if (koffi.sizeof('void *') !== 8 || koffi.sizeof('long') !== 8) {
    throw new Error('nlring: only LP64 Linux (x86_64, arm64) is supported');
  }
  const lib = koffi.load('libc.so.6');
  const socket = lib.func('int socket(int, int, int)');
  const bind = lib.func('int bind(int, void *, uint32_t)');
  const getsockname = lib.func('int getsockname(int, void *, void *)');
  const setsockopt = lib.func('int setsockopt(int, int, int, void *, uint32_t)');
  const getsockopt = lib.func('int getsockopt(int, int, int, void *, void *)');
  const sendto = lib.func('intptr_t sendto(int, void *, size_t, int, void *, uint32_t)');
  const sendmmsg = lib.func('int sendmmsg(int, void *, unsigned int, int)');
  const recvfrom = lib.func('intptr_t recvfrom(int, void *, size_t, int, void *, void *)');
  const recvmsg = lib.func('intptr_t recvmsg(int, void *, int)');
  const recvmmsg = lib.func('int recvmmsg(int, void *, unsigned int, int, void *)');
  const poll = lib.func('int poll(void *, unsigned long, int)');
  const mmap = lib.func('void *mmap(void *, size_t, int, int, int, int64_t)');
  const munmap = lib.func('int munmap(void *, size_t)');
  const setns = lib.func('int setns(int, int)');
  const unshare = lib.func('int unshare(int)');
  const mount = lib.func(
    'int mount(const char *, const char *, const char *, unsigned long, void *)',
  );
  const umount2 = lib.func('int umount2(const char *, int)');
  const sysconf = lib.func('long sysconf(int)');
  const close = lib.func('int close(int)');

  // Scratch for the value-result lengths and the pollfd. Created from explicit ArrayBuffers
  // so that V8 never keeps them on its moving heap.
  const length = new Uint32Array(new ArrayBuffer(4));
  const pollfd = new DataView(new ArrayBuffer(8));

  const result = (r: number): number => (r < 0 ? -koffi.errno() : r);

  return {
    socket: (domain, type, protocol) => result(socket(domain, type, protocol)),
    bind: (fd, address) => result(bind(fd, address, address.byteLength)),
    getsockname: (fd, address) => {
      length[0] = address.byteLength;
      const r = getsockname(fd, address, length);
      return r < 0 ? -koffi.errno() : length[0];
    },
    setsockopt: (fd, level, name, value) =>
      result(setsockopt(fd, level, name, value, value.byteLength)),
    getsockopt: (fd, level, name, value) => {
      length[0] = value.byteLength;
      const r = getsockopt(fd, level, name, value, length);
      return r < 0 ? -koffi.errno() : length[0];
    },
    sendto: (fd, data, flags, address) =>
      result(
        sendto(
          fd,
          data,
          data === null ? 0 : data.byteLength,
          flags,
          address,
          address === null ? 0 : address.byteLength,
        ),
      ),
    sendmmsg: (fd, vector, count, flags) => result(sendmmsg(fd, vector, count, flags)),
    recv: (fd, buffer, flags) => result(recvfrom(fd, buffer, buffer.byteLength, flags, null, null)),
    recvmsg: (fd, header, flags) => result(recvmsg(fd, header, flags)),
    recvmmsg: (fd, vector, count, flags) => result(recvmmsg(fd, vector, count, flags, null)),
    poll: (fd, events) => {
      pollfd.setInt32(0, fd, true);
      pollfd.setInt16(4, events, true);
      pollfd.setInt16(6, 0, true);
      const r = poll(pollfd, 1, 0);
      return r < 0 ? -koffi.errno() : pollfd.getUint16(6, true);
    },
    mmap: (size, prot, flags, fd, offset) => {
      const address: bigint = mmap(null, size, prot, flags, fd, offset);
      return address === MAP_FAILED ? -BigInt(koffi.errno()) : address;
    },
    munmap: (address, size) => result(munmap(address, size)),
    setns: (fd, nstype) => result(setns(fd, nstype)),
    unshare: (flags) => result(unshare(flags)),
    mount: (source, target, type, flags) => result(mount(source, target, type, flags, null)),
    umount2: (target, flags) => result(umount2(target, flags)),
    sysconf: (name) => result(sysconf(name)),
    close: (fd) => result(close(fd)),
    address: (bytes) => koffi.address(bytes),
    view: (address, size) => koffi.view(address, size),
    watch: (fd, callback) => watchFd(fd, callback),
  };
}

/**
 * Wraps `koffi.node.poll`. koffi calls the callback as `(status, events)`; a negative
 * status is libuv's UV_EBADF after POLLERR, when libuv has already stopped the handle. The
 * native handle must not be touched once closed (its stop/start would dereference a freed
 * handle), hence the `closed` guard. The handle is started without an options object:
 * koffi then watches for readable alone (the default) instead of reading three named
 * properties of one on every start, which the socket's rests make once a wake-up.
 */
function watchFd(fd: number, callback: (status: number) => void): PollWatcher {
  const koffi = loadKoffi();
  const onPoll = (status: number) => callback(status);
  let closed = false;
  // The d.ts types the callback as (events) => void; koffi really passes (status, events).
  const declared = onPoll as unknown as DeclaredPollCallback;
  const handle = koffi.node.poll(fd, declared);
  if (handle === null) throw new Error(`nlring: cannot poll fd ${fd}`);
  return {
    start: () => {
      if (!closed) handle.start(declared);
    },
    stop: () => {
      if (!closed) handle.stop();
    },
    close: () => {
      if (closed) return;
      closed = true;
      handle.close();
    },
  };
}
