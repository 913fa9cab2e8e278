// The netfilter benchmarks (issue 10, targets 4 and 5), in a namespace with real traffic from a
// C generator (bench/c/udpflood.c, 64-byte UDP datagrams by sendmmsg):
// - NFLOG: receiver CPU (user + sys of the receiving process) per message, and loss, nlring
//   beside a C receiver on libnetfilter_log, at two kernel batch settings;
// - wake-ups: the CPU of one wake-up of a receiver, Node + koffi beside C, with paced UDP
//   traffic (bench/c/paced.c): part of every NFLOG row at large kernel batches;
// - NFQUEUE: verdicts/s accepting every packet of a prefilled queue, nlring (verdicts through
//   the TX ring) beside C libnetfilter_queue with one verdict a packet and with one
//   nfq_set_verdict_batch() per 32 packets.
// Each nlring row is there twice: warm, one subscription in this process kept bound from a
// warm-up round to the last trial (a long-lived receiver, as a daemon keeps one), and fresh,
// a new process in the namespace
// (bench/peers/nlringNetfilter.ts) measured from its bind as the C receivers are, JIT
// compilation on its first packets included. Floor rows beside the NFLOG and the NFQUEUE
// ones run bench/peers/floor.ts: only the koffi calls nlring makes (a poll handle and recv()
// for NFLOG; recvmmsg() and one batch verdict a read for NFQUEUE), nothing decoded: what no
// receiver on Node and koffi can do better than.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { compare, measure, median } from './measure.js';
import { type BenchNetns, createBenchNetns } from './netns.js';
import {
  type NflogApi,
  NflogReceiver,
  type NflogResult,
  NfqueueReceiver,
  type NfqueueResult,
  type ReceiverResult,
} from './peers/nlringNetfilter.js';
import { buildC, distBenchDir, ensure } from './toolchain.js';
import type { Benchmark, BenchResult } from './types.js';

/** The nlring receivers as a script, for the fresh-process rows. */
const PEER = join(distBenchDir(), 'peers', 'nlringNetfilter.js');
/** The floor of nlring's stack: koffi's poll handle and recv(), nothing above (peers/floor.ts). */
const FLOOR = join(distBenchDir(), 'peers', 'floor.js');
/** The wake-up receiver on Node's own UDP socket (peers/dgramWake.ts). */
const DGRAM_WAKE = join(distBenchDir(), 'peers', 'dgramWake.js');

/** Paths of the built C programs. */
interface CBaselines {
  udpflood: string;
  paced?: string | undefined;
  wakeRecv?: string | undefined;
  nflogRecv?: string | undefined;
  nfqRecv?: string | undefined;
}

const NFLOG_PACKETS = 1_000_000;
// The kernel caps an NFQUEUE queue at 65536 packets; stay below it.
const NFQUEUE_PACKETS = 60_000;
const PREFILL_MS = 1500;
/** Silence that ends a receiver (as the C receivers' IDLE_MS argument). */
const IDLE_MS = 300;

/** What every receiver reports, C or nlring. */
type CResult = ReceiverResult;

/** A child process run in the namespace, its output collected from the start. */
interface Child {
  /** Resolves once the child printed `ready`. */
  ready: Promise<void>;
  /** Resolves with its stdout when it exits 0; rejects otherwise. */
  done: Promise<string>;
}

function run(ns: BenchNetns, argv: string[]): Child {
  const child: ChildProcess = spawn('ip', ['netns', 'exec', ns.name, ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let signalReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    signalReady = resolve;
  });
  child.stdout?.on('data', (chunk) => {
    out += String(chunk);
    if (out.includes('ready')) signalReady();
  });
  child.stderr?.on('data', (chunk) => {
    err += String(chunk);
  });
  // 'close', not 'exit': the process may exit before its last output has been read.
  const done = once(child, 'close').then(([code]) => {
    if (code !== 0) throw new Error(`${argv.join(' ')} exited ${String(code)}: ${err}${out}`);
    return out;
  });
  // A child that dies before `ready` must not leave the caller waiting.
  done.catch(() => signalReady());
  return { ready, done };
}

function parseC(out: string): CResult {
  const m = /received (\d+) cpu_ns (\d+) seconds ([\d.]+)/.exec(out);
  if (!m) throw new Error(`unexpected receiver output: ${out}`);
  return { received: Number(m[1]), cpuNs: Number(m[2]), seconds: Number(m[3]) };
}

