// The wake-up receiver on Node's own UDP socket (node:dgram), beside the Node + koffi one of
// floor.ts `wake` and C's bench/c/wake_recv.c, with the same arguments and output:
//
//   node dist/bench/peers/dgramWake.js PORT EXPECTED IDLE_MS
//
// Binds 127.0.0.1:PORT, prints `ready`, counts datagrams (one 'message' event each) until
// EXPECTED arrived or IDLE_MS passed without one after the first, then prints `received N
// cpu_ns X seconds S wakes W` (W: the datagrams, one a wake-up under paced traffic). It
// tells whether a wake-up's cost is koffi's or Node's event loop's.
import { createSocket } from 'node:dgram';

const [port, expected, idleMs] = process.argv.slice(2).map(Number);
const socket = createSocket('udp4');
let received = 0;
let idle: ReturnType<typeof setTimeout> | undefined;
let cpu0 = process.cpuUsage();
let t0 = process.hrtime.bigint();
const finish = (): void => {
  const cpu = process.cpuUsage(cpu0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  clearTimeout(idle);
  socket.close();
  process.stdout.write(
    `received ${received} cpu_ns ${(cpu.user + cpu.system) * 1000} seconds ${seconds.toFixed(6)} wakes ${received}\n`,
  );
};
socket.on('message', () => {
  received++;
  if (received === expected) finish();
  else if (idle === undefined) idle = setTimeout(finish, idleMs);
  else idle.refresh();
});
socket.bind(port, '127.0.0.1', () => {
  process.stdout.write('ready\n');
  cpu0 = process.cpuUsage();
  t0 = process.hrtime.bigint();
});
