import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeNflogConfig, writeNfqueueConfig } from '../../../src/families/netfilter/config.js';
import {
  type ConntrackEntry,
  decodeConntrack,
  writeConntrackDump,
} from '../../../src/families/netfilter/conntrack.js';
import {
  AF_INET,
  IPCTNL_MSG_CT_NEW,
  IPS_ASSURED,
  NF_ACCEPT,
  NF_DROP,
  NF_INET_LOCAL_IN,
  NF_INET_LOCAL_OUT,
  NFNL_SUBSYS_CTNETLINK,
  NFNL_SUBSYS_QUEUE,
  NFNL_SUBSYS_ULOG,
  NFNLGRP_CONNTRACK_DESTROY,
  NFNLGRP_CONNTRACK_NEW,
  NFNLGRP_CONNTRACK_UPDATE,
  NFQA_CFG_F_UID_GID,
  NFQNL_CFG_CMD_BIND,
  NFQNL_COPY_PACKET,
  NFQNL_MSG_PACKET,
  NFULNL_CFG_CMD_BIND,
  NFULNL_CFG_CMD_PF_BIND,
  NFULNL_CFG_F_SEQ,
  NFULNL_CFG_F_SEQ_GLOBAL,
  NFULNL_COPY_PACKET,
  NFULNL_MSG_PACKET,
} from '../../../src/families/netfilter/constants.js';
import {
  decodeNflogPacket,
  type NflogPacket,
} from '../../../src/families/netfilter/nflogPacket.js';
import { nfnlMsgType } from '../../../src/families/netfilter/nfnetlink.js';
import {
  decodeNfqueuePacket,
  type NfqueuePacket,
} from '../../../src/families/netfilter/nfqueuePacket.js';
import {
  planVerdictMessages,
  writeNfqueueVerdict,
  writeVerdictSteps,
} from '../../../src/families/netfilter/verdict.js';
import { NLM_F_MULTI, NLMSG_DONE, NLMSG_ERROR } from '../../../src/netlink/constants.js';
import { readAck } from '../../../src/netlink/control.js';
import { MessageWriter } from '../../../src/netlink/MessageWriter.js';
import type { NetlinkMessage } from '../../../src/netlink/NetlinkMessage.js';
import { fromHex, messagesOf, toHex } from './bytes.js';
import { hasCommand, kernelTestsUnavailable, Netns, type Relay } from './Netns.js';

// The netfilter codecs against this machine's kernel, without the rest of nlring: every
// test makes its own network namespace, installs iptables rules in it, and talks netlink
// through netnsRelay.py, a python process inside the namespace that only moves bytes. The
// requests it sends are built by our builders; what it receives is decoded by our decoders.

const unavailable = kernelTestsUnavailable();
if (unavailable !== undefined) {
  console.warn(`skipping the netfilter kernel tests: ${unavailable}`);
}

const noConntrackTool = unavailable === undefined && !hasCommand('conntrack');
if (noConntrackTool) {
  console.warn('skipping the tests that cross-check with conntrack(8): it is not installed');
}

const text = new TextEncoder();

/** Every message of every datagram. */
function allMessages(datagrams: string[]): NetlinkMessage[] {
  return datagrams.flatMap((hex) => messagesOf(fromHex(hex)));
}

/** Sends `request` and checks that the kernel acknowledged each of `seqs` with errno 0. */
async function sendAndCheckAcks(relay: Relay, request: Uint8Array, seqs: number[]): Promise<void> {
  await relay.request({ op: 'send', hex: toHex(request) });
  const acks = new Map<number, number>();
  for (let round = 0; round < 5 && acks.size < seqs.length; round++) {
    const reply = await relay.request({ op: 'recv', timeout: 2, quiet: 0.05 });
    for (const m of allMessages(reply.datagrams ?? [])) {
      // `|| 0`: readAck negates the kernel's error, which makes a success -0.
      if (m.type === NLMSG_ERROR) acks.set(m.seq, readAck(m.view, m.offset).errno || 0);
    }
  }
  expect(Object.fromEntries(acks)).toEqual(Object.fromEntries(seqs.map((s) => [s, 0])));
}