async function generate(ns: BenchNetns, c: CBaselines, port: number, count: number): Promise<void> {
  await run(ns, [c.udpflood, '127.0.0.1', String(port), String(count), '64']).done;
}

/**
 * A receiver run in the namespace for one trial: started, sent `count` packets to `port`
 * once it printed `ready`, and its output once it exits.
 */
async function receive(
  ns: BenchNetns,
  c: CBaselines,
  argv: string[],
  port: number,
  count: number,
): Promise<string> {
  const receiver = run(ns, argv);
  await receiver.ready;
  await generate(ns, c, port, count);
  return receiver.done;
}

/** C NFLOG receiver: CPU ns per message and packets received of `count`. */
async function cNflog(
  ns: BenchNetns,
  c: CBaselines,
  count: number,
  batching: Batching,
): Promise<CResult> {
  const out = await receive(
    ns,
    c,
    [
      c.nflogRecv ?? '',
      '5',
      String(count),
      String(IDLE_MS),
      String(batching.bufferSize),
      String(batching.threshold),
    ],
    9999,
    count,
  );
  return parseC(out);
}

/**
 * The floor receiver, a fresh process with the C receiver's arguments: the CPU that Node and
 * koffi cost for the same packets with nothing decoded (what no receiver on them goes below).
 */
async function floorNflog(
  ns: BenchNetns,
  c: CBaselines,
  count: number,
  batching: Batching,
): Promise<CResult> {
  const argv = [
    process.execPath,
    FLOOR,
    'nflog',
    '5',
    String(count),
    String(IDLE_MS),
    String(batching.bufferSize),
    String(batching.threshold),
  ];
  return parseC(await receive(ns, c, argv, 9999, count));
}

/** Kernel batching of an NFLOG instance: its buffer size (nlbufsiz) and packet threshold. */
interface Batching {
  name: string;
  bufferSize: number;
  threshold: number;
}

const BATCHINGS: Batching[] = [
  { name: 'default batching (-b 65536 -q 64)', bufferSize: 65536, threshold: 64 },
  { name: '128 KiB kernel batches (-b 131072 -q 1024)', bufferSize: 131072, threshold: 1024 },
];

/** The end line of a receiver script: its counters beyond the C receivers' three. */
function counters(out: string, names: readonly string[]): Record<string, number> {
  const found: Record<string, number> = {};
  for (const name of names) {
    const m = new RegExp(`\\b${name} (\\d+)`).exec(out);
    if (!m) throw new Error(`unexpected receiver output (no ${name}): ${out}`);
    found[name] = Number(m[1]);
  }
  return found;
}

/**
 * nlring NFLOG receiver, same settings as the C one (1/10 s flush, 256 MiB buffer), through
 * `nflog()` (each packet an object, its payload a view) or `nflogBatches()` (each payload
 * located by offset and length, no view); either takes every packet's payload, as the C one
 * takes nflog_get_payload's pointer and length.
 * Warm: a round of `warm`, a long-lived receiver of this process (its own group and port,
 * {@link WARM_NFLOG}). Fresh: a new process in the namespace (`peers/nlringNetfilter.js`),
 * binding group 5 and measured from its bind as the C one is.
 */
async function nlringNflog(
  ns: BenchNetns,
  c: CBaselines,
  count: number,
  batching: Batching,
  api: NflogApi,
  warm: NflogReceiver | null,
): Promise<NflogResult> {
  if (warm !== null) {
    return warm.round({
      expected: count,
      idleMs: IDLE_MS,
      traffic: () => generate(ns, c, WARM_NFLOG[api].port, count),
    });
  }
  const argv = [
    process.execPath,
    PEER,
    'nflog',
    api,
    String(count),
    String(IDLE_MS),
    String(batching.bufferSize),
    String(batching.threshold),
  ];
  const out = await receive(ns, c, argv, 9999, count);
  const { lost, frames, copies } = counters(out, ['lost', 'frames', 'copies']);
  return { ...parseC(out), lost, frames, copies };
}

/** C NFQUEUE receiver: verdicts/s after the queue was prefilled. */
async function cNfqueue(
  ns: BenchNetns,
  c: CBaselines,
  count: number,
  mode: 'single' | 'batch',
): Promise<CResult & { verdictCalls: number }> {
  const argv = [c.nfqRecv ?? '', '3', String(count), mode, String(IDLE_MS), String(PREFILL_MS)];
  const out = await receive(ns, c, argv, 9998, count);
  const calls = /verdict_calls (\d+)/.exec(out);
  return { ...parseC(out), verdictCalls: calls ? Number(calls[1]) : Number.NaN };
}

