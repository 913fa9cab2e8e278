// `nlring nflog --group N`: the packets an NFLOG rule logs, one line each (NDJSON with
// --json), with interface names from a link dump and addresses and ports read from the
// packet's IP header; every loss reported in place, until Ctrl-C.
import { dumpLinks, NetlinkError, netfilter, nflog, Overrun, type rtnetlink } from '../index.js';
import {
  CliError,
  type Command,
  jsonOption,
  NETNS_OPTION,
  readNetns,
  UsageError,
} from './commandLine.js';
import { followedBy, untilInterrupted } from './streams.js';
import { readCapabilities } from './system.js';

/**
 * One logged packet, as plain data: the library's field names, the family and hook by the
 * names `netfilter.nfFamilyName`/`nfHookName` give, interface names for indexes, and what
 * the packet's own headers say (src … length). What the command prints.
 */
interface LoggedPacket {
  group: number;
  seq?: number | undefined;
  seqGlobal?: number | undefined;
  prefix?: string | undefined;
  family: string;
  hook: string;
  indev?: string | undefined;
  outdev?: string | undefined;
  physindev?: string | undefined;
  physoutdev?: string | undefined;
  mark?: number | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
  hwaddr?: string | undefined;
  /** Seconds since the epoch, to the microsecond. */
  timestamp?: number | undefined;
  src?: string | undefined;
  dst?: string | undefined;
  protocol?: string | undefined;
  sport?: number | undefined;
  dport?: number | undefined;
  /** Bytes of the packet copied to user space. */
  length?: number | undefined;
}

/** Turns a packet, while its frame is owned, into plain data that outlives it. */
function loggedPacket(
  packet: netfilter.NflogPacket,
  name: (ifindex: number) => string,
): LoggedPacket {
  const out: LoggedPacket = {
    group: packet.group,
    family: netfilter.nfFamilyName(packet.family),
    hook: netfilter.nfHookName(packet.hook),
  };
  if (packet.seq !== undefined) out.seq = packet.seq;
  if (packet.seqGlobal !== undefined) out.seqGlobal = packet.seqGlobal;
  if (packet.prefix !== undefined) out.prefix = packet.prefix;
  if (packet.indev !== undefined) out.indev = name(packet.indev);
  if (packet.outdev !== undefined) out.outdev = name(packet.outdev);
  if (packet.physindev !== undefined) out.physindev = name(packet.physindev);
  if (packet.physoutdev !== undefined) out.physoutdev = name(packet.physoutdev);
  if (packet.mark !== undefined) out.mark = packet.mark;
  if (packet.uid !== undefined) out.uid = packet.uid;
  if (packet.gid !== undefined) out.gid = packet.gid;
  if (packet.hwaddr !== undefined) out.hwaddr = packet.hwaddr;
  if (packet.timestamp !== undefined) {
    out.timestamp = packet.timestamp.sec + packet.timestamp.usec / 1e6;
  }
  if (packet.payload !== undefined) {
    const ip = describeIpPacket(packet.payload);
    if (ip !== undefined) {
      out.src = ip.src;
      out.dst = ip.dst;
      out.protocol = ip.protocol;
      if (ip.sport !== undefined) out.sport = ip.sport;
      if (ip.dport !== undefined) out.dport = ip.dport;
    }
    out.length = packet.payload.byteLength;
  }
  return out;
}

/** `[nflog 7] seq 3 "DROP " output out=lo udp 127.0.0.1:40000 > 127.0.0.1:9999 len 30`. */
function packetLine(p: LoggedPacket): string {
  const parts = [`[nflog ${p.group}]`];
  if (p.seq !== undefined) parts.push(`seq ${p.seq}`);
  if (p.prefix !== undefined) parts.push(JSON.stringify(p.prefix));
  parts.push(p.hook);
  if (p.indev !== undefined) parts.push(`in=${p.indev}`);
  if (p.outdev !== undefined) parts.push(`out=${p.outdev}`);
  if (p.mark !== undefined) parts.push(`mark=0x${p.mark.toString(16)}`);
  if (p.src !== undefined && p.dst !== undefined) {
    const from = p.sport === undefined ? p.src : `${bracket(p.src)}:${p.sport}`;
    const to = p.dport === undefined ? p.dst : `${bracket(p.dst)}:${p.dport}`;
    parts.push(`${p.protocol ?? '?'} ${from} > ${to}`);
  } else {
    parts.push(p.family);
  }
  if (p.length !== undefined) parts.push(`len ${p.length}`);
  return parts.join(' ');
}

