// `nlring info`: what nlring finds on this machine: kernel, ring mode and why,
// capabilities, page size, default ring geometry.
import { machine, release, type, version } from 'node:os';
import { openNetlinkSocket } from '../index.js';
import { ringSize } from '../ring.js';
import { type Command, jsonOption, readNetns } from './commandLine.js';
import { writeText } from './output.js';
import { packageVersion, pageSize, readCapabilities } from './system.js';

/** `1.5 MiB`, `272 KiB`, `512 bytes`. */
function bytes(n: number): string {
  if (n >= 1 << 20 && n % (1 << 10) === 0)
    return `${(n / (1 << 20)).toFixed(n % (1 << 20) === 0 ? 0 : 1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(n % (1 << 10) === 0 ? 0 : 1)} KiB`;
  return `${n} bytes`;
}

/**
 * `nlring info`: what nlring finds on this machine — the kernel (uname), the ring mode a
 * route socket gets here (the kernel's memory-mapped rings, or the ring engine) and why,
 * the capabilities held, the page size and the default RX ring geometry. `--json` prints
 * one object.
 *
 * @example
 * // $ nlring info --json | jq -r .ring_mode
 * await infoCommand.run(parseCommandLine(infoCommand, ['--json']), process);
 */
export const infoCommand: Command = {
  name: 'info',
  summary: 'kernel, ring mode and why, capabilities, page size, ring geometry',
  synopsis: 'nlring info [-j|--json] [-n|--netns NAME]',
  description:
    'Opens a NETLINK_ROUTE socket (in --netns NAME if given) the way every nlring source does ' +
    'and reports what it got: the ring mode — "kernel" when the kernel maps the rings itself ' +
    '(Linux 3.10 to 4.5 with CONFIG_NETLINK_MMAP), "engine" when nlring\'s ring engine fills ' +
    'them with recvmmsg — and the reason, the default RX ring geometry (nl_mmap_req) and its ' +
    'size; also the kernel (uname), the page size, and whether the process holds ' +
    'CAP_NET_ADMIN (netfilter commands, kernel rings) and CAP_SYS_ADMIN (--netns).',
  options: {
    json: jsonOption('one JSON object'),
    netns: {
      type: 'string',
      short: 'n',
      value: 'NAME',
      help: "open the socket in this named network namespace ('ip netns list')",
    },
  },
  examples: [
    { command: 'nlring info', says: 'the report, for a person' },
    { command: 'nlring info --json | jq -r .ring_mode', says: 'engine or kernel' },
  ],
  async run(line, io) {
    const netns = readNetns(line);
    const socket = openNetlinkSocket(
      netns === undefined ? { protocol: 'route' } : { protocol: 'route', netns },
    );
    const mode = socket.ringMode;
    const reason = socket.modeReason;
    const geometry = socket.rx.geometry;
    socket.close();
    const capabilities = readCapabilities();
    const info = {
      nlring: packageVersion(),
      node: process.version,
      kernel: { sysname: type(), release: release(), version: version(), machine: machine() },
      netns: netns ?? null,
      ring_mode: mode,
      mode_reason: reason,
      capabilities: { effective: capabilities.effective, ...capabilities.held },
      page_size: pageSize(),
      rx_ring: {
        nm_block_size: geometry.blockSize,
        nm_block_nr: geometry.blockNr,
        nm_frame_size: geometry.frameSize,
        nm_frame_nr: geometry.frameNr,
        bytes: ringSize(geometry),
      },
    };
    if (line.flag('json')) {
      await writeText(io.stdout, `${JSON.stringify(info, null, 2)}\n`);
      return 0;
    }
    const yes = (held: boolean) => (held ? 'yes' : 'no');
    const rows: [string, string][] = [
      ['nlring', `${info.nlring} on node ${info.node}`],
      [
        'kernel',
        `${info.kernel.sysname} ${info.kernel.release} ${info.kernel.machine} (${info.kernel.version})`,
      ],
      ['namespace', netns ?? 'this process’s own'],
      ['ring mode', `${mode}: ${reason}`],
      [
        'capabilities',
        `CAP_NET_ADMIN ${yes(capabilities.held.CAP_NET_ADMIN)}, CAP_SYS_ADMIN ${yes(capabilities.held.CAP_SYS_ADMIN)} (CapEff ${capabilities.effective ?? 'unknown'})`,
      ],
      ['page size', info.page_size === null ? 'unknown' : `${info.page_size} bytes`],
      [
        'rx ring',
        `${geometry.frameNr} frames of ${geometry.frameSize} bytes in ${geometry.blockNr} blocks of ${geometry.blockSize} bytes (${bytes(info.rx_ring.bytes)}, the default for dumps)`,
      ],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 2;
    await writeText(
      io.stdout,
      rows.map(([label, text]) => `${label.padEnd(width)}${text}\n`).join(''),
    );
    return 0;
  },
};