/**
 * nlring NFQUEUE receiver: accepts every packet through the TX ring, after the same prefill.
 * Warm: a round of the long-lived receiver of this process (queue 4, its traffic to port
 * 9996); fresh: a new process that binds queue 3, as the C receivers do.
 */
async function nlringNfqueue(
  ns: BenchNetns,
  c: CBaselines,
  count: number,
  warm: NfqueueReceiver | null,
): Promise<NfqueueResult> {
  if (warm !== null) {
    return warm.round({
      expected: count,
      idleMs: IDLE_MS,
      prefillMs: PREFILL_MS,
      traffic: () => generate(ns, c, WARM_QUEUE_PORT, count),
    });
  }
  const argv = [
    process.execPath,
    PEER,
    'nfqueue',
    String(count),
    String(IDLE_MS),
    String(PREFILL_MS),
  ];
  const out = await receive(ns, c, argv, 9998, count);
  const { messages, flushes } = counters(out, ['messages', 'flushes']);
  return { ...parseC(out), messages, flushes };
}

/**
 * The NFQUEUE floor, a fresh process with the C receiver's arguments: 64 datagrams a
 * recvmmsg() and one batch verdict a read, in one synchronous loop (peers/floor.ts).
 */
async function floorNfqueue(ns: BenchNetns, c: CBaselines, count: number): Promise<CResult> {
  const argv = [
    process.execPath,
    FLOOR,
    'nfqueue',
    '3',
    String(count),
    String(IDLE_MS),
    String(PREFILL_MS),
  ];
  return parseC(await receive(ns, c, argv, 9998, count));
}

/** Datagrams of a wake-up trial, and their pace: NFLOG's 128 KiB datagrams came ~7 ms apart. */
const WAKES = 1000;
const WAKE_INTERVAL_US = 7000;
/** A UDP port with no rule on it. */
const WAKE_PORT = 9997;

/** A wake-up receiver (C or the Node + koffi floor) beside paced traffic, one datagram a wake. */
async function wakeTrial(
  ns: BenchNetns,
  c: CBaselines,
  argv: string[],
): Promise<CResult & { wakes: number }> {
  const receiver = run(ns, argv);
  await receiver.ready;
  await run(ns, [
    c.paced ?? '',
    '127.0.0.1',
    String(WAKE_PORT),
    String(WAKES),
    String(WAKE_INTERVAL_US),
  ]).done;
  const out = await receiver.done;
  return { ...parseC(out), ...(counters(out, ['wakes']) as { wakes: number }) };
}

/**
 * The wake-up row: what one wake-up of the receiver costs, Node + koffi (a poll handle and
 * recv(), peers/floor.ts `wake`) beside C (poll() and recv(), bench/c/wake_recv.c), with one
 * 64-byte UDP datagram every 7 ms; Node's own UDP socket (peers/dgramWake.ts) in the extras
 * tells whether the cost is koffi's or the event loop's. At 128 KiB kernel batches an NFLOG receiver wakes about
 * once a datagram (~1,000 packets), so this cost, per packet, is part of every NFLOG row.
 */
