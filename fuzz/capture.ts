// Captures the fuzz seeds from this machine's kernel: a namespace with links (veth, bridge
// and a bridge port), IPv4/IPv6 addresses, routes (gateway, multipath, metrics, blackhole,
// another table, IPv6), neighbours (ARP, NDP, bridge FDB), FIB rules and nexthop objects
// (single, group, blackhole) is dumped message by message with the library's own sockets, and
// so are the generic netlink families. Writes fuzz/kernelCaptures.ts (hex per message).
//
//   npx tsc -p fuzz/tsconfig.json && node dist/fuzz/capture.js
//
// Root only (it creates and deletes the namespace `nlring-robust-capture-<pid>`).

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { lastValueFrom, map, toArray } from 'rxjs';
import { getFamilyRequest } from '../src/families/genl/controller.js';
import { addressDumpRequest } from '../src/families/rtnetlink/address.js';
import { AF_BRIDGE, RTM_GETNETCONF, RTM_GETNSID } from '../src/families/rtnetlink/constants.js';
import { linkDumpRequest } from '../src/families/rtnetlink/link.js';
import { neighbourDumpRequest } from '../src/families/rtnetlink/neighbour.js';
import { nexthopDumpRequest } from '../src/families/rtnetlink/nexthop.js';
import { routeDumpRequest } from '../src/families/rtnetlink/route.js';
import { ruleDumpRequest } from '../src/families/rtnetlink/rule.js';
import { openNetlinkSocket } from '../src/io/openNetlinkSocket.js';
import { NLM_F_DUMP, NLM_F_REQUEST } from '../src/netlink/constants.js';
import { MessageWriter } from '../src/netlink/MessageWriter.js';
import { dumpMessages } from '../src/sources/dumpMessages.js';

const NETNS = `nlring-robust-capture-${process.pid}`;
/** A second namespace, given an nsid in the first (RTM_NEWNSID). */
const PEER = `${NETNS}-peer`;

const SETUP = [
  'link set lo up',
  'link add v0 type veth peer name v1',
  'link add br0 type bridge',
  'link set v1 master br0',
  'link set v0 up',
  'link set v1 up',
  'link set br0 up',
  'addr add 10.20.0.1/24 dev v0',
  'addr add 10.20.1.1/24 brd + dev v0 label v0:1',
  'addr add 2001:db8::1/64 dev v0 nodad',
  'route add 10.30.0.0/16 via 10.20.0.2 metric 7',
  'route add 10.31.0.0/16 nexthop via 10.20.0.2 weight 1 nexthop via 10.20.0.3 weight 3',
  'route add 10.32.0.0/16 via 10.20.0.2 mtu 1400 advmss 1300 table 100',
  'route add blackhole 10.33.0.0/16',
  'route add 2001:db8:1::/48 via 2001:db8::2 dev v0',
  'neigh add 10.20.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent',
  'neigh add 2001:db8::2 lladdr 02:00:00:00:00:03 dev v0 nud reachable',
  'rule add from 10.40.0.0/16 table 100 priority 100',
  'rule add fwmark 0x5/0xff iif v0 table 101 priority 101',
  'rule add ipproto tcp dport 80 uidrange 1000-2000 table 102 priority 102',
  '-6 rule add to 2001:db8:2::/48 table 103 priority 103',
  'nexthop add id 1 via 10.20.0.2 dev v0',
  'nexthop add id 2 via 10.20.0.3 dev v0',
  'nexthop add id 3 blackhole',
  'nexthop add id 4 via 2001:db8::2 dev v0',
  'nexthop add id 10 group 1/2,3',
];

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A dump request with a 4-byte family header (netconfmsg, rtgenmsg) of AF_UNSPEC. */
function familyDump(type: number, seq: number): Uint8Array {
  return new MessageWriter(32)
    .begin(type, NLM_F_REQUEST | NLM_F_DUMP, seq)
    .u8(0)
    .zeros(3)
    .end()
    .finish();
}

/** The messages of one dump, each copied out of the ring. */
async function dump(protocol: 'route' | 'generic', request: Uint8Array): Promise<string[]> {
  return lastValueFrom(
    dumpMessages(() => openNetlinkSocket({ protocol, netns: NETNS }), request).pipe(
      map((m) => Buffer.from(m.bytes.subarray(m.offset, m.offset + m.length)).toString('hex')),
      toArray(),
    ),
  );
}

async function main(): Promise<void> {
  ip('netns', 'add', NETNS);
  ip('netns', 'add', PEER);
  try {
    ip('-n', NETNS, 'netns', 'set', PEER, '7');
    for (const command of SETUP) ip('-n', NETNS, ...command.split(' '));
    // An FDB entry on the bridge port (a bridge neighbour).
    execFileSync('ip', [
      'netns',
      'exec',
      NETNS,
      'bridge',
      'fdb',
      'add',
      '02:00:00:00:00:05',
      'dev',
      'v1',
      'master',
      'static',
    ]);
    const captures: Record<string, string[]> = {
      link: await dump('route', linkDumpRequest({ seq: 1 })),
      bridgeLink: await dump('route', linkDumpRequest({ seq: 1, family: AF_BRIDGE })),
      address: await dump('route', addressDumpRequest({ seq: 1 })),
      route: await dump('route', routeDumpRequest({ seq: 1 })),
      neighbour: await dump('route', neighbourDumpRequest({ seq: 1 })),
      bridgeNeighbour: await dump('route', neighbourDumpRequest({ seq: 1, family: AF_BRIDGE })),
      rule: [
        ...(await dump('route', ruleDumpRequest({ seq: 1, family: 2 }))),
        ...(await dump('route', ruleDumpRequest({ seq: 1, family: 10 }))),
      ],
      nexthop: await dump('route', nexthopDumpRequest({ seq: 1 })),
      netconf: await dump('route', familyDump(RTM_GETNETCONF, 1)),
      nsid: await dump('route', familyDump(RTM_GETNSID, 1)),
      genlFamily: await dump('generic', getFamilyRequest({ seq: 1 })),
    };
    const lines = [
      `// @generated by fuzz/capture.ts from Linux ${release()}; do not edit. The fuzz seeds:`,
      '// dump replies of this kernel, one hex string per message, by the decoder they are for.',
      '',
      'export const kernelCaptures: Readonly<Record<string, readonly string[]>> = {',
      ...Object.entries(captures).map(
        ([name, hex]) => `  ${name}: [\n${hex.map((h) => `    '${h}',`).join('\n')}\n  ],`,
      ),
      '};',
      '',
    ];
    writeFileSync(new URL('../../fuzz/kernelCaptures.ts', import.meta.url), lines.join('\n'));
    for (const [name, hex] of Object.entries(captures)) console.log(name.padEnd(16), hex.length);
  } finally {
    ip('netns', 'del', PEER);
    ip('netns', 'del', NETNS);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