/** Receives until `enough(messages)` or the rounds run out; prints the raw datagrams. */
async function receive(
  relay: Relay,
  label: string,
  enough: (messages: NetlinkMessage[]) => boolean,
): Promise<NetlinkMessage[]> {
  const datagrams: string[] = [];
  for (let round = 0; round < 10; round++) {
    const reply = await relay.request({ op: 'recv', timeout: 1, quiet: 0.1 });
    datagrams.push(...(reply.datagrams ?? []));
    if (enough(allMessages(datagrams))) break;
  }
  console.log(`${label}: ${datagrams.length} datagram(s)\n${datagrams.join('\n')}`);
  return allMessages(datagrams);
}

describe.skipIf(unavailable !== undefined)('netfilter codecs against the kernel', () => {
  describe('NFLOG: iptables -j NFLOG --nflog-group 7 on OUTPUT and INPUT', () => {
    let ns: Netns;
    let relay: Relay;
    let datagrams: NetlinkMessage[][];
    let sent: NflogPacket[];
    let received: NflogPacket[];
    const payloads = ['nlring-h5-one', 'nlring-h5-two', 'nlring-h5-three'];
    const packetType = nfnlMsgType(NFNL_SUBSYS_ULOG, NFULNL_MSG_PACKET);
    const rule = (chain: string, prefix: string) => [
      '-A',
      chain,
      '-p',
      'udp',
      '--dport',
      '5555',
      '-j',
      'NFLOG',
      '--nflog-group',
      '7',
      '--nflog-prefix',
      prefix,
    ];

    beforeAll(async () => {
      ns = Netns.create('nflog');
      ns.iptables(rule('OUTPUT', 'nlring-out'));
      ns.iptables(rule('INPUT', 'nlring-in'));
      relay = ns.relay();
      await relay.request({ op: 'open' });
      const w = new MessageWriter();
      writeNflogConfig(w, { group: 0, family: AF_INET, command: NFULNL_CFG_CMD_PF_BIND, seq: 1 });
      writeNflogConfig(w, {
        group: 7,
        command: NFULNL_CFG_CMD_BIND,
        copyMode: NFULNL_COPY_PACKET,
        copyRange: 0xffff,
        flags: NFULNL_CFG_F_SEQ | NFULNL_CFG_F_SEQ_GLOBAL,
        seq: 2,
      });
      // Let the kernel batch up to three packets per datagram, flushing after 0.2 s.
      writeNflogConfig(w, { group: 7, qthresh: 3, timeout: 20, bufsize: 65536, seq: 3 });
      await sendAndCheckAcks(relay, w.finish(), [1, 2, 3]);
      await relay.request({
        op: 'udp_send',
        port: 5555,
        payloads: payloads.map((p) => toHex(text.encode(p))),
      });
      datagrams = [];
      const count = () => datagrams.flat().filter((m) => m.type === packetType).length;
      for (let round = 0; round < 10 && count() < 2 * payloads.length; round++) {
        const reply = await relay.request({ op: 'recv', timeout: 1, quiet: 0.1 });
        for (const hex of reply.datagrams ?? []) {
          console.log(`NFLOG datagram: ${hex}`);
          datagrams.push(messagesOf(fromHex(hex)));
        }
      }
      const packets = datagrams
        .flat()
        .filter((m) => m.type === packetType)
        .map((m) => decodeNflogPacket(m));
      sent = packets.filter((p) => p.prefix === 'nlring-out');
      received = packets.filter((p) => p.prefix === 'nlring-in');
    });

    afterAll(() => ns?.delete());

    it('logs each datagram at LOCAL_OUT and at LOCAL_IN, in order, with the rule prefixes', () => {
      expect(sent.map((p) => [p.group, p.family, p.hook])).toEqual(
        payloads.map(() => [7, AF_INET, NF_INET_LOCAL_OUT]),
      );
      expect(received.map((p) => [p.group, p.family, p.hook])).toEqual(
        payloads.map(() => [7, AF_INET, NF_INET_LOCAL_IN]),
      );
    });

    it('numbers them with NFULA_SEQ from 0 and NFULA_SEQ_GLOBAL, one step per packet', () => {
      const all = [...sent, ...received].sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0));
      expect(all.map((p) => p.seq)).toEqual([0, 1, 2, 3, 4, 5]);
      const globals = all.map((p) => (p.seqGlobal ?? 0) - (all[0].seqGlobal ?? 0));
      expect(globals).toEqual([0, 1, 2, 3, 4, 5]);
    });

    it('carries the whole IPv4/UDP datagram as the payload', () => {
      const decoder = new TextDecoder();
      for (const list of [sent, received]) {
        for (const [i, p] of list.entries()) {
          const payload = p.payload ?? new Uint8Array();
          const ip = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
          expect([payload[0] >> 4, payload[9], ip.getUint16(22, false)]).toEqual([4, 17, 5555]);
          expect(decoder.decode(payload.subarray(28))).toBe(payloads[i]);
        }
      }
    });

    it('decodes devices, socket owner, link-layer header and timestamp as the hook allows', () => {
      const lo = Number(ns.run(['cat', '/sys/class/net/lo/ifindex']).trim());
      const now = Date.now() / 1000;
      for (const p of sent) {
        expect([p.hwProtocol, p.outdev, p.indev, p.uid, p.gid]).toEqual([
          0x0800,
          lo,
          undefined,
          0,
          0,
        ]);
        // The kernel stamps PRE_ROUTING, LOCAL_IN and FORWARD only, and has no L2 header yet.
        expect([p.timestamp, p.hwtype, p.hwheader]).toEqual([undefined, undefined, undefined]);
      }
      for (const p of received) {
        expect([p.hwProtocol, p.indev, p.outdev]).toEqual([0x0800, lo, undefined]);
        // Loopback: ARPHRD_LOOPBACK with an all-zero Ethernet header.
        expect([p.hwtype, p.hwlen, p.hwaddr]).toEqual([772, 14, '00:00:00:00:00:00']);
        expect(p.hwheader).toEqual(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x00));
        expect(Math.abs((p.timestamp?.sec ?? 0) - now)).toBeLessThan(60);
        expect(p.timestamp?.usec).toBeLessThan(1_000_000);
      }
    });

    it('ends every datagram that holds several packets with NLMSG_DONE, and no other', () => {
      for (const messages of datagrams) {
        const packetCount = messages.filter((m) => m.type === packetType).length;
        const done = messages.filter((m) => m.type === NLMSG_DONE);
        if (packetCount > 1) {
          expect(messages.at(-1)?.type).toBe(NLMSG_DONE);
          expect(done.length).toBe(1);
        } else {
          expect(done).toEqual([]);
        }
      }
      expect(datagrams.some((messages) => messages.length > 1)).toBe(true);
    });
  });

  describe('conntrack: events and dump for TCP and UDP flows', () => {
    let ns: Netns;
    let relay: Relay;
    let events: ConntrackEntry[];
    let tcpSport: number;
    let udpSport: number;

    beforeAll(async () => {
      ns = Netns.create('ct');
      ns.run(['sysctl', '-q', '-w', 'net.netfilter.nf_conntrack_acct=1']);
      // A rule that needs conntrack turns it on in the namespace.
      ns.iptables(['-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'NEW', '-j', 'ACCEPT']);
      relay = ns.relay();
      await relay.request({
        op: 'open',
        groups: [NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY],
      });
      const flow = await relay.request({
        op: 'tcp_flow',
        port: 5557,
        hex: toHex(text.encode('hello')),
      });
      tcpSport = flow.sport ?? -1;
      const udp = await relay.request({
        op: 'udp_send',
        port: 5555,
        payloads: [toHex(text.encode('a')), toHex(text.encode('bb'))],
      });
      udpSport = udp.sport ?? -1;
      const messages = await receive(relay, 'conntrack events', (ms) => {
        const decoded = ms.map((m) => decodeConntrack(m));
        return (
          decoded.some((e) => e.protoinfo?.state === 'TIME_WAIT') &&
          decoded.some((e) => e.protocol === 'udp')
        );
      });
      events = messages.map((m) => decodeConntrack(m));
    });

    afterAll(() => ns?.delete());

    it('reports the new TCP flow with its tuples, as conntrack -E would', () => {
      const created = events.find((e) => e.type === 'new' && e.protocol === 'tcp');
      expect(created).toBeDefined();
      expect(created?.family).toBe(AF_INET);
      expect(created?.orig).toMatchObject({
        src: '127.0.0.1',
        dst: '127.0.0.1',
        sport: tcpSport,
        dport: 5557,
        proto: 'tcp',
        protoNumber: 6,
      });
      expect(created?.reply).toMatchObject({ sport: 5557, dport: tcpSport, proto: 'tcp' });
      expect(created?.protoinfo?.state).toBe('SYN_SENT');
      expect(created?.statusNames).not.toContain('SEEN_REPLY');
    });

    it('follows it through the TCP states to TIME_WAIT in update events', () => {
      const states = events
        .filter((e) => e.type === 'update' && e.protocol === 'tcp')
        .map((e) => e.protoinfo?.state);
      expect(states).toContain('ESTABLISHED');
      expect(states.at(-1)).toBe('TIME_WAIT');
      const last = events.filter((e) => e.protocol === 'tcp').at(-1);
      expect(last?.statusNames).toEqual(expect.arrayContaining(['SEEN_REPLY', 'ASSURED']));
      expect(((last?.status ?? 0) & IPS_ASSURED) !== 0).toBe(true);
      expect(last?.timeout).toBeGreaterThan(0);
      expect(last?.id).toBeGreaterThan(0);
    });

    it.skipIf(noConntrackTool)(
      'reports the UDP flow as new, then its destruction with counters',
      async () => {
        const created = events.find((e) => e.type === 'new' && e.protocol === 'udp');
        expect(created?.orig).toMatchObject({ sport: udpSport, dport: 5555, proto: 'udp' });
        ns.run(['conntrack', '-D', '-p', 'udp', '--dport', '5555']);
        const messages = await receive(relay, 'conntrack destroy', (ms) =>
          ms.some((m) => decodeConntrack(m).type === 'destroy'),
        );
        const destroyed = messages.map((m) => decodeConntrack(m)).find((e) => e.type === 'destroy');
        expect(destroyed?.orig).toMatchObject({ sport: udpSport, dport: 5555, proto: 'udp' });
        // Two datagrams of 1 and 2 bytes: 2 packets, 2 * 28 + 3 bytes.
        expect(destroyed?.counters?.orig).toEqual({ packets: 2n, bytes: 59n });
        expect(destroyed?.counters?.reply).toEqual({ packets: 0n, bytes: 0n });
      },
    );

    it.skipIf(noConntrackTool)(
      'dumps the table with a request from writeConntrackDump, agreeing with conntrack -L',
      async () => {
        const dump = writeConntrackDump(new MessageWriter(), { family: AF_INET, seq: 77 }).finish();
        await relay.request({ op: 'send', hex: toHex(dump) });
        const messages = await receive(relay, 'conntrack dump', (ms) =>
          ms.some((m) => m.type === NLMSG_DONE && m.seq === 77),
        );
        const entries = messages
          .filter(
            (m) => m.seq === 77 && m.type === nfnlMsgType(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW),
          )
          .map((m) => {
            expect(m.flags & NLM_F_MULTI).toBe(NLM_F_MULTI);
            return decodeConntrack(m);
          });
        const tcp = entries.find((e) => e.orig.dport === 5557);
        expect(tcp).toMatchObject({ type: 'update', protocol: 'tcp', family: AF_INET });
        expect(tcp?.orig.sport).toBe(tcpSport);
        expect(tcp?.counters?.orig?.packets).toBeGreaterThan(0n);
        const listed = ns.run(['conntrack', '-L', '-o', 'id', '-p', 'tcp', '--dport', '5557']);
        expect(listed).toContain(tcp?.protoinfo?.state);
        expect(listed).toContain(`sport=${tcpSport}`);
        expect(listed).toContain(`id=${tcp?.id}`);
      },
    );
  });

  describe('NFQUEUE: iptables -j NFQUEUE --queue-num 3, verdicts from our builders', () => {
    let ns: Netns;
    let relay: Relay;
    let packets: NfqueuePacket[];
    const payloads = ['q-one', 'q-two', 'q-three'];

    beforeAll(async () => {
      ns = Netns.create('nfq');
      ns.iptables([
        '-A',
        'OUTPUT',
        '-p',
        'udp',
        '--dport',
        '5556',
        '-j',
        'NFQUEUE',
        '--queue-num',
        '3',
      ]);
      relay = ns.relay();
      await relay.request({ op: 'open' });
      await relay.request({ op: 'udp_listen', port: 5556 });
      const w = new MessageWriter();
      writeNfqueueConfig(w, { queue: 3, command: NFQNL_CFG_CMD_BIND, seq: 1 });
      writeNfqueueConfig(w, {
        queue: 3,
        copyMode: NFQNL_COPY_PACKET,
        copyRange: 0xffff,
        maxLen: 64,
        flags: NFQA_CFG_F_UID_GID,
        seq: 2,
      });
      await sendAndCheckAcks(relay, w.finish(), [1, 2]);
      await relay.request({
        op: 'udp_send',
        port: 5556,
        payloads: payloads.map((p) => toHex(text.encode(p))),
      });
      const packetType = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);
      const messages = await receive(
        relay,
        'NFQUEUE datagrams',
        (ms) => ms.filter((m) => m.type === packetType).length >= payloads.length,
      );
      packets = messages.filter((m) => m.type === packetType).map((m) => decodeNfqueuePacket(m));
    });

    afterAll(() => ns?.delete());

    it('decodes the queued packets: queue, consecutive ids, hook, payload', () => {
      expect(packets.map((p) => [p.queue, p.hook, p.family, p.hwProtocol])).toEqual(
        payloads.map(() => [3, NF_INET_LOCAL_OUT, AF_INET, 0x0800]),
      );
      expect(packets[1].id - packets[0].id).toBe(1);
      expect(packets[2].id - packets[1].id).toBe(1);
      const decoder = new TextDecoder();
      expect(
        packets.map((p) => decoder.decode((p.payload ?? new Uint8Array()).subarray(28))),
      ).toEqual(payloads);
      expect(packets.every((p) => p.capLen === undefined)).toBe(true);
    });

    it('attaches the socket owner (NFQA_CFG_F_UID_GID) and the output device', () => {
      // NFQA_CFG_F_CONNTRACK needs CONFIG_NETFILTER_NETLINK_GLUE_CT, which kernels may lack
      // (this one does): NFQA_CT is covered by the round-trip tests instead.
      const lo = Number(ns.run(['cat', '/sys/class/net/lo/ifindex']).trim());
      for (const p of packets) {
        expect([p.uid, p.gid, p.outdev, p.indev]).toEqual([0, 0, lo, undefined]);
      }
    });

    it('delivers the packets after the planned verdicts: one single, then one batch', async () => {
      const decisions = new Map([
        [packets[0].id, { verdict: NF_ACCEPT, mark: 0x42 }],
        [packets[1].id, { verdict: NF_ACCEPT }],
        [packets[2].id, { verdict: NF_ACCEPT }],
      ]);
      const plan = planVerdictMessages(
        packets.map((p) => p.id),
        decisions,
      );
      expect(plan.steps.map((s) => s.kind)).toEqual(['single', 'batch']);
      expect(plan.outstanding).toEqual([]);
      const w = writeVerdictSteps(new MessageWriter(), 3, plan.steps, { seq: 10, ack: true });
      await sendAndCheckAcks(relay, w.finish(), [10, 11]);
      const got = await relay.request({ op: 'udp_recv', timeout: 2, quiet: 0.2 });
      const decoder = new TextDecoder();
      expect((got.datagrams ?? []).map((h) => decoder.decode(fromHex(h)))).toEqual(payloads);
    });

    it('drops a packet given NF_DROP', async () => {
      await relay.request({ op: 'udp_send', port: 5556, payloads: [toHex(text.encode('q-drop'))] });
      const packetType = nfnlMsgType(NFNL_SUBSYS_QUEUE, NFQNL_MSG_PACKET);
      const messages = await receive(relay, 'NFQUEUE drop', (ms) =>
        ms.some((m) => m.type === packetType),
      );
      const p = decodeNfqueuePacket(messages.filter((m) => m.type === packetType)[0]);
      expect(p.id).toBe(packets[2].id + 1);
      const verdict = writeNfqueueVerdict(new MessageWriter(), {
        queue: 3,
        id: p.id,
        verdict: NF_DROP,
        seq: 20,
        ack: true,
      }).finish();
      await sendAndCheckAcks(relay, verdict, [20]);
      const got = await relay.request({ op: 'udp_recv', timeout: 0.5, quiet: 0.1 });
      expect(got.datagrams).toEqual([]);
    });
  });
});