async function wakeRow(
  ns: BenchNetns,
  c: CBaselines,
  trials: number,
  progress: (note: string) => void,
): Promise<BenchResult> {
  const cRuns: Array<CResult & { wakes: number }> = [];
  const floor: Array<CResult & { wakes: number }> = [];
  const dgram: Array<CResult & { wakes: number }> = [];
  for (let t = 0; t < trials; t++) {
    progress(`wake-ups: trial ${t + 1}/${trials}`);
    cRuns.push(
      await wakeTrial(ns, c, [c.wakeRecv ?? '', String(WAKE_PORT), String(WAKES), String(IDLE_MS)]),
    );
    floor.push(
      await wakeTrial(ns, c, [
        process.execPath,
        FLOOR,
        'wake',
        String(WAKE_PORT),
        String(WAKES),
        String(IDLE_MS),
      ]),
    );
    dgram.push(
      await wakeTrial(ns, c, [
        process.execPath,
        DGRAM_WAKE,
        String(WAKE_PORT),
        String(WAKES),
        String(IDLE_MS),
      ]),
    );
  }
  const perWake = (r: CResult & { wakes: number }) => r.cpuNs / 1000 / Math.max(1, r.wakes);
  return compare({
    id: 'wake-cpu-floor',
    title: `Wake-ups, ${WAKES.toLocaleString('en')} UDP datagrams ${WAKE_INTERVAL_US / 1000} ms apart (NFLOG's 128 KiB datagrams came about this far apart), one wake-up each, nothing else done: receiver CPU per wake-up, Node + koffi (poll handle + recv()) vs C (poll() + recv())`,
    subject: measure('Node + koffi: CPU per wake-up', 'µs/wake-up', floor.map(perWake)),
    baseline: measure('C: CPU per wake-up', 'µs/wake-up', cRuns.map(perWake)),
    higherIsBetter: false,
    extra: {
      'Node + koffi received / wake-ups (min over trials)': `${Math.min(...floor.map((r) => r.received))} / ${Math.min(...floor.map((r) => r.wakes))}`,
      "Node's own UDP socket (node:dgram), µs/wake-up (median; min–max)": `${median(dgram.map(perWake)).toFixed(1)}; ${Math.min(...dgram.map(perWake)).toFixed(1)}–${Math.max(...dgram.map(perWake)).toFixed(1)}`,
      'node:dgram received (min over trials)': Math.min(...dgram.map((r) => r.received)),
      'C received / wake-ups (min over trials)': `${Math.min(...cRuns.map((r) => r.received))} / ${Math.min(...cRuns.map((r) => r.wakes))}`,
    },
  });
}

/**
 * The NFQUEUE rows: a warm-up round of each receiver (of the warm nlring one,
 * {@link NFQUEUE_WARM_ROUNDS}), then `trials` alternating trials. The warm nlring receiver is
 * one subscription for the warm-up and every trial.
 */
async function nfqueueRows(
  ns: BenchNetns,
  c: CBaselines,
  trials: number,
  progress: (note: string) => void,
): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  const perMsg = (r: CResult) => r.cpuNs / Math.max(1, r.received);
  const rate = (r: CResult) => r.received / r.seconds;
  progress('NFQUEUE: warming up');
  await cNfqueue(ns, c, NFQUEUE_PACKETS, 'single');
  const cSingle: Array<CResult & { verdictCalls: number }> = [];
  const cBatch: Array<CResult & { verdictCalls: number }> = [];
  const nQueue: Record<'warm' | 'fresh', NfqueueResult[]> = { warm: [], fresh: [] };
  const floor: CResult[] = [];
  const warm = await NfqueueReceiver.open(WARM_QUEUE, ns.name, NFQUEUE_PACKETS + 1024);
  try {
    for (let i = 0; i < NFQUEUE_WARM_ROUNDS; i++) await nlringNfqueue(ns, c, NFQUEUE_PACKETS, warm);
    for (let t = 0; t < trials; t++) {
      progress(`NFQUEUE trial ${t + 1}/${trials}`);
      cSingle.push(await cNfqueue(ns, c, NFQUEUE_PACKETS, 'single'));
      cBatch.push(await cNfqueue(ns, c, NFQUEUE_PACKETS, 'batch'));
      floor.push(await floorNfqueue(ns, c, NFQUEUE_PACKETS));
      nQueue.warm.push(await nlringNfqueue(ns, c, NFQUEUE_PACKETS, warm));
      nQueue.fresh.push(await nlringNfqueue(ns, c, NFQUEUE_PACKETS, null));
    }
  } finally {
    warm.close();
  }
  rows.push(
    compare({
      id: 'nfqueue-floor-vs-c-batched',
      title: `NFQUEUE, ${NFQUEUE_PACKETS.toLocaleString('en')} packets queued first, every one accepted, the floor of Node + koffi (64 datagrams a recvmmsg(), one batch verdict a read, one synchronous loop), fresh process, vs C batched`,
      subject: measure('Node + koffi floor', 'verdicts/s', floor.map(rate)),
      baseline: measure(
        'C libnetfilter_queue, one nfq_set_verdict_batch() per 32 packets',
        'verdicts/s',
        cBatch.map(rate),
      ),
      higherIsBetter: true,
      extra: {
        'floor received (min over trials)': Math.min(...floor.map((r) => r.received)),
        'floor CPU ns/verdict (median)': Math.round(median(floor.map(perMsg))),
        'C CPU ns/verdict (median)': Math.round(median(cBatch.map(perMsg))),
      },
    }),
  );
  for (const [where, idSuffix, what] of [
    [
      'warm',
      '',
      'warm: one subscription in the bench process, bound since three warm-up rounds of 60,000 packets',
    ],
    ['fresh', '-fresh', 'fresh process'],
  ] as const) {
    const runs = nQueue[where];
    for (const [c2, name, target, mode] of [
      [cSingle, 'C libnetfilter_queue, one nfq_set_verdict() a packet', 1.2, 'per-packet'],
      [cBatch, 'C libnetfilter_queue, one nfq_set_verdict_batch() per 32 packets', 1, 'batched'],
    ] as const) {
      rows.push(
        compare({
          id: `nfqueue-verdicts-vs-c-${mode}${idSuffix}`,
          title: `NFQUEUE, ${NFQUEUE_PACKETS.toLocaleString('en')} packets queued first, every one accepted, nlring ${what}, vs C ${mode} (target: >= ${target}x)`,
          subject: measure(
            `nlring nfqueue(), verdicts through the TX ring (${where})`,
            'verdicts/s',
            runs.map(rate),
          ),
          baseline: measure(name, 'verdicts/s', c2.map(rate)),
          higherIsBetter: true,
          target,
          extra: {
            'nlring received (min over trials)': Math.min(...runs.map((r) => r.received)),
            'C received (min over trials)': Math.min(...c2.map((r) => r.received)),
            'C verdict calls (median)': median(c2.map((r) => r.verdictCalls)),
            'nlring verdict messages / TX flushes (median)': `${median(runs.map((r) => r.messages))} / ${median(runs.map((r) => r.flushes))}`,
            'nlring CPU ns/verdict (median)': Math.round(median(runs.map(perMsg))),
            'C CPU ns/verdict (median)': Math.round(median(c2.map(perMsg))),
          },
        }),
      );
    }
  }
  return rows;
}

