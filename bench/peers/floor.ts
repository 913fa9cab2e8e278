// The floor of nlring's stack for the jobs whose targets it misses (issue 10, targets 3, 4
// and 5): a program that makes only the calls nlring's I/O layer makes through koffi
// (src/io/libc.ts), with nothing above them: no ring, no decoding, no Observable. What it
// costs is what Node and koffi cost on this machine; a library on them cannot cost less.
// Run as its own process inside the namespace (`ip netns exec`).
//
//   node dist/bench/peers/floor.js routes
//     one AF_UNSPEC RTM_GETROUTE dump of every table, read with recv() into a 32 KiB buffer
//     (as the C raw receiver) until NLMSG_DONE; prints the RTM_NEWROUTE messages counted.
//   node dist/bench/peers/floor.js nflog GROUP EXPECTED IDLE_MS NLBUFSIZ QTHRESH
//     NFLOG group GROUP bound and set up as bench/c/nflog_recv.c does (copy the packet, a
//     1/10 s flush, NLBUFSIZ and QTHRESH, a 256 MiB receive buffer); a poll handle, recv()
//     until EAGAIN on each wake-up, packets counted by message type, nothing decoded. Prints
//     `ready` once bound, then `received N cpu_ns X seconds S` when EXPECTED arrived or after
//     IDLE_MS without one (CPU of the process from `ready`, as the other receivers count it).
//   node dist/bench/peers/floor.js nfqueue QUEUE EXPECTED IDLE_MS PREFILL_MS
//     NFQUEUE queue QUEUE bound as bench/c/nfq_recv.c binds it (copy the packet, a queue of
//     EXPECTED + 1024, a 256 MiB receive buffer); after `ready` it sleeps PREFILL_MS, then in
//     one synchronous loop (no event loop at all) reads 64 datagrams a recvmmsg(), takes each
//     packet's id and accepts them with one NFQNL_MSG_VERDICT_BATCH a read. Prints `received
//     N cpu_ns X seconds S` (from the end of the sleep to the last verdict, as the C one).
//   node dist/bench/peers/floor.js wake PORT EXPECTED IDLE_MS
//     not netlink: the cost of a wake-up. A UDP socket bound to 127.0.0.1:PORT, a poll handle,
//     recv() until EAGAIN on each wake-up, as bench/c/wake_recv.c with poll(); paced traffic
//     (bench/c/paced.c) sends one datagram per wake-up. Prints `ready`, then `received N
//     cpu_ns X seconds S wakes W` when EXPECTED arrived or after IDLE_MS without one.
import {
  IOV_BASE,
  IOV_LEN,
  IOVEC_SIZE,
  MMSG_LEN,
  MMSGHDR_SIZE,
  MSG_IOV,
  MSG_IOVLEN,
} from '../../src/io/layout.js';
import { libc } from '../../src/io/libc.js';

const AF_NETLINK = 16;
const AF_INET = 2;
const SOCK_RAW = 3;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const NETLINK_ROUTE = 0;
const NETLINK_NETFILTER = 12;
const SOL_SOCKET = 1;
const SO_RCVBUFFORCE = 33;
const MSG_DONTWAIT = 0x40;
const NLMSG_ERROR = 2;
const NLMSG_DONE = 3;
const RTM_NEWROUTE = 24;
const RTM_GETROUTE = 26;
const NLM_F_REQUEST = 1;
const NLM_F_ACK = 4;
const NLM_F_DUMP = 0x300;
/** NFNL_SUBSYS_ULOG << 8 | NFULNL_MSG_CONFIG, and NFULNL_MSG_PACKET. */
const NFULNL_CONFIG = 0x0401;
const NFULNL_PACKET = 0x0400;
/** NFULA_CFG_CMD, _MODE, _NLBUFSIZ, _TIMEOUT, _QTHRESH; NFULNL_CFG_CMD_BIND; COPY_PACKET. */
const CFG_CMD = 1;
const CFG_MODE = 2;
const CFG_NLBUFSIZ = 3;
const CFG_TIMEOUT = 4;
const CFG_QTHRESH = 5;
const CMD_BIND = 1;
const COPY_PACKET = 2;

const c = libc();
const kernel = new Uint8Array(new ArrayBuffer(12));
new DataView(kernel.buffer).setUint16(0, AF_NETLINK, true);