/** An IPv6 address in brackets before a port. */
function bracket(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

/** Loss in an NFLOG stream: counted in packets, or an ENOBUFS episode counted at the next gap. */
function overrunLine(overrun: Overrun, json: boolean): string {
  const enobufs = overrun.errno !== 0;
  const lost = Number.isNaN(overrun.lost) ? null : overrun.lost;
  if (json) {
    return JSON.stringify({
      kind: 'overrun',
      lost,
      count: overrun.count,
      cause: enobufs ? 'ENOBUFS' : 'sequence gap',
    });
  }
  return enobufs
    ? '[overrun] the socket buffer overflowed (ENOBUFS): the packets lost are counted at the next gap; going on'
    : `[overrun] ${lost ?? 'some'} packets lost (a gap in the sequence numbers); going on`;
}

/**
 * What {@link describeIpPacket} reads from an IP header.
 *
 * @example
 * const udp: IpPacketSummary = { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', sport: 5353, dport: 53, length: 60 };
 */
export interface IpPacketSummary {
  /** 4 or 6. */
  readonly version: 4 | 6;
  readonly src: string;
  readonly dst: string;
  /** The transport protocol by name (`tcp`, `udp`, `icmp`, …) or number. */
  readonly protocol: string;
  /** Ports of TCP, UDP, UDP-Lite, SCTP and DCCP packets whose header is there. */
  readonly sport?: number | undefined;
  readonly dport?: number | undefined;
  /** Bytes of the packet that were copied (from the network header on). */
  readonly length: number;
}

/** IP protocols whose header starts with a 16-bit source and destination port. */
const PORTS = new Set([6, 17, 33, 132, 136]);

/**
 * Reads the addresses, transport protocol and ports of a packet that starts at its IP
 * header (what NFLOG and NFQUEUE copy): IPv4 (header length from IHL) or IPv6 (ports only
 * when no extension header comes first). Undefined when the bytes are not a whole IPv4 or
 * IPv6 header.
 *
 * @example
 * declare const packet: { payload: Uint8Array };
 * describeIpPacket(packet.payload); // { version: 4, src: '10.0.0.1', dst: '10.0.0.2', protocol: 'udp', sport: 5353, dport: 53, length: 60 }
 */
export function describeIpPacket(bytes: Uint8Array): IpPacketSummary | undefined {
  if (bytes.byteLength < 1) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = bytes[0] >> 4;
  let headerEnd: number;
  let number: number;
  let src: string;
  let dst: string;
  if (version === 4) {
    headerEnd = (bytes[0] & 0x0f) * 4;
    if (headerEnd < 20 || bytes.byteLength < headerEnd) return undefined;
    number = bytes[9];
    src = netfilter.formatAddress(view, 12, 4);
    dst = netfilter.formatAddress(view, 16, 4);
  } else if (version === 6) {
    headerEnd = 40;
    if (bytes.byteLength < headerEnd) return undefined;
    number = bytes[6];
    src = netfilter.formatAddress(view, 8, 16);
    dst = netfilter.formatAddress(view, 24, 16);
  } else {
    return undefined;
  }
  const name = netfilter.ipProtocolName(number);
  const summary = {
    version: version as 4 | 6,
    src,
    dst,
    protocol: name === 'unknown' ? String(number) : name,
    length: bytes.byteLength,
  };
  if (PORTS.has(number) && bytes.byteLength >= headerEnd + 4) {
    return {
      ...summary,
      sport: view.getUint16(headerEnd),
      dport: view.getUint16(headerEnd + 2),
    };
  }
  return summary;
}

/**
 * `nlring nflog --group N`: the packets an NFLOG rule logs (`iptables … -j NFLOG
 * --nflog-group N`, nft `log group N`), one line each (NDJSON with `--json`), with every loss
 * reported in place, until Ctrl-C (exit status 0). Needs CAP_NET_ADMIN.
 *
 * @example
 * // $ nlring nflog --group 7 --json
 * await nflogCommand.run(parseCommandLine(nflogCommand, ['--group', '7']), process);
 */
export const nflogCommand: Command = {
  name: 'nflog',
  summary: 'print the packets of an NFLOG group as they are logged (needs CAP_NET_ADMIN)',
  synopsis: 'nlring nflog --group N [-j|--json] [-n|--netns NAME]',
  description:
    'Binds NFLOG group N through the netlink ring and prints one line per logged packet: ' +
    'sequence number, the rule’s prefix, the hook, the interfaces, and the addresses, ' +
    'protocol and ports read from the packet. With --json each line is a JSON object ' +
    '(group, seq, prefix, family, hook, indev, outdev, mark, uid, gid, timestamp, src, dst, ' +
    'protocol, sport, dport, length). Lost packets — a gap in the sequence numbers, or an ' +
    'overflow of the socket buffer — are reported as such and the command goes on. It ' +
    'prints a line on stderr once the group is bound, and runs until Ctrl-C (exit status 0). ' +
    'Binding a group needs CAP_NET_ADMIN; one socket at a time may hold a group.',
  options: {
    group: { type: 'string', value: 'N', help: 'the NFLOG group, 0-65535 (required)' },
    json: jsonOption('one JSON object per line (NDJSON)'),
    netns: NETNS_OPTION,
  },
  examples: [
    {
      command: 'nlring nflog --group 5',
      says:
        'the packets that rules with group 5 log, as they come, e.g. after ' +
        'iptables -A INPUT -p tcp --dport 22 -j NFLOG --nflog-group 5 --nflog-prefix ssh',
    },
    {
      command: "nlring nflog --group 5 --json | jq -r '.src'",
      says: 'the source address of each',
    },
  ],
  async run(line, io) {
    const group = readGroup(line.string('group'), line.command);
    const netns = readNetns(line);
    const json = line.flag('json');
    const where = netns === undefined ? 'this namespace' : `namespace ${netns}`;
    const packets = nflog({
      group,
      ...(netns === undefined ? {} : { netns }),
      onBound: () =>
        io.stderr.write(
          `nlring nflog: listening to NFLOG group ${group} in ${where} (Ctrl-C to stop)\n`,
        ),
    });
    // Interface names from one link dump first, as ip prints them (`if<N>` if unknown).
    let names = new Map<number, string>();
    const name = (ifindex: number) => names.get(ifindex) || `if${ifindex}`;
    const learn = followedBy<rtnetlink.Link, netfilter.NflogPacket | Overrun>(
      dumpLinks(netns === undefined ? {} : { netns }),
      (links) => {
        names = new Map(links.map((link) => [link.ifindex, link.ifname ?? '']));
        return packets;
      },
    );
    try {
      return await untilInterrupted(learn, undefined, (value) => {
        const out =
          value instanceof Overrun
            ? overrunLine(value, json)
            : json
              ? JSON.stringify(loggedPacket(value, name))
              : packetLine(loggedPacket(value, name));
        io.stdout.write(`${out}\n`);
      });
    } catch (error) {
      if (
        error instanceof NetlinkError &&
        error.code === 'EPERM' &&
        error.op !== 'netns' &&
        readCapabilities().held.CAP_NET_ADMIN
      ) {
        throw new CliError(
          `NFLOG group ${group} is bound by another socket (one socket at a time may hold a group; ${error.message})`,
          { cause: error },
        );
      }
      throw error;
    }
  },
};

/** `--group N`: required, a whole number from 0 to 65535. */
function readGroup(text: string | undefined, command: string): number {
  if (text === undefined) throw new UsageError('--group N is required', command);
  if (!/^-?\d+$/.test(text)) {
    throw new UsageError(`--group: expected a number from 0 to 65535, got '${text}'`, command);
  }
  const group = Number(text);
  if (group < 0 || group > 0xffff) {
    throw new UsageError(`--group: ${text} is out of range (0 to 65535)`, command);
  }
  return group;
}