/**
 * Rounds of 60,000 packets the warm NFQUEUE receiver takes before its trials. One was not
 * enough: a probe of one subscription (2026-12-04, Intel guest) gave 259, 299, 333, 360, 326,
 * 353, 356 and 355 k verdicts/s in rounds 1-8, TurboFan still compiling in the first three;
 * after three the rounds stay within the machine's noise, the steady state of a daemon.
 */
const NFQUEUE_WARM_ROUNDS = 3;
/** The warm NFQUEUE receiver's queue and port: its own, since it stays bound while the others run. */
const WARM_QUEUE = 4;
const WARM_QUEUE_PORT = 9996;
/** The warm NFLOG receivers' groups and ports, one for each API, for the same reason. */
const WARM_NFLOG: Record<NflogApi, { group: number; port: number }> = {
  packets: { group: 6, port: 9995 },
  batches: { group: 7, port: 9994 },
};

/**
 * Sets up the namespace's rules: NFLOG group 5 for UDP port 9999, NFQUEUE 3 for port 9998,
 * and the warm nlring receivers': NFQUEUE 4 for port 9996, NFLOG groups 6 and 7 for ports
 * 9995 and 9994.
 */
function addRules(ns: BenchNetns): void {
  const rule = (port: string, target: string[]) =>
    ns.exec('iptables', '-A', 'OUTPUT', '-p', 'udp', '--dport', port, '-j', ...target);
  rule('9999', ['NFLOG', '--nflog-group', '5']);
  rule('9998', ['NFQUEUE', '--queue-num', '3']);
  rule(String(WARM_QUEUE_PORT), ['NFQUEUE', '--queue-num', String(WARM_QUEUE)]);
  for (const { group, port } of Object.values(WARM_NFLOG)) {
    rule(String(port), ['NFLOG', '--nflog-group', String(group)]);
  }
}

/** Builds the traffic generator and the C NFQUEUE receiver; throws when either cannot be built. */
function nfqueueBaselines(): CBaselines {
  const flood = buildC('udpflood', [], []);
  if (!('path' in flood)) throw new Error(`no traffic generator: ${flood.skip}`);
  const queue = buildC('nfq_recv', ['-lnetfilter_queue', '-lnfnetlink'], ['nfqueue']);
  if (!('path' in queue)) throw new Error(`the C libnetfilter_queue baseline: ${queue.skip}`);
  return { udpflood: flood.path, nfqRecv: queue.path };
}