function open(protocol: number): number {
  const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK, protocol);
  if (fd < 0) throw new Error(`socket: errno ${-fd}`);
  if (c.bind(fd, kernel) < 0) throw new Error('bind failed');
  return fd;
}

/** Sleeps `ms` without the event loop (the setup's acknowledgement wait). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function routes(): void {
  const fd = open(NETLINK_ROUTE);
  const request = new Uint8Array(new ArrayBuffer(28));
  const r = new DataView(request.buffer);
  r.setUint32(0, 28, true);
  r.setUint16(4, RTM_GETROUTE, true);
  r.setUint16(6, NLM_F_REQUEST | NLM_F_DUMP, true);
  r.setUint32(8, 1, true);
  if (c.sendto(fd, request, 0, kernel) < 0) throw new Error('sendto failed');
  const buffer = new Uint8Array(new ArrayBuffer(32768));
  const v = new DataView(buffer.buffer);
  let messages = 0;
  for (let done = false; !done; ) {
    const n = c.recv(fd, buffer, 0);
    if (n === -11) {
      sleep(0);
      continue;
    }
    if (n < 0) throw new Error(`recv: errno ${-n}`);
    for (let o = 0; o + 16 <= n; ) {
      const length = v.getUint32(o, true);
      const type = v.getUint16(o + 4, true);
      if (type === NLMSG_DONE || type === NLMSG_ERROR) {
        done = true;
        break;
      }
      if (type === RTM_NEWROUTE) messages++;
      if (length < 16) break;
      o += (length + 3) & ~3;
    }
  }
  c.close(fd);
  process.stdout.write(`${messages}\n`);
}

async function nflog(args: number[]): Promise<void> {
  const [group, expected, idleMs, nlbufsiz, qthresh] = args;
  const fd = open(NETLINK_NETFILTER);
  const size = new Uint8Array(new ArrayBuffer(4));
  new DataView(size.buffer).setInt32(0, 256 << 20, true);
  c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size);
  let seq = 1;
  const ack = new Uint8Array(new ArrayBuffer(4096));
  /** One NFULNL_MSG_CONFIG with one attribute, acknowledged. */
  const configure = (type: number, payload: number[]): void => {
    const attr = (4 + payload.length + 3) & ~3;
    const m = new Uint8Array(new ArrayBuffer(20 + attr));
    const v = new DataView(m.buffer);
    v.setUint32(0, m.byteLength, true);
    v.setUint16(4, NFULNL_CONFIG, true);
    v.setUint16(6, NLM_F_REQUEST | NLM_F_ACK, true);
    v.setUint32(8, seq++, true);
    v.setUint16(18, group, false); // nfgenmsg res_id, big-endian
    v.setUint16(20, 4 + payload.length, true);
    v.setUint16(22, type, true);
    m.set(payload, 24);
    if (c.sendto(fd, m, 0, kernel) < 0) throw new Error('sendto failed');
    for (let tries = 0; tries < 1000; tries++) {
      const n = c.recv(fd, ack, 0);
      if (n >= 20) {
        const errno = -new DataView(ack.buffer).getInt32(16, true);
        if (errno !== 0) throw new Error(`NFLOG config ${type}: errno ${errno}`);
        return;
      }
      sleep(1);
    }
    throw new Error(`NFLOG config ${type}: no acknowledgement`);
  };
  const be32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  configure(CFG_CMD, [CMD_BIND]);
  configure(CFG_MODE, [...be32(0xffff), COPY_PACKET, 0]);
  configure(CFG_QTHRESH, be32(qthresh));
  configure(CFG_TIMEOUT, be32(10));
  configure(CFG_NLBUFSIZ, be32(nlbufsiz));

  const buffer = new Uint8Array(new ArrayBuffer(1 << 18));
  const view = new DataView(buffer.buffer);
  let received = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const watcher = c.watch(fd, () => {
    for (;;) {
      const n = c.recv(fd, buffer, MSG_DONTWAIT);
      if (n <= 0) break;
      for (let o = 0; o + 16 <= n; ) {
        const length = view.getUint32(o, true);
        if (view.getUint16(o + 4, true) === NFULNL_PACKET) received++;
        if (length < 16) break;
        o += (length + 3) & ~3;
      }
    }
    if (received >= expected) finish();
    else if (idle === undefined) idle = setTimeout(finish, idleMs);
    else idle.refresh();
  });
  process.stdout.write('ready\n');
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  watcher.start();
  await ended;
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearTimeout(idle);
  watcher.close();
  c.close(fd);
  process.stdout.write(
    `received ${received} cpu_ns ${(cpu.user + cpu.system) * 1000} seconds ${seconds.toFixed(6)}\n`,
  );
}

/** NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_CONFIG, _VERDICT_BATCH, _PACKET. */
const NFQNL_CONFIG = 0x0302;
const NFQNL_VERDICT_BATCH = 0x0303;
const NFQNL_PACKET = 0x0300;
/** NFQA_CFG_CMD, _PARAMS, _QUEUE_MAXLEN; NFQA_PACKET_HDR, NFQA_VERDICT_HDR; NF_ACCEPT. */
const QCFG_CMD = 1;
const QCFG_PARAMS = 2;
const QCFG_MAXLEN = 3;
const NFQA_PACKET_HDR = 1;
const NFQA_VERDICT_HDR = 2;
const NF_ACCEPT = 1;
const SLOTS = 64;
const SLOT_BYTES = 4096;

function nfqueue(args: number[]): void {
  const [queue, expected, idleMs, prefillMs] = args;
  const fd = open(NETLINK_NETFILTER);
  const size = new Uint8Array(new ArrayBuffer(4));
  new DataView(size.buffer).setInt32(0, 256 << 20, true);
  c.setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size);
  /** One nfnetlink message for the queue with one attribute (or none). */
  const message = (type: number, flags: number, attr: number, payload: number[]): Uint8Array => {
    const m = new Uint8Array(new ArrayBuffer(20 + ((4 + payload.length + 3) & ~3)));
    const v = new DataView(m.buffer);
    v.setUint32(0, m.byteLength, true);
    v.setUint16(4, type, true);
    v.setUint16(6, flags, true);
    v.setUint16(18, queue, false); // nfgenmsg res_id, big-endian
    v.setUint16(20, 4 + payload.length, true);
    v.setUint16(22, attr, true);
    m.set(payload, 24);
    return m;
  };
  const ack = new Uint8Array(new ArrayBuffer(4096));
  const configure = (attr: number, payload: number[]): void => {
    if (
      c.sendto(fd, message(NFQNL_CONFIG, NLM_F_REQUEST | NLM_F_ACK, attr, payload), 0, kernel) < 0
    )
      throw new Error('sendto failed');
    for (let tries = 0; tries < 1000; tries++) {
      const n = c.recv(fd, ack, 0);
      if (n >= 20) {
        const errno = -new DataView(ack.buffer).getInt32(16, true);
        if (errno !== 0) throw new Error(`NFQUEUE config ${attr}: errno ${errno}`);
        return;
      }
      sleep(1);
    }
    throw new Error(`NFQUEUE config ${attr}: no acknowledgement`);
  };
  const be32 = (n: number): number[] => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  configure(QCFG_CMD, [1, 0, 0, 0]); // NFQNL_CFG_CMD_BIND
  configure(QCFG_PARAMS, [...be32(0xffff), 2]); // NFQNL_COPY_PACKET, range 0xffff
  configure(QCFG_MAXLEN, be32(expected + 1024));

  // recvmmsg: SLOTS mmsghdrs, each one iovec over its own 4 KiB of one buffer.
  const data = new Uint8Array(new ArrayBuffer(SLOTS * SLOT_BYTES));
  const view = new DataView(data.buffer);
  const vector = new Uint8Array(new ArrayBuffer(SLOTS * MMSGHDR_SIZE));
  const vv = new DataView(vector.buffer);
  const iovs = new Uint8Array(new ArrayBuffer(SLOTS * IOVEC_SIZE));
  const iv = new DataView(iovs.buffer);
  const dataBase = c.address(data);
  const iovBase = c.address(iovs);
  for (let s = 0; s < SLOTS; s++) {
    iv.setBigUint64(s * IOVEC_SIZE + IOV_BASE, dataBase + BigInt(s * SLOT_BYTES), true);
    iv.setBigUint64(s * IOVEC_SIZE + IOV_LEN, BigInt(SLOT_BYTES), true);
    vv.setBigUint64(s * MMSGHDR_SIZE + MSG_IOV, iovBase + BigInt(s * IOVEC_SIZE), true);
    vv.setBigUint64(s * MMSGHDR_SIZE + MSG_IOVLEN, 1n, true);
  }
  const verdict = message(NFQNL_VERDICT_BATCH, NLM_F_REQUEST, NFQA_VERDICT_HDR, [
    ...be32(NF_ACCEPT),
    0,
    0,
    0,
    0,
  ]);
  const verdictView = new DataView(verdict.buffer);

  process.stdout.write('ready\n');
  sleep(prefillMs);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let received = 0;
  let quiet = 0;
  while (received < expected && quiet < idleMs) {
    const r = c.recvmmsg(fd, vector, SLOTS, MSG_DONTWAIT);
    if (r <= 0) {
      sleep(1);
      quiet++;
      continue;
    }
    quiet = 0;
    let last = -1;
    for (let s = 0; s < r; s++) {
      const o = s * SLOT_BYTES;
      const end = o + Math.min(vv.getUint32(s * MMSGHDR_SIZE + MMSG_LEN, true), SLOT_BYTES);
      if (end - o < 20 || view.getUint16(o + 4, true) !== NFQNL_PACKET) continue;
      for (let at = o + 20; at + 4 <= end; ) {
        const len = view.getUint16(at, true);
        if (len < 4) break;
        if ((view.getUint16(at + 2, true) & 0x3fff) === NFQA_PACKET_HDR && len >= 8) {
          last = view.getUint32(at + 4, false);
          received++;
          break;
        }
        at += (len + 3) & ~3;
      }
    }
    if (last >= 0) {
      verdictView.setUint32(28, last, false);
      if (c.sendto(fd, verdict, 0, kernel) < 0) throw new Error('verdict sendto failed');
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  c.close(fd);
  process.stdout.write(
    `received ${received} cpu_ns ${(cpu.user + cpu.system) * 1000} seconds ${seconds.toFixed(6)}\n`,
  );
}

/**
 * Wake-ups and nothing else: each datagram wakes the event loop through the poll handle,
 * whose callback reads it and counts. What a receiver on Node + koffi pays per wake-up
 * before it does any work of its own.
 */
async function wake(args: number[]): Promise<void> {
  const [port, expected, idleMs] = args;
  const fd = c.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  if (fd < 0) throw new Error(`socket: errno ${-fd}`);
  const address = new Uint8Array(new ArrayBuffer(16));
  const a = new DataView(address.buffer);
  a.setUint16(0, AF_INET, true);
  a.setUint16(2, port, false);
  a.setUint32(4, 0x7f000001, false);
  if (c.bind(fd, address) < 0) throw new Error(`bind 127.0.0.1:${port} failed`);
  const buffer = new Uint8Array(new ArrayBuffer(2048));
  let received = 0;
  let wakes = 0;
  let idle: ReturnType<typeof setTimeout> | undefined;
  let finish: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const watcher = c.watch(fd, () => {
    wakes++;
    while (c.recv(fd, buffer, MSG_DONTWAIT) >= 0) received++;
    if (received >= expected) finish();
    else if (idle === undefined) idle = setTimeout(finish, idleMs);
    else idle.refresh();
  });
  process.stdout.write('ready\n');
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  watcher.start();
  await ended;
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearTimeout(idle);
  watcher.close();
  c.close(fd);
  process.stdout.write(
    `received ${received} cpu_ns ${(cpu.user + cpu.system) * 1000} seconds ${seconds.toFixed(6)} wakes ${wakes}\n`,
  );
}

const [job, ...rest] = process.argv.slice(2);
if (job === 'routes') routes();
else if (job === 'nflog') await nflog(rest.map(Number));
else if (job === 'nfqueue') nfqueue(rest.map(Number));
else if (job === 'wake') await wake(rest.map(Number));
else {
  process.stderr.write(
    'usage: floor.js routes | nflog GROUP EXPECTED IDLE_MS NLBUFSIZ QTHRESH | nfqueue QUEUE EXPECTED IDLE_MS PREFILL_MS | wake PORT EXPECTED IDLE_MS\n',
  );
  process.exit(2);
}