/**
 * The NFQUEUE rows of {@link netfilterBench} alone (`npm run bench -- --only nfqueue`), for
 * work on the verdict path without the NFLOG rows' minutes; not part of a full run, which
 * has the same rows from `netfilter`.
 */
export const nfqueueBench: Benchmark = {
  id: 'nfqueue',
  title:
    'NFQUEUE with real traffic: nlring beside libnetfilter_queue receivers (the NFQUEUE rows of netfilter)',
  needsRoot: true,
  async run({ trials, progress }) {
    progress('building the C baselines');
    const c = nfqueueBaselines();
    const iptables = ensure('iptables');
    if (iptables) throw new Error(iptables);
    const ns = createBenchNetns();
    try {
      addRules(ns);
      return await nfqueueRows(ns, c, trials, progress);
    } finally {
      ns.remove();
    }
  },
};

/** The wake-up row of {@link netfilterBench} alone (`npm run bench -- --only wake`). */
export const wakeBench: Benchmark = {
  id: 'wake',
  title: 'Wake-ups: the CPU of one wake-up, Node + koffi beside C (the wake-up row of netfilter)',
  needsRoot: true,
  async run({ trials, progress }) {
    const paced = buildC('paced', [], []);
    const wakeRecv = buildC('wake_recv', [], []);
    if (!('path' in paced)) throw new Error(`no paced traffic: ${paced.skip}`);
    if (!('path' in wakeRecv)) throw new Error(`the C wake-up receiver: ${wakeRecv.skip}`);
    const ns = createBenchNetns();
    try {
      return [
        await wakeRow(
          ns,
          { udpflood: '', paced: paced.path, wakeRecv: wakeRecv.path },
          trials,
          progress,
        ),
      ];
    } finally {
      ns.remove();
    }
  },
};

export const netfilterBench: Benchmark = {
  id: 'netfilter',
  title:
    'NFLOG and NFQUEUE with real traffic: nlring beside libnetfilter_log / libnetfilter_queue receivers',
  needsRoot: true,
  async run({ trials, progress, skip }) {
    progress('building the C baselines');
    const flood = buildC('udpflood', [], []);
    if (!('path' in flood)) throw new Error(`no traffic generator: ${flood.skip}`);
    const log = buildC('nflog_recv', ['-lnetfilter_log', '-lnfnetlink'], ['nflog']);
    const queue = buildC('nfq_recv', ['-lnetfilter_queue', '-lnfnetlink'], ['nfqueue']);
    const paced = buildC('paced', [], []);
    const wakeRecv = buildC('wake_recv', [], []);
    const c: CBaselines = { udpflood: flood.path };
    if ('path' in paced && 'path' in wakeRecv) {
      c.paced = paced.path;
      c.wakeRecv = wakeRecv.path;
    } else {
      skip(
        `wake-up row: ${'skip' in paced ? paced.skip : 'skip' in wakeRecv ? wakeRecv.skip : ''}`,
      );
    }
    if ('path' in log) c.nflogRecv = log.path;
    else skip(`NFLOG rows: the C libnetfilter_log baseline: ${log.skip}`);
    if ('path' in queue) c.nfqRecv = queue.path;
    else skip(`NFQUEUE rows: the C libnetfilter_queue baseline: ${queue.skip}`);
    const iptables = ensure('iptables');
    if (iptables) throw new Error(iptables);
    const ns = createBenchNetns();
    const results: BenchResult[] = [];
    try {
      addRules(ns);
      const perMsg = (r: CResult) => r.cpuNs / Math.max(1, r.received);
      if (c.nflogRecv) {
        for (const batching of BATCHINGS) {
          // One warm-up round of each receiver, not counted: the C programs start warm; the
          // warm rows measure one long-lived nlring receiver of each API in this process
          // (bound before the warm-up round, kept to the last trial), the fresh rows each in a
          // new process, compiling on its first packets.
          progress(`NFLOG ${batching.name}: warming up`);
          await cNflog(ns, c, NFLOG_PACKETS, batching);
          const warm: Partial<Record<NflogApi, NflogReceiver>> = {};
          const cLog: CResult[] = [];
          const floor: CResult[] = [];
          const nLog: Record<`${NflogApi}-${'warm' | 'fresh'}`, NflogResult[]> = {
            'packets-warm': [],
            'batches-warm': [],
            'packets-fresh': [],
            'batches-fresh': [],
          };
          try {
            for (const api of ['packets', 'batches'] as const) {
              const receiver = await NflogReceiver.open({
                api,
                group: WARM_NFLOG[api].group,
                netns: ns.name,
                bufferSize: batching.bufferSize,
                threshold: batching.threshold,
              });
              warm[api] = receiver;
              await nlringNflog(ns, c, NFLOG_PACKETS, batching, api, receiver);
            }
            for (let t = 0; t < trials; t++) {
              progress(`NFLOG ${batching.name}: trial ${t + 1}/${trials}`);
              cLog.push(await cNflog(ns, c, NFLOG_PACKETS, batching));
              floor.push(await floorNflog(ns, c, NFLOG_PACKETS, batching));
              for (const api of ['packets', 'batches'] as const) {
                nLog[`${api}-warm`].push(
                  await nlringNflog(ns, c, NFLOG_PACKETS, batching, api, warm[api] ?? null),
                );
                nLog[`${api}-fresh`].push(
                  await nlringNflog(ns, c, NFLOG_PACKETS, batching, api, null),
                );
              }
            }
          } finally {
            for (const receiver of Object.values(warm)) receiver.close();
          }
          // The floor beside the same C trials: how near C any receiver on Node and koffi gets.
          results.push(
            compare({
              id: `nflog-floor-cpu-${batching.bufferSize}`,
              title: `NFLOG, ${NFLOG_PACKETS.toLocaleString('en')} UDP packets at the generator's maximum rate, ${batching.name}, the floor of Node + koffi (a poll handle and recv(), nothing decoded), fresh process: receiver CPU`,
              subject: measure('Node + koffi floor: receiver CPU', 'ns/message', floor.map(perMsg)),
              baseline: measure('C libnetfilter_log receiver CPU', 'ns/message', cLog.map(perMsg)),
              higherIsBetter: false,
              extra: {
                'floor received (min over trials)': Math.min(...floor.map((r) => r.received)),
                'C received (min over trials)': Math.min(...cLog.map((r) => r.received)),
              },
            }),
          );
          // One row per API and process, each beside the same C trials.
          for (const [where, idSuffix, when] of [
            [
              'warm',
              '',
              'warm (one subscription in the bench process, bound since a warm-up round)',
            ],
            ['fresh', '-fresh', 'fresh process'],
          ] as const) {
            for (const [api, id, what] of [
              ['packets', 'nflog-cpu', 'nflog(), a packet a next()'],
              [
                'batches',
                'nflog-batches-cpu',
                'nflogBatches(), a datagram a next(), payloads by offset',
              ],
            ] as const) {
              const runs = nLog[`${api}-${where}`];
              const unreported = runs.map((r) => NFLOG_PACKETS - r.received - r.lost);
              results.push(
                compare({
                  id: `${id}-${batching.bufferSize}${idSuffix}`,
                  title: `NFLOG, ${NFLOG_PACKETS.toLocaleString('en')} UDP packets at the generator's maximum rate, ${batching.name}, nlring ${what}, ${when}: receiver CPU (target: <= 2x C, ratio >= 0.5; 0 lost)`,
                  subject: measure(
                    `nlring ${what} (${where}): receiver CPU`,
                    'ns/message',
                    runs.map(perMsg),
                  ),
                  baseline: measure(
                    'C libnetfilter_log receiver CPU',
                    'ns/message',
                    cLog.map(perMsg),
                  ),
                  higherIsBetter: false,
                  target: 0.5,
                  extra: {
                    'nlring received (min over trials)': Math.min(...runs.map((r) => r.received)),
                    'nlring reported lost (max over trials)': Math.max(...runs.map((r) => r.lost)),
                    'nlring unreported loss (max over trials)': Math.max(...unreported),
                    'nlring COPY frames / frames (median)': `${median(runs.map((r) => r.copies))} / ${median(runs.map((r) => r.frames))}`,
                    'C received (min over trials)': Math.min(...cLog.map((r) => r.received)),
                  },
                }),
              );
            }
          }
        }
      }
      if (c.paced && c.wakeRecv) results.push(await wakeRow(ns, c, trials, progress));
      if (c.nfqRecv) results.push(...(await nfqueueRows(ns, c, trials, progress)));
      return results;
    } finally {
      ns.remove();
    }
  },
};
